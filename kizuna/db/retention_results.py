"""What the retention offers did, as counts: decisions by action, offers by status, and per arm the customers
decided for and those of them who ordered afterwards."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizuna.db.models import IssuedOffer, Order, RetentionDecision


def decision_counts(session: Session, since: Optional[datetime] = None) -> dict[str, int]:
    """Decisions by action (offer, control, escalate, ...), made since `since` (default: all)."""
    decisions = select(RetentionDecision.action, func.count()).group_by(RetentionDecision.action)
    if since is not None:
        decisions = decisions.where(RetentionDecision.created_at >= since)
    return dict(session.execute(decisions).all())


def offer_counts(session: Session, since: Optional[datetime] = None) -> dict[str, int]:
    """Offers by status (offered, accepted, declined), made since `since` (default: all)."""
    offers = select(IssuedOffer.status, func.count()).group_by(IssuedOffer.status)
    if since is not None:
        offers = offers.where(IssuedOffer.offered_at >= since)
    return dict(session.execute(offers).all())


def arm_counts(session: Session, action: str, since: Optional[datetime] = None) -> tuple[int, int]:
    """The customers with a decision `action` (since `since`), and how many of them ordered after their first one."""
    first = (select(RetentionDecision.customer_id, func.min(RetentionDecision.created_at).label("decided_at"))
             .where(RetentionDecision.action == action, RetentionDecision.customer_id.is_not(None)))
    if since is not None:
        first = first.where(RetentionDecision.created_at >= since)
    first = first.group_by(RetentionDecision.customer_id).subquery()
    customers = session.scalar(select(func.count()).select_from(first)) or 0
    retained = session.scalar(
        select(func.count(func.distinct(first.c.customer_id)))
        .join(Order, (Order.customer_id == first.c.customer_id) & (Order.placed_at > first.c.decided_at))
    ) or 0
    return customers, retained
