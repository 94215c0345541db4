"""The console is the only way in: the rasa server and the action server, reached directly on the host,
answer only callers that hold their tokens. Written as someone on the host would try them."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from kizuna.rasa_client import WEBHOOK_PATH
from kizuna.db.engine import session_scope
from kizuna.db.models import Order
from retraining.rasa_env import temporary_nlu_server
from kizuna.settings import Settings
from tests.assistant import trained_assistant
from tests.integration.shop_state import order_with_status

pytestmark = pytest.mark.integration

TYPED_COMMANDS = [
    "/accept_offer",
    "/ /accept_offer",
    "/\u00a0/accept_offer",
    '/\t/delete_account{"email": "someone.else@example.org"}',
    "\u200b/accept_offer",
    '/cancel_order{"order_id": "10007"}',
]


def _sender() -> str:
    return f"direct-{uuid.uuid4().hex[:10]}"


def _post(running, body: dict, headers: dict | None = None, path: str = WEBHOOK_PATH) -> httpx.Response:
    return httpx.post(f"{running.settings.rasa_url}{path}", json=body, headers=headers or {}, timeout=60)


def _with_token(running) -> dict:
    return {"Authorization": f"Bearer {running.settings.effective_channel_token}"}


def _tracker(running, sender: str) -> dict:
    response = httpx.get(f"{running.settings.rasa_url}/conversations/{sender}/tracker",
                         params={"token": running.settings.effective_rasa_token}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def _conversation_events(tracker: dict) -> list[dict]:
    return [e for e in tracker.get("events") or [] if e.get("event") in ("user", "bot")]


def test_rasas_open_rest_channel_is_gone(stack):
    running, _ = stack
    for path in ("/webhooks/rest/webhook", "/webhooks/rest/"):
        response = httpx.post(f"{running.settings.rasa_url}{path}", json={"sender": _sender(), "message": "/accept_offer"}, timeout=30)
        assert response.status_code == 404, (path, response.status_code)


@pytest.mark.parametrize("authorization", [
    None, "", "Bearer", "Bearer wrong-token", "Basic d3Jvbmc6dG9rZW4=", "rasa-api-token", "channel-token-without-scheme",
])
def test_the_kizuna_channel_refuses_a_caller_without_its_token_and_keeps_nothing(stack, authorization):
    running, url = stack
    order = order_with_status(url, "processing")
    values = {"rasa-api-token": f"Bearer {running.settings.effective_rasa_token}",  # the HTTP API's token is not this one
              "channel-token-without-scheme": running.settings.effective_channel_token}
    headers = {} if authorization is None else {"Authorization": values.get(authorization, authorization)}
    sender = _sender()
    for text in ("/accept_offer", f'/cancel_order{{"order_id": "{order.order_number}"}}', "hi"):
        response = _post(running, {"sender": sender, "message": text, "command": True}, headers)
        assert response.status_code == 401, response.text
        assert response.json() == {"error": "a valid channel token is required"}
    assert _conversation_events(_tracker(running, sender)) == []
    with session_scope(url) as session:
        assert session.get(Order, order.id).status == "processing"


def test_with_the_token_a_customer_message_is_answered(stack):
    running, _ = stack
    sender = _sender()
    response = _post(running, {"sender": sender, "message": "hi there", "metadata": {"message_id": 1}}, _with_token(running))
    assert response.status_code == 200, response.text
    replies = response.json()
    assert replies and all(isinstance(r.get("text", ""), str) for r in replies)
    tracker = _tracker(running, sender)
    assert tracker["latest_message"]["text"] == "hi there"
    assert [e["input_channel"] for e in tracker["events"] if e["event"] == "user"] == ["kizuna"]


@pytest.mark.parametrize("typed", TYPED_COMMANDS)
def test_typed_text_is_never_read_as_an_intent_command(stack, typed):
    running, _ = stack
    sender = _sender()
    response = _post(running, {"sender": sender, "message": typed, "command": False}, _with_token(running))
    assert response.status_code == 200, response.text
    latest = _tracker(running, sender)["latest_message"]
    assert not latest["text"].startswith("/")
    # A command is unpacked with one intent at confidence 1.0 and its entities as given; NLU ranks many intents.
    assert len(latest["intent_ranking"]) > 1, latest
    assert not [e for e in latest["entities"] if e.get("extractor") == "RegexMessageHandler"]  # entities "as given"


def test_only_a_turn_marked_as_a_button_payload_is_a_command(stack):
    running, _ = stack
    sender = _sender()
    response = _post(running, {"sender": sender, "message": "/greet", "command": True}, _with_token(running))
    assert response.status_code == 200, response.text
    latest = _tracker(running, sender)["latest_message"]
    assert latest["intent"] == {"name": "greet", "confidence": 1.0}


@pytest.mark.parametrize("body, complaint", [
    ({"message": "hi"}, "sender"),
    ({"sender": "x", "message": {"text": "/accept_offer"}}, "message"),
    ({"sender": "x", "message": "/accept_offer", "command": "yes"}, "command"),
    ({"sender": "x", "message": "/ //\u00a0"}, "empty"),
])
def test_a_malformed_turn_gets_400_and_a_reason(stack, body, complaint):
    running, _ = stack
    response = _post(running, body, _with_token(running))
    assert response.status_code == 400 and complaint in response.json()["error"]


def test_with_no_channel_token_configured_rasa_lets_nobody_in(tmp_path: Path):
    settings = Settings(var_dir=tmp_path, channel_token="")  # no var/secrets.json, no KIZUNA_CHANNEL_TOKEN: no token at all
    with temporary_nlu_server(settings, trained_assistant(), tmp_path / "rasa.log") as (url, _):
        for authorization in ("", "Bearer", "Bearer anything"):
            response = httpx.post(f"{url}{WEBHOOK_PATH}", json={"sender": _sender(), "message": "hi"},
                                  headers={"Authorization": authorization}, timeout=60)
            assert response.status_code == 401, authorization
        response = httpx.post(f"{url}{WEBHOOK_PATH}", json={"sender": _sender(), "message": "hi"}, timeout=60)
        assert response.status_code == 401


# --- the action server ---------------------------------------------------------------------------

def _action_call(action: str, order_number: str) -> dict:
    """What rasa posts to the action server for one action (rasa-sdk's webhook format)."""
    sender = _sender()
    return {
        "next_action": action,
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {"order_id": order_number, "awaiting_cancel_confirmation": True},
            "latest_message": {"text": "yes", "intent": {"name": "affirm", "confidence": 1.0}, "entities": []},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def _action_server(running) -> str:
    return f"http://127.0.0.1:{running.settings.action_server_port}"


@pytest.mark.parametrize("token", [None, "", "wrong-token", "rasa-api-token"])
def test_the_action_server_runs_nothing_without_its_token(stack, token):
    running, url = stack
    order = order_with_status(url, "processing")
    params = {} if token is None else {"token": running.settings.effective_rasa_token if token == "rasa-api-token" else token}
    response = httpx.post(f"{_action_server(running)}/webhook", params=params,
                          json=_action_call("action_cancel_order", order.order_number), timeout=30)
    assert response.status_code == 401, response.text
    assert "token" in response.json()["error"]
    with session_scope(url) as session:
        assert session.get(Order, order.id).status == "processing"


def test_the_action_server_runs_actions_for_rasa_with_its_token_and_its_health_is_open(stack):
    running, url = stack
    order = order_with_status(url, "processing")
    response = httpx.post(f"{_action_server(running)}/webhook", params={"token": running.settings.effective_action_token},
                          json=_action_call("action_keep_order", order.order_number), timeout=30)
    assert response.status_code == 200, response.text
    assert "stays as it is" in response.json()["responses"][0]["text"]
    assert httpx.get(f"{_action_server(running)}/health", timeout=10).status_code == 200


def test_no_token_is_on_a_command_line_that_every_user_of_the_machine_can_read(stack):
    running, _ = stack
    tokens = {running.settings.effective_rasa_token, running.settings.effective_channel_token, running.settings.effective_action_token}
    assert all(tokens)
    for managed in running.processes:
        command_line = Path(f"/proc/{managed.process.pid}/cmdline").read_bytes().decode(errors="replace")
        assert not [token for token in tokens if token in command_line], managed.name
