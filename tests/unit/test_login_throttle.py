"""Login throttling under concurrency: 30 guesses sent at once, at most 5 passwords checked."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from console.app import create_app
from kizuna import accounts
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings
from tests.unit.test_console_api import FakeRasa, add_user

PASSWORD = "sam-password"


@pytest.fixture
def app(app_env, tmp_path):
    ensure_secrets(tmp_path / "var")
    add_user(app_env, "sam", PASSWORD, "agent")
    return create_app(Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1), rasa=FakeRasa())


@pytest.fixture
def password_checks(monkeypatch):
    """How many passwords the console verified (argon2), counted at the verification itself."""
    checked: list[str] = []
    verify = accounts.verify_password

    def counting(password_hash: str, password: str) -> bool:
        checked.append(password)
        return verify(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", counting)
    return checked


async def log_in_all(app, logins: list[tuple[str, str]]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://console") as client:
        return await asyncio.gather(*(client.post("/api/session", json={"username": u, "password": p}) for u, p in logins))


def statuses(responses: list[httpx.Response]) -> list[int]:
    return sorted(r.status_code for r in responses)


def test_thirty_concurrent_wrong_passwords_get_exactly_five_checks(app, password_checks):
    responses = asyncio.run(log_in_all(app, [("sam", f"guess-{i:02d}-wrong") for i in range(30)]))
    assert statuses(responses) == [401] * 5 + [429] * 25
    assert len(password_checks) == 5
    assert all(int(r.headers["retry-after"]) > 0 for r in responses if r.status_code == 429)

    right = asyncio.run(log_in_all(app, [("sam", PASSWORD)]))
    assert statuses(right) == [429] and "set-cookie" not in right[0].headers
    assert len(password_checks) == 5  # refused before its password was looked at


def test_concurrent_guesses_across_usernames_stop_at_the_address_limit(app, password_checks):
    responses = asyncio.run(log_in_all(app, [(f"user{i:02d}", "wrong-password") for i in range(30)]))
    assert statuses(responses) == [401] * accounts.MAX_FAILURES_PER_ADDRESS + [429] * (30 - accounts.MAX_FAILURES_PER_ADDRESS)
    assert len(password_checks) == accounts.MAX_FAILURES_PER_ADDRESS


def test_a_successful_login_starts_the_count_afresh(app, password_checks):
    first = asyncio.run(log_in_all(app, [("sam", "wrong-password")] * 4))
    assert statuses(first) == [401] * 4
    assert statuses(asyncio.run(log_in_all(app, [("sam", PASSWORD)]))) == [200]
    again = asyncio.run(log_in_all(app, [("sam", "wrong-password")] * 5 + [(" SAM ", "wrong-password")]))
    assert statuses(again) == [401] * 5 + [429]  # "SAM " is the same username
