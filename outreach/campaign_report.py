"""The results of the campaigns: per campaign and per offer, what the treated did against the holdout in the
30 days after the contact (orders, revenue, conversion), the uplift with its 95 % interval, what became of
the contacts (sends, opens, clicks, redemptions) and the cost of the redeemed offers.

The unit is the customer: a campaign may contact a customer again after the cool-down, so each customer counts
once, in the arm of their first contact (of the campaign; of the offer for an offer's row), with the orders in
the window after that contact, whether or not its e-mail went out (intention to treat). "contacts", "sent",
"opened", "clicked", "redeemed" and the cost count every contact."""

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
    """Both arms' figures, the uplift of the treated over the holdout (per customer, from each one's first contact
    here), and what the redeemed offers cost. `outcomes` oldest first."""
    outcomes = list(outcomes)
    firsts = first_contacts(outcomes)
    contacts = {arm: [o for o in outcomes if o.arm == arm] for arm in ARMS}
    customers = {arm: [o for o in firsts if o.arm == arm] for arm in ARMS}
    treated, holdout = (ArmOutcome.of((o.orders > 0, o.revenue) for o in customers[arm]) for arm in ARMS)
    redeemed = [o for o in contacts["treatment"] if o.redeemed]
    return {
        "arms": {arm: {**_contact_counts(contacts[arm]), **_customer_counts(customers[arm])} for arm in ARMS},
        "uplift": {"conversion": conversion_uplift(treated, holdout).as_dict(),
                   "revenue_per_customer": revenue_uplift(treated, holdout).as_dict(2)},
        "cost": {"redeemed_offers": round(sum(o.cost for o in redeemed), 2), "redemptions": len(redeemed)},
    }


def first_contacts(outcomes: Iterable[ContactOutcome]) -> list[ContactOutcome]:
    """Each customer's first contact (of those given, oldest first)."""
    first: dict[int, ContactOutcome] = {}
    for outcome in outcomes:
        first.setdefault(outcome.customer_id, outcome)
    return list(first.values())


def _contact_counts(rows: list[ContactOutcome]) -> dict[str, int]:
    """What became of every contact."""
    return {"contacts": len(rows), "sent": sum(row.sent for row in rows), "opened": sum(row.opened for row in rows),
            "clicked": sum(row.clicked for row in rows), "redeemed": sum(row.redeemed for row in rows)}


def _customer_counts(firsts: list[ContactOutcome]) -> dict[str, Any]:
    """What the customers did in the window after their first contact."""
    customers, converted = len(firsts), sum(1 for row in firsts if row.orders)
    revenue = sum(row.revenue for row in firsts)
    interval = wilson_bounds(converted, customers)
    return {
        "customers": customers, "window_complete": sum(1 for row in firsts if row.window_complete),
        "converted": converted, "orders": sum(row.orders for row in firsts), "revenue": round(revenue, 2),
        "conversion": round(converted / customers, 4) if customers else None,
        "conversion_ci95": [round(bound, 4) for bound in interval] if interval else None,
        "revenue_per_customer": round(revenue / customers, 2) if customers else None,
    }
