"""Staff accounts: argon2 password hashes, throttled logins and server-side sessions (no web code)."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kizuna.db.models import LoginFailure, StaffSession, User
from kizuna.moments import as_utc

ROLES = ("agent", "trainer", "admin")
USERNAME_PATTERN = re.compile(r"^[a-z0-9_.-]{2,40}$")
MIN_PASSWORD_CHARS = 10
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 20

_hasher = PasswordHasher()


class LoginFailed(Exception):
    """Unknown user, wrong password or disabled account: deliberately one message for all three."""

    def __init__(self) -> None:
        super().__init__("unknown user or wrong password")


class LoginThrottled(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


def _now(now: Optional[datetime]) -> datetime:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def create_user(session: Session, username: str, password: str, role: str) -> User:
    if not USERNAME_PATTERN.match(username):
        raise ValueError("a username is 2 to 40 characters: lower-case letters, digits, '_', '.' or '-'")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValueError(f"user {username!r} already exists")
    user = User(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str, address: str, now: Optional[datetime] = None) -> User:
    """The user, or LoginThrottled / LoginFailed. A failure is added to `session`: commit it also when this raises."""
    now = _now(now)
    username, address = username.strip().lower()[:80], address[:64]
    _refuse_if_throttled(session, username, address, now)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        verify_password(_dummy_hash(), password)  # as slow as a real check, so timing does not tell who exists
        matches = False
    else:
        matches = verify_password(user.password_hash, password)
    if user is None or not matches or user.disabled:
        session.execute(delete(LoginFailure).where(LoginFailure.at < now - THROTTLE_WINDOW))
        session.add(LoginFailure(username=username, address=address, at=now))
        session.flush()
        raise LoginFailed()
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _refuse_if_throttled(session: Session, username: str, address: str, now: datetime) -> None:
    since = now - THROTTLE_WINDOW
    waits = []
    for column, value, limit in ((LoginFailure.username, username, MAX_FAILURES_PER_USERNAME),
                                 (LoginFailure.address, address, MAX_FAILURES_PER_ADDRESS)):
        recent = (column == value, LoginFailure.at >= since)
        if session.scalar(select(func.count()).select_from(LoginFailure).where(*recent)) < limit:
            continue
        # The count drops below the limit when the limit-th most recent failure leaves the window.
        pivot = session.scalar(select(LoginFailure.at).where(*recent).order_by(LoginFailure.at.desc()).offset(limit - 1).limit(1))
        waits.append((as_utc(pivot) + THROTTLE_WINDOW - now).total_seconds())
    if waits:
        raise LoginThrottled(max(1, math.ceil(max(waits))))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, now: Optional[datetime] = None, hours: float = 12) -> tuple[str, str]:
    """A new login of `user`: (cookie token, CSRF token). Only the token's SHA-256 is stored."""
    now = _now(now)
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id, StaffSession.expires_at <= now))
    token, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=_digest(token), user_id=user.id, csrf_token=csrf_token, created_at=now,
                             expires_at=now + timedelta(hours=hours)))
    session.flush()
    return token, csrf_token


def session_user(session: Session, token: Optional[str], now: Optional[datetime] = None) -> Optional[tuple[User, StaffSession]]:
    """The user logged in with this cookie token, or None when unknown, expired or disabled."""
    if not token:
        return None
    staff_session = session.get(StaffSession, _digest(token))
    if staff_session is None or as_utc(staff_session.expires_at) <= _now(now):
        return None
    user = session.get(User, staff_session.user_id)
    if user is None or user.disabled:
        return None
    return user, staff_session


def end_session(session: Session, token: Optional[str]) -> None:
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def disable_user(session: Session, username: str) -> User:
    """Disable the account and end its sessions."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise ValueError(f"no user {username!r}")
    user.disabled = True
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    return user
