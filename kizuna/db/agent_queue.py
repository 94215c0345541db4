"""The agents' queue: conversations waiting for a person, assigned to one, or flagged by the
retention policy in the last day; most urgent first, then longest waiting."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizuna.conversation_status import ConversationStatus
from kizuna.db.models import Conversation, Customer, CustomerScore, Message, RetentionDecision

FLAGGED = "flagged"  # not a conversation's status: a bot-owned conversation the retention policy flagged
QUEUE_STATUSES = (ConversationStatus.WAITING_FOR_AGENT, ConversationStatus.AGENT, FLAGGED, ConversationStatus.RESOLVED)  # its filter
LISTED_AS_STORED = tuple(status for status in QUEUE_STATUSES if status != FLAGGED)
UNLESS_FILTERED = (ConversationStatus.WAITING_FOR_AGENT, ConversationStatus.AGENT, FLAGGED)
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2}  # the queue's order: by escalation priority, then longest waiting
FLAG_WINDOW = timedelta(hours=24)


def agent_queue(session: Session, status: Optional[str] = None, reason: Optional[str] = None, tier: Optional[str] = None,
                assignee: Optional[str] = None, now: Optional[datetime] = None, limit: int = 200) -> list[dict[str, Any]]:
    now = now or datetime.now(timezone.utc)
    wanted = [status] if status else list(UNLESS_FILTERED)
    rows = []
    owned = [s for s in wanted if s in LISTED_AS_STORED]
    if owned:
        rows += [_row(session, c, c.escalation_reasons or [], c.escalated_at) for c in
                 session.scalars(select(Conversation).where(Conversation.status.in_(owned)).limit(limit))]
    if FLAGGED in wanted:
        rows += _flagged(session, now, limit)
    rows = [r for r in rows if _matches(r, reason, tier, assignee)]
    rows.sort(key=lambda r: (PRIORITY_RANK.get(r["priority"] or "", 3), _timestamp(r["waiting_since"])))
    return rows[:limit]


def _flagged(session: Session, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Bot-owned conversations whose latest retention decision in the last day was an offer or control."""
    latest = (select(RetentionDecision.conversation_id, func.max(RetentionDecision.id).label("decision_id"))
              .where(RetentionDecision.created_at >= now - FLAG_WINDOW).group_by(RetentionDecision.conversation_id).subquery())
    query = (select(Conversation, RetentionDecision).join(latest, latest.c.conversation_id == Conversation.id)
             .join(RetentionDecision, RetentionDecision.id == latest.c.decision_id)
             .where(Conversation.status == ConversationStatus.BOT, RetentionDecision.action.in_(("offer", "control"))).limit(limit))
    return [_row(session, conversation, decision.reasons or [], decision.created_at, flagged=True)
            for conversation, decision in session.execute(query)]


def _row(session: Session, conversation: Conversation, reasons: list[str], since: Optional[datetime], flagged: bool = False) -> dict[str, Any]:
    customer = session.get(Customer, conversation.customer_id) if conversation.customer_id else None
    score = session.get(CustomerScore, conversation.customer_id) if conversation.customer_id else None
    last = session.scalar(select(Message).where(Message.conversation_id == conversation.id, Message.direction == "in")
                          .order_by(Message.id.desc()).limit(1))
    return {
        "conversation_id": conversation.id, "status": FLAGGED if flagged else conversation.status,
        "priority": None if flagged else conversation.escalation_priority, "reasons": list(reasons),
        "customer_id": customer.external_id if customer else None, "customer_name": customer.name if customer else None,
        "tier": score.tier if score else None, "churn_probability": score.churn_probability if score else None,
        "agent": conversation.agent_name, "waiting_since": since or conversation.created_at,
        "last_message": last.text[:200] if last else None, "outcome": conversation.outcome,
    }


def _matches(row: dict[str, Any], reason: Optional[str], tier: Optional[str], assignee: Optional[str]) -> bool:
    if reason and reason not in row["reasons"]:
        return False
    if tier and row["tier"] != tier:
        return False
    if assignee == "nobody":
        return row["agent"] is None
    return not assignee or row["agent"] == assignee


def _timestamp(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()
