"""The console application: the widget channel, the staff API and pages, health and the demo storefront."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware

from console import (agent_console, agent_live, agent_routes, api_docs, campaign_results_routes, campaigns_routes, customers_routes,
                     health, login_routes, outreach_admin_routes, outreach_links, pages, satisfaction_routes, shop_webhook_routes,
                     training_routes, widget_channel, widget_nudge)
from console.body_limit import BodyLimit
from console.customer_turns import CustomerTurns
from console.errors import install_error_handlers
from console.live_hub import live_hub
from console.log_privacy import hide_conversation_ids
from console.login_attempts import LoginAttempts
from console.pages import SecurityHeaders
from console.rate_limits import MessageRateLimits
from console.widget_channel import SECRET_HEADER
from kizuna.db.engine import session_factory
from kizuna.rasa_client import RasaClient
from kizuna.settings import Settings, get_settings
from kizuna.stored_text import original_text_cipher

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 16 * 1024
# In the order they were always registered: the first route that matches a path answers it.
ROUTERS = (widget_channel.router, health.router, login_routes.router, customers_routes.router, agent_routes.router,
           agent_console.router, agent_live.router, satisfaction_routes.router, training_routes.router, pages.router,
           api_docs.router, campaigns_routes.router, outreach_admin_routes.router, widget_nudge.router,
           outreach_links.router, shop_webhook_routes.router, campaign_results_routes.router)


def create_app(settings: Settings | None = None, rasa: RasaClient | None = None) -> FastAPI:
    """The console; `rasa` replaces the real Rasa client (tests). What the handlers need is kept on app.state
    (read through console.deps): settings, sessions, hub and login_attempts from here on; rasa, turns and
    rate_limits from the start of the app."""
    settings = settings or get_settings()
    original_text_cipher(settings)  # KIZUNA_KEEP_ORIGINAL_TEXT=1 without a valid key stops the console here

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = app.state
        client = rasa or RasaClient(settings.rasa_url, settings.effective_rasa_token, settings.rasa_timeout_seconds,
                                    channel_token=settings.effective_channel_token,
                                    max_in_flight=settings.rasa_max_in_flight)
        state.turns = CustomerTurns(state.sessions, client, state.hub, settings.effective_widget_secret)
        state.rate_limits = MessageRateLimits(settings.rate_limit_per_conversation, settings.rate_limit_per_address,
                                              settings.effective_rate_limit_storage)
        state.rasa = client
        await state.hub.start()
        catching_up = asyncio.create_task(state.turns.keep_catching_up())
        yield
        catching_up.cancel()
        await state.hub.stop()
        await client.close()

    hide_conversation_ids()
    # /docs is served by console.api_docs from packaged files (no CDN); FastAPI's own pages would load them from one.
    app = FastAPI(title="kizuna console", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.sessions = session_factory(settings.effective_database_url)
    app.state.hub = live_hub(settings.redis_url)
    app.state.login_attempts = LoginAttempts(settings.effective_rate_limit_storage)
    install_error_handlers(app)
    # The innermost middleware: its 413 reaches the routes as an HTTPException, not wrapped by the ones outside.
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    # The widget runs on the shop's pages, so its API answers those origins; it uses no cookies.
    app.add_middleware(CORSMiddleware, allow_origins=settings.widget_origins, allow_methods=["GET", "POST"],
                       allow_headers=["Content-Type", SECRET_HEADER])
    for router in ROUTERS:
        app.include_router(router)
    return app
