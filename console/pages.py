"""The console's pages and files: the demo storefront, the widget script, static files, security headers."""

from __future__ import annotations

import html
from pathlib import Path
from string import Template
from typing import Optional

from fastapi import APIRouter, Path as PathParam, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from console import deps
from console.errors import ApiError
from kizuna.customer_tokens import make_token
from kizuna.db.customer_list import customer_by_external_id, riskiest_of_tier
from kizuna.demo_shop import holds_demo_shop, is_demo_customer
from kizuna.shop import get_shop_config

CONSOLE_DIR = Path(__file__).parent
STATIC_DIR = CONSOLE_DIR / "static"
WIDGET_SCRIPT = CONSOLE_DIR / "widget" / "widget.js"
STOREFRONT = CONSOLE_DIR / "templates" / "storefront.html"

PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders:
    """nosniff and a same-origin referrer on every response, and a content security policy on HTML pages.
    Plain ASGI: it only adds headers as the response starts, without buffering or an extra task per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", PAGE_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)


router = APIRouter(include_in_schema=False)


@router.get("/")
async def storefront(request: Request, sessions: deps.Sessions, settings: deps.AppSettings,
                     as_customer: Optional[str] = Query(None, alias="as", max_length=64)) -> HTMLResponse:
    """The demo shop with the widget on it; with demo sign-in on, `?as=C0001` chats as that customer."""
    picks = await run_in_threadpool(_demo_customers, sessions) if settings.demo_sign_in else []
    token = None
    if settings.demo_sign_in and as_customer and await run_in_threadpool(_may_sign_in_as, sessions, as_customer):
        token = make_token(as_customer, settings.effective_widget_secret, ttl_seconds=3600)
    return HTMLResponse(render_storefront(str(request.base_url).rstrip("/"), picks, as_customer if token else None, token))


@router.get("/widget.js")
async def widget_script() -> FileResponse:
    return FileResponse(WIDGET_SCRIPT, media_type="text/javascript", headers={"Cache-Control": "public, max-age=300"})


@router.get("/static/{name}")
async def static_file(name: str = PathParam(pattern=r"^[a-z0-9_-]+\.(js|css|html)$")) -> FileResponse:
    path = STATIC_DIR / name
    if not path.is_file():
        raise ApiError(404, "not_found", "no such file")
    return FileResponse(path)


def render_storefront(console_url: str, picks: list[tuple[str, str]], signed_in_as: Optional[str], token: Optional[str]) -> str:
    shop = get_shop_config()
    facts = shop.facts
    values = {
        "shop_name": facts.get("name", "Our shop"),
        "delivery": facts.get("standard_delivery", "a few days"),
        "refund_days": facts.get("refund_window_days", 30),
        "opening_hours": facts.get("opening_hours", ""),
        "support_email": facts.get("support_email", ""),
        "console_url": console_url,
        "greeting": f"Hi! I'm the {facts.get('name', 'shop')} assistant. Ask me about orders, refunds, invoices or your account.",
    }
    escaped = {key: html.escape(str(value)) for key, value in values.items()}
    escaped["token_attribute"] = f' data-customer-token="{html.escape(token)}"' if token else ""
    escaped["sign_in"] = _sign_in_bar(picks, signed_in_as) if picks else ""
    return Template(STOREFRONT.read_text()).substitute(escaped)


def _sign_in_bar(picks: list[tuple[str, str]], signed_in_as: Optional[str]) -> str:
    current = f"signed in as {html.escape(signed_in_as)}" if signed_in_as else "anonymous"
    links = "".join(f'<a href="/?as={html.escape(cid)}">{html.escape(label)}</a>' for cid, label in picks)
    return (f'<p class="sign-in"><strong>Demo:</strong> chatting {current}. Chat as '
            f'<a href="/">an anonymous visitor</a>{links}</p>')


def _demo_customers(sessions: sessionmaker[Session]) -> list[tuple[str, str]]:
    """The riskiest customer of each tier, to try the retention offers and the handoff."""
    picks = []
    with sessions() as session:
        if not holds_demo_shop(session):
            return []
        for tier in ("vip", "silver", "regular"):
            row = riskiest_of_tier(session, tier)
            if row and is_demo_customer(row[0]):
                risk = f", {row[1]:.0%} churn risk" if row[1] is not None else ""
                picks.append((row[0].external_id, f"{row[0].external_id} ({tier}{risk})"))
    return picks


def _may_sign_in_as(sessions: sessionmaker[Session], external_id: str) -> bool:
    """Demo sign-in is for the seeded demo customers, while the demo shop is there; never for real (imported) ones."""
    with sessions() as session:
        customer = customer_by_external_id(session, external_id)
        return customer is not None and is_demo_customer(customer) and holds_demo_shop(session)
