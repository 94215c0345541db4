"""Engine and session factory, created lazily (never at import time)."""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from kizuna.private_files import narrow_if_present, private_dir, private_file
from kizuna.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 5000


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")  # what is deleted or overwritten is zeroed, not left in free space
        cursor.close()


def make_engine(url: str) -> Engine:
    # hide_parameters: errors (and their logged tracebacks) never show the values, e.g. a customer's message.
    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, hide_parameters=True)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _ensure_sqlite_dir(url: str) -> None:
    """The database file, owner-only before SQLite opens it: its -wal and -shm files take the same mode."""
    path = sqlite_path(url)
    if path is not None:
        private_dir(path.parent)
        private_file(path)
        narrow_if_present(*(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")))


def sqlite_path(url: str) -> Optional[Path]:
    """The file of a SQLite URL; None for another database or an in-memory one."""
    if not url.startswith("sqlite"):
        return None
    path = make_url(url).database
    return Path(path) if path and path != ":memory:" else None


def scrub_sqlite(url: str) -> None:
    """Leave no deleted bytes in a SQLite database's files: rebuild it (VACUUM), then fold the write-ahead log
    into it and truncate the log to nothing. Nothing to do for another database."""
    path = sqlite_path(url)
    if path is None:
        return
    with closing(sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, isolation_level=None)) as connection:
        connection.execute("PRAGMA secure_delete=ON")
        connection.execute("VACUUM")
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise sqlite3.OperationalError(f"{path.name} is busy: its write-ahead log could not be truncated; try again")


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    return make_engine(url or get_settings().effective_database_url)


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A transaction: commits on success, rolls back on any error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
