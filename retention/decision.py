"""The retention decision for one customer turn: a pure, deterministic function.

Order of questions: is a human already in charge? Should a human come in (explicit request,
explicit anger, a negative trend across turns, a valuable customer at high risk, repeated
misunderstanding)? Is there a risk signal at all? May they get an offer now (cool-down, worth it,
budget)? Only then: is the customer in the control group? Each answer adds a machine-readable reason.

One message's sentiment alone never brings in a human: the trend needs negative turns across the
conversation, and the turns that count are the caller's choice (after an agent handed the
conversation back, only the turns since then). The customer's text is only ever matched against
the anger markers of the policy; nothing in it is read as an instruction.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Optional

from retention.catalog import Offer
from retention.policy import RetentionPolicy


@dataclass(frozen=True)
class TurnSignals:
    intent: Optional[str]
    sentiment_score: Optional[float]
    negative_trend: bool = False
    trend_ewma: float = 0.0
    consecutive_negative: int = 0
    misunderstood_turns: int = 0  # the bot fell back on this many turns in a row, this one included
    negative_turns: int = 0  # negative customer turns among the latest that count (the trend window), this one included
    text: str = ""  # the customer's words (personal data masked): data for the anger rule, never a command


@dataclass(frozen=True)
class CustomerSignals:
    known: bool = False
    churn_probability: Optional[float] = None
    value_12m: Optional[float] = None
    tier: str = "regular"
    segment: str = "steady"
    in_control_group: bool = False


@dataclass(frozen=True)
class OfferHistory:
    last_offer_at: Optional[datetime] = None
    spent_today: float = 0.0


@dataclass(frozen=True)
class Situation:
    turn: TurnSignals
    customer: CustomerSignals
    history: OfferHistory = field(default_factory=OfferHistory)
    agent_owns: bool = False
    already_escalated: bool = False
    now: datetime = datetime(2000, 1, 1)


@dataclass(frozen=True)
class Decision:
    action: str  # none | offer | escalate | control
    reasons: tuple[str, ...]
    explanation: str
    offer: Optional[Offer] = None
    priority: Optional[str] = None  # normal | high | urgent, for escalations
    expected_gain: Optional[float] = None

    def to_dict(self) -> dict:
        return {"action": self.action, "reasons": list(self.reasons), "explanation": self.explanation,
                "offer_id": self.offer.id if self.offer else None, "priority": self.priority,
                "expected_gain": None if self.expected_gain is None else round(self.expected_gain, 2)}


def decide(situation: Situation, catalog: tuple[Offer, ...], policy: RetentionPolicy) -> Decision:
    if situation.agent_owns:
        return Decision("none", ("agent_owns_conversation",), "An agent is handling this conversation; the bot stays out of it.")
    escalation = _escalation(situation, policy)
    if escalation is not None:
        return escalation
    risks = _risk_signals(situation, policy)
    if not risks:
        return Decision("none", ("no_risk_signal",), "The conversation is going fine; carry on.")
    return _offer_decision(situation, risks, catalog, policy)


def _escalation(situation: Situation, policy: RetentionPolicy) -> Optional[Decision]:
    turn, customer = situation.turn, situation.customer
    reasons = []
    angry = explicit_anger(turn.text, turn.sentiment_score, policy)
    sustained = sustained_negative(turn, policy)
    if turn.intent == "contact_human_agent":
        reasons.append("asked_for_human")
    if angry:
        reasons.append("explicit_anger")
    if sustained:
        reasons.append("strongly_negative_trend")
    at_risk = (customer.tier in policy.escalate_tiers and (customer.churn_probability or 0) >= policy.escalate_churn_probability
               and (turn.intent in policy.escalate_leaving_intents or angry or sustained))
    if at_risk:
        reasons.append("valuable_customer_at_risk")
    if turn.misunderstood_turns >= policy.escalate_misunderstood_turns:
        reasons.append("repeated_misunderstanding")
    if not reasons:
        return None
    if situation.already_escalated:
        return Decision("none", ("already_escalated", *reasons), "The conversation is already waiting for an agent.")
    return Decision("escalate", tuple(reasons), _escalation_sentence(reasons, customer),
                    priority=_priority(reasons, customer, policy))


def _priority(reasons: list[str], customer: CustomerSignals, policy: RetentionPolicy) -> str:
    """urgent: a valuable customer at risk who is also plainly unhappy; high: explicit anger, or any
    escalation of a valuable customer; normal: everything else (a request, a sour trend, misunderstanding)."""
    unhappy = "explicit_anger" in reasons or "strongly_negative_trend" in reasons
    if "valuable_customer_at_risk" in reasons:
        return "urgent" if unhappy else "high"
    if "explicit_anger" in reasons or customer.tier in policy.escalate_tiers:
        return "high"
    return "normal"


def sustained_negative(turn: TurnSignals, policy: RetentionPolicy) -> bool:
    """A trend that is negative across turns: enough negative turns among those that count, and
    either a low weighted score or a run of negative turns. One turn, however negative, is not enough."""
    if turn.negative_turns < policy.escalate_min_negative_turns:
        return False
    return turn.trend_ewma <= policy.escalate_ewma or turn.consecutive_negative >= policy.escalate_consecutive_negative


def explicit_anger(text: str, score: Optional[float], policy: RetentionPolicy) -> bool:
    """The turn reads clearly negative AND names an anger marker (insult, profanity, threat to leave
    or to complain publicly) as a whole word or phrase. Both are needed: a marker alone may be quoted
    or negated ("no need for a bad review"), a low score alone is the model's guess."""
    if score is None or score > policy.anger_max_score or not text:
        return False
    words = f" {_plain_words(text)} "
    return any(f" {marker} " in words for marker in _markers(policy.anger_markers))


def _plain_words(text: str) -> str:
    """Lower case, compatibility-normalised, anything but letters and digits as single spaces."""
    folded = unicodedata.normalize("NFKC", text[:2000]).casefold()
    return " ".join(re.findall(r"[^\W_]+", folded))


@lru_cache(maxsize=8)
def _markers(markers: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted({_plain_words(marker) for marker in markers} - {""}))


def _escalation_sentence(reasons: list[str], customer: CustomerSignals) -> str:
    because = {
        "asked_for_human": "the customer asked for a person",
        "explicit_anger": "the customer is openly angry",
        "strongly_negative_trend": "the conversation has stayed strongly negative over several turns",
        "valuable_customer_at_risk": f"a {customer.tier} customer is at high risk of leaving",
        "repeated_misunderstanding": "the bot failed to understand several turns in a row",
    }
    return "Hand over to an agent: " + "; ".join(because[r] for r in reasons) + "."


def _risk_signals(situation: Situation, policy: RetentionPolicy) -> tuple[str, ...]:
    signals = []
    if situation.turn.negative_trend:
        signals.append("negative_trend")
    if situation.turn.intent in policy.risky_intents:
        signals.append(f"risky_intent:{situation.turn.intent}")
    return tuple(signals)


def _offer_decision(situation: Situation, risks: tuple[str, ...], catalog: tuple[Offer, ...], policy: RetentionPolicy) -> Decision:
    customer, history = situation.customer, situation.history
    if not customer.known or customer.churn_probability is None or customer.value_12m is None:
        return Decision("none", (*risks, "customer_not_scored"), "At risk, but the customer is unknown or not scored; no offer.")
    if customer.churn_probability < policy.min_churn_probability:
        return Decision("none", (*risks, "churn_risk_low"),
                        f"Unhappy, but a churn probability of {customer.churn_probability:.0%} is too low for an offer.")
    best = best_offer(customer, situation.turn.intent, catalog)
    if best is None:
        return Decision("none", (*risks, "no_eligible_offer"), f"No offer in the catalog fits a {customer.tier} {customer.segment} customer here.")
    offer, gain = best
    if history.last_offer_at is not None and situation.now - history.last_offer_at < timedelta(days=policy.offer_cooldown_days):
        had = "would have had" if customer.in_control_group else "had"
        return Decision("none", (*risks, "offer_cooldown"), f"The customer {had} an offer in the last {policy.offer_cooldown_days} days.")
    if gain <= 0:
        return Decision("none", (*risks, "offer_not_worth_it"), f"The best offer ({offer.id}) would cost more than it is expected to save.",
                        expected_gain=gain)
    if history.spent_today + offer.cost > policy.daily_budget:
        return Decision("none", (*risks, "daily_budget_exhausted"), "Today's offer budget is spent.", expected_gain=gain)
    # Only now: the control arm must hold exactly the customers the treatment arm would have made an offer to.
    if customer.in_control_group:
        return Decision("control", (*risks, "control_group"),
                        f"Would have offered {offer.id}, but the customer is in the control group.", offer, expected_gain=gain)
    return Decision("offer", (*risks, "expected_gain_positive"),
                    f"Offer {offer.id}: {customer.churn_probability:.0%} churn risk, value {customer.value_12m:.0f}, "
                    f"expected gain {gain:.2f}.", offer, expected_gain=gain)


def best_offer(customer: CustomerSignals, intent: Optional[str], catalog: tuple[Offer, ...]) -> Optional[tuple[Offer, float]]:
    """The eligible offer with the highest expected gain: churn probability x uplift x value - cost.
    The chat passes the turn's intent; a campaign passes None (offers limited to some intents do not fit)."""
    scored = [(offer, customer.churn_probability * offer.uplift * customer.value_12m - offer.cost)
              for offer in catalog if offer.fits(customer.tier, customer.segment, intent)]
    return max(scored, key=lambda pair: (pair[1], pair[0].id)) if scored else None
