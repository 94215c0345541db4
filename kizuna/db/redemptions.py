"""Offer codes used on orders. A code redeems the campaign contact or the chat offer it was issued with when
the order is that same customer's and was placed while the code was valid: not before it was issued, and on
or before its last valid day, a calendar day in the shop's time zone. Each code redeems once. Checking the same
orders again changes nothing, so imports and the shop's order reports may repeat. A cancelled or returned
order redeems nothing, and releases a code it had redeemed (the customer may use it again while it is valid)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Iterable, Optional, Union

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kizuna.db.campaigns import NOT_PURCHASES
from kizuna.db.models import Campaign, CampaignContact, Customer, IssuedOffer, Order, OutreachEvent
from kizuna.db.webhooks import enqueue_event
from kizuna.moments import as_utc

CHUNK = 500
Issued = Union[CampaignContact, IssuedOffer]


@dataclass(frozen=True)
class CodeCheck:
    """What an order's code turned out to be. outcome: redeemed | already_redeemed (by this order, earlier) |
    unknown_code | other_customer | not_valid_then | used_on_another_order | not_a_purchase (a cancelled or
    returned order) | released (such an order gave back the code it had redeemed)."""

    order_number: str
    code: str
    outcome: str
    source: Optional[str] = None  # campaign | chat, when the code is one of ours


def redeem_codes(session: Session, order_numbers: Iterable[str], now: datetime,
                 shop_zone: tzinfo) -> list[CodeCheck]:
    """Check the code of each of these orders that carries one, in the caller's transaction. `shop_zone`: the
    time zone of the shop's calendar days (the retention policy's quiet_hours_timezone)."""
    session.flush()
    numbers = sorted(set(order_numbers))
    checks: list[CodeCheck] = []
    for start in range(0, len(numbers), CHUNK):
        orders = session.scalars(select(Order).where(Order.order_number.in_(numbers[start : start + CHUNK]),
                                                     Order.offer_code.is_not(None)).order_by(Order.placed_at, Order.id))
        checks += [redeem_order(session, order, now, shop_zone) for order in orders]
    return checks


def redeem_order(session: Session, order: Order, now: datetime, shop_zone: tzinfo) -> CodeCheck:
    """Redeem the order's code if it is ours, the customer's and was valid when the order was placed."""
    session.flush()
    code = order.offer_code or ""
    issued: Optional[Issued] = session.scalar(select(CampaignContact).where(CampaignContact.code == code))
    issued = issued or session.scalar(select(IssuedOffer).where(IssuedOffer.code == code))
    if issued is None:
        return CodeCheck(order.order_number, code, "unknown_code")
    source = "campaign" if isinstance(issued, CampaignContact) else "chat"
    if order.status in NOT_PURCHASES:
        return CodeCheck(order.order_number, code, "released" if _release(session, issued, order) else "not_a_purchase", source)
    outcome = _problem(issued, order, shop_zone) or ("redeemed" if _claim(session, issued, order) else "used_on_another_order")
    if outcome == "redeemed":
        _record(session, issued, order, now)
    return CodeCheck(order.order_number, code, outcome, source)


def _problem(issued: Issued, order: Order, shop_zone: tzinfo) -> Optional[str]:
    if issued.redeemed_order_id == order.id:
        return "already_redeemed"
    if issued.customer_id != order.customer_id:
        return "other_customer"
    if issued.redeemed_order_id is not None:
        return "used_on_another_order"
    placed = as_utc(order.placed_at)
    if issued.valid_until is None or placed < _issued_at(issued):
        return "not_valid_then"
    if placed.astimezone(shop_zone).date() > issued.valid_until:  # the last valid day is the shop's calendar day
        return "not_valid_then"
    return None


def _issued_at(issued: Issued) -> datetime:
    if isinstance(issued, CampaignContact):
        return as_utc(issued.created_at)
    return as_utc(issued.responded_at or issued.offered_at)


def _claim(session: Session, issued: Issued, order: Order) -> bool:
    """Mark it redeemed only if no other order did so first (two reports of orders at once)."""
    table = type(issued)
    claimed = session.execute(update(table).where(table.id == issued.id, table.redeemed_order_id.is_(None))
                              .values(redeemed_at=order.placed_at, redeemed_order_id=order.id))
    return claimed.rowcount == 1


def _release(session: Session, issued: Issued, order: Order) -> bool:
    table = type(issued)
    released = session.execute(update(table).where(table.id == issued.id, table.redeemed_order_id == order.id)
                                .values(redeemed_at=None, redeemed_order_id=None))
    if released.rowcount == 1 and isinstance(issued, CampaignContact):
        session.execute(delete(OutreachEvent).where(OutreachEvent.contact_id == issued.id, OutreachEvent.kind == "redeem"))
    return released.rowcount == 1


def _record(session: Session, issued: Issued, order: Order, now: datetime) -> None:
    customer = session.get(Customer, order.customer_id)
    data = {"source": "chat", "customer_external_id": customer.external_id if customer else None,
            "offer_id": issued.offer_id, "code": order.offer_code, "order_number": order.order_number,
            "order_total": str(order.total), "currency": order.currency, "placed_at": as_utc(order.placed_at).isoformat()}
    if isinstance(issued, CampaignContact):
        campaign = session.get(Campaign, issued.campaign_id)
        data.update(source="campaign", kind=issued.offer_kind,
                    campaign={"id": issued.campaign_id, "name": campaign.name if campaign else None})
        session.add(OutreachEvent(contact_id=issued.id, kind="redeem", at=order.placed_at,
                                  detail={"order_number": order.order_number, "order_total": str(order.total)}))
    else:
        data.update(kind=issued.kind, conversation_id=issued.conversation_id)
    enqueue_event(session, "offer.redeemed", data, now)
