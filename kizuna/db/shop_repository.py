"""Look-ups the assistant makes about orders, refunds and invoices."""

from __future__ import annotations

import re
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizuna.db.models import Invoice, Order, Refund

ORDER_NUMBER_PATTERN = re.compile(r"(?:ord(?:er)?[-\s#]*)?#?\s*(\d{4,10})", re.IGNORECASE)


def normalise_order_number(raw: str | None) -> Optional[str]:
    """'ORD-10023', '#10023', 'order 10023' -> '10023'; None when there is no number."""
    if not raw:
        return None
    match = ORDER_NUMBER_PATTERN.search(str(raw))
    return match.group(1) if match else None


class ShopRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find_order(self, order_number: str) -> Optional[Order]:
        return self.session.scalar(select(Order).where(Order.order_number == order_number))

    def latest_refund(self, order: Order) -> Optional[Refund]:
        return self.session.scalar(
            select(Refund).where(Refund.order_id == order.id).order_by(Refund.requested_at.desc()).limit(1)
        )

    def latest_invoice(self, order: Order) -> Optional[Invoice]:
        return self.session.scalar(
            select(Invoice).where(Invoice.order_id == order.id).order_by(Invoice.issued_at.desc()).limit(1)
        )
