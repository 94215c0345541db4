"""Staff accounts: hashing, validation, throttled logins and sessions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from kizuna import accounts, audit
from kizuna.accounts import LoginFailed, LoginThrottled, authenticate, create_user, end_session, session_user, start_session
from kizuna.db.engine import session_scope
from kizuna.db.models import LoginFailure, StaffSession, User

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"


@pytest.fixture
def url(database_url):
    with session_scope(database_url) as session:
        create_user(session, "sam", PASSWORD, "agent")
    return database_url


def attempt(url, password, username="sam", address="10.0.0.1", now=T0):
    """authenticate in its own transaction, committed whatever the outcome (as the login route does)."""
    with session_scope(url) as session:
        try:
            return authenticate(session, username, password, address, now).username
        except (LoginFailed, LoginThrottled) as error:
            return error


def failures(url) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(LoginFailure))


def test_passwords_are_stored_as_argon2_hashes(url):
    with session_scope(url) as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "sam"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.verify_password(stored, PASSWORD) and not accounts.verify_password(stored, PASSWORD + "!")
    assert not accounts.verify_password("not a hash", PASSWORD)


def test_an_outdated_hash_is_replaced_at_login(url):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    with session_scope(url) as session:
        session.scalar(select(User).where(User.username == "sam")).password_hash = weak
    assert attempt(url, PASSWORD) == "sam"
    with session_scope(url) as session:
        renewed = session.scalar(select(User.password_hash).where(User.username == "sam"))
    assert renewed != weak and not accounts._hasher.check_needs_rehash(renewed)
    assert accounts.verify_password(renewed, PASSWORD)


@pytest.mark.parametrize("username, password, role, fragment", [
    ("x", PASSWORD, "agent", "2 to 40 characters"),
    ("Sam", PASSWORD, "agent", "lower-case"),
    ("kim lee", PASSWORD, "agent", "lower-case"),
    ("kim", "short", "agent", "at least 10"),
    ("kim", PASSWORD, "root", "role must be one of"),
    ("sam", PASSWORD, "admin", "already exists"),
])
def test_create_user_refuses_bad_input_clearly(url, username, password, role, fragment):
    with pytest.raises(ValueError, match=fragment):
        with session_scope(url) as session:
            create_user(session, username, password, role)


def test_the_right_password_logs_in_and_clears_failures(url):
    assert isinstance(attempt(url, "wrong password"), LoginFailed)
    assert failures(url) == 1
    assert attempt(url, PASSWORD) == "sam"
    assert attempt(url, PASSWORD, username=" SAM ") == "sam"
    assert failures(url) == 0


def test_unknown_user_wrong_password_and_disabled_look_the_same(url):
    with session_scope(url) as session:
        accounts.disable_user(session, "sam")
    results = [attempt(url, PASSWORD, username="nobody"), attempt(url, "wrong password"), attempt(url, PASSWORD)]
    assert all(isinstance(r, LoginFailed) for r in results)
    assert len({str(r) for r in results}) == 1


def test_five_failures_throttle_the_username_even_for_the_right_password(url):
    for minute in range(5):
        assert isinstance(attempt(url, f"guess {minute}", now=T0 + timedelta(minutes=minute)), LoginFailed)
    throttled = attempt(url, PASSWORD, now=T0 + timedelta(minutes=5))
    assert isinstance(throttled, LoginThrottled)
    assert throttled.retry_after_seconds == 10 * 60  # the first failure leaves the window at T0 + 15 min
    assert failures(url) == 5  # a throttled attempt is not checked, so not counted
    assert isinstance(attempt(url, PASSWORD, address="10.9.9.9", now=T0 + timedelta(minutes=6)), LoginThrottled)
    assert attempt(url, PASSWORD, now=T0 + timedelta(minutes=15, seconds=1)) == "sam"


def test_twenty_failures_from_one_address_throttle_every_username(url):
    for n in range(20):
        attempt(url, "whatever-pass", username=f"user{n}", now=T0 + timedelta(seconds=n))
    throttled = attempt(url, PASSWORD, now=T0 + timedelta(minutes=1))
    assert isinstance(throttled, LoginThrottled) and throttled.retry_after_seconds == 14 * 60
    assert attempt(url, PASSWORD, address="10.0.0.2", now=T0 + timedelta(minutes=1)) == "sam"


def test_sessions_expire_and_end(url):
    with session_scope(url) as session:
        user = session.scalar(select(User).where(User.username == "sam"))
        token, csrf_token = start_session(session, user, now=T0, hours=12)
    with session_scope(url) as session:
        stored = session.scalars(select(StaffSession)).one()
        assert stored.token_hash != token and len(stored.token_hash) == 64 and stored.csrf_token == csrf_token
        found_user, found = session_user(session, token, now=T0 + timedelta(hours=11))
        assert found_user.username == "sam" and found.csrf_token == csrf_token
        assert session_user(session, token, now=T0 + timedelta(hours=12)) is None
        assert session_user(session, token + "x", now=T0) is None and session_user(session, None) is None
        end_session(session, token)
    with session_scope(url) as session:
        assert session_user(session, token, now=T0) is None


def test_disabling_a_user_ends_their_sessions(url):
    with session_scope(url) as session:
        user = session.scalar(select(User).where(User.username == "sam"))
        token, _ = start_session(session, user)
        accounts.disable_user(session, "sam")
    with session_scope(url) as session:
        assert session_user(session, token) is None
        assert session.scalar(select(func.count()).select_from(StaffSession)) == 0


def test_audit_entries_newest_first_and_by_conversation(url):
    with session_scope(url) as session:
        user = session.scalar(select(User).where(User.username == "sam"))
        audit.record(session, user, "take", "conv-1")
        audit.record(session, user, "reply", "conv-1", {"message_id": 7})
        audit.record(session, None, "login_failed", detail={"username": "eve"})
    with session_scope(url) as session:
        assert [e.action for e in audit.recent(session)] == ["login_failed", "reply", "take"]
        entries = audit.recent(session, conversation_id="conv-1")
        assert [(e.username, e.action, e.detail) for e in entries] == [("sam", "reply", {"message_id": 7}), ("sam", "take", None)]
