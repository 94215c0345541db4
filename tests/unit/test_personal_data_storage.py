"""Customer text is stored masked (the original only when configured, encrypted); the bot still gets
the customer's own words; nothing of the text reaches the logs."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from actions.turn_analysis import ActionAnalyzeTurn
from console.app import create_app
from kizuna.db.engine import make_engine, session_scope
from kizuna.db.models import Message, TurnAnalysis
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings, get_settings
from kizuna.stored_text import PersonalDataKeyError, reveal
from tests.unit.test_actions import make_tracker, run
from tests.unit.test_console_api import FakeRasa, history, post

WORDS = "refund to card 4111 1111 1111 1111 or mail jane.doe@example.org, order 10023"
MASKED = "refund to card <card number> or mail customer@example.com, order 10023"


@pytest.fixture
def rasa():
    return FakeRasa()


def console(app_env, tmp_path, rasa) -> TestClient:
    ensure_secrets(tmp_path / "var")
    return TestClient(create_app(Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1), rasa=rasa))


def stored_inbound(url: str) -> Message:
    with session_scope(url) as session:
        return session.scalars(select(Message).where(Message.conversation_id == "conv-1", Message.direction == "in")).one()


def keep_originals(monkeypatch, key: str) -> None:
    monkeypatch.setenv("KIZUNA_KEEP_ORIGINAL_TEXT", "1")
    monkeypatch.setenv("KIZUNA_PERSONAL_DATA_KEY", key)
    get_settings.cache_clear()


def test_the_bot_gets_the_words_the_database_and_console_the_masked_text(app_env, tmp_path, rasa):
    with console(app_env, tmp_path, rasa) as client:
        body = post(client, WORDS).json()
        messages = history(client).json()["messages"]
    assert rasa.received[0][1] == WORDS
    assert body["message"]["text"] == MASKED and messages[0]["text"] == MASKED
    message = stored_inbound(app_env)
    assert message.text == MASKED and message.original_encrypted is None


def test_the_original_is_kept_encrypted_only_when_configured(app_env, tmp_path, rasa, monkeypatch):
    keep_originals(monkeypatch, Fernet.generate_key().decode())
    with console(app_env, tmp_path, rasa) as client:
        post(client, WORDS)
        post(client, "no personal data here", client_id="m-2")
    with session_scope(app_env) as session:
        inbound = select(Message).where(Message.conversation_id == "conv-1", Message.direction == "in")
        first, second = session.scalars(inbound.order_by(Message.id)).all()
    assert first.text == MASKED and "4111" not in first.original_encrypted
    assert reveal(first.text, first.original_encrypted) == WORDS
    assert second.original_encrypted is None  # nothing was masked, nothing to keep


def test_keeping_originals_without_a_usable_key_stops_the_console(app_env, tmp_path, rasa, monkeypatch):
    for key in ("", "not-a-fernet-key"):
        keep_originals(monkeypatch, key)
        with pytest.raises(PersonalDataKeyError):
            create_app(Settings(var_dir=tmp_path / "var", database_url=app_env, keep_original_text=True, personal_data_key=key), rasa=rasa)


def test_the_turn_analysis_stores_masked_text_and_entities(app_env):
    entities = [{"entity": "email", "value": "jane.doe@example.org", "start": 42, "end": 62},
                {"entity": "order_id", "value": "10023", "start": 70, "end": 75}]
    run(ActionAnalyzeTurn(), make_tracker(WORDS, "request_refund", entities=entities))
    with session_scope(app_env) as session:
        turn = session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == "conv-1")).one()
        text = turn.message_text  # stored once, in the customer's message
    assert text == MASKED
    assert [e["value"] for e in turn.entities] == ["customer@example.com", "10023"]


def test_a_failed_turn_logs_no_message_text(app_env, tmp_path, rasa, caplog):
    rasa.down = True
    caplog.set_level(logging.DEBUG)
    with console(app_env, tmp_path, rasa) as client:
        post(client, WORDS)
    assert caplog.records and "jane.doe" not in caplog.text and "4111" not in caplog.text


def test_database_errors_do_not_carry_the_values(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(Exception) as error, engine.begin() as connection:
        connection.execute(text("INSERT INTO no_such_table VALUES (:text)"), {"text": WORDS})
    assert "jane.doe" not in str(error.value)
