"""The campaign decision for one customer: the chat's retention policy, applied to outreach.

The same questions in the same order as an offer in the chat (retention.decision): scored at all,
churn probability high enough, an offer that fits (the same best_offer, with no intent, among the offers
that have campaign wording), outside the
cool-down shared with the chat, a positive expected gain. Only then is the holdout asked, so it holds
exactly the customers the campaign would have contacted. The campaign's daily budget comes last,
over all of a run's decisions at once (apply_budget), most valuable first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Optional, Sequence

from retention.catalog import Offer
from retention.decision import CustomerSignals, OfferHistory, best_offer
from retention.policy import RetentionPolicy

@dataclass(frozen=True)
class OutreachDecision:
    action: str  # contact | holdout | skip
    reason: str  # for a skip: no_consent, not_scored, churn_risk_low, no_fitting_offer, cooldown, low_gain or budget;
    # otherwise "expected_gain_positive" or "holdout"
    offer: Optional[Offer] = None
    expected_gain: Optional[float] = None

    @property
    def selected(self) -> bool:
        """Chosen for the campaign, in either arm."""
        return self.action in ("contact", "holdout")


def decide_outreach(customer: CustomerSignals, history: OfferHistory, catalog: tuple[Offer, ...],
                    policy: RetentionPolicy, *, now: datetime, reachable: bool = True) -> OutreachDecision:
    """`reachable`: the channel may reach the customer (for e-mail: consent and an address)."""
    if not reachable:
        return OutreachDecision("skip", "no_consent")
    if not customer.known or customer.churn_probability is None or customer.value_12m is None:
        return OutreachDecision("skip", "not_scored")
    if customer.churn_probability < policy.min_churn_probability:
        return OutreachDecision("skip", "churn_risk_low")
    best = best_offer(customer, None, tuple(offer for offer in catalog if offer.for_outreach))
    if best is None:
        return OutreachDecision("skip", "no_fitting_offer")
    offer, gain = best
    if history.last_offer_at is not None and now - history.last_offer_at < timedelta(days=policy.offer_cooldown_days):
        return OutreachDecision("skip", "cooldown", offer, gain)
    if gain <= 0:
        return OutreachDecision("skip", "low_gain", offer, gain)
    if customer.in_control_group:
        return OutreachDecision("holdout", "holdout", offer, gain)
    return OutreachDecision("contact", "expected_gain_positive", offer, gain)


def apply_budget(decisions: Sequence[OutreachDecision], daily_budget: float, spent: float) -> list[OutreachDecision]:
    """The decisions again, in the same order, with those the budget cannot pay turned into skips.

    The most valuable go first (highest expected gain; ties keep the given order). Like the chat, a
    holdout customer is kept only where the budget would have paid their offer, but costs nothing."""
    result = list(decisions)
    order = sorted((index for index, decision in enumerate(result) if decision.selected),
                   key=lambda index: -(result[index].expected_gain or 0.0))
    for index in order:
        decision = result[index]
        cost = decision.offer.cost if decision.offer else 0.0
        if spent + cost > daily_budget:
            result[index] = replace(decision, action="skip", reason="budget")
        elif decision.action == "contact":
            spent += cost
    return result
