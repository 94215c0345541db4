"""The results of the campaigns: per campaign and per offer, what the treated did against the holdout in the
30 days after each contact (sends, opens, clicks, redemptions, orders, revenue), the uplift with its 95 %
interval and the cost of the redeemed offers.

Each contact counts once, in the arm it was put in, whether or not its e-mail went out (intention to treat):
the holdout is compared with everyone who was meant to get the offer. A customer contacted twice counts twice."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, Iterable, Optional

from sqlalchemy.orm import Session

from kizuna.db.campaign_results import ContactOutcome, campaign_descriptions, contact_outcomes
from retention.policy import RESULT_WINDOW_DAYS
from retention.uplift import ArmOutcome, conversion_uplift, revenue_uplift, wilson_bounds

WINDOW_DAYS = RESULT_WINDOW_DAYS  # no longer than the cool-down (retention.policy checks): the holdout stays untreated
ARMS = ("treatment", "holdout")


def campaign_report(session: Session, *, campaign_id: Optional[int] = None, now: datetime,
                    since: Optional[datetime] = None) -> dict[str, Any]:
    """Every campaign (or the one asked for; none when it does not exist), on the contacts made since `since`."""
    outcomes: dict[int, list[ContactOutcome]] = defaultdict(list)
    for outcome in contact_outcomes(session, now=now, window_days=WINDOW_DAYS, campaign_id=campaign_id, since=since):
        outcomes[outcome.campaign_id].append(outcome)
    return {
        "generated_at": now.isoformat(), "since": since.isoformat() if since else None, "window_days": WINDOW_DAYS,
        "campaigns": [_campaign(campaign, outcomes[campaign["id"]])
                      for campaign in campaign_descriptions(session, campaign_id)],
    }


def _campaign(campaign: dict[str, Any], outcomes: list[ContactOutcome]) -> dict[str, Any]:
    by_offer: dict[str, list[ContactOutcome]] = defaultdict(list)
    for outcome in outcomes:
        by_offer[outcome.offer_id].append(outcome)
    return {**campaign, **results(outcomes),
            "offers": [{"offer_id": offer_id, **results(rows)} for offer_id, rows in sorted(by_offer.items())]}


def results(outcomes: Iterable[ContactOutcome]) -> dict[str, Any]:
    """Both arms' figures, the uplift of the treated over the holdout, and what the redeemed offers cost."""
    arms: dict[str, list[ContactOutcome]] = {arm: [] for arm in ARMS}
    for outcome in outcomes:
        if outcome.arm in arms:
            arms[outcome.arm].append(outcome)
    treated, holdout = (ArmOutcome.of((o.orders > 0, o.revenue) for o in arms[arm]) for arm in ARMS)
    redeemed = [o for o in arms["treatment"] if o.redeemed]
    return {
        "arms": {arm: _arm(rows) for arm, rows in arms.items()},
        "uplift": {"conversion": conversion_uplift(treated, holdout).as_dict(),
                   "revenue_per_customer": revenue_uplift(treated, holdout).as_dict(2)},
        "cost": {"redeemed_offers": round(sum(o.cost for o in redeemed), 2), "redemptions": len(redeemed)},
    }


def _arm(rows: list[ContactOutcome]) -> dict[str, Any]:
    contacts, converted = len(rows), sum(1 for row in rows if row.orders)
    revenue = sum(row.revenue for row in rows)
    interval = wilson_bounds(converted, contacts)
    return {
        "contacts": contacts, "customers": len({row.customer_id for row in rows}),
        "window_complete": sum(1 for row in rows if row.window_complete),
        "sent": sum(row.sent for row in rows), "opened": sum(row.opened for row in rows),
        "clicked": sum(row.clicked for row in rows), "redeemed": sum(row.redeemed for row in rows),
        "converted": converted, "orders": sum(row.orders for row in rows), "revenue": round(revenue, 2),
        "conversion": round(converted / contacts, 4) if contacts else None,
        "conversion_ci95": [round(bound, 4) for bound in interval] if interval else None,
        "revenue_per_customer": round(revenue / contacts, 2) if contacts else None,
    }
