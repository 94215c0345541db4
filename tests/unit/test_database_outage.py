"""The database goes away for a moment: the customer's message gets a clear 503, nothing is
half-stored, and once the database is back the re-sent message is stored once."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from console.app import create_app
from kizuna.db.engine import session_scope
from kizuna.db.models import Message
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings
from tests.conftest import _postgres_reachable, fresh_postgres_database, unavailable
from tests.unit.test_console_api import FakeRasa


@pytest.fixture
def postgres_url():
    reason = _postgres_reachable()
    if reason:
        unavailable(reason)
    with fresh_postgres_database("kizuna_outage") as database:
        yield database


def _set_reachable(admin, name: str, reachable: bool) -> None:
    with admin.connect() as connection:
        connection.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(reachable).lower()}')
        if not reachable:
            connection.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")


def test_a_brief_outage_fails_loudly_and_recovers(postgres_url, tmp_path):
    url, admin, name = postgres_url
    ensure_secrets(tmp_path / "var")
    settings = Settings(var_dir=tmp_path / "var", database_url=url, action_server_port=1)
    body = {"text": "where is my order 10001?", "client_message_id": "m-1"}
    with TestClient(create_app(settings, rasa=FakeRasa())) as client:
        started = client.post("/api/conversations/outage/messages", json={**body, "client_message_id": "m-0"})
        assert started.status_code == 200
        client.headers["X-Conversation-Secret"] = started.json()["conversation_secret"]
        _set_reachable(admin, name, False)
        refused = client.post("/api/conversations/outage/messages", json=body)
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "database_unavailable"
        assert refused.headers["retry-after"] == "5"
        _set_reachable(admin, name, True)
        first, again = (client.post("/api/conversations/outage/messages", json=body) for _ in range(2))
        assert first.status_code == again.status_code == 200 and again.json()["duplicate"]
    with session_scope(url) as session:
        inbound = session.scalar(select(func.count()).select_from(Message).where(Message.direction == "in"))
    assert inbound == 2
