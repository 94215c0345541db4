"""The retention part of the turn analysis: gather what the decision needs, decide, store."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy.orm import Session

from kizuna.db import retention_records as records
from kizuna.db.models import Customer, IssuedOffer, RetentionDecision, TurnAnalysis
from kizuna.db.turns import conversation_for
from retention.catalog import load_catalog
from retention.control_group import in_control_group
from retention.decision import CustomerSignals, Decision, OfferHistory, Situation, TurnSignals, decide
from retention.policy import RetentionPolicy, load_policy
from sentiment.trend import TrendState


def decide_for_turn(session: Session, row: TurnAnalysis, trend: Optional[TrendState], now: Optional[datetime] = None) -> Decision:
    now = now or datetime.now(timezone.utc)
    policy = load_policy()
    conversation = conversation_for(session, row.conversation_id)
    situation = Situation(
        turn=_turn_signals(session, row, trend),
        customer=_customer_signals(session, row, policy),
        history=_offer_history(session, row.customer_id, now),
        agent_owns=conversation.status == "agent",
        already_escalated=conversation.status == "waiting_for_agent",
        now=now,
    )
    decision = decide(situation, load_catalog(), policy)
    _store(session, row, decision, now)
    if decision.action == "escalate":
        records.escalate(conversation, decision.priority or "normal", list(decision.reasons), now)
    return decision


def _turn_signals(session: Session, row: TurnAnalysis, trend: Optional[TrendState]) -> TurnSignals:
    return TurnSignals(
        intent=row.intent,
        sentiment_score=row.sentiment_score,
        negative_trend=bool(trend and trend.negative_trend),
        trend_ewma=trend.ewma if trend else 0.0,
        consecutive_negative=trend.consecutive_negative if trend else 0,
        misunderstood_turns=records.misunderstood_streak(session, row.conversation_id),
    )


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
