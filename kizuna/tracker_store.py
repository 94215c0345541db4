"""Rasa's SQL tracker store as the app sees it: deleting conversations from it.

Rasa keeps every event of a conversation (the customer's words included) in its `events` table,
keyed by `sender_id`, which is our conversation id.
"""

from __future__ import annotations

from sqlalchemy import bindparam, create_engine, inspect, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from kizuna.db.engine import sqlite_path


class TrackerStoreError(RuntimeError):
    pass


def delete_conversations(url: str, conversation_ids: list[str]) -> int:
    """Delete every event of these conversations (a SQLite store zeroes them); the number of events deleted.
    A store that does not exist (or has no events table) is an error: the words would be somewhere else."""
    if not conversation_ids:
        return 0
    _require_sqlite_file(url)
    engine = create_engine(url, hide_parameters=True, connect_args={"timeout": 15} if url.startswith("sqlite") else {})
    try:
        with engine.begin() as connection:
            if url.startswith("sqlite"):
                connection.exec_driver_sql("PRAGMA secure_delete=ON")
            if not inspect(connection).has_table("events"):
                raise TrackerStoreError(f"Rasa's tracker store {_shown(url)} has no events table")
            delete = text("DELETE FROM events WHERE sender_id IN :ids").bindparams(bindparam("ids", expanding=True))
            return connection.execute(delete, {"ids": conversation_ids}).rowcount
    except SQLAlchemyError as error:  # its text may hold the statement: the type says enough
        raise TrackerStoreError(f"could not delete from Rasa's tracker store ({type(error).__name__})") from error
    finally:
        engine.dispose()


def _require_sqlite_file(url: str) -> None:
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise TrackerStoreError(f"Rasa's tracker store {path} does not exist")


def _shown(url: str) -> str:
    """The URL without its password."""
    return make_url(url).render_as_string(hide_password=True)
