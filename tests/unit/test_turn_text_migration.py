"""The migration that stores a customer's text once: turn analyses get their message (the one they name,
their turn key's, the same text's, or a new one), lose their own copy, and get it back on a downgrade;
on SQLite and on PostgreSQL, with the rows that refer to the turns kept."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa
from alembic import command

from kizuna.db.engine import get_engine, make_engine, session_scope
from kizuna.db.migrate import alembic_config
from kizuna.db import reviews
from tests.conftest import _postgres_reachable, fresh_postgres_database, unavailable

BEFORE = "e7c3a9d1f582"
REVISION = "f9d2b7c4e618"
AT = datetime(2026, 11, 3, 9, 30, tzinfo=timezone.utc)
SECRET = "gAAAAABencrypted-original-of-the-turn"


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database at the revision before this migration."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kizuna.db'}"
        command.upgrade(alembic_config(url), BEFORE)
        yield url
        get_engine(url).dispose()
        return
    reason = _postgres_reachable()
    if reason:
        unavailable(reason)
    with fresh_postgres_database("kizuna_migration", lambda url: command.upgrade(alembic_config(url), BEFORE)) as (url, _admin, _name):
        yield url


def _seed_old(url: str) -> dict[str, int]:
    """Turns as the old schema stored them, each with its own copy of the text."""
    engine = make_engine(url)
    ids: dict[str, int] = {}
    with engine.begin() as db:
        db.execute(sa.text("INSERT INTO customers (external_id, name, created_at) VALUES ('C1', 'Ann', :at)"), {"at": AT})
        customer = db.execute(sa.text("SELECT id FROM customers")).scalar_one()
        db.execute(sa.text("INSERT INTO conversations (id, customer_id, status, created_at, updated_at) "
                           "VALUES ('c1', :customer, 'bot', :at, :at)"), {"customer": customer, "at": AT})

        def message(name: str, text: str, direction: str = "in") -> None:
            db.execute(sa.text("INSERT INTO messages (conversation_id, direction, sender, text, status, created_at) "
                               "VALUES ('c1', :direction, :sender, :text, 'answered', :at)"),
                       {"direction": direction, "sender": "customer" if direction == "in" else "bot", "text": text, "at": AT})
            ids[name] = db.execute(sa.text("SELECT max(id) FROM messages")).scalar_one()

        def turn(name: str, conversation: str, key: str, text: str, message_id: int | None = None,
                 original: str | None = None) -> None:
            db.execute(sa.text("INSERT INTO turn_analyses (conversation_id, turn_key, message_id, customer_id, text, "
                               "original_encrypted, intent, confidence, entities, message_at, created_at) VALUES "
                               "(:conversation, :key, :message_id, :customer, :text, :original, 'faq', 0.3, '[]', :at, :at)"),
                       {"conversation": conversation, "key": key, "message_id": message_id, "customer": customer,
                        "text": text, "original": original, "at": AT})
            ids[name] = db.execute(sa.text("SELECT max(id) FROM turn_analyses")).scalar_one()

        message("m_linked", "where is my order")
        message("reply", "Which order?", "out")
        message("m_keyed", "order 10482")
        message("m_texted", "still nothing")
        message("m_other_same_text", "still nothing")
        turn("linked", "c1", f"msg:{ids['m_linked']}", "where is my order", ids["m_linked"])
        turn("keyed", "c1", f"msg:{ids['m_keyed']}", "order 10482")
        turn("texted", "c1", "ts:1700000000.1", "still nothing")
        turn("alone", "c1", "ts:1700000000.2", "write to [email]", original=SECRET)
        turn("no_conversation", "rasa-only", "ts:1700000000.3", "hello there")
        for table, extra in (("intent_reviews", ", reason, status, split, created_at) VALUES (:turn, 'low_confidence', "
                                                "'pending', 'train', :at)"),
                             ("sentiment_corrections", ", label, split, corrected_by, corrected_at) VALUES (:turn, 'negative', "
                                                       "'train', 'trainer', :at)")):
            db.execute(sa.text(f"INSERT INTO {table} (turn_analysis_id{extra}"), {"turn": ids["linked"], "at": AT})
        db.execute(sa.text("INSERT INTO retention_decisions (turn_analysis_id, conversation_id, action, reasons, explanation, "
                           "presented, created_at) VALUES (:turn, 'c1', 'none', '[]', 'calm', false, :at)"),
                   {"turn": ids["alone"], "at": AT})
    engine.dispose()
    return ids


def _columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {column["name"] for column in sa.inspect(engine).get_columns("turn_analyses")}
    finally:
        engine.dispose()


def _aware(moment: datetime | str) -> datetime:
    moment = datetime.fromisoformat(moment) if isinstance(moment, str) else moment  # SQLite gives text to raw SQL
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def test_turns_get_their_messages_and_the_text_is_stored_once(old_database: str) -> None:
    url = old_database
    ids = _seed_old(url)
    messages_before = _count(url, "messages")

    command.upgrade(alembic_config(url), REVISION)

    assert not {"text", "original_encrypted"} & _columns(url)
    engine = make_engine(url)
    with engine.connect() as db:
        linked = dict(db.execute(sa.text("SELECT id, message_id FROM turn_analyses")).all())
        assert linked[ids["linked"]] == ids["m_linked"]
        assert linked[ids["keyed"]] == ids["m_keyed"]
        assert linked[ids["texted"]] in (ids["m_texted"], ids["m_other_same_text"])
        assert None not in linked.values() and len(set(linked.values())) == len(linked)
        created = db.execute(sa.text("SELECT id, conversation_id, direction, sender, text, original_encrypted, created_at "
                                     "FROM messages WHERE id > :last ORDER BY id"), {"last": ids["m_other_same_text"]}).all()
        assert [(m.conversation_id, m.direction, m.sender, m.text, m.original_encrypted) for m in created] == [
            ("c1", "in", "customer", "write to [email]", SECRET), ("rasa-only", "in", "customer", "hello there", None)]
        assert all(_aware(m.created_at) == AT for m in created)
        assert {m.id for m in created} == {linked[ids["alone"]], linked[ids["no_conversation"]]}
        assert db.execute(sa.text("SELECT customer_id FROM conversations WHERE id = 'rasa-only'")).scalar_one() is not None
        kept = [db.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("intent_reviews", "sentiment_corrections", "retention_decisions")]
        assert kept == [1, 1, 1]  # the rows that refer to the turns are all still there
    engine.dispose()
    assert _count(url, "messages") == messages_before + 2

    with session_scope(url) as session:  # the app reads the turn's text from its message
        assert [item["text"] for item in reviews.inbox(session)] == ["where is my order"]
        assert reviews.sentiment_corrections(session) == [("where is my order", "negative", "train")]
    get_engine(url).dispose()

    command.downgrade(alembic_config(url), BEFORE)

    assert {"text", "original_encrypted"} <= _columns(url)
    engine = make_engine(url)
    with engine.connect() as db:
        restored = {row.id: (row.text, row.original_encrypted)
                    for row in db.execute(sa.text("SELECT id, text, original_encrypted FROM turn_analyses"))}
    engine.dispose()
    assert restored == {
        ids["linked"]: ("where is my order", None), ids["keyed"]: ("order 10482", None),
        ids["texted"]: ("still nothing", None), ids["alone"]: ("write to [email]", SECRET),
        ids["no_conversation"]: ("hello there", None),
    }
    command.upgrade(alembic_config(url), "head")  # and up again
    assert not {"text", "original_encrypted"} & _columns(url)


def _count(url: str, table: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as db:
            return db.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()
