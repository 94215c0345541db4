"""What the console's handlers need, as FastAPI dependencies.

`create_app` puts the settings, the session factory, the live hub and the login throttle on `app.state`
when it builds the app, and the Rasa client, the customer turns service and the message rate limits when
the app starts; these functions read them from there (for HTTP requests and WebSockets alike). Nothing
here is created at import time.

    async def handler(sessions: Sessions, hub: Hub, user: Agent) -> ...
"""

from __future__ import annotations

from typing import Annotated, Awaitable, Callable

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import HTTPConnection

from console import staff_auth
from console.customer_turns import CustomerTurns
from console.live_hub import LiveHub
from console.login_attempts import LoginAttempts
from console.rate_limits import MessageRateLimits
from console.schemas import ID_PATTERN
from kizuna.db.models import User
from kizuna.rasa_client import RasaClient
from kizuna.settings import Settings


def get_settings(connection: HTTPConnection) -> Settings:
    return connection.app.state.settings


def get_sessions(connection: HTTPConnection) -> sessionmaker[Session]:
    return connection.app.state.sessions


def get_hub(connection: HTTPConnection) -> LiveHub:
    return connection.app.state.hub


def get_turns(connection: HTTPConnection) -> CustomerTurns:
    return connection.app.state.turns


def get_rate_limits(connection: HTTPConnection) -> MessageRateLimits:
    return connection.app.state.rate_limits


def get_login_attempts(connection: HTTPConnection) -> LoginAttempts:
    return connection.app.state.login_attempts


def get_rasa(connection: HTTPConnection) -> RasaClient:
    return connection.app.state.rasa


AppSettings = Annotated[Settings, Depends(get_settings)]
Sessions = Annotated[sessionmaker[Session], Depends(get_sessions)]
Hub = Annotated[LiveHub, Depends(get_hub)]
Turns = Annotated[CustomerTurns, Depends(get_turns)]
RateLimits = Annotated[MessageRateLimits, Depends(get_rate_limits)]
Attempts = Annotated[LoginAttempts, Depends(get_login_attempts)]
Rasa = Annotated[RasaClient, Depends(get_rasa)]

ConversationId = Annotated[str, Path(pattern=ID_PATTERN, description="Chosen by the widget; letters, digits and _.:- only.")]


def staff(*roles: str) -> Callable[..., Awaitable[User]]:
    """The logged-in staff user with one of `roles` (any role when none is named); 401 / 403 as JSON."""
    async def staff_user(request: Request, sessions: Sessions) -> User:
        return await staff_auth.staff_user(sessions, request, roles)

    return staff_user


def staff_page(*roles: str) -> Callable[..., Awaitable[User]]:
    """As staff(), for a page: a visitor who is not logged in is sent to the login page (303)."""
    async def staff_page_user(request: Request, sessions: Sessions) -> User:
        return await staff_auth.staff_page_user(sessions, request, roles)

    return staff_page_user


LoggedIn = Annotated[User, Depends(staff())]
Agent = Annotated[User, Depends(staff("agent", "admin"))]
Trainer = Annotated[User, Depends(staff("trainer", "admin"))]
AnyStaff = Annotated[User, Depends(staff("agent", "trainer", "admin"))]
Admin = Annotated[User, Depends(staff("admin"))]
