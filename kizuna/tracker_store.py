"""Rasa's SQL tracker store as the app sees it: deleting conversations from it.

Rasa keeps every event of a conversation (the customer's words included) in its `events` table,
keyed by `sender_id`, which is our conversation id.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import bindparam, create_engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError


class TrackerStoreError(RuntimeError):
    pass


def delete_conversations(url: str, conversation_ids: list[str]) -> int:
    """Delete every event of these conversations; the number of events deleted (0 if there is no store yet)."""
    if not conversation_ids or _missing_sqlite_file(url):
        return 0
    engine = create_engine(url, hide_parameters=True, connect_args={"timeout": 15} if url.startswith("sqlite") else {})
    try:
        with engine.begin() as connection:
            if not inspect(connection).has_table("events"):
                return 0
            delete = text("DELETE FROM events WHERE sender_id IN :ids").bindparams(bindparam("ids", expanding=True))
            return connection.execute(delete, {"ids": conversation_ids}).rowcount
    except SQLAlchemyError as error:
        raise TrackerStoreError(f"could not delete from Rasa's tracker store ({type(error).__name__})") from error
    finally:
        engine.dispose()


def _missing_sqlite_file(url: str) -> bool:
    if not url.startswith("sqlite:///"):
        return False
    path = url.removeprefix("sqlite:///")
    return path not in ("", ":memory:") and not Path(path).exists()
