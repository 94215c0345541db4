"""The retention part of the turn analysis: gather what the decision needs, decide, store.

After an agent handed the conversation back to the bot (the console's "release", kept in the audit
log), only the customer's turns since then count for the escalation evidence: the trend is rebuilt
from their sentiment scores and the misunderstanding streak stops at the hand-back. What the agent
has already dealt with does not bring the conversation straight back to the queue.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy.orm import Session

from kizuna.conversation_status import ConversationStatus
from kizuna.settings import get_settings
from kizuna.db import retention_records as records
from kizuna.db import webhook_events
from kizuna.db.handoff import last_audited_at
from kizuna.db.models import Customer, IssuedOffer, RetentionDecision, TurnAnalysis
from kizuna.db.turns import conversation_for
from retention.catalog import load_catalog
from retention.control_group import in_control_group
from retention.decision import CustomerSignals, Decision, OfferHistory, Situation, TurnSignals, decide
from retention.policy import RetentionPolicy, load_policy
from sentiment.trend import TrendConfig, TrendState, load_trend_config, update_trend

HAND_BACK_ACTION = "release"  # the audit log's name for an agent handing a conversation back to the bot


def decide_for_turn(session: Session, row: TurnAnalysis, trend: Optional[TrendState], now: Optional[datetime] = None) -> Decision:
    now = now or datetime.now(timezone.utc)
    policy = load_policy(get_settings().retention_policy_path)
    conversation = conversation_for(session, row.conversation_id)
    situation = Situation(
        turn=_turn_signals(session, row, trend, handed_back_at(session, row.conversation_id)),
        customer=_customer_signals(session, row, policy),
        history=_offer_history(session, row.customer_id, now),
        agent_owns=conversation.status == ConversationStatus.AGENT,
        already_escalated=conversation.status == ConversationStatus.WAITING_FOR_AGENT,
        now=now,
    )
    decision = decide(situation, load_catalog(get_settings().offer_catalog_path), policy)
    _store(session, row, decision, now)
    if decision.action == "escalate":
        records.escalate(conversation, decision.priority or "normal", list(decision.reasons), now)
        webhook_events.conversation_escalated(session, conversation, now)
    return decision


def _turn_signals(session: Session, row: TurnAnalysis, trend: Optional[TrendState], since: Optional[datetime]) -> TurnSignals:
    config = load_trend_config(get_settings().trend_config_path)
    misunderstood = records.misunderstood_streak(session, row.conversation_id)
    if since is not None:
        trend = trend_since(session, row.conversation_id, since, config)
        misunderstood = min(misunderstood, records.turns_since(session, row.conversation_id, since))
    return TurnSignals(
        intent=row.intent,
        sentiment_score=row.sentiment_score,
        negative_trend=bool(trend and trend.negative_trend),
        trend_ewma=trend.ewma if trend else 0.0,
        consecutive_negative=trend.consecutive_negative if trend else 0,
        misunderstood_turns=misunderstood,
        negative_turns=sum(1 for score in (trend.recent if trend else []) if score <= config.negative_turn_score),
        text=row.message_text,
    )


def handed_back_at(session: Session, conversation_id: str) -> Optional[datetime]:
    """When an agent last handed this conversation back to the bot, if ever."""
    return last_audited_at(session, conversation_id, HAND_BACK_ACTION)


def trend_since(session: Session, conversation_id: str, since: datetime, config: TrendConfig) -> Optional[TrendState]:
    """The sentiment trend of the customer's scored turns after `since` only (None if there are none)."""
    trend = None
    for score in records.sentiment_scores_since(session, conversation_id, since):
        trend = update_trend(trend, score, config)
    return trend


def _customer_signals(session: Session, row: TurnAnalysis, policy: RetentionPolicy) -> CustomerSignals:
    profile = row.customer_profile or {}
    customer = session.get(Customer, row.customer_id) if row.customer_id is not None else None
    if customer is None:
        return CustomerSignals()
    return CustomerSignals(
        known=True,
        churn_probability=profile.get("churn_probability"),
        value_12m=profile.get("predicted_value_12m"),
        tier=profile.get("tier", "regular"),
        segment=profile.get("segment", "steady"),
        in_control_group=in_control_group(customer.external_id, policy.control_share, policy.control_salt),
    )


def _offer_history(session: Session, customer_id: Optional[int], now: datetime) -> OfferHistory:
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return OfferHistory(
        last_offer_at=records.last_offer_at(session, customer_id) if customer_id is not None else None,
        spent_today=records.offer_spend_since(session, start_of_day),
    )


def _store(session: Session, row: TurnAnalysis, decision: Decision, now: datetime) -> None:
    data = decision.to_dict()
    stored = RetentionDecision(turn_analysis_id=row.id, conversation_id=row.conversation_id, customer_id=row.customer_id,
                               action=data["action"], offer_id=data["offer_id"], priority=data["priority"],
                               reasons=data["reasons"], explanation=data["explanation"],
                               expected_gain=data["expected_gain"], created_at=now)
    session.add(stored)
    session.flush()
    if decision.action == "offer" and decision.offer is not None and row.customer_id is not None:
        session.add(IssuedOffer(decision_id=stored.id, customer_id=row.customer_id, conversation_id=row.conversation_id,
                                offer_id=decision.offer.id, kind=decision.offer.kind, cost=decision.offer.cost,
                                offered_at=now))
