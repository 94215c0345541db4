"""Reading and writing retention records: decisions, offers made, escalations."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Iterable, Optional

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kizuna.conversation_status import ConversationStatus, transition
from kizuna.db.models import CampaignContact, Conversation, IssuedOffer, RetentionDecision, TurnAnalysis
from kizuna.moments import as_utc

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_offer_code() -> str:
    """A fresh offer code, e.g. KZ-7QH2MXC9 (its uniqueness is the database's to check)."""
    return "KZ-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def last_offer_at(session: Session, customer_id: int) -> Optional[datetime]:
    """The customer's last offer, in the chat or from a campaign; for the control group and a campaign's holdout,
    the last one held back, so both arms cool down alike."""
    offered = session.scalar(select(func.max(IssuedOffer.offered_at)).where(IssuedOffer.customer_id == customer_id))
    held_back = session.scalar(select(func.max(RetentionDecision.created_at))
                               .where(RetentionDecision.customer_id == customer_id, RetentionDecision.action == "control"))
    contacted = session.scalar(select(func.max(CampaignContact.created_at)).where(CampaignContact.customer_id == customer_id))
    moments = [as_utc(moment) for moment in (offered, held_back, contacted) if moment is not None]
    return max(moments) if moments else None


def last_offers_since(session: Session, since: datetime,
                      customer_ids: Optional[Iterable[int]] = None) -> dict[int, datetime]:
    """Every customer's (or only these customers') last offer, as last_offer_at counts them, after `since`, by
    customer id: for a whole campaign audience, or one batch of it, at once."""
    queries = [
        select(IssuedOffer.customer_id, func.max(IssuedOffer.offered_at))
        .where(IssuedOffer.offered_at >= since).group_by(IssuedOffer.customer_id),
        select(RetentionDecision.customer_id, func.max(RetentionDecision.created_at))
        .where(RetentionDecision.action == "control", RetentionDecision.created_at >= since,
               RetentionDecision.customer_id.is_not(None)).group_by(RetentionDecision.customer_id),
        select(CampaignContact.customer_id, func.max(CampaignContact.created_at))
        .where(CampaignContact.created_at >= since).group_by(CampaignContact.customer_id),
    ]
    if customer_ids is not None:
        wanted = list(customer_ids)
        queries = [query.where(query.selected_columns[0].in_(wanted)) for query in queries]
    latest: dict[int, datetime] = {}
    for query in queries:
        for customer_id, moment in session.execute(query):
            moment = as_utc(moment)
            if customer_id not in latest or moment > latest[customer_id]:
                latest[customer_id] = moment
    return latest


def offer_spend_since(session: Session, since: datetime) -> float:
    return float(session.scalar(select(func.coalesce(func.sum(IssuedOffer.cost), 0.0)).where(IssuedOffer.offered_at >= since)) or 0.0)


def misunderstood_streak(session: Session, conversation_id: str, limit: int = 10) -> int:
    """How many of the latest turns in a row the bot fell back on."""
    intents = session.scalars(select(TurnAnalysis.intent).where(TurnAnalysis.conversation_id == conversation_id)
                              .order_by(TurnAnalysis.id.desc()).limit(limit)).all()
    streak = 0
    for intent in intents:
        if intent != "nlu_fallback":
            break
        streak += 1
    return streak


def sentiment_scores_since(session: Session, conversation_id: str, since: datetime) -> list[float]:
    """The sentiment scores of the conversation's scored turns after `since`, oldest first."""
    return list(session.scalars(select(TurnAnalysis.sentiment_score).where(
        TurnAnalysis.conversation_id == conversation_id, TurnAnalysis.created_at > since,
        TurnAnalysis.sentiment_score.is_not(None)).order_by(TurnAnalysis.id)).all())


def turns_since(session: Session, conversation_id: str, since: datetime) -> int:
    """How many turns of the conversation were analysed after `since`."""
    return session.scalar(select(func.count(TurnAnalysis.id)).where(TurnAnalysis.conversation_id == conversation_id,
                                                                   TurnAnalysis.created_at > since)) or 0


def escalate(conversation: Conversation, priority: str, reasons: list[str], now: datetime) -> None:
    conversation.status = transition(conversation.status, ConversationStatus.WAITING_FOR_AGENT)
    conversation.escalated_at = now
    conversation.escalation_priority = priority
    conversation.escalation_reasons = reasons


def pending_presentation(session: Session, conversation_id: str) -> Optional[RetentionDecision]:
    """The newest offer or escalation not shown to the customer yet; older ones are dropped as stale."""
    pending = session.scalars(select(RetentionDecision).where(
        RetentionDecision.conversation_id == conversation_id, RetentionDecision.presented.is_(False),
        RetentionDecision.action.in_(("offer", "escalate"))).order_by(RetentionDecision.id.desc())).all()
    for stale in pending[1:]:
        stale.presented = True
    return pending[0] if pending else None


def open_offer(session: Session, conversation_id: str) -> Optional[IssuedOffer]:
    return session.scalars(select(IssuedOffer).where(IssuedOffer.conversation_id == conversation_id,
                                                     IssuedOffer.status == "offered").order_by(IssuedOffer.id.desc())).first()


def accept_offer(session: Session, offer: IssuedOffer, valid_days: int, now: datetime, today: date) -> str:
    """Issue a unique code for the offer, valid `valid_days` from `today` (the shop's calendar day, in which
    redemptions are checked); retried on the (unlikely) clash with an existing code."""
    for _ in range(5):
        code = new_offer_code()
        try:
            with session.begin_nested():
                offer.code, offer.status, offer.responded_at = code, "accepted", now
                offer.valid_until = today + timedelta(days=valid_days)
                session.flush()
            return code
        except IntegrityError:
            continue
    raise RuntimeError("could not issue a unique offer code")
