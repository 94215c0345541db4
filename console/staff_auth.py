"""Staff log-in for the console: a session cookie, a CSRF token for changes, and roles.

Handlers take the guards from console.deps:

    user: deps.Agent                                             # API: 401 / 403 as JSON
    dependencies=[Depends(deps.staff_page("admin"))]             # page: 303 to /login when logged out

An admin may do everything; no roles named means any logged-in user.
"""

from __future__ import annotations

import secrets
from typing import Optional
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from console.errors import ApiError
from kizuna import accounts
from kizuna.db.models import User

COOKIE = "kizuna_session"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "X-CSRF-Token"


async def current_login(sessions: sessionmaker[Session], request: Request) -> Optional[tuple[User, str]]:
    """The logged-in user and the session's CSRF token, or None."""
    def look_up() -> Optional[tuple[User, str]]:
        with sessions() as session:
            found = accounts.session_user(session, request.cookies.get(COOKIE))
            return (found[0], found[1].csrf_token) if found else None

    return await run_in_threadpool(look_up)


async def staff_user(sessions: sessionmaker[Session], request: Request, roles: tuple[str, ...]) -> User:
    """The logged-in user with one of `roles`; 401 as JSON when logged out, 403 without the role or CSRF token."""
    login = await current_login(sessions, request)
    if login is None:
        raise ApiError(401, "login_required", "log in first (POST /api/session)")
    return _checked(request, *login, roles)


async def staff_page_user(sessions: sessionmaker[Session], request: Request, roles: tuple[str, ...]) -> User:
    """As staff_user, for a page: logged out, a 303 to the login page (which comes back here afterwards)."""
    login = await current_login(sessions, request)
    if login is None:
        raise ApiError(303, "login_required", "log in first", headers={"Location": login_url(request)})
    return _checked(request, *login, roles)


def _checked(request: Request, user: User, csrf_token: str, roles: tuple[str, ...]) -> User:
    if request.method in UNSAFE_METHODS:
        given = request.headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(given.encode(), csrf_token.encode()):
            raise ApiError(403, "csrf_failed", f"changes need the {CSRF_HEADER} header of this session (GET /api/session)")
    if roles and user.role != "admin" and user.role not in roles:
        raise ApiError(403, "forbidden", f"this needs the role {' or '.join(roles)}; you are {user.role}")
    return user


def safe_next(target: Optional[str]) -> str:
    """Only a path on this site: an absolute URL or "//host" would send the user elsewhere after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/agent"


def login_url(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?" + urlencode({"next": safe_next(here)})


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/", secure=request.url.scheme == "https")


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")
