"""The agents' HTTP API: the queue of conversations waiting for a person, taking one over,
replying to the customer, and handing it back to the bot. Staff only."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from console.customer_turns import message_out, status_event
from console.errors import ApiError
from console.schemas import AgentMessage, MessageOut, TakeOver, WaitingConversation
from console.staff_auth import staff_only
from kizuna.db import conversations as store
from kizuna.db import handoff
from kizuna.db.models import Conversation, Customer
from kizuna.settings import Settings

HANDED_BACK = "You're back with our assistant. Thanks for your patience!"


def add_agent_routes(app: FastAPI, sessions: sessionmaker[Session], settings: Settings, conversation_id_param) -> None:
    guard = [Depends(staff_only(settings))]

    @app.get("/api/agent/conversations", dependencies=guard, response_model=list[WaitingConversation])
    async def queue(status: str = Query("waiting_for_agent", pattern="^(waiting_for_agent|agent)$")) -> list[WaitingConversation]:
        """Conversations waiting for an agent (or owned by one), most urgent first."""
        return await run_in_threadpool(_queue, sessions, status)

    @app.post("/api/agent/conversations/{conversation_id}/take", dependencies=guard, response_model=WaitingConversation)
    async def take(request: Request, body: TakeOver, conversation_id: str = conversation_id_param) -> WaitingConversation:
        """The agent owns the conversation from now on: the bot stays silent, customer messages go to the agent."""
        summary, _ = await run_in_threadpool(_change_owner, sessions, conversation_id, lambda c: handoff.take_over(c, body.agent))
        request.app.state.hub.publish(conversation_id, status_event(summary.status, summary.agent))
        return summary

    @app.post("/api/agent/conversations/{conversation_id}/messages", dependencies=guard, response_model=MessageOut)
    async def reply(request: Request, body: AgentMessage, conversation_id: str = conversation_id_param) -> MessageOut:
        """A message from the owning agent to the customer (pushed to the widget live)."""
        message = await run_in_threadpool(_store_agent_message, sessions, conversation_id, body.text)
        request.app.state.hub.publish(conversation_id, {"type": "message", "message": message.model_dump(mode="json")})
        return message

    @app.post("/api/agent/conversations/{conversation_id}/release", dependencies=guard, response_model=WaitingConversation)
    async def release(request: Request, conversation_id: str = conversation_id_param) -> WaitingConversation:
        """Hand the conversation back to the bot."""
        summary, note = await run_in_threadpool(_change_owner, sessions, conversation_id, handoff.hand_back, HANDED_BACK)
        request.app.state.hub.publish(conversation_id, status_event(summary.status, summary.agent))
        request.app.state.hub.publish(conversation_id, {"type": "message", "message": note.model_dump(mode="json")})
        return summary


def _queue(sessions: sessionmaker[Session], status: str) -> list[WaitingConversation]:
    with sessions() as session:
        return [_summary(conversation, external_id) for conversation, external_id in handoff.waiting_queue(session, status)]


def _summary(conversation: Conversation, external_id: str | None) -> WaitingConversation:
    return WaitingConversation(conversation_id=conversation.id, status=conversation.status, priority=conversation.escalation_priority,
                               reasons=list(conversation.escalation_reasons or []), customer_id=external_id,
                               agent=conversation.agent_name, escalated_at=conversation.escalated_at)


def _change_owner(sessions: sessionmaker[Session], conversation_id: str, change,
                  note: str | None = None) -> tuple[WaitingConversation, MessageOut | None]:
    with sessions.begin() as session:
        conversation = _conversation(session, conversation_id)
        try:
            change(conversation)
        except handoff.HandoffConflict as error:
            raise ApiError(409, "handoff_conflict", str(error))
        stored = store.store_outbound(session, conversation_id, "system", note, None) if note else None
        return _summary(conversation, _external_id(session, conversation)), message_out(stored) if stored else None


def _store_agent_message(sessions: sessionmaker[Session], conversation_id: str, text: str) -> MessageOut:
    with sessions.begin() as session:
        conversation = _conversation(session, conversation_id)
        if conversation.status != "agent":
            raise ApiError(409, "not_owned", "take the conversation over before replying")
        return message_out(store.store_outbound(session, conversation_id, "agent", text, None, {"agent": conversation.agent_name}))


def _conversation(session: Session, conversation_id: str) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise ApiError(404, "unknown_conversation", f"no conversation with id {conversation_id!r}")
    return conversation


def _external_id(session: Session, conversation: Conversation) -> str | None:
    customer = session.get(Customer, conversation.customer_id) if conversation.customer_id else None
    return customer.external_id if customer else None
