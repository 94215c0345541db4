"""`kizuna customers erase ID`: a customer's personal data goes everywhere, Rasa's tracker store included."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from operations.cli import main
from kizuna.db import conversations as store
from kizuna.db.engine import get_engine, session_scope
from kizuna.db.models import (
    Conversation,
    ConversationNote,
    Customer,
    Erasure,
    IntentReview,
    Message,
    SentimentCorrection,
    TurnAnalysis,
)
from kizuna.db.turns import Turn, record_turn

# The columns of Rasa 3.6's SQL tracker store table.
RASA_EVENTS = """CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""


def tracker_store(path: Path, conversations: dict[str, str]) -> str:
    """A tracker store with a user event and a bot event for each conversation (id -> what the customer wrote)."""
    with sqlite3.connect(path) as connection:
        connection.execute(RASA_EVENTS)
        for sender, words in conversations.items():
            connection.execute("INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) VALUES (?, 'user', 1.0, 'greet', ?)",
                               (sender, json.dumps({"event": "user", "text": words})))
            connection.execute("INSERT INTO events (sender_id, type_name, timestamp, action_name, data) VALUES (?, 'bot', 2.0, NULL, ?)",
                               (sender, json.dumps({"event": "bot", "text": "Thanks!"})))
    return f"sqlite:///{path}"


def chat(url: str, conversation_id: str, customer: str, words: str) -> None:
    """A conversation with a message, its turn analysis, a note, an inbox review and a sentiment correction."""
    with session_scope(url) as session:
        inbound = store.store_inbound(session, conversation_id, words, f"{conversation_id}-1", customer)
        store.store_outbound(session, conversation_id, "bot", "Thanks, Jane!", inbound.message.id)
        turn, _ = record_turn(session, Turn(conversation_id, "msg:1", words, "nlu_fallback", 0.3, message_id=inbound.message.id))
        session.add_all([
            ConversationNote(conversation_id=conversation_id, username="sam", text="called her back on 07700 900123"),
            IntentReview(turn_analysis_id=turn.id, reason="fallback", split="train", status="confirmed", intent="request_refund"),
            SentimentCorrection(turn_analysis_id=turn.id, label="negative", split="train", corrected_by="sam"),
        ])


def tracker_senders(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return sorted({row[0] for row in connection.execute("SELECT sender_id FROM events")})


def demo_history(customer: str, url: str) -> tuple[int, int]:
    """(conversations, turn analyses) the customer had before the test's chat."""
    with session_scope(url) as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.external_id == customer))
        conversations = session.scalar(select(func.count()).select_from(Conversation).where(Conversation.customer_id == customer_id))
        turns = session.scalar(select(func.count()).select_from(TurnAnalysis).where(TurnAnalysis.customer_id == customer_id))
    return conversations - 1, turns - 1


def erase(*arguments: str):
    return CliRunner().invoke(main, ["customers", "erase", *arguments])


def test_erase_removes_the_customers_personal_data_everywhere(app_env, tmp_path):
    chat(app_env, "conv-jane", "C0001", "I'm Jane, mail me at jane@example.org")
    chat(app_env, "conv-other", "C0002", "where is 10002")
    tracker_path = tmp_path / "tracker.db"
    tracker = tracker_store(tracker_path, {"conv-jane": "I'm Jane", "conv-other": "where is 10002"})

    conversations, turns = demo_history("C0001", app_env)  # the demo seeds past support contacts too

    result = erase("C0001", "--tracker-store", tracker, "--by", "dpo")

    assert result.exit_code == 0, result.output
    erased = json.loads(result.output)["erased"]
    assert erased == {"conversations": conversations + 1, "messages": 2, "turn_analyses": turns + 1, "notes": 1,
                      "intent_reviews": 1, "sentiment_corrections": 1, "tracker_events": 2}
    assert tracker_senders(tracker_path) == ["conv-other"]
    with session_scope(app_env) as session:
        customer = session.scalar(select(Customer).where(Customer.external_id == "C0001"))
        assert (customer.name, customer.email) == ("erased customer", None) and customer.erased_at is not None
        texts = session.scalars(select(Message.text).where(Message.conversation_id == "conv-jane")).all()
        assert texts == ["[erased]", "[erased]"]
        turns = session.scalars(select(TurnAnalysis).where(TurnAnalysis.customer_id == customer.id)).all()
        assert {t.intent for t in turns} == {None}  # a turn's text is its message's (the demo's past turns have none)
        assert {(t.message.text, t.message.original_encrypted) for t in turns if t.message} == {("[erased]", None)}
        assert session.scalars(select(ConversationNote.text).where(ConversationNote.conversation_id == "conv-jane")).all() == ["[erased]"]
        assert session.scalar(select(func.count()).select_from(IntentReview)) == 1  # the other customer's
        assert session.scalar(select(func.count()).select_from(SentimentCorrection)) == 1
        record = session.scalars(select(Erasure)).one()
        assert (record.customer_external_id, record.erased_by, record.counts) == ("C0001", "dpo", erased)
        other = session.scalars(select(Message.text).where(Message.conversation_id == "conv-other")).all()
        assert other[0] == "where is 10002"


def test_erase_uses_the_tracker_store_rasa_is_given(app_env, tmp_path):
    chat(app_env, "conv-jane", "C0001", "hello")
    var_dir = tmp_path / "var"  # KIZUNA_VAR_DIR of app_env; `kizuna run` puts Rasa's store there
    var_dir.mkdir(exist_ok=True)
    tracker_store(var_dir / "rasa_tracker.db", {"conv-jane": "hello"})
    result = erase("C0001")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["erased"]["tracker_events"] == 2
    assert tracker_senders(var_dir / "rasa_tracker.db") == []


def test_an_unknown_customer_is_an_error_and_nothing_is_recorded(app_env, tmp_path):
    result = erase("C9999", "--tracker-store", f"sqlite:///{tmp_path / 'none.db'}")
    assert result.exit_code == 1 and "no customer 'C9999'" in result.output
    with session_scope(app_env) as session:
        assert session.scalar(select(func.count()).select_from(Erasure)) == 0


def test_a_failing_tracker_store_undoes_the_erasure(app_env, tmp_path):
    chat(app_env, "conv-jane", "C0001", "mail me at jane@example.org")
    broken = tmp_path / "broken.db"
    broken.write_text("not a database")
    result = erase("C0001", "--tracker-store", f"sqlite:///{broken}")
    assert result.exit_code == 1 and "tracker store" in result.output and "nothing was erased" in result.output
    with session_scope(app_env) as session:
        assert session.scalar(select(Customer.name).where(Customer.external_id == "C0001")) != "erased customer"
        assert session.scalar(select(func.count()).select_from(Erasure)) == 0


def test_erase_reaches_a_postgresql_tracker_store(app_env, monkeypatch):
    import sqlalchemy

    from kizuna.settings import get_settings
    from tests.conftest import _postgres_reachable, fresh_postgres_database, unavailable

    if reason := _postgres_reachable():
        unavailable(reason)
    with fresh_postgres_database("kizuna_tracker") as (url, _admin, _name):
        engine = sqlalchemy.create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql(RASA_EVENTS.replace("id INTEGER PRIMARY KEY", "id SERIAL PRIMARY KEY"))
            for sender in ("conv-jane", "conv-jane", "conv-other"):
                connection.execute(sqlalchemy.text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, 'user', '{}')"), {"s": sender})
        monkeypatch.setenv("KIZUNA_TRACKER_STORE_URL", url)  # where `kizuna serve rasa` keeps conversations
        get_settings.cache_clear()
        chat(app_env, "conv-jane", "C0001", "hello")
        result = erase("C0001")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["erased"]["tracker_events"] == 2
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT sender_id FROM events").scalars().all() == ["conv-other"]
        engine.dispose()


MARKER = "Zebulonquaxworth"  # a name no demo customer has
MARKED_WORDS = f"I'm {MARKER}, mail me at {MARKER.lower()}@example.org or call +44 7700 900123"


def erase_as_operator(database_url: str, var_dir: Path, *arguments: str) -> subprocess.CompletedProcess:
    """`kizuna customers erase` in its own process, as an operator runs it next to a running console."""
    kizuna = Path(sys.executable).parent / "kizuna"
    environment = {**os.environ, "KIZUNA_DATABASE_URL": database_url, "KIZUNA_VAR_DIR": str(var_dir)}
    return subprocess.run([str(kizuna), "customers", "erase", *arguments], env=environment, capture_output=True,
                          text=True, timeout=120)


def files_holding(folder: Path, marker: str) -> list[str]:
    needles = [marker.encode(), marker.lower().encode(), marker.encode("utf-16-le")]
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")
                  if path.is_file() and any(needle in path.read_bytes() for needle in needles))


def test_erasure_leaves_no_bytes_of_the_customer_in_any_file(app_env, tmp_path):
    """The console keeps its connection open, so SQLite's write-ahead log is not folded back by itself."""
    var_dir = tmp_path / "var"
    var_dir.mkdir(exist_ok=True)
    with session_scope(app_env) as session:
        customer = session.scalar(select(Customer).where(Customer.external_id == "C0001"))
        customer.name, customer.email = f"{MARKER} Jones", f"{MARKER.lower()}@example.org"
    chat(app_env, "conv-marked", "C0001", MARKED_WORDS)
    with session_scope(app_env) as session:
        session.add(ConversationNote(conversation_id="conv-marked", username="sam", text=f"{MARKER} was upset"))
    tracker_store(var_dir / "rasa_tracker.db", {"conv-marked": MARKED_WORDS, "conv-other": "where is 10002"})
    assert files_holding(tmp_path, MARKER)  # the test sees the marker where it is
    get_engine(app_env).dispose()  # reading the files dropped this process's SQLite locks: connect afresh

    with get_engine(app_env).connect() as console:
        console.exec_driver_sql("SELECT count(*) FROM messages").scalar()
        result = erase_as_operator(app_env, var_dir, "C0001")

    assert result.returncode == 0, result.stderr
    assert files_holding(tmp_path, MARKER) == []
    assert tracker_senders(var_dir / "rasa_tracker.db") == ["conv-other"]


def test_a_missing_tracker_store_is_an_error_and_nothing_is_erased(app_env, tmp_path):
    chat(app_env, "conv-jane", "C0001", "mail me at jane@example.org")
    result = erase("C0001")  # no var/rasa_tracker.db: Rasa's conversations are somewhere else

    assert result.exit_code == 1
    assert "tracker store" in result.output and "does not exist" in result.output and "nothing was erased" in result.output
    assert "--no-tracker-store" in result.output
    with session_scope(app_env) as session:
        assert session.scalar(select(Customer.name).where(Customer.external_id == "C0001")) != "erased customer"
        assert session.scalar(select(func.count()).select_from(Erasure)) == 0


def test_a_tracker_store_without_events_is_an_error(app_env, tmp_path):
    chat(app_env, "conv-jane", "C0001", "hello")
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    result = erase("C0001", "--tracker-store", f"sqlite:///{empty}")
    assert result.exit_code == 1 and "has no events table" in result.output and "nothing was erased" in result.output


def test_without_a_tracker_store_when_rasa_never_kept_the_conversations(app_env):
    chat(app_env, "conv-jane", "C0001", "hello")
    result = erase("C0001", "--no-tracker-store")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["erased"]["tracker_events"] == 0


def test_erasure_leaves_no_copy_of_the_customers_words(app_env, tmp_path, monkeypatch):
    """A turn's text is its message's, stored once: the erasure of the messages leaves it nowhere, not for a turn
    with its message from the console, nor for one Rasa recorded without the console (its message made then)."""
    from cryptography.fernet import Fernet

    from kizuna.settings import get_settings

    monkeypatch.setenv("KIZUNA_KEEP_ORIGINAL_TEXT", "1")
    monkeypatch.setenv("KIZUNA_PERSONAL_DATA_KEY", Fernet.generate_key().decode("ascii"))
    get_settings.cache_clear()
    words, direct = "I'm Jane, mail me at jane@example.org", "my card is 4111 1111 1111 1111 and I am Jane"
    chat(app_env, "conv-jane", "C0001", words)
    with session_scope(app_env) as session:
        record_turn(session, Turn("conv-jane", "ts:1700000000.5", direct, "greet", 0.9))  # no message_id
        originals = set(session.scalars(select(Message.original_encrypted).where(Message.original_encrypted.is_not(None))))
        texts = set(session.scalars(select(Message.text).where(Message.conversation_id == "conv-jane", Message.direction == "in")))
    assert len(originals) == 2 and len(texts) == 2  # each text stored once, masked, with its encrypted original

    tracker = tracker_store(tmp_path / "tracker.db", {"conv-jane": words})
    result = erase("C0001", "--tracker-store", tracker, "--by", "dpo")
    assert result.exit_code == 0, result.output

    get_engine(app_env).dispose()
    path = app_env.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        dump = "\n".join(connection.iterdump())
    for left in (*originals, *texts, "Jane", "4111", "jane@example.org"):
        assert left not in dump
    get_settings.cache_clear()
