"""Look-ups the assistant makes about orders, refunds and invoices."""

from __future__ import annotations

import re
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizuna.db.models import Conversation, Invoice, Order, Refund

# The shop's order numbers have 5 digits ("10023", "#10023", "ORD-10023"). A run of 5 digits that is part of
# a longer digit sequence (a phone number such as "+44 20 7946 10023", an amount, a date) or of a word or an
# e-mail address is not an order number. Keep in step with the `order_id` regex in data/nlu/chitchat.yml.
ORDER_NUMBER_PATTERN = re.compile(
    r"(?<![\w@.+])(?<!\d[\s./-])(?<!\d\))(?<!\d\)\s)"  # nothing of a word, an address or a digit group before
    r"(?:ORD-|#)?(\d{5})"
    r"(?![\w@])(?![\s./-]\d)(?!\.\w)",  # nor after
    re.IGNORECASE,
)
FINISHED_STATUSES = ("delivered", "cancelled", "returned")


def normalise_order_number(raw: str | None) -> Optional[str]:
    """'ORD-10023', '#10023', 'order 10023' -> '10023'; None when there is no order number."""
    if not raw:
        return None
    match = ORDER_NUMBER_PATTERN.search(str(raw))
    return match.group(1) if match else None


def conversation_customer_id(session: Session, conversation_id: str) -> Optional[int]:
    """The customer the console identified by a signed token in this conversation; None when anonymous."""
    return session.scalar(select(Conversation.customer_id).where(Conversation.id == conversation_id))


class ShopRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find_order(self, order_number: str) -> Optional[Order]:
        return self.session.scalar(select(Order).where(Order.order_number == order_number))

    def find_customer_order(self, order_number: str, customer_id: int) -> Optional[Order]:
        """The order only when it belongs to this customer."""
        return self.session.scalar(
            select(Order).where(Order.order_number == order_number, Order.customer_id == customer_id)
        )

    def recent_orders(self, customer_id: int, open_only: bool, limit: int = 5) -> list[Order]:
        """The customer's latest orders; open_only leaves out finished ones (delivered, cancelled, returned)."""
        query = select(Order).where(Order.customer_id == customer_id)
        if open_only:
            query = query.where(Order.status.not_in(FINISHED_STATUSES))
        return list(self.session.scalars(query.order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit)))

    def latest_refund(self, order: Order) -> Optional[Refund]:
        return self.session.scalar(
            select(Refund).where(Refund.order_id == order.id).order_by(Refund.requested_at.desc()).limit(1)
        )

    def latest_invoice(self, order: Order) -> Optional[Invoice]:
        return self.session.scalar(
            select(Invoice).where(Invoice.order_id == order.id).order_by(Invoice.issued_at.desc()).limit(1)
        )
