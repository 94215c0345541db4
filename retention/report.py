"""What the offers did: offers made, accepted and declined, and retention per arm with a 95 % interval.

Treatment: customers for whom the policy decided to make an offer; control: customers for whom it
would have (after the same cool-down, gain and budget checks), but who are in the control group.
A customer is retained when they ordered after their first such decision.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizuna.db.models import IssuedOffer, Order, RetentionDecision

Z95 = 1.959964


def wilson_interval(successes: int, trials: int) -> Optional[tuple[float, float]]:
    if trials == 0:
        return None
    share = successes / trials
    denominator = 1 + Z95**2 / trials
    centre = (share + Z95**2 / (2 * trials)) / denominator
    half = Z95 * math.sqrt(share * (1 - share) / trials + Z95**2 / (4 * trials**2)) / denominator
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def retention_report(session: Session, since: Optional[datetime] = None) -> dict:
    decisions = select(RetentionDecision.action, func.count()).group_by(RetentionDecision.action)
    offers = select(IssuedOffer.status, func.count()).group_by(IssuedOffer.status)
    if since is not None:
        decisions = decisions.where(RetentionDecision.created_at >= since)
        offers = offers.where(IssuedOffer.offered_at >= since)
    offer_counts = dict(session.execute(offers).all())
    return {
        "since": since.isoformat() if since else None,
        "decisions": dict(session.execute(decisions).all()),
        "offers": {"made": sum(offer_counts.values()), "accepted": offer_counts.get("accepted", 0),
                   "declined": offer_counts.get("declined", 0), "unanswered": offer_counts.get("offered", 0)},
        "arms": {arm: _arm(session, action, since) for arm, action in (("treatment", "offer"), ("control", "control"))},
    }


def _arm(session: Session, action: str, since: Optional[datetime]) -> dict:
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
    interval = wilson_interval(retained, customers)
    return {"customers": customers, "retained": retained,
            "retention": round(retained / customers, 4) if customers else None,
            "ci95": list(interval) if interval else None}
