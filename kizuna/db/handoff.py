"""Who owns a conversation: the bot, nobody yet (waiting for an agent), or one agent."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from kizuna.db.models import Conversation, Customer

PRIORITY_ORDER = case({"urgent": 0, "high": 1, "normal": 2}, value=Conversation.escalation_priority, else_=3)


class HandoffConflict(Exception):
    """The conversation is not in a state that allows this step."""


def owner_status(session: Session, conversation_id: str) -> Optional[str]:
    return session.scalar(select(Conversation.status).where(Conversation.id == conversation_id))


def waiting_queue(session: Session, status: str = "waiting_for_agent", limit: int = 100) -> list[tuple[Conversation, Optional[str]]]:
    """Conversations in `status`, most urgent first, then oldest escalation first."""
    query = (select(Conversation, Customer.external_id).outerjoin(Customer, Customer.id == Conversation.customer_id)
             .where(Conversation.status == status).order_by(PRIORITY_ORDER, Conversation.escalated_at, Conversation.id).limit(limit))
    return [(conversation, external_id) for conversation, external_id in session.execute(query)]


def take_over(conversation: Conversation, agent: str) -> None:
    if conversation.status == "agent" and conversation.agent_name != agent:
        raise HandoffConflict(f"{conversation.agent_name} already owns this conversation")
    conversation.status, conversation.agent_name = "agent", agent


def hand_back(conversation: Conversation, agent: str, is_admin: bool = False) -> None:
    """Give the conversation back to the bot: only its owner may, or an admin."""
    if conversation.status != "agent":
        raise HandoffConflict("only a conversation an agent owns can be handed back")
    if conversation.agent_name != agent and not is_admin:
        raise HandoffConflict(f"{conversation.agent_name} owns this conversation: only they or an admin can hand it back")
    conversation.status, conversation.agent_name = "bot", None
    conversation.escalation_priority, conversation.escalation_reasons = None, None


def claim(session: Session, conversation_id: str, agent: str) -> Conversation:
    """Make `agent` the owner in one conditional UPDATE, so of two simultaneous claims exactly one wins."""
    result = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status != "resolved",
               or_(Conversation.status != "agent", Conversation.agent_name == agent))
        .values(status="agent", agent_name=agent)
        .execution_options(synchronize_session=False)
    )
    conversation = session.get(Conversation, conversation_id, populate_existing=True)
    if conversation is None:
        raise LookupError(conversation_id)
    if result.rowcount != 1:
        raise HandoffConflict(f"{conversation.agent_name} already owns this conversation" if conversation.status == "agent"
                              else "this conversation is resolved")
    return conversation


def resolve(conversation: Conversation, agent: str, outcome: str, now: datetime) -> None:
    if conversation.status == "resolved":
        raise HandoffConflict("this conversation is already resolved")
    if conversation.status == "agent" and conversation.agent_name != agent:
        raise HandoffConflict(f"{conversation.agent_name} owns this conversation")
    conversation.status, conversation.agent_name = "resolved", None
    conversation.outcome, conversation.resolved_at, conversation.resolved_by = outcome, now, agent
