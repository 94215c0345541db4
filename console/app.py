"""The console application: the widget channel, the staff API and pages, health and the demo storefront."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI, Path as PathParam, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker

from console.agent_console import add_agent_console
from console.body_limit import BodyLimit
from console.agent_live import add_agent_live
from console.agent_routes import add_agent_routes
from console.api_docs import add_api_docs
from console.customer_turns import CustomerTurns
from console.customers_routes import add_customer_routes
from console.errors import install_error_handlers
from console.health import action_server_health, database_health, rasa_health
from console.live_hub import live_hub
from console.log_privacy import hide_conversation_ids
from console.login_routes import add_login_routes
from console.pages import add_pages, add_security_headers
from kizuna.rasa_client import RasaClient
from console.rate_limits import MessageRateLimits
from console.schemas import ID_PATTERN
from console.satisfaction_routes import add_satisfaction_routes
from console.training_routes import add_training_routes
from console.widget_channel import SECRET_HEADER, add_widget_channel
from kizuna.db.engine import session_factory
from kizuna.settings import Settings, get_settings
from kizuna.stored_text import original_text_cipher

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 16 * 1024
ConversationId = PathParam(pattern=ID_PATTERN, description="Chosen by the widget; letters, digits and _.:- only.")


def create_app(settings: Settings | None = None, rasa: RasaClient | None = None) -> FastAPI:
    """The console; `rasa` replaces the real Rasa client (tests)."""
    settings = settings or get_settings()
    original_text_cipher(settings)  # KIZUNA_KEEP_ORIGINAL_TEXT=1 without a valid key stops the console here
    sessions = session_factory(settings.effective_database_url)
    hub = live_hub(settings.redis_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        client = rasa or RasaClient(settings.rasa_url, settings.effective_rasa_token, settings.rasa_timeout_seconds,
                                    channel_token=settings.effective_channel_token,
                                    max_in_flight=settings.rasa_max_in_flight)
        app.state.turns = CustomerTurns(sessions, client, hub, settings.effective_widget_secret)
        app.state.hub = hub
        app.state.rate_limits = MessageRateLimits(settings.rate_limit_per_conversation, settings.rate_limit_per_address,
                                                  settings.effective_rate_limit_storage)
        app.state.rasa = client
        await hub.start()
        catching_up = asyncio.create_task(app.state.turns.keep_catching_up())
        yield
        catching_up.cancel()
        await hub.stop()
        await client.close()

    hide_conversation_ids()
    # /docs is served by add_api_docs from packaged files (no CDN); FastAPI's own pages would load them from one.
    app = FastAPI(title="kizuna console", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    install_error_handlers(app)
    # The innermost middleware: its 413 reaches the routes as an HTTPException, not wrapped by the ones outside.
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    add_security_headers(app)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    # The widget runs on the shop's pages, so its API answers those origins; it uses no cookies.
    app.add_middleware(CORSMiddleware, allow_origins=settings.widget_origins, allow_methods=["GET", "POST"],
                       allow_headers=["Content-Type", SECRET_HEADER])
    add_widget_channel(app, sessions, hub, ConversationId)
    _add_health(app, sessions, settings)
    add_login_routes(app, sessions)
    add_customer_routes(app, sessions, settings)
    add_agent_routes(app, sessions, settings, ConversationId)
    add_agent_console(app, sessions, ConversationId)
    add_agent_live(app, sessions, hub, ConversationId)
    add_satisfaction_routes(app, sessions, settings, ConversationId)
    add_training_routes(app, sessions, settings)
    add_pages(app, sessions, settings)
    add_api_docs(app)
    return app


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
