"""The widget's nudge: a signed-in customer picked by a widget campaign sees their offer once, in the widget.

POST, not GET: reading it marks it shown, and the customer's token travels in the body, never in a URL.
Whoever is not proven by a valid token (anonymous, forged, expired) gets no nudge, the same answer as a
customer without one, so the endpoint tells a stranger nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Optional

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from console.customer_identity import identify
from kizuna.db.widget_nudges import PendingNudge, mark_nudge_shown, pending_nudge
from retention.catalog import Offer, load_catalog
from retention.policy import load_policy
from retention.quiet_hours import local_day

router = APIRouter(tags=["widget"])


class NudgeRequest(BaseModel):
    customer_token: str = Field(max_length=256, description="The widget's signed customer token.")


@router.post("/api/widget/nudge")
async def nudge(body: NudgeRequest, sessions: deps.Sessions, settings: deps.AppSettings) -> dict[str, Any]:
    """The customer's pending campaign offer as one line of text, marked shown (so `null` the next time)."""
    catalog = {offer.id: offer for offer in load_catalog(settings.offer_catalog_path)}
    now = utc_now()
    today = local_day(now, load_policy(settings.retention_policy_path))  # valid_until is a day of the shop's
    found = await run_in_threadpool(_take_nudge, sessions, body.customer_token, settings.effective_widget_secret, now,
                                    today)
    if found is None:
        return {"nudge": None}
    text = nudge_text(found, catalog.get(found.offer_id), today)
    return {"nudge": {"text": text, "code": found.code, "valid_until": found.valid_until.isoformat()}}


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _take_nudge(sessions: sessionmaker[Session], token: str, widget_secret: str, now: datetime,
                today: date) -> Optional[PendingNudge]:
    with sessions.begin() as session:
        customer = identify(session, token, widget_secret).customer
        found = pending_nudge(session, customer, today) if customer else None
        if found is None or not mark_nudge_shown(session, found.contact_id, now):
            return None
        return found


def nudge_text(found: PendingNudge, offer: Optional[Offer], today: date) -> str:
    """'Welcome back, Wen: your 10 % code KZ-7QH2M9XD ends on Friday.'"""
    first_name = found.customer_name.split()[0] if found.customer_name.strip() else ""
    greeting = f"Welcome back, {first_name}" if first_name else "Welcome back"
    label = offer.outreach_label if offer and offer.outreach_label else "code"
    return f"{greeting}: your {label} {found.code} {_ends(found.valid_until, today)}."


def _ends(valid_until: date, today: date) -> str:
    days = (valid_until - today).days
    if days == 0:
        return "ends today"
    if days == 1:
        return "ends tomorrow"
    if days < 7:
        return f"ends on {valid_until:%A}"
    return f"is valid until {valid_until.day} {valid_until:%B}"
