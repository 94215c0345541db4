"""Everything an agent needs to understand one conversation: the transcript with each customer
turn's analysis and retention decision, and the customer behind it."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizuna.db.models import (Conversation, ConversationNote, ConversationRating, Customer, CustomerScore, IntentReview, IssuedOffer, Message, Order,
                               RetentionDecision, SentimentCorrection, TurnAnalysis)


def conversation_view(session: Session, conversation_id: str) -> Optional[dict[str, Any]]:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    rating = session.scalar(select(ConversationRating).where(ConversationRating.conversation_id == conversation_id))
    return {
        "conversation": _summary(conversation),
        "rating": None if rating is None else {"score": rating.score, "comment": rating.comment, "rated_at": rating.rated_at},
        "transcript": transcript(session, conversation_id),
        "customer": customer_panel(session, conversation.customer_id, conversation_id) if conversation.customer_id else None,
    }


def notes_of(session: Session, conversation_id: str) -> list[dict[str, Any]]:
    """The staff's private notes on a conversation, oldest first."""
    notes = session.scalars(select(ConversationNote).where(ConversationNote.conversation_id == conversation_id).order_by(ConversationNote.id))
    return [{"id": n.id, "author": n.username, "text": n.text, "created_at": n.created_at} for n in notes]


def sentiment_points(session: Session, conversation_id: str) -> list[dict[str, float]]:
    """Each scored turn's sentiment and the trend after it, in order (the conversation's sentiment chart)."""
    turns = session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == conversation_id,
                                                       TurnAnalysis.sentiment_score.is_not(None)).order_by(TurnAnalysis.id))
    return [{"score": t.sentiment_score, "trend": (t.trend or {}).get("ewma", t.sentiment_score)} for t in turns]


def transcript(session: Session, conversation_id: str) -> list[dict[str, Any]]:
    """Messages oldest first; customer messages carry `analysis` (turn id, intent, confidence, sentiment and its
    correction, NLU review status, decision)."""
    messages = session.scalars(select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)).all()
    turns = session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == conversation_id)).all()
    decisions = {d.turn_analysis_id: d for d in session.scalars(
        select(RetentionDecision).where(RetentionDecision.conversation_id == conversation_id))}
    by_message = {t.message_id: t for t in turns if t.message_id is not None}
    reviewed = _reviews_of(session, conversation_id)
    return [_entry(m, by_message.get(m.id), decisions, reviewed) for m in messages]


def _reviews_of(session: Session, conversation_id: str) -> dict[str, dict[int, str]]:
    """Per turn id: the corrected sentiment label, and the turn's status in the NLU inbox."""
    turn_ids = select(TurnAnalysis.id).where(TurnAnalysis.conversation_id == conversation_id)
    corrections = select(SentimentCorrection.turn_analysis_id, SentimentCorrection.label).where(
        SentimentCorrection.turn_analysis_id.in_(turn_ids))
    inbox = select(IntentReview.turn_analysis_id, IntentReview.status).where(IntentReview.turn_analysis_id.in_(turn_ids))
    return {"sentiment": dict(session.execute(corrections).all()), "nlu": dict(session.execute(inbox).all())}


def _entry(message: Message, turn: Optional[TurnAnalysis], decisions: dict[int, RetentionDecision],
           reviewed: dict[str, dict[int, str]]) -> dict[str, Any]:
    entry = {"id": message.id, "sender": message.sender, "text": message.text, "created_at": message.created_at,
             "agent": (message.payload or {}).get("agent"), "analysis": None}
    if turn is not None:
        decision = decisions.get(turn.id)
        entry["analysis"] = {
            "turn_id": turn.id, "intent": turn.intent, "confidence": turn.confidence,
            "sentiment_label": turn.sentiment_label, "sentiment_score": turn.sentiment_score,
            "sentiment_corrected": reviewed["sentiment"].get(turn.id), "nlu_review": reviewed["nlu"].get(turn.id),
            "trend": (turn.trend or {}).get("ewma"),
            "decision": None if decision is None else {
                "action": decision.action, "offer_id": decision.offer_id, "priority": decision.priority,
                "reasons": list(decision.reasons or []), "explanation": decision.explanation},
        }
    return entry


def customer_panel(session: Session, customer_id: int, current_conversation: Optional[str] = None) -> dict[str, Any]:
    customer = session.get(Customer, customer_id)
    score = session.get(CustomerScore, customer_id)
    orders = session.scalars(select(Order).where(Order.customer_id == customer_id).order_by(Order.placed_at.desc()).limit(5)).all()
    past = session.scalars(select(Conversation).where(Conversation.customer_id == customer_id, Conversation.id != (current_conversation or ""))
                           .order_by(Conversation.created_at.desc()).limit(5)).all()
    offers = session.scalars(select(IssuedOffer).where(IssuedOffer.customer_id == customer_id).order_by(IssuedOffer.offered_at.desc()).limit(5)).all()
    order_count = session.scalar(select(func.count()).select_from(Order).where(Order.customer_id == customer_id))
    return {
        "customer_id": customer.external_id, "name": customer.name, "email": customer.email, "since": customer.created_at,
        "churn_probability": score.churn_probability if score else None,
        "predicted_value_12m": score.predicted_value_12m if score else None,
        "tier": score.tier if score else None, "segment": score.segment if score else None,
        "orders_total": order_count,
        "recent_orders": [{"order_number": o.order_number, "placed_at": o.placed_at, "status": o.status,
                           "total": float(o.total), "currency": o.currency} for o in orders],
        "past_conversations": [_summary(c) for c in past],
        "offers": [{"offer_id": o.offer_id, "status": o.status, "offered_at": o.offered_at, "code": o.code} for o in offers],
    }


def _summary(conversation: Conversation) -> dict[str, Any]:
    return {"conversation_id": conversation.id, "status": conversation.status, "created_at": conversation.created_at,
            "agent": conversation.agent_name, "priority": conversation.escalation_priority,
            "reasons": list(conversation.escalation_reasons or []), "escalated_at": conversation.escalated_at,
            "outcome": conversation.outcome, "resolved_at": conversation.resolved_at}
