"""The widget's channel: post a message, read the history, and the live WebSocket connection."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import FastAPI, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from console.customer_turns import message_out, status_event
from console.errors import ApiError, error_body
from console.live_hub import LiveHub
from console.schemas import History, IncomingMessage, TurnResult
from kizuna.db import conversations as store
from kizuna.db.models import Conversation

MAX_FRAME_BYTES = 16 * 1024


def add_widget_channel(app: FastAPI, sessions: sessionmaker[Session], hub: LiveHub, conversation_id_param: Any) -> None:
    @app.post("/api/conversations/{conversation_id}/messages", response_model=TurnResult)
    async def post_message(request: Request, incoming: IncomingMessage, conversation_id: str = conversation_id_param) -> TurnResult:
        """Store the customer's message, let the assistant answer, return its replies."""
        request.app.state.rate_limits.check(conversation_id, _address(request.client))
        return await request.app.state.turns.handle(conversation_id, incoming)

    @app.get("/api/conversations/{conversation_id}/messages", response_model=History)
    async def get_messages(conversation_id: str = conversation_id_param, after: int = Query(0, ge=0)) -> History:
        """The conversation's messages, oldest first; `after` skips those already seen."""
        history = await run_in_threadpool(read_history, sessions, conversation_id, after)
        if history is None:
            raise ApiError(404, "unknown_conversation", f"no conversation with id {conversation_id!r}")
        return history

    @app.websocket("/api/conversations/{conversation_id}/live")
    async def live(websocket: WebSocket, conversation_id: str = conversation_id_param, after: int = Query(0, ge=0)) -> None:
        """Says hello (owner status), replays messages after `after`, then pushes new ones and takes the customer's."""
        await websocket.accept()
        queue = hub.subscribe(conversation_id)
        try:
            history = await run_in_threadpool(read_history, sessions, conversation_id, after)
            owner = status_event(history.status if history else "bot", history.agent if history else None)
            await websocket.send_json({**owner, "type": "hello", "conversation_id": conversation_id})
            for message in history.messages if history else []:
                await websocket.send_json({"type": "message", "replay": True, "message": message.model_dump(mode="json")})
            await _serve_live(websocket, conversation_id, queue)
        except WebSocketDisconnect:
            pass
        finally:
            hub.unsubscribe(conversation_id, queue)


def read_history(sessions: sessionmaker[Session], conversation_id: str, after: int) -> History | None:
    with sessions() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            return None
        messages = store.messages_after(session, conversation_id, after)
        return History(conversation_id=conversation_id, status=conversation.status, agent=conversation.agent_name,
                       messages=[message_out(m) for m in messages])


async def _serve_live(websocket: WebSocket, conversation_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
    async def pump() -> None:
        while True:
            await websocket.send_json(await queue.get())

    pusher = asyncio.create_task(pump())
    try:
        while True:
            raw = await websocket.receive_text()
            await websocket.send_json(await _take_live_message(websocket, conversation_id, raw))
    finally:
        pusher.cancel()


async def _take_live_message(websocket: WebSocket, conversation_id: str, raw: str) -> dict[str, Any]:
    """The answer to one frame from the widget: an ack, or an error naming the message when it can."""
    if len(raw.encode()) > MAX_FRAME_BYTES:
        return {"type": "error", **error_body("too_large", "message frame too large")["error"]}
    client_id = _client_id(raw)
    try:
        incoming = IncomingMessage.model_validate_json(raw)
    except ValidationError as error:
        return {"type": "error", "client_message_id": client_id, **error_body("invalid_message", _short(error))["error"]}
    try:
        websocket.app.state.rate_limits.check(conversation_id, _address(websocket.client))
        result = await websocket.app.state.turns.handle(conversation_id, incoming)
    except ApiError as error:
        return {"type": "error", "client_message_id": client_id, **error_body(error.code, error.message)["error"]}
    return {"type": "ack", "client_message_id": incoming.client_message_id, "duplicate": result.duplicate,
            "message_id": result.message.id, "identity": result.identity, "identity_refused": result.identity_refused}


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
