"""The shop reports its orders: POST /api/shop/orders, signed by the shop with the shop webhook secret in the
scheme of kizuna's own webhooks (`Kizuna-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
at most 5 minutes old). An order is stored by its number, so a report sent again changes nothing new; an offer
code on it is redeemed when it is that customer's and was valid when the order was placed."""

from __future__ import annotations

import re
from datetime import datetime, timezone, tzinfo
from decimal import Decimal
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.orm import Session, sessionmaker

from churn.importing import CODE_PATTERN, ORDER_STATUSES
from console import deps
from console.errors import ApiError
from kizuna.db.customer_import import OrderOfAnotherCustomer, UnknownCustomer, store_reported_order
from kizuna.db.redemptions import redeem_order
from kizuna.moments import as_utc
from outreach.webhook_signing import SIGNATURE_HEADER, SignatureError, verify
from retention.policy import load_policy

router = APIRouter(tags=["shop"])


class ShopOrder(BaseModel):
    """An order as the shop reports it; customer_id is the shop's own id of the customer (as imported)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    order_number: str = Field(pattern=r"^[A-Za-z0-9_.:/#-]{1,32}$")
    customer_id: str = Field(min_length=1, max_length=64)
    placed_at: datetime = Field(description="ISO 8601; without a zone it is read as UTC.")
    total: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$")
    status: str = Field("placed", description=f"One of {', '.join(ORDER_STATUSES)}.")
    code: Optional[str] = Field(None, max_length=20, description="The offer code used at checkout, if any.")
    on_discount: bool = False
    new_product: bool = False

    @field_validator("placed_at")
    @classmethod
    def in_utc(cls, value: datetime) -> datetime:
        if not 2000 <= value.year <= 2100:  # also keeps the conversion to UTC inside the calendar
            raise ValueError("placed_at must be between the years 2000 and 2100")
        return as_utc(value)

    @field_validator("status")
    @classmethod
    def known_status(cls, value: str) -> str:
        if value not in ORDER_STATUSES:
            raise ValueError(f"not one of {', '.join(ORDER_STATUSES)}")
        return value

    @field_validator("code")
    @classmethod
    def offer_code(cls, value: Optional[str]) -> Optional[str]:
        code = (value or "").upper()
        if code and not re.fullmatch(CODE_PATTERN, code):
            raise ValueError("not an offer code (up to 20 letters, digits, - or _)")
        return code or None


@router.post("/api/shop/orders", openapi_extra={"requestBody": {
    "required": True, "content": {"application/json": {"schema": ShopOrder.model_json_schema()}}}},
    responses={201: {"description": "stored"}, 200: {"description": "known already: updated"},
               401: {"description": "signature missing, wrong or older than 5 minutes"},
               422: {"description": "not a valid order, or an unknown customer"}})
async def report_order(request: Request, sessions: deps.Sessions, settings: deps.AppSettings,
                       signature: Annotated[Optional[str], Header(alias=SIGNATURE_HEADER)] = None) -> JSONResponse:
    """Store (or update) one order of the shop, by its number, and redeem the offer code on it."""
    body = await request.body()
    _check_signature(settings.effective_shop_webhook_secret, body, signature)
    order = _parse(body)
    shop_zone = load_policy(settings.retention_policy_path).shop_zone
    result = await run_in_threadpool(_store, sessions, order, datetime.now(timezone.utc), shop_zone)
    return JSONResponse(result, status_code=201 if result["created"] else 200)


def _check_signature(secret: str, body: bytes, header: Optional[str]) -> None:
    if not secret:
        raise ApiError(503, "not_configured", "no shop webhook secret is configured (KIZUNA_SHOP_WEBHOOK_SECRET)")
    if not header:
        raise ApiError(401, "signature_missing", f"the {SIGNATURE_HEADER} header is missing")
    try:
        verify(secret, body, header)
    except SignatureError as error:
        raise ApiError(401, "signature_invalid", str(error))


def _parse(body: bytes) -> ShopOrder:
    try:
        return ShopOrder.model_validate_json(body)
    except ValidationError as error:
        problems = [f"{'.'.join(str(part) for part in e['loc']) or 'body'}: {e['msg'].removeprefix('Value error, ')}"
                    for e in error.errors()]
        raise ApiError(422, "invalid_order", "; ".join(problems))


def _store(sessions: sessionmaker[Session], reported: ShopOrder, now: datetime, shop_zone: tzinfo) -> dict[str, Any]:
    values = {"placed_at": reported.placed_at, "total": reported.total, "currency": reported.currency,
              "status": reported.status, "offer_code": reported.code, "on_discount": reported.on_discount,
              "new_product": reported.new_product}
    with sessions.begin() as session:
        try:
            order, created = store_reported_order(session, reported.customer_id, reported.order_number, values)
        except UnknownCustomer as error:
            raise ApiError(422, "unknown_customer", str(error))
        except OrderOfAnotherCustomer as error:
            raise ApiError(409, "order_of_another_customer", str(error))
        check = redeem_order(session, order, now, shop_zone) if order.offer_code else None
        return {"order_number": order.order_number, "created": created,
                "code": {"code": check.code, "outcome": check.outcome} if check else None}
