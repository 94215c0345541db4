"""What the offers did: offers made, accepted and declined, and retention per arm with a 95 % interval.

Treatment: customers for whom the policy decided to make an offer; control: customers for whom it
would have (after the same cool-down, gain and budget checks), but who are in the control group.
A customer is retained when they ordered after their first such decision.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from retention.uplift import wilson_bounds

ARMS = (("treatment", "offer"), ("control", "control"))  # each arm and the decision action that puts a customer in it


def build_report(since: Optional[datetime], decisions: dict[str, int], offer_counts: dict[str, int],
                 arms: dict[str, tuple[int, int]]) -> dict:
    """The report from counts: decisions by action, offers by status, and (customers, retained) per arm."""
    return {
        "since": since.isoformat() if since else None,
        "decisions": decisions,
        "offers": {"made": sum(offer_counts.values()), "accepted": offer_counts.get("accepted", 0),
                   "declined": offer_counts.get("declined", 0), "unanswered": offer_counts.get("offered", 0)},
        "arms": {arm: arm_result(*counts) for arm, counts in arms.items()},
    }


def arm_result(customers: int, retained: int) -> dict:
    interval = wilson_bounds(retained, customers)
    return {"customers": customers, "retained": retained,
            "retention": round(retained / customers, 4) if customers else None,
            "ci95": [round(bound, 4) for bound in interval] if interval else None}
