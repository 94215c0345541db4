"""The console application: widget channel, conversation API, health and the demo page."""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

from fastapi import FastAPI, Path as PathParam, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from console.agent_routes import add_agent_routes
from console.customers_routes import add_customer_routes
from console.customer_turns import CustomerTurns, message_out
from console.errors import ApiError, error_body, install_error_handlers
from console.health import action_server_health, database_health, rasa_health
from console.live_hub import LiveHub
from console.rasa_client import RasaClient
from console.schemas import ID_PATTERN, History, IncomingMessage, TurnResult
from kizuna.db import conversations as store
from kizuna.db.engine import session_factory
from kizuna.db.models import Conversation
from kizuna.settings import Settings, get_settings

logger = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
MAX_BODY_BYTES = 16 * 1024
ConversationId = PathParam(pattern=ID_PATTERN, description="Chosen by the widget; letters, digits and _.:- only.")


def create_app(settings: Settings | None = None, rasa: RasaClient | None = None) -> FastAPI:
    """The console; `rasa` replaces the real Rasa client (tests)."""
    settings = settings or get_settings()
    sessions = session_factory(settings.effective_database_url)
    hub = LiveHub()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        client = rasa or RasaClient(settings.rasa_url, settings.effective_rasa_token, settings.rasa_timeout_seconds)
        app.state.turns = CustomerTurns(sessions, client, hub)
        app.state.hub = hub
        app.state.rasa = client
        yield
        await client.close()

    app = FastAPI(title="kizuna console", version="0.1.0", lifespan=lifespan)
    install_error_handlers(app)
    _limit_body_size(app)
    _add_conversation_routes(app, sessions)
    _add_websocket(app, sessions, hub)
    _add_health(app, sessions, settings)
    add_customer_routes(app, sessions, settings)
    add_agent_routes(app, sessions, settings, ConversationId)

    @app.get("/", include_in_schema=False)
    async def demo_page() -> FileResponse:
        return FileResponse(STATIC_DIR / "demo.html")

    @app.get("/static/{name}", include_in_schema=False)
    async def static_file(name: str = PathParam(pattern=r"^[a-z0-9_-]+\.(js|css)$")) -> FileResponse:
        path = STATIC_DIR / name
        if not path.is_file():
            raise ApiError(404, "not_found", "no such file")
        return FileResponse(path)

    return app


def _limit_body_size(app: FastAPI) -> None:
    @app.middleware("http")
    async def _cap(request: Request, call_next: Any) -> Any:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse(error_body("too_large", f"request bodies are limited to {MAX_BODY_BYTES} bytes"), 413)
        return await call_next(request)


def _add_conversation_routes(app: FastAPI, sessions: sessionmaker[Session]) -> None:
    @app.post("/api/conversations/{conversation_id}/messages", response_model=TurnResult)
    async def post_message(request: Request, incoming: IncomingMessage, conversation_id: str = ConversationId) -> TurnResult:
        """Store the customer's message, let the assistant answer, return its replies."""
        return await request.app.state.turns.handle(conversation_id, incoming)

    @app.get("/api/conversations/{conversation_id}/messages", response_model=History)
    async def get_messages(conversation_id: str = ConversationId, after: int = Query(0, ge=0)) -> History:
        """The conversation's messages, oldest first; `after` skips those already seen."""
        return await run_in_threadpool(_history, sessions, conversation_id, after)


def _history(sessions: sessionmaker[Session], conversation_id: str, after: int) -> History:
    with sessions() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            raise ApiError(404, "unknown_conversation", f"no conversation with id {conversation_id!r}")
        messages = store.messages_after(session, conversation_id, after)
        return History(conversation_id=conversation_id, status=conversation.status, messages=[message_out(m) for m in messages])


def _add_websocket(app: FastAPI, sessions: sessionmaker[Session], hub: LiveHub) -> None:
    @app.websocket("/api/conversations/{conversation_id}/live")
    async def live(websocket: WebSocket, conversation_id: str = ConversationId, after: int = Query(0, ge=0)) -> None:
        """Live channel: replays messages after `after`, then pushes new ones and takes the customer's."""
        await websocket.accept()
        queue = hub.subscribe(conversation_id)
        try:
            await _replay(websocket, sessions, conversation_id, after)
            await _serve_live(websocket, conversation_id, queue)
        except WebSocketDisconnect:
            pass
        finally:
            hub.unsubscribe(conversation_id, queue)


async def _replay(websocket: WebSocket, sessions: sessionmaker[Session], conversation_id: str, after: int) -> None:
    try:
        history = await run_in_threadpool(_history, sessions, conversation_id, after)
    except ApiError:
        return
    for message in history.messages:
        await websocket.send_json({"type": "message", "message": message.model_dump(mode="json")})


async def _serve_live(websocket: WebSocket, conversation_id: str, queue: Any) -> None:
    import asyncio

    async def pump() -> None:
        while True:
            await websocket.send_json(await queue.get())

    pusher = asyncio.create_task(pump())
    try:
        while True:
            raw = await websocket.receive_text()
            await _take_live_message(websocket, conversation_id, raw)
    finally:
        pusher.cancel()


async def _take_live_message(websocket: WebSocket, conversation_id: str, raw: str) -> None:
    if len(raw) > MAX_BODY_BYTES:
        await websocket.send_json({"type": "error", **error_body("too_large", "message frame too large")})
        return
    try:
        incoming = IncomingMessage.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as error:
        await websocket.send_json({"type": "error", **error_body("invalid_message", _short(error))})
        return
    try:
        result = await websocket.app.state.turns.handle(conversation_id, incoming)
    except ApiError as error:
        await websocket.send_json({"type": "error", **error_body(error.code, error.message)})
        return
    await websocket.send_json({"type": "ack", "client_message_id": incoming.client_message_id, "duplicate": result.duplicate, "message_id": result.message.id})


def _short(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(str(e.get("msg", "")).removeprefix("Value error, ") for e in error.errors())
    return "the message is not valid JSON"


def _add_health(app: FastAPI, sessions: sessionmaker[Session], settings: Settings) -> None:
    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        """Each component's health; 200 when all are up, 503 otherwise."""
        components = {
            "console": {"ok": True},
            "database": await run_in_threadpool(database_health, sessions),
            "rasa": await rasa_health(request.app.state.rasa),
            "action_server": await action_server_health(f"http://127.0.0.1:{settings.action_server_port}/health"),
        }
        healthy = all(c["ok"] for c in components.values())
        return JSONResponse({"status": "ok" if healthy else "degraded", "components": components}, 200 if healthy else 503)
