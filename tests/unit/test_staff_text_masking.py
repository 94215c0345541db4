"""Staff-written text (an agent's reply, a private note) is stored and shown masked, like the customer's."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from console.app import create_app
from kizuna.db import conversations as store
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, ConversationNote, Message
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings
from tests.unit.test_console_api import FakeRasa, add_user, log_in

STAFF_WORDS = "I'll call you on +44 7700 900123 or mail jane.doe@example.org"
MASKED = "I'll call you on <phone number> or mail customer@example.com"


@pytest.fixture
def agent(app_env, tmp_path):
    ensure_secrets(tmp_path / "var")
    add_user(app_env, "sam", "sam-password", "agent")
    with session_scope(app_env) as session:
        store.store_inbound(session, "conv-1", "I want a human", "m-1", "C0001")
        session.get(Conversation, "conv-1").status = "waiting_for_agent"
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1)
    with TestClient(create_app(settings, rasa=FakeRasa())) as client:
        log_in(client, "sam", "sam-password")
        yield client


def test_an_agents_reply_is_stored_and_shown_masked(agent, app_env):
    assert agent.post("/api/agent/conversations/conv-1/take").status_code == 200
    reply = agent.post("/api/agent/conversations/conv-1/messages", json={"text": STAFF_WORDS})
    assert reply.status_code == 200 and reply.json()["text"] == MASKED
    with session_scope(app_env) as session:
        stored = session.scalars(select(Message.text).where(Message.sender == "agent")).all()
    assert stored == [MASKED]
    transcript = agent.get("/api/agent/conversations/conv-1").json()["transcript"]
    assert [m["text"] for m in transcript if m["sender"] == "agent"] == [MASKED]


def test_a_private_note_is_stored_and_shown_masked(agent, app_env):
    note = agent.post("/api/agent/conversations/conv-1/notes", json={"text": STAFF_WORDS})
    assert note.status_code == 201 and note.json()["text"] == MASKED
    with session_scope(app_env) as session:
        assert session.scalars(select(ConversationNote.text)).all() == [MASKED]
    assert [n["text"] for n in agent.get("/api/agent/conversations/conv-1").json()["notes"]] == [MASKED]
