"""The widget's channel: post a message, read the history, and the live WebSocket connection.

A conversation's id names it; its secret (issued with the reply to its first message) opens it. Without
the secret a conversation looks exactly like one that does not exist: 404 `unknown_conversation` over
HTTP, close code 4404 on the live connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Header, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from console.customer_turns import UNKNOWN_CONVERSATION, message_out, status_event
from console.errors import ApiError, error_body
from console.live_hub import LiveHub
from console.schemas import History, IncomingMessage, TurnResult
from kizuna.conversation_status import ConversationStatus
from kizuna.db import conversations as store
from kizuna.db.models import Conversation
from kizuna.follow_ups import has_open_follow_up

MAX_FRAME_BYTES = 16 * 1024
SECRET_HEADER = "X-Conversation-Secret"
AUTH_TIMEOUT_SECONDS = 10
CLOSE_UNSUPPORTED_DATA = 1003  # a binary frame
CLOSE_POLICY_VIOLATION = 1008  # no auth frame first
CLOSE_UNKNOWN_CONVERSATION = 4404
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


class Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


router = APIRouter(tags=["widget"])
SecretHeader = Annotated[Optional[str], Header(alias=SECRET_HEADER, description="The secret from the reply to the conversation's first message.")]


@router.post("/api/conversations/{conversation_id}/messages", response_model=TurnResult)
async def post_message(request: Request, incoming: IncomingMessage, sessions: deps.Sessions, rate_limits: deps.RateLimits,
                       turns: deps.Turns, conversation_id: deps.ConversationId, secret: SecretHeader = None) -> TurnResult:
    """Store the customer's message, let the assistant answer, return its replies. The first message of a
    conversation goes without a secret and its reply carries `conversation_secret`; later ones need it."""
    if not await run_in_threadpool(may_post, sessions, conversation_id, secret):
        raise ApiError(404, "unknown_conversation", UNKNOWN_CONVERSATION)
    rate_limits.check(conversation_id, _address(request.client))
    return await turns.handle(conversation_id, incoming, secret)


@router.get("/api/conversations/{conversation_id}/messages", response_model=History)
async def get_messages(sessions: deps.Sessions, conversation_id: deps.ConversationId, after: int = Query(0, ge=0),
                       secret: SecretHeader = None) -> History:
    """The conversation's messages, oldest first; `after` skips those already seen. Needs the secret."""
    history = await run_in_threadpool(read_history, sessions, conversation_id, after, secret)
    if history is None:
        raise ApiError(404, "unknown_conversation", UNKNOWN_CONVERSATION)
    return history


@router.websocket("/api/conversations/{conversation_id}/live")
async def live(websocket: WebSocket, sessions: deps.Sessions, hub: deps.Hub, conversation_id: deps.ConversationId,
               after: int = Query(0, ge=0)) -> None:
    """The widget's first frame is `{"type": "auth", "conversation_secret": "..."}` (no secret for a conversation
    not started yet). Then: hello (owner status), the messages after `after`, new ones as they come; the
    customer's messages are taken as frames and acknowledged."""
    await websocket.accept()
    connection = LiveConnection(websocket, conversation_id, sessions, hub)
    try:
        await connection.run(after)
    except WebSocketDisconnect:
        pass
    except Refused as refused:
        await websocket.close(refused.code, refused.reason)
    finally:
        connection.stop()


def may_post(sessions: sessionmaker[Session], conversation_id: str, secret: Optional[str]) -> bool:
    """With its secret into an existing conversation, without one only into a new conversation."""
    with sessions() as session:
        if secret:
            return store.conversation_for(session, conversation_id, secret) is not None
        return session.get(Conversation, conversation_id) is None


def follow_up_left(sessions: sessionmaker[Session], conversation_id: str) -> bool:
    with sessions() as session:
        return has_open_follow_up(session, conversation_id)


def read_history(sessions: sessionmaker[Session], conversation_id: str, after: int, secret: Optional[str]) -> History | None:
    with sessions() as session:
        conversation = store.conversation_for(session, conversation_id, secret)
        if conversation is None:
            return None
        messages = store.messages_after(session, conversation_id, after)
        return History(conversation_id=conversation_id, status=conversation.status, agent=conversation.agent_name,
                       messages=[message_out(m) for m in messages])


class LiveConnection:
    """One widget's live connection. A conversation it starts itself is followed from its first message on."""

    def __init__(self, websocket: WebSocket, conversation_id: str, sessions: sessionmaker[Session], hub: LiveHub) -> None:
        self.websocket, self.conversation_id, self.sessions, self.hub = websocket, conversation_id, sessions, hub
        self.secret: Optional[str] = None
        self.queue: Optional[asyncio.Queue[dict[str, Any]]] = None
        self.pusher: Optional[asyncio.Task[None]] = None

    async def run(self, after: int) -> None:
        secret = await self._auth_frame()
        if secret is not None:
            await self._follow(secret, after, started_here=False)
        elif not await run_in_threadpool(may_post, self.sessions, self.conversation_id, None):
            raise Refused(CLOSE_UNKNOWN_CONVERSATION, "unknown_conversation")
        else:
            await self.websocket.send_json({**status_event(ConversationStatus.BOT, None), "type": "hello", "conversation_id": self.conversation_id})
        while True:
            await self.websocket.send_json(await self._take(await self._text_frame()))

    def stop(self) -> None:
        if self.pusher is not None:
            self.pusher.cancel()
        if self.queue is not None:
            self.hub.unsubscribe(self.conversation_id, self.queue)

    async def _auth_frame(self) -> Optional[str]:
        try:
            raw = await asyncio.wait_for(self._text_frame(), AUTH_TIMEOUT_SECONDS)
        except asyncio.TimeoutError:
            raise Refused(CLOSE_POLICY_VIOLATION, "auth frame expected") from None
        try:
            frame = json.loads(raw)
        except ValueError:
            frame = None
        if not isinstance(frame, dict) or frame.get("type") != "auth":
            raise Refused(CLOSE_POLICY_VIOLATION, "auth frame expected")
        secret = frame.get("conversation_secret")
        if secret is None:
            return None
        if not isinstance(secret, str) or not _SECRET_SHAPE.fullmatch(secret):
            raise Refused(CLOSE_UNKNOWN_CONVERSATION, "unknown_conversation")
        return secret

    async def _follow(self, secret: str, after: int, *, started_here: bool) -> None:
        """Push the conversation's events from now on, after its messages since `after`."""
        self.secret = secret
        self.queue = self.hub.subscribe(self.conversation_id)
        history = await run_in_threadpool(read_history, self.sessions, self.conversation_id, after, secret)
        if history is None:
            raise Refused(CLOSE_UNKNOWN_CONVERSATION, "unknown_conversation")
        owner = status_event(history.status, history.agent, await run_in_threadpool(follow_up_left, self.sessions, self.conversation_id))
        # A conversation started on this connection: its first turn (published before we followed) is news.
        await self.websocket.send_json(owner if started_here else {**owner, "type": "hello", "conversation_id": self.conversation_id})
        for message in history.messages:
            frame = {"type": "message", "message": message.model_dump(mode="json")}
            await self.websocket.send_json(frame if started_here else {**frame, "replay": True})
        self.pusher = asyncio.create_task(self._pump(self.queue))

    async def _pump(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        while True:
            await self.websocket.send_json(await queue.get())
            queue.task_done()

    async def _sent_so_far(self) -> None:
        """Wait (briefly) until what this console published for the conversation has gone out, so the ack of
        a turn follows its messages on the socket."""
        if self.queue is not None and self.pusher is not None and not self.pusher.done():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.queue.join(), timeout=1.0)

    async def _text_frame(self) -> str:
        message = await self.websocket.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        if message.get("text") is None:
            raise Refused(CLOSE_UNSUPPORTED_DATA, "text frames only")
        return message["text"]

    async def _take(self, raw: str) -> dict[str, Any]:
        """The answer to one frame from the widget: an ack, or an error naming the message when it can."""
        if len(raw.encode()) > MAX_FRAME_BYTES:
            return {"type": "error", **error_body("too_large", "message frame too large")["error"]}
        client_id = _client_id(raw)
        try:
            incoming = IncomingMessage.model_validate_json(raw)
        except ValidationError as error:
            return {"type": "error", "client_message_id": client_id, **error_body("invalid_message", _short(error))["error"]}
        try:
            deps.get_rate_limits(self.websocket).check(self.conversation_id, _address(self.websocket.client))
            result = await deps.get_turns(self.websocket).handle(self.conversation_id, incoming, self.secret)
        except ApiError as error:
            if error.code == "unknown_conversation":
                raise Refused(CLOSE_UNKNOWN_CONVERSATION, "unknown_conversation") from None
            return {"type": "error", "client_message_id": client_id, **error_body(error.code, error.message)["error"]}
        await self._sent_so_far()
        ack = {"type": "ack", "client_message_id": incoming.client_message_id, "duplicate": result.duplicate,
               "message_id": result.message.id, "identity": result.identity, "identity_refused": result.identity_refused}
        if not result.duplicate:
            # This customer's own view of the turn (their words, the replies as written); the messages pushed
            # to everyone following the conversation, staff included, carry the stored, masked text.
            ack["own_texts"] = {str(m.id): m.text for m in result.replies}
            if not incoming.payload:
                ack["own_texts"][str(result.message.id)] = incoming.text
        if result.conversation_secret:
            await self._follow(result.conversation_secret, 0, started_here=True)
            ack["conversation_secret"] = result.conversation_secret
        return ack


def _address(client: Any) -> str:
    return client.host if client else "unknown"


def _client_id(raw: str) -> str | None:
    try:
        value = json.loads(raw).get("client_message_id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and len(value) <= 64 else None


def _short(error: ValidationError) -> str:
    messages = [str(e.get("msg", "")).removeprefix("Value error, ") for e in error.errors()]
    if any(e.get("type") == "json_invalid" for e in error.errors()):
        return "the message is not valid JSON"
    return "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {m}" if e.get("loc") else m for e, m in zip(error.errors(), messages))
