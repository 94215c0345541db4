"""Shared fixtures: each test gets its own database; services are used when reachable (and required on CI)."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, NoReturn

import pytest
import uvicorn
from fastapi import FastAPI

from console.app import create_app
from kizuna.db.engine import get_engine, session_scope
from kizuna.db.migrate import upgrade
from operations.demo import seed_demo_shop
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings, get_settings
from kizuna.shop import get_shop_config

DEMO_TODAY = date(2026, 11, 20)
POSTGRES_ADMIN_URL = os.environ.get("KIZUNA_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("KIZUNA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CI_VALUES = ("true", "1")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in CI_VALUES


def unavailable(reason: str) -> NoReturn:
    """A service the test needs is missing: skipped on a developer's machine, a failure on CI (CI=true)."""
    if on_ci():
        pytest.fail(f"CI must provide this: {reason}", pytrace=False)
    pytest.skip(reason)


def _clear_caches() -> None:
    get_settings.cache_clear()
    get_engine.cache_clear()
    get_shop_config.cache_clear()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kizuna.db'}"
    upgrade(url)
    return url


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str) -> Iterator[str]:
    """Point the settings (as the action server would read them) at a fresh, seeded database."""
    monkeypatch.setenv("KIZUNA_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("KIZUNA_VAR_DIR", str(tmp_path / "var"))
    _clear_caches()
    with session_scope(sqlite_url) as session:
        seed_demo_shop(session, customers=30, seed=7, today=DEMO_TODAY)
    yield sqlite_url
    get_engine(sqlite_url).dispose()
    _clear_caches()


def _postgres_reachable() -> str | None:
    try:
        import sqlalchemy

        engine = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as error:  # any failure to connect makes it unavailable
        return (f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({type(error).__name__}): start one, "
                "or point KIZUNA_TEST_POSTGRES_URL at a database whose user may create databases")


def redis_unreachable() -> str | None:
    """Why Redis at REDIS_URL cannot be used, or None when it can."""
    try:
        import redis

        redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        return None
    except Exception as error:  # any failure to connect makes it unavailable
        return f"Redis not reachable at {REDIS_URL} ({type(error).__name__}): start one, or set KIZUNA_TEST_REDIS_URL"


@pytest.fixture
def redis_url() -> str:
    reason = redis_unreachable()
    if reason:
        unavailable(reason)
    return REDIS_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database on each engine: SQLite always, PostgreSQL when reachable."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kizuna.db'}"
        upgrade(url)
        yield url
        return
    reason = _postgres_reachable()
    if reason:
        unavailable(reason)
    with fresh_postgres_database("kizuna_test") as (url, _admin, _name):
        yield url


@contextmanager
def fresh_postgres_database(prefix: str, migrate: Callable[[str], None] = upgrade) -> Iterator[tuple[str, Any, str]]:
    """A new PostgreSQL database, migrated by `migrate` (to the newest schema by default): (url, an admin engine,
    its name); dropped afterwards."""
    import sqlalchemy

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        migrate(url)
        yield url, admin, name
    finally:
        get_engine(url).dispose()
        get_engine.cache_clear()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def small_sentiment_model(tmp_path_factory) -> Path:
    """A sentiment model trained for seconds on a slice of the corpus: real code, tiny data."""
    from sentiment.corpus import split_path
    from sentiment.training_run import run_training

    out = tmp_path_factory.mktemp("sentiment") / "model"
    corpus = get_settings().sentiment_corpus_dir
    run_training(split_path(corpus, "train"), split_path(corpus, "heldout"), out, epochs=1, limit=96, seed=13)
    return out


class IdleRasa:
    """No bot turns happen here; the console only needs something to close."""

    async def send(self, conversation_id, text, metadata, *, is_command=False):
        return []

    async def status(self):
        return {"model_id": "none", "model_file": "none"}

    async def close(self):
        pass


def console_app(database_url: str, tmp_path: Path) -> FastAPI:
    """The console on `database_url` with its secrets under tmp_path/var, no rasa or action server behind it."""
    ensure_secrets(tmp_path / "var")
    return create_app(Settings(var_dir=tmp_path / "var", database_url=database_url, action_server_port=1), rasa=IdleRasa())


@contextmanager
def served_console(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn in a thread on a free local port, for a browser: its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the console did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
