"""Personal data through the real stack: the bot gets the customer's words, our tables keep them masked,
and `kizuna customers erase` empties the conversation from our tables and from Rasa's tracker store."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from operations.cli import main
from kizuna.db.engine import session_scope
from kizuna.db.models import Customer, Message, TurnAnalysis
from tests.conftest import _clear_caches
from tests.integration.chat import Chat

pytestmark = pytest.mark.integration

WORDS = "please refund to card 4111 1111 1111 1111 and mail me at jane.doe@example.org"


def tracker_events(running, conversation_id: str) -> list[str]:
    with sqlite3.connect(running.settings.var_dir / "rasa_tracker.db") as connection:
        return [row[0] for row in connection.execute("SELECT data FROM events WHERE sender_id = ?", (conversation_id,))]


def erase(running, url: str, customer: str, monkeypatch):
    """`kizuna customers erase` as an operator runs it against the stack's database and var directory."""
    with monkeypatch.context() as patch:
        patch.setenv("KIZUNA_DATABASE_URL", url)
        patch.setenv("KIZUNA_VAR_DIR", str(running.settings.var_dir))
        _clear_caches()
        result = CliRunner().invoke(main, ["customers", "erase", customer])
    _clear_caches()
    return result


def test_masked_in_our_tables_whole_for_the_bot_and_erased_everywhere(stack, monkeypatch):
    running, url = stack
    with session_scope(url) as session:
        session.add(Customer(external_id="C9001", name="Jane Doe", email="jane.doe@example.org"))
    chat = Chat(running, customer_id="C9001")
    assert chat.say(WORDS)
    with session_scope(url) as session:
        stored = session.scalars(select(Message.text).where(Message.conversation_id == chat.conversation_id, Message.direction == "in")).all()
        turns = session.scalars(select(Message.text).join(TurnAnalysis, TurnAnalysis.message_id == Message.id)
                                .where(TurnAnalysis.conversation_id == chat.conversation_id)).all()  # the turn's text is its message's
    masked = "please refund to card <card number> and mail me at customer@example.com"
    assert stored == [masked] and turns == [masked]
    assert any(WORDS in data for data in tracker_events(running, chat.conversation_id))  # what Rasa was given

    result = erase(running, url, "C9001", monkeypatch)

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["erased"]["tracker_events"] > 0
    assert tracker_events(running, chat.conversation_id) == []
    with session_scope(url) as session:
        texts = session.scalars(select(Message.text).where(Message.conversation_id == chat.conversation_id)).all()
    assert texts and set(texts) == {"[erased]"}
