"""The agents' HTTP API: taking a conversation over, replying to the customer, and handing it back to the
bot (the queue itself is console.agent_console's /api/agent/queue); the follow-ups by e-mail customers left while
the team was away, with their contact address (decrypted here only, for agents and admins). For logged-in agents (and admins); every change is audited."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from console.customer_turns import message_out, status_event
from console.errors import ApiError
from console.schemas import AgentMessage, MessageOut, WaitingConversation
from kizuna import audit
from kizuna.conversation_status import ConversationStatus
from kizuna.db import conversations as store
from kizuna.db import handoff
from kizuna.db.models import Conversation, Customer, User
from kizuna import follow_ups
from kizuna.stored_text import protect
from pydantic import BaseModel

HANDED_BACK = "You're back with our assistant. Thanks for your patience!"


class FollowUpOut(BaseModel):
    """A customer who asked for a person out of hours and left an address for the reply."""

    id: int
    conversation_id: str
    customer_id: Optional[str]
    channel: str
    contact: str
    status: str
    created_at: datetime


router = APIRouter(tags=["agent console"])


@router.get("/api/agent/follow-ups", response_model=list[FollowUpOut])
async def open_follow_ups(sessions: deps.Sessions, user: deps.Agent) -> list[FollowUpOut]:
    """Open follow-ups by e-mail, oldest first, with the address to write to (reading them is audited)."""
    return await run_in_threadpool(_follow_ups, sessions, user)


@router.post("/api/agent/follow-ups/{follow_up_id}/done", response_model=FollowUpOut)
async def follow_up_done(sessions: deps.Sessions, user: deps.Agent, follow_up_id: int = Path(ge=1, le=2**62)) -> FollowUpOut:
    """The agent wrote to the customer: the follow-up leaves the open list."""
    return await run_in_threadpool(_follow_up_done, sessions, follow_up_id, user)


@router.post("/api/agent/conversations/{conversation_id}/take", response_model=WaitingConversation)
async def take(sessions: deps.Sessions, hub: deps.Hub, user: deps.Agent, conversation_id: deps.ConversationId) -> WaitingConversation:
    """The logged-in agent owns the conversation from now on: the bot stays silent, customer messages go to them."""
    summary = await run_in_threadpool(_take, sessions, conversation_id, user)
    hub.publish(conversation_id, status_event(summary.status, summary.agent))
    return summary


@router.post("/api/agent/conversations/{conversation_id}/messages", response_model=MessageOut)
async def reply(body: AgentMessage, sessions: deps.Sessions, hub: deps.Hub, user: deps.Agent,
                conversation_id: deps.ConversationId) -> MessageOut:
    """A message from the owning agent to the customer (pushed to the widget live)."""
    message = await run_in_threadpool(_store_agent_message, sessions, conversation_id, user, body.text)
    hub.publish(conversation_id, {"type": "message", "message": message.model_dump(mode="json")})
    return message


@router.post("/api/agent/conversations/{conversation_id}/release", response_model=WaitingConversation)
async def release(sessions: deps.Sessions, hub: deps.Hub, user: deps.Agent, conversation_id: deps.ConversationId) -> WaitingConversation:
    """Hand the conversation back to the bot (its owner, or an admin)."""
    summary, note = await run_in_threadpool(_release, sessions, conversation_id, user)
    hub.publish(conversation_id, status_event(summary.status, summary.agent))
    hub.publish(conversation_id, {"type": "message", "message": note.model_dump(mode="json")})
    return summary


def _follow_ups(sessions: sessionmaker[Session], user: User) -> list[FollowUpOut]:
    with sessions.begin() as session:
        found = follow_ups.open_follow_ups(session)
        audit.record(session, user, "read_follow_ups", None, {"follow_ups": [f.id for f in found]})
        return [FollowUpOut(**vars(f)) for f in found]


def _follow_up_done(sessions: sessionmaker[Session], follow_up_id: int, user: User) -> FollowUpOut:
    with sessions.begin() as session:
        try:
            done = follow_ups.mark_done(session, follow_up_id, user.username)
        except LookupError:
            raise ApiError(404, "unknown_follow_up", f"no follow-up {follow_up_id}")
        audit.record(session, user, "follow_up_done", done.conversation_id, {"follow_up": done.id})
        return FollowUpOut(**vars(done))


def _summary(conversation: Conversation, external_id: str | None) -> WaitingConversation:
    return WaitingConversation(conversation_id=conversation.id, status=conversation.status, priority=conversation.escalation_priority,
                               reasons=list(conversation.escalation_reasons or []), customer_id=external_id,
                               agent=conversation.agent_name, escalated_at=conversation.escalated_at)


def _take(sessions: sessionmaker[Session], conversation_id: str, user: User) -> WaitingConversation:
    with sessions.begin() as session:
        try:
            conversation = handoff.claim(session, conversation_id, user.username)
        except LookupError:
            raise ApiError(404, "unknown_conversation", f"no conversation with id {conversation_id!r}")
        except handoff.HandoffConflict as error:
            raise ApiError(409, "handoff_conflict", str(error))
        audit.record(session, user, "take", conversation_id)
        return _summary(conversation, _external_id(session, conversation))


def _release(sessions: sessionmaker[Session], conversation_id: str, user: User) -> tuple[WaitingConversation, MessageOut]:
    with sessions.begin() as session:
        conversation = _conversation(session, conversation_id)
        try:
            handoff.hand_back(conversation, user.username, is_admin=user.role == "admin")
        except handoff.HandoffConflict as error:
            raise ApiError(409, "handoff_conflict", str(error))
        audit.record(session, user, "release", conversation_id)
        note = store.store_outbound(session, conversation_id, "system", HANDED_BACK, None)
        return _summary(conversation, _external_id(session, conversation)), message_out(note)


def _store_agent_message(sessions: sessionmaker[Session], conversation_id: str, user: User, text: str) -> MessageOut:
    with sessions.begin() as session:
        conversation = _conversation(session, conversation_id)
        if conversation.status != ConversationStatus.AGENT:
            raise ApiError(409, "not_owned", "take the conversation over before replying")
        if conversation.agent_name != user.username:
            raise ApiError(409, "not_owned", f"{conversation.agent_name} owns this conversation")
        protected = protect(text)  # an agent's words are masked like the customer's (a phone number, an e-mail)
        stored = store.store_outbound(session, conversation_id, "agent", protected.text, None, {"agent": user.username})
        stored.original_encrypted = protected.original_encrypted
        audit.record(session, user, "reply", conversation_id, {"message_id": stored.id})
        return message_out(stored)


def _conversation(session: Session, conversation_id: str) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise ApiError(404, "unknown_conversation", f"no conversation with id {conversation_id!r}")
    return conversation


def _external_id(session: Session, conversation: Conversation) -> str | None:
    customer = session.get(Customer, conversation.customer_id) if conversation.customer_id else None
    return customer.external_id if customer else None
