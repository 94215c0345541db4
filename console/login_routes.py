"""Logging staff in and out (the login page and /api/session), and the audit log for admins."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from console.errors import ApiError
from console.login_attempts import LoginAttempts
from console.schemas import ID_PATTERN, LoginRequest, SessionOut
from console.staff_auth import COOKIE, clear_session_cookie, current_login, set_session_cookie
from kizuna import accounts, audit
from kizuna.db.models import User

STATIC_DIR = Path(__file__).parent / "static"
LOGIN_ERRORS: dict[int | str, dict[str, Any]] = {401: {"description": "Unknown user or wrong password."},
                                                 429: {"description": "Too many failed logins; see Retry-After."}}


router = APIRouter(tags=["staff sessions"])


@router.get("/login", include_in_schema=False)
async def login_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "login.html")


@router.post("/api/session", response_model=SessionOut, responses=LOGIN_ERRORS)
async def log_in(request: Request, body: LoginRequest, sessions: deps.Sessions, attempts: deps.Attempts) -> JSONResponse:
    """Log in: sets the session cookie and returns the CSRF token for changes. Throttled after repeated failures."""
    address = request.client.host if request.client else "unknown"
    try:
        out, token = await run_in_threadpool(_log_in, sessions, attempts, body.username, body.password, address)
    except accounts.LoginThrottled as error:
        raise ApiError(429, "login_throttled", str(error), headers={"Retry-After": str(error.retry_after_seconds)})
    except accounts.LoginFailed as error:
        raise ApiError(401, "login_failed", str(error))
    response = JSONResponse(out.model_dump())
    set_session_cookie(request, response, token)
    return response


@router.get("/api/session", response_model=SessionOut)
async def who_am_i(request: Request, sessions: deps.Sessions) -> SessionOut:
    """The logged-in user and the session's CSRF token."""
    login = await current_login(sessions, request)
    if login is None:
        raise ApiError(401, "login_required", "not logged in")
    user, csrf_token = login
    return SessionOut(username=user.username, role=user.role, csrf_token=csrf_token)


@router.delete("/api/session", status_code=204)
async def log_out(request: Request, sessions: deps.Sessions, user: deps.LoggedIn) -> Response:
    await run_in_threadpool(_log_out, sessions, user, request.cookies.get(COOKIE))
    response = Response(status_code=204)
    clear_session_cookie(request, response)
    return response


@router.get("/api/audit")
async def audit_log(sessions: deps.Sessions, user: deps.Admin, limit: int = Query(200, ge=1, le=1000),
                    conversation_id: Optional[str] = Query(None, pattern=ID_PATTERN)) -> dict[str, Any]:
    """Staff actions, newest first (admins only)."""
    return {"entries": await run_in_threadpool(_audit_entries, sessions, limit, conversation_id)}


def _log_in(sessions: sessionmaker[Session], attempts: LoginAttempts, username: str, password: str,
            address: str) -> tuple[SessionOut, str]:
    attempts.admit(username, address)  # counted before the password is checked, so concurrent guesses count too
    with sessions() as session:
        try:
            user = accounts.authenticate(session, username, password, address)
        except accounts.LoginFailed:
            audit.record(session, None, "login_failed", detail={"username": username[:80], "address": address})
            session.commit()  # the failure counts towards throttling
            raise
        token, csrf_token = accounts.start_session(session, user)
        audit.record(session, user, "login", detail={"address": address})
        session.commit()
        attempts.succeeded(username, address)
        return SessionOut(username=user.username, role=user.role, csrf_token=csrf_token), token


def _log_out(sessions: sessionmaker[Session], user: User, token: Optional[str]) -> None:
    with sessions.begin() as session:
        accounts.end_session(session, token)
        audit.record(session, user, "logout")


def _audit_entries(sessions: sessionmaker[Session], limit: int, conversation_id: Optional[str]) -> list[dict[str, Any]]:
    with sessions() as session:
        return [{"id": e.id, "at": _utc(e.at).isoformat(), "username": e.username, "action": e.action,
                 "conversation_id": e.conversation_id, "detail": e.detail}
                for e in audit.recent(session, limit, conversation_id)]


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite drops the zone
