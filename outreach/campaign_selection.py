"""Who a campaign would contact today and with which offer: the rule's audience, each customer decided by
retention.outreach_decision (the chat's policy and best offer), the daily budget over all of them. Nothing is
written; the preview shows it, a run writes it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Optional

from sqlalchemy.orm import Session

from kizuna.db import campaigns as repository
from kizuna.db.campaigns import Candidate
from kizuna.db.retention_records import last_offers_since
from kizuna.settings import Settings
from retention.campaign_rule import CampaignRule
from retention.catalog import Offer, load_catalog
from retention.control_group import in_control_group
from retention.decision import CustomerSignals, OfferHistory
from retention.outreach_decision import OutreachDecision, apply_budget, decide_outreach
from retention.policy import RetentionPolicy, load_policy
from retention.quiet_hours import local_day


@dataclass(frozen=True)
class Plan:
    """What a campaign would do: the channel, budget and holdout it works with."""

    rule: CampaignRule
    channel: str
    offer_ids: Optional[list[str]]
    holdout_share: float
    daily_budget: float
    holdout_salt: str
    campaign_id: Optional[int] = None  # None for an unsaved campaign's preview


@dataclass(frozen=True)
class Choice:
    candidate: Candidate
    decision: OutreachDecision


@dataclass(frozen=True)
class Selection:
    day: date
    choices: list[Choice]  # the audience, minus those the campaign already chose today
    already_contacted: int

    @property
    def selected(self) -> list[Choice]:
        """The chosen, in either arm, most valuable first."""
        chosen = [choice for choice in self.choices if choice.decision.selected]
        return sorted(chosen, key=lambda choice: -(choice.decision.expected_gain or 0.0))


def holdout_salt(campaign_id: int) -> str:
    return f"campaign-{campaign_id}"


def campaign_catalog(settings: Settings, offer_ids: Optional[Iterable[str]]) -> tuple[Offer, ...]:
    """The offers a campaign may make: the catalog's, or only those it names."""
    catalog = load_catalog(settings.offer_catalog_path)
    if offer_ids is None:
        return catalog
    wanted = set(offer_ids)
    return tuple(offer for offer in catalog if offer.id in wanted)


def select(session: Session, settings: Settings, plan: Plan, now: datetime) -> Selection:
    policy = load_policy(settings.retention_policy_path)
    day = local_day(now, policy)
    candidates = repository.audience_candidates(session, now=now, **rule_filters(plan.rule))
    contacted, spent = set(), 0.0
    if plan.campaign_id is not None:
        contacted = repository.contacted_on(session, plan.campaign_id, day)
        spent = repository.spent_on(session, plan.campaign_id, day)
    fresh = [candidate for candidate in candidates if candidate.customer_id not in contacted]
    last_offers = last_offers_since(session, now - timedelta(days=policy.offer_cooldown_days))
    decisions = decide_all(fresh, last_offers, plan, campaign_catalog(settings, plan.offer_ids), policy, now, spent)
    choices = [Choice(candidate, decision) for candidate, decision in zip(fresh, decisions)]
    return Selection(day, choices, len(candidates) - len(fresh))


def decide_all(candidates: list[Candidate], last_offers: dict[int, datetime], plan: Plan, catalog: tuple[Offer, ...],
               policy: RetentionPolicy, now: datetime, spent: float) -> list[OutreachDecision]:
    """Each candidate decided alone, then the day's budget (less what was `spent` today) over all of them."""
    decisions = [decide_outreach(signals(candidate, plan), OfferHistory(last_offer_at=last_offers.get(candidate.customer_id)),
                                 catalog, policy, now=now, reachable=reachable(candidate, plan.channel))
                 for candidate in candidates]
    return apply_budget(decisions, plan.daily_budget, spent)


def signals(candidate: Candidate, plan: Plan) -> CustomerSignals:
    return CustomerSignals(known=True, churn_probability=candidate.churn_probability, value_12m=candidate.value_12m,
                           tier=candidate.tier or "regular", segment=candidate.segment or "steady",
                           in_control_group=in_control_group(candidate.external_id, plan.holdout_share, plan.holdout_salt))


def reachable(candidate: Candidate, channel: str) -> bool:
    """E-mail needs consent and an address; the widget reaches a customer who visits the shop signed in."""
    return candidate.mailable if channel == "email" else True


def rule_filters(rule: CampaignRule) -> dict[str, Any]:
    """The rule as the audience query's filters."""
    return {"min_churn_probability": rule.min_churn_probability, "max_churn_probability": rule.max_churn_probability,
            "tiers": rule.allowed_tiers, "segments": rule.segments, "min_days_since_order": rule.min_days_since_order,
            "max_days_since_order": rule.max_days_since_order, "min_value_12m": rule.min_value_12m,
            "min_orders": rule.min_orders}


def summarize(selection: Selection) -> dict[str, Any]:
    """What the campaign would do today (the preview's figures)."""
    skipped = Counter(choice.decision.reason for choice in selection.choices if choice.decision.action == "skip")
    return summary_of(selection, selection.selected, skipped)


def summary_of(selection: Selection, chosen: list[Choice], skipped: Counter) -> dict[str, Any]:
    """Counts for people: the audience, each arm, by tier, segment and offer, cost, gain and why others were skipped."""
    treated = [choice for choice in chosen if choice.decision.action == "contact"]
    return {
        "day": selection.day.isoformat(),
        "audience": len(selection.choices) + selection.already_contacted,
        "already_contacted": selection.already_contacted + skipped.pop("already_contacted", 0),
        "treatment": len(treated),
        "holdout": len(chosen) - len(treated),
        "by_tier": dict(Counter(choice.candidate.tier or "unscored" for choice in chosen)),
        "by_segment": dict(Counter(choice.candidate.segment or "unscored" for choice in chosen)),
        "by_offer": dict(Counter(choice.decision.offer.id for choice in chosen)),
        "expected_cost": round(sum(choice.decision.offer.cost for choice in treated), 2),
        "expected_gain": round(sum(choice.decision.expected_gain or 0.0 for choice in treated), 2),
        "skipped": dict(sorted(skipped.items())),
    }
