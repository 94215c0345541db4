"""What became of each campaign contact, both arms alike: sent, opened, clicked, redeemed, and the customer's
orders (not cancelled or returned) in the window after the contact was made."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizuna.db.campaigns import NOT_PURCHASES
from kizuna.db.models import Campaign, CampaignContact, Order
from kizuna.moments import as_utc


class ContactOutcome(NamedTuple):
    contact_id: int
    campaign_id: int
    customer_id: int
    offer_id: str
    arm: str  # treatment | holdout
    contacted_at: datetime
    cost: float  # of the offer, whether or not it was redeemed
    sent: bool
    opened: bool
    clicked: bool
    redeemed: bool
    window_complete: bool  # the whole window after the contact has passed
    orders: int
    revenue: float


def campaign_descriptions(session: Session, campaign_id: Optional[int] = None) -> list[dict[str, Any]]:
    """Each campaign (or the one asked for) as it is described in a report, oldest first."""
    query = select(Campaign).order_by(Campaign.id)
    if campaign_id is not None:
        query = query.where(Campaign.id == campaign_id)
    return [{"id": c.id, "name": c.name, "status": c.status, "channel": c.channel, "holdout_share": c.holdout_share,
             "offer_ids": c.offer_ids} for c in session.scalars(query)]


def contact_outcomes(session: Session, *, now: datetime, window_days: int, campaign_id: Optional[int] = None,
                     since: Optional[datetime] = None) -> list[ContactOutcome]:
    """Every contact (of one campaign, made since `since`), oldest first, with the orders its customer placed
    after it, up to `window_days` later and not after `now`."""
    filters = []
    if campaign_id is not None:
        filters.append(CampaignContact.campaign_id == campaign_id)
    if since is not None:
        filters.append(CampaignContact.created_at >= since)
    c = CampaignContact
    contacts = session.execute(select(
        c.id, c.campaign_id, c.customer_id, c.offer_id, c.arm, c.cost, c.created_at, c.sent_at.is_not(None).label("sent"),
        c.opened_at.is_not(None).label("opened"), c.clicked_at.is_not(None).label("clicked"),
        c.redeemed_at.is_not(None).label("redeemed")).where(*filters).order_by(c.created_at, c.id))
    window, now = timedelta(days=window_days), as_utc(now)
    orders = _orders_after(session, filters, window, now)
    none: list[float] = []
    return [ContactOutcome(
        contact_id=row.id, campaign_id=row.campaign_id, customer_id=row.customer_id, offer_id=row.offer_id, arm=row.arm,
        contacted_at=as_utc(row.created_at), cost=row.cost, sent=bool(row.sent), opened=bool(row.opened), clicked=bool(row.clicked), redeemed=bool(row.redeemed),
        window_complete=as_utc(row.created_at) + window <= now,
        orders=len(orders.get(row.id, none)), revenue=sum(orders.get(row.id, none)),
    ) for row in contacts]


def _orders_after(session: Session, filters: list[Any], window: timedelta, now: datetime) -> dict[int, list[float]]:
    """The totals of each contact's customer's orders placed in the window after the contact, by contact id."""
    rows = session.execute(
        select(CampaignContact.id, CampaignContact.created_at, Order.placed_at, Order.total)
        .join(Order, Order.customer_id == CampaignContact.customer_id)
        .where(*filters, Order.placed_at > CampaignContact.created_at, Order.status.not_in(NOT_PURCHASES))
    )
    totals: dict[int, list[float]] = defaultdict(list)
    for contact_id, contacted_at, placed_at, total in rows:
        placed = as_utc(placed_at)
        if placed <= as_utc(contacted_at) + window and placed <= now:
            totals[contact_id].append(float(total))
    return totals
