"""Who owns a conversation: the bot, nobody yet (waiting for an agent), or one agent
(the statuses and the changes allowed between them: kizuna.conversation_status)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from kizuna.conversation_status import ConversationStatus, TransitionRefused, sources_of, transition
from kizuna.db.models import AuditEntry, Conversation


class HandoffConflict(Exception):
    """The conversation is not in a state that allows this step."""


def hand_back(conversation: Conversation, agent: str, is_admin: bool = False) -> None:
    """Give the conversation back to the bot: only its owner may, or an admin."""
    try:
        status = transition(conversation.status, ConversationStatus.BOT)
    except TransitionRefused:
        raise HandoffConflict("only a conversation an agent owns can be handed back") from None
    if conversation.agent_name != agent and not is_admin:
        raise HandoffConflict(f"{conversation.agent_name} owns this conversation: only they or an admin can hand it back")
    conversation.status, conversation.agent_name = status, None
    conversation.escalation_priority, conversation.escalation_reasons = None, None


def claim(session: Session, conversation_id: str, agent: str) -> Conversation:
    """Make `agent` the owner in one conditional UPDATE, so of two simultaneous claims exactly one wins."""
    result = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status.in_(sources_of(ConversationStatus.AGENT)),
               or_(Conversation.status != ConversationStatus.AGENT, Conversation.agent_name == agent))
        .values(status=ConversationStatus.AGENT, agent_name=agent)
        .execution_options(synchronize_session=False)
    )
    conversation = session.get(Conversation, conversation_id, populate_existing=True)
    if conversation is None:
        raise LookupError(conversation_id)
    if result.rowcount != 1:
        raise HandoffConflict(f"{conversation.agent_name} already owns this conversation"
                              if conversation.status == ConversationStatus.AGENT else "this conversation is resolved")
    return conversation


def resolve(conversation: Conversation, agent: str, outcome: str, now: datetime) -> None:
    try:
        status = transition(conversation.status, ConversationStatus.RESOLVED)
    except TransitionRefused:
        raise HandoffConflict("this conversation is already resolved") from None
    if conversation.status == ConversationStatus.AGENT and conversation.agent_name != agent:
        raise HandoffConflict(f"{conversation.agent_name} owns this conversation")
    conversation.status, conversation.agent_name = status, None
    conversation.outcome, conversation.resolved_at, conversation.resolved_by = outcome, now, agent


def last_audited_at(session: Session, conversation_id: str, action: str) -> Optional[datetime]:
    """When `action` was last recorded in the audit log for this conversation, if ever."""
    return session.scalar(select(func.max(AuditEntry.at)).where(AuditEntry.conversation_id == conversation_id,
                                                                AuditEntry.action == action))
