"""The console's HTTP and WebSocket API, with Rasa replaced by a fake at the HTTP boundary."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from sqlalchemy import func, select

from console.app import create_app
from kizuna.rasa_client import BotReply, RasaUnavailable
from kizuna.db.engine import session_scope
from kizuna.customer_tokens import make_token
from kizuna.db.models import Conversation, Message
from kizuna.secrets import ensure_secrets, load_secrets
from kizuna.settings import Settings, get_settings


class FakeRasa:
    def __init__(self) -> None:
        self.received: list[tuple[str, str, dict]] = []
        self.commands: list[bool] = []
        self.down = False

    async def send(self, conversation_id, text, metadata, *, is_command=False):
        if self.down:
            raise RasaUnavailable("connection refused")
        self.received.append((conversation_id, text, metadata))
        self.commands.append(is_command)
        return [BotReply(text=f"echo: {text}"), BotReply(text="Shall I?", buttons=[{"title": "Yes", "payload": "/affirm"}])]

    async def status(self):
        return {"model_id": "fake", "model_file": "fake.tar.gz"}

    async def close(self):
        pass


@pytest.fixture
def rasa():
    return FakeRasa()


@pytest.fixture
def client(app_env, tmp_path, rasa):
    ensure_secrets(tmp_path / "var")
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1)
    with TestClient(create_app(settings, rasa=rasa)) as test_client:
        yield test_client


@pytest.fixture
def demo_client(app_env, tmp_path, rasa):
    """A console whose demo storefront may sign visitors in as demo customers (KIZUNA_DEMO_SIGN_IN=1)."""
    ensure_secrets(tmp_path / "var")
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1, demo_sign_in=True)
    with TestClient(create_app(settings, rasa=rasa)) as test_client:
        yield test_client


def token_for(tmp_path, customer_id, ttl=3600):
    return make_token(customer_id, load_secrets(tmp_path / "var")["widget_secret"], ttl)


def post(client, text="hello", client_id="m-1", conversation="conv-1", **extra):
    """As the widget does: the first message starts the conversation, later ones carry the secret it got."""
    response = client.post(f"/api/conversations/{conversation}/messages", json={"text": text, "client_message_id": client_id, **extra},
                           headers=secret_header(client, conversation))
    if response.status_code == 200 and response.json()["conversation_secret"]:
        conversation_secrets(client)[conversation] = response.json()["conversation_secret"]
    return response


def conversation_secrets(client) -> dict[str, str]:
    return client.__dict__.setdefault("conversation_secrets", {})


def secret_header(client, conversation="conv-1") -> dict[str, str]:
    secret = conversation_secrets(client).get(conversation)
    return {"X-Conversation-Secret": secret} if secret else {}


def history(client, conversation="conv-1", **params):
    return client.get(f"/api/conversations/{conversation}/messages", params=params, headers=secret_header(client, conversation))


def live(client, conversation="conv-1", after=0, secret=None):
    """The live connection, past its auth frame (the secret this client got, unless another is given)."""
    socket = client.websocket_connect(f"/api/conversations/{conversation}/live?after={after}")
    return _Authenticated(socket, secret if secret is not None else conversation_secrets(client).get(conversation))


class _Authenticated:
    def __init__(self, connecting, secret):
        self.connecting, self.secret = connecting, secret

    def __enter__(self):
        socket = self.connecting.__enter__()
        socket.send_json({"type": "auth", "conversation_secret": self.secret or None})
        return socket

    def __exit__(self, *exc):
        return self.connecting.__exit__(*exc)


def message_count(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(Message))


def test_a_message_gets_the_bots_replies_and_everything_is_stored(client, rasa, app_env):
    response = post(client, "where is my order?")
    assert response.status_code == 200
    body = response.json()
    assert body["message"]["text"] == "where is my order?" and body["duplicate"] is False
    assert [r["text"] for r in body["replies"]] == ["echo: where is my order?", "Shall I?"]
    assert body["replies"][1]["buttons"] == [{"title": "Yes", "payload": "/affirm"}]
    assert rasa.received[0][2] == {"message_id": body["message"]["id"]}
    assert [m["sender"] for m in history(client).json()["messages"]] == ["customer", "bot", "bot"]
    assert message_count(app_env) == 3


def test_a_resent_message_is_answered_once(client, rasa, app_env):
    first = post(client, "hi", "same-id").json()
    again = post(client, "hi", "same-id").json()
    assert again["duplicate"] is True and again["message"]["id"] == first["message"]["id"]
    assert [r["id"] for r in again["replies"]] == [r["id"] for r in first["replies"]]
    assert len(rasa.received) == 1 and message_count(app_env) == 3


def test_history_after_skips_what_was_seen(client):
    body = post(client).json()
    later = history(client, after=body["message"]["id"]).json()
    assert [m["text"] for m in later["messages"]] == ["echo: hello", "Shall I?"]


@pytest.mark.parametrize(
    "payload, status, fragment",
    [
        ({"text": "", "client_message_id": "a"}, 422, "must not be empty"),
        ({"text": "   \n\t ", "client_message_id": "a"}, 422, "must not be empty"),
        ({"text": "x" * 2001, "client_message_id": "a"}, 422, "longer than 2000"),
        ({"text": "hi"}, 422, "client_message_id"),
        ({"text": "hi", "client_message_id": "bad id with spaces"}, 422, "client_message_id"),
        ({"text": 5, "client_message_id": "a"}, 422, "text"),
        ({"text": "hi", "client_message_id": "a", "payload": "/restart{}"}, 422, "payload"),
        ({"text": "Yes", "client_message_id": "a", "payload": "/accept_offer"}, 422, "no longer available"),
    ],
)
def test_bad_messages_get_a_clear_error_and_nothing_is_stored(client, rasa, app_env, payload, status, fragment):
    response = client.post("/api/conversations/conv-9/messages", json=payload)
    assert response.status_code == status
    assert fragment in response.json()["error"]["message"]
    assert message_count(app_env) == 0 and rasa.received == []


def test_malformed_json_is_a_400(client, app_env):
    response = client.post("/api/conversations/c/messages", content=b'{"text": "hi",', headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_json"
    assert message_count(app_env) == 0


def test_oversized_bodies_are_refused(client, app_env):
    response = client.post("/api/conversations/c/messages", content=b"{" + b" " * 20000 + b"}", headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large" and message_count(app_env) == 0


def test_hostile_text_is_stored_verbatim_as_text(client, app_env):
    hostile = "<img src=x onerror=alert(1)> '; DROP TABLE messages; --"
    body = post(client, hostile).json()
    assert body["message"]["text"] == hostile
    assert history(client).json()["messages"][0]["text"] == hostile


def test_control_characters_are_removed(client):
    assert post(client, "hi\x00 there\x07").json()["message"]["text"] == "hi there"


def test_unknown_and_malformed_conversation_ids(client):
    assert client.get("/api/conversations/never-seen/messages").status_code == 404
    assert client.get("/api/conversations/bad%20id/messages").status_code == 422
    assert post(client, conversation="x" * 65).status_code == 422


def test_a_signed_token_links_the_customer_who_cannot_be_swapped(client, tmp_path, app_env):
    response = post(client, customer_token=token_for(tmp_path, "C0001"))
    assert response.status_code == 200 and response.json()["identity"] == "customer"
    response = post(client, client_id="m-2", customer_token=token_for(tmp_path, "C0002"))
    assert response.status_code == 409 and response.json()["error"]["code"] == "customer_mismatch"
    with session_scope(app_env) as session:
        assert session.get(Conversation, "conv-1").customer_id is not None


@pytest.mark.parametrize("make_bad, reason", [
    (lambda good: good[:-4] + "0000", "bad_signature"),
    (lambda good: "C0002" + good[5:], "bad_signature"),
    (lambda good: "no colons here", "malformed"),
])
def test_forged_tokens_are_refused_and_the_chat_goes_on_anonymously(client, tmp_path, app_env, make_bad, reason):
    response = post(client, customer_token=make_bad(token_for(tmp_path, "C0001")))
    assert response.status_code == 200 and response.json()["replies"]
    assert (response.json()["identity"], response.json()["identity_refused"]) == ("anonymous", reason)
    with session_scope(app_env) as session:
        assert session.get(Conversation, "conv-1").customer_id is None


def test_expired_tokens_and_unknown_customers_are_refused(client, tmp_path):
    assert post(client, customer_token=token_for(tmp_path, "C0001", ttl=-1)).json()["identity_refused"] == "expired"
    assert post(client, client_id="m-2", customer_token=token_for(tmp_path, "NOBODY")).json()["identity_refused"] == "unknown_customer"


def test_typed_intent_commands_do_not_reach_rasa_but_offered_buttons_do(client, rasa):
    post(client, "/accept_offer")
    assert rasa.received[-1][1] == "accept_offer"
    response = post(client, "Yes", client_id="m-2", payload="/affirm")  # the fake bot's last message offered it
    assert response.status_code == 200 and rasa.received[-1][1] == "/affirm"
    assert response.json()["message"]["text"] == "Yes"
    assert post(client, "Yes", client_id="m-2", payload="/affirm").json()["duplicate"] is True  # a resend is not refused
    post(client, "something else", client_id="m-3")
    assert post(client, "Yes", client_id="m-4", payload="/deny").status_code == 422  # never offered


def test_when_rasa_is_down_the_customer_gets_an_apology_and_the_message_is_kept(client, rasa, app_env):
    rasa.down = True
    body = post(client, "anyone there?").json()
    assert body["replies"][0]["sender"] == "system" and "saved" in body["replies"][0]["text"]
    with session_scope(app_env) as session:
        inbound = session.scalars(select(Message).where(Message.direction == "in")).one()
        assert inbound.status == "bot_failed" and inbound.text == "anyone there?"


def test_live_channel_replays_and_pushes(client):
    post(client, "first", "m-1")
    with live(client) as socket:
        assert socket.receive_json() == {"type": "hello", "conversation_id": "conv-1", "status": "bot", "agent": None}
        replayed = [socket.receive_json() for _ in range(3)]
        assert [e["message"]["text"] for e in replayed] == ["first", "echo: first", "Shall I?"]
        socket.send_json({"text": "second", "client_message_id": "m-2"})
        events = [socket.receive_json() for _ in range(4)]
        texts = [e["message"]["text"] for e in events if e["type"] == "message"]
        assert texts == ["second", "echo: second", "Shall I?"]
        assert any(e["type"] == "ack" and e["client_message_id"] == "m-2" for e in events)
        socket.send_json({"text": "second", "client_message_id": "m-2"})  # a resend after a lost ack
        assert socket.receive_json() == {"type": "ack", "client_message_id": "m-2", "duplicate": True,
                                         "message_id": events[0]["message"]["id"], "identity": "anonymous", "identity_refused": None}
        socket.send_text("not json")
        assert socket.receive_json()["code"] == "invalid_message"
        socket.send_json({"text": "", "client_message_id": "m-3"})
        error = socket.receive_json()
        assert error["type"] == "error" and "empty" in error["message"] and error["client_message_id"] == "m-3"
        socket.send_text("x" * 20000)
        assert socket.receive_json()["code"] == "too_large"
    assert [m["text"] for m in history(client).json()["messages"]].count("second") == 1


def test_a_new_conversation_says_hello_and_replays_nothing(client):
    with live(client, "brand-new") as socket:
        assert socket.receive_json()["type"] == "hello"
        socket.send_json({"text": "hi", "client_message_id": "n-1"})
        assert socket.receive_json() == {"type": "status", "status": "bot", "agent": None}
        assert [socket.receive_json()["message"]["text"] for _ in range(3)] == ["hi", "echo: hi", "Shall I?"]
        ack = socket.receive_json()
        assert ack["type"] == "ack" and len(ack["conversation_secret"]) >= 43
        socket.send_json({"text": "more", "client_message_id": "n-2"})  # now followed live like any other
        assert [socket.receive_json().get("type") for _ in range(4)] == ["message", "message", "message", "ack"]
    assert history(client, "brand-new").status_code == 404  # this client never kept the secret
    assert client.get("/api/conversations/brand-new/messages", headers={"X-Conversation-Secret": ack["conversation_secret"]}).status_code == 200


def test_health_reports_each_component(client):
    body = client.get("/healthz").json()
    assert body["components"]["database"]["ok"] is True
    assert body["components"]["rasa"]["ok"] is True
    assert body["components"]["action_server"]["ok"] is False
    assert body["status"] == "degraded"


def test_storefront_and_widget_script_are_served_with_a_content_security_policy(client):
    page = client.get("/")
    assert page.status_code == 200 and '<script src="/widget.js"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "data-customer-token" not in page.text and "Demo:" not in page.text  # demo sign-in is off by default
    script = client.get("/widget.js", headers={"accept-encoding": "gzip"})
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert script.headers["content-encoding"] == "gzip"
    assert client.get("/static/storefront.css").status_code == 200
    assert client.get("/static/../app.py").status_code == 404


def test_demo_sign_in_puts_a_valid_token_on_the_page(demo_client, tmp_path, monkeypatch):
    from kizuna.customer_tokens import verify_token

    page = demo_client.get("/", params={"as": "C0003"}).text
    token = page.split('data-customer-token="')[1].split('"')[0]
    assert verify_token(token, load_secrets(tmp_path / "var")["widget_secret"]) == "C0003"
    assert "data-customer-token" not in demo_client.get("/", params={"as": "<script>alert(1)</script>"}).text


def test_the_widget_api_answers_other_origins_without_credentials(client):
    preflight = client.options("/api/conversations/c-1/messages", headers={
        "Origin": "https://shop.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in preflight.headers


def add_user(url, username, password, role):
    from kizuna.accounts import create_user

    with session_scope(url) as session:
        create_user(session, username, password, role)


def log_in(client, username, password):
    """Log `client` in; its later requests carry the cookie and the CSRF header."""
    response = client.post("/api/session", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return response


@pytest.fixture
def staff(client, app_env):
    add_user(app_env, "admin", "admin-password", "admin")
    add_user(app_env, "sam", "sam-password", "agent")
    return client


def test_login_sets_a_strict_http_only_cookie_and_returns_the_csrf_token(staff):
    response = log_in(staff, "sam", "sam-password")
    body = response.json()
    assert body["username"] == "sam" and body["role"] == "agent" and len(body["csrf_token"]) >= 32
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("kizuna_session=") and "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http in the tests; https gets Secure
    assert staff.get("/api/session").json() == body


def test_a_wrong_password_is_a_401_and_the_sixth_attempt_is_throttled(staff):
    for _ in range(5):
        response = staff.post("/api/session", json={"username": "sam", "password": "not-the-password"})
        assert response.status_code == 401 and response.json()["error"]["code"] == "login_failed"
        assert "set-cookie" not in response.headers
    response = staff.post("/api/session", json={"username": "sam", "password": "sam-password"})
    assert response.status_code == 429 and int(response.headers["retry-after"]) > 0
    assert staff.get("/api/session").status_code == 401


def test_changes_need_the_csrf_header(staff):
    log_in(staff, "sam", "sam-password")
    token = staff.headers.pop("X-CSRF-Token")
    response = staff.delete("/api/session")
    assert response.status_code == 403 and response.json()["error"]["code"] == "csrf_failed"
    assert staff.delete("/api/session", headers={"X-CSRF-Token": token[:-1]}).status_code == 403
    assert staff.get("/api/session").status_code == 200  # reading needs no token
    assert staff.delete("/api/session", headers={"X-CSRF-Token": token}).status_code == 204
    assert staff.get("/api/session").status_code == 401


def test_roles_are_enforced_and_admins_see_the_audit_log(staff):
    assert staff.get("/api/audit").status_code == 401
    log_in(staff, "sam", "sam-password")
    response = staff.get("/api/audit")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    staff.delete("/api/session")
    staff.post("/api/session", json={"username": "sam", "password": "nope-nope-nope"})
    log_in(staff, "admin", "admin-password")
    entries = staff.get("/api/audit").json()["entries"]
    assert [e["action"] for e in entries] == ["login", "login_failed", "logout", "login"]
    assert entries[1]["detail"]["username"] == "sam" and entries[0]["username"] == "admin"


def test_staff_pages_send_visitors_to_the_login_page(staff):
    page = staff.get("/customers?tier=vip", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fcustomers%3Ftier%3Dvip"
    login = staff.get("/login")
    assert login.status_code == 200 and '<script src="/static/login.js">' in login.text
    assert "script-src 'self'" in login.headers["content-security-policy"]
    assert staff.get("/static/login.js").status_code == 200 and staff.get("/static/login.css").status_code == 200


def test_customer_list_is_for_staff_only(staff, app_env, tmp_path):
    from churn.config import load_config
    from turn_core.customer_scoring import refresh_scores
    from tests.conftest import DEMO_TODAY

    add_user(app_env, "tess", "trainer-password", "trainer")
    refresh_scores(app_env, DEMO_TODAY, load_config(get_settings().intelligence_config_path), tmp_path / "no-churn-model")
    anonymous = staff.get("/api/customers")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "login_required"
    log_in(staff, "tess", "trainer-password")
    response = staff.get("/api/customers", params={"limit": 5})
    assert response.status_code == 200
    customers = response.json()["customers"]
    assert len(customers) == 5 and all(c["tier"] in ("regular", "silver", "vip") for c in customers)
    assert staff.get("/api/customers", params={"tier": "<script>"}).status_code == 422
    assert "Customers" in staff.get("/customers").text
    assert staff.get("/api/agent/queue").status_code == 403  # a trainer is no agent


def test_agents_take_over_reply_and_hand_back(staff, rasa, app_env):
    from kizuna.db.models import AuditEntry, Conversation

    client = staff
    assert post(client, "hello").status_code == 200
    with session_scope(app_env) as session:  # as the turn analysis does on a strongly negative trend
        conversation = session.get(Conversation, "conv-1")
        conversation.status, conversation.escalation_priority, conversation.escalation_reasons = "waiting_for_agent", "high", ["strongly_negative_trend"]
    assert client.get("/api/agent/queue").status_code == 401
    log_in(client, "sam", "sam-password")
    queue = client.get("/api/agent/queue").json()["conversations"]
    assert [(c["conversation_id"], c["priority"], c["reasons"]) for c in queue] == [("conv-1", "high", ["strongly_negative_trend"])]
    assert client.post("/api/agent/conversations/conv-1/messages", json={"text": "hi"}).status_code == 409
    with live(client, after=1000) as socket:
        assert socket.receive_json()["status"] == "waiting_for_agent"
        assert client.post("/api/agent/conversations/conv-1/take").json()["status"] == "agent"
        assert socket.receive_json() == {"type": "status", "status": "agent", "agent": "sam"}
    with TestClient(client.app) as other:
        log_in(other, "admin", "admin-password")
        assert other.post("/api/agent/conversations/conv-1/take").status_code == 409
        refused = other.post("/api/agent/conversations/conv-1/messages", json={"text": "me too"})
        assert refused.status_code == 409 and "sam owns" in refused.json()["error"]["message"]
    forwarded = len(rasa.received)
    silent = post(client, "are you there?", client_id="m-2")
    assert silent.status_code == 200 and silent.json()["replies"] == [] and len(rasa.received) == forwarded
    reply = client.post("/api/agent/conversations/conv-1/messages", json={"text": "Hi, I'm Sam. Let me fix this."})
    assert reply.status_code == 200 and reply.json()["sender"] == "agent"
    assert client.post("/api/agent/conversations/conv-1/messages", json={"text": "   "}).status_code == 422
    messages = history(client).json()["messages"]
    assert [m["sender"] for m in messages][-2:] == ["customer", "agent"]
    assert client.post("/api/agent/conversations/conv-1/release").json()["status"] == "bot"
    assert post(client, "thanks", client_id="m-3").json()["replies"] and len(rasa.received) == forwarded + 1
    assert client.post("/api/agent/conversations/nope/take").status_code == 404
    with session_scope(app_env) as session:
        done = session.scalars(select(AuditEntry).where(AuditEntry.conversation_id == "conv-1").order_by(AuditEntry.id)).all()
        assert [(e.username, e.action) for e in done] == [("sam", "take"), ("sam", "reply"), ("sam", "release")]


def test_the_queue_puts_the_most_urgent_first_then_the_longest_waiting(staff, app_env):
    from datetime import datetime, timedelta, timezone

    start = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
    waiting = {"normal-old": ("normal", 0), "high-new": ("high", 30), "urgent": ("urgent", 40), "high-old": ("high", 10),
               "normal-new": ("normal", 20), "unranked": (None, 5)}
    with session_scope(app_env) as session:
        for conversation_id, (priority, minutes) in waiting.items():
            session.add(Conversation(id=conversation_id, status="waiting_for_agent", escalation_priority=priority,
                                     escalation_reasons=["asked_for_human"], escalated_at=start + timedelta(minutes=minutes)))
        session.add(Conversation(id="owned", status="agent", agent_name="kim", escalation_priority="urgent",
                                 escalated_at=start + timedelta(minutes=50)))
        session.add(Conversation(id="with-the-bot", status="bot"))
    log_in(staff, "sam", "sam-password")
    listed = staff.get("/api/agent/queue", params={"status": "waiting_for_agent"}).json()["conversations"]
    assert [c["conversation_id"] for c in listed] == ["urgent", "high-old", "high-new", "normal-old", "normal-new", "unranked"]
    assert {c["status"] for c in listed} == {"waiting_for_agent"}
    assert [c["conversation_id"] for c in staff.get("/api/agent/queue", params={"status": "agent"}).json()["conversations"]] == ["owned"]
    everyone = [c["conversation_id"] for c in staff.get("/api/agent/queue").json()["conversations"]]
    assert everyone[:2] == ["urgent", "owned"] and "with-the-bot" not in everyone
    assert staff.get("/api/agent/queue", params={"status": "bot"}).status_code == 422
    assert staff.get("/api/agent/conversations").status_code in (404, 405)  # the queue has one address


def test_only_the_owner_or_an_admin_hands_a_conversation_back(staff, app_env):
    assert post(staff, "I need a person").status_code == 200
    add_user(app_env, "kim", "kim-password", "agent")
    log_in(staff, "sam", "sam-password")
    assert staff.post("/api/agent/conversations/conv-1/take").status_code == 200
    with TestClient(staff.app) as other:
        log_in(other, "kim", "kim-password")
        refused = other.post("/api/agent/conversations/conv-1/release")
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "handoff_conflict"
        assert "sam owns this conversation" in refused.json()["error"]["message"]
        log_in(other, "admin", "admin-password")
        released = other.post("/api/agent/conversations/conv-1/release")
        assert released.status_code == 200 and released.json()["status"] == "bot"
    with session_scope(app_env) as session:
        assert session.get(Conversation, "conv-1").agent_name is None


def test_the_queue_filters_by_reasons_as_stored(staff, app_env):
    from kizuna.db.models import RetentionDecision, TurnAnalysis

    assert post(staff, "cancel my order").status_code == 200
    with session_scope(app_env) as session:  # as the turn analysis stores an offer on a risky intent
        said = session.scalar(select(Message).where(Message.conversation_id == "conv-1", Message.direction == "in"))
        turn = TurnAnalysis(conversation_id="conv-1", turn_key="t-1", message=said, intent="cancel_order")
        session.add(turn)
        session.flush()
        session.add(RetentionDecision(turn_analysis_id=turn.id, conversation_id="conv-1", action="offer", offer_id="save20",
                                      reasons=["risky_intent:cancel_order", "expected_gain_positive"], explanation="Offer save20."))
    log_in(staff, "sam", "sam-password")
    queue = staff.get("/api/agent/queue", params={"reason": "risky_intent:cancel_order"})
    assert queue.status_code == 200
    assert [(c["conversation_id"], c["status"]) for c in queue.json()["conversations"]] == [("conv-1", "flagged")]
    assert staff.get("/api/agent/queue", params={"reason": "risky_intent:delete_account"}).json()["conversations"] == []
    assert staff.get("/api/agent/queue", params={"reason": "<script>"}).status_code == 422


def test_the_console_queue_view_notes_resolve_and_analytics(staff, app_env):
    from kizuna.db.models import Conversation

    client = staff
    assert post(client, "<script>alert(1)</script> I want a human").status_code == 200
    with session_scope(app_env) as session:
        conversation = session.get(Conversation, "conv-1")
        conversation.status, conversation.escalation_priority, conversation.escalation_reasons = "waiting_for_agent", "normal", ["asked_for_human"]
    log_in(client, "sam", "sam-password")
    queue = client.get("/api/agent/queue", params={"reason": "asked_for_human", "assignee": "nobody"}).json()["conversations"]
    assert [c["conversation_id"] for c in queue] == ["conv-1"] and queue[0]["last_message"].startswith("<script>")
    assert client.get("/api/agent/queue", params={"reason": "strongly_negative_trend"}).json()["conversations"] == []
    assert client.get("/api/agent/queue", params={"tier": "<b>"}).status_code == 422
    note = client.post("/api/agent/conversations/conv-1/notes", json={"text": "called them back"})
    assert note.status_code == 201 and note.json()["author"] == "sam"
    view = client.get("/api/agent/conversations/conv-1").json()
    assert [m["sender"] for m in view["transcript"]] == ["customer", "bot", "bot"] and view["notes"][0]["text"] == "called them back"
    assert "note" not in str(history(client).json())  # the customer never sees notes
    assert client.get("/api/agent/conversations/conv-1/sentiment.svg").headers["content-type"].startswith("image/svg+xml")
    assert client.post("/api/agent/conversations/conv-1/resolve", json={"outcome": "maybe"}).status_code == 422
    resolved = client.post("/api/agent/conversations/conv-1/resolve", json={"outcome": "retained"})
    assert resolved.json() == {"conversation_id": "conv-1", "status": "resolved", "outcome": "retained"}
    assert client.post("/api/agent/conversations/conv-1/resolve", json={"outcome": "lost"}).status_code == 409
    assert client.get("/api/agent/queue", params={"status": "resolved"}).json()["conversations"][0]["outcome"] == "retained"
    analytics = client.get("/api/analytics", params={"days": 7}).json()
    assert len(analytics["activity"]) == 7 and sum(d["conversations"] for d in analytics["activity"]) >= 1
    for name in ("conversations", "sentiment", "flags", "offers"):
        chart = client.get(f"/api/analytics/charts/{name}.svg")
        assert chart.status_code == 200 and chart.text.lstrip().startswith("<?xml")
    assert client.get("/api/analytics/charts/../../etc.svg").status_code == 404
    assert len(client.get("/api/agent/canned-replies").json()["replies"]) >= 5


def test_trainers_see_analytics_but_not_conversations(staff, app_env):
    add_user(app_env, "tina", "tina-password", "trainer")
    log_in(staff, "tina", "tina-password")
    assert staff.get("/api/analytics").status_code == 200
    assert staff.get("/api/agent/queue").status_code == 403
    assert staff.get("/agent", follow_redirects=False).status_code in (302, 303, 403)


@pytest.fixture
def strict_client(app_env, tmp_path, rasa):
    ensure_secrets(tmp_path / "var")
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1,
                        rate_limit_per_conversation="3/minute", rate_limit_per_address="5/minute")
    with TestClient(create_app(settings, rasa=rasa)) as test_client:
        yield test_client


def test_too_many_messages_get_429_with_retry_after_and_nothing_stored(strict_client, app_env):
    for number in range(3):
        assert post(strict_client, f"message {number}", client_id=f"m-{number}").status_code == 200
    stored = message_count(app_env)
    refused = post(strict_client, "one too many", client_id="m-3")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert message_count(app_env) == stored
    assert post(strict_client, "another conversation", client_id="x-1", conversation="conv-2").status_code == 200
    by_address = post(strict_client, "still the same address", client_id="x-2", conversation="conv-2")
    assert by_address.status_code == 200
    assert post(strict_client, "the address limit", client_id="x-3", conversation="conv-3").status_code == 429


def test_an_empty_bot_answer_becomes_an_apology(client, rasa, app_env):
    async def silent(conversation_id, text, metadata, *, is_command=False):
        return []

    rasa.send = silent
    body = post(client, "hello?").json()
    assert body["replies"][0]["text"].startswith("Sorry, I'm having a technical problem")
    with session_scope(app_env) as session:
        assert session.scalar(select(Message.status).where(Message.direction == "in")) == "unanswered"


def _leave_mid_turn(client, app_env, conversation: str, client_id: str, seconds_ago: float) -> None:
    """What a console that stopped mid-turn leaves behind: the message stored, no reply, still waiting."""
    from datetime import datetime, timedelta, timezone

    from kizuna.db import conversations as store

    with session_scope(app_env) as session:
        conversation_secrets(client)[conversation] = store.open_conversation(session, conversation, None)
        stored = store.store_inbound(session, conversation, "where is my parcel?", client_id, None)
        stored.message.created_at = datetime.now(timezone.utc) - timedelta(seconds=seconds_ago)


def test_a_resent_message_whose_console_stopped_mid_turn_gets_the_apology_once(client, rasa, app_env):
    _leave_mid_turn(client, app_env, "conv-orphan", "m-9", seconds_ago=60)
    first = post(client, "where is my parcel?", "m-9", conversation="conv-orphan").json()
    again = post(client, "where is my parcel?", "m-9", conversation="conv-orphan").json()
    assert first["duplicate"] and [r["sender"] for r in first["replies"]] == ["system"]
    assert [(r["id"], r["text"]) for r in again["replies"]] == [(r["id"], r["text"]) for r in first["replies"]]  # the same answer
    assert rasa.received == []  # Rasa already saw it before the console stopped: not sent twice
    with session_scope(app_env) as session:
        messages = session.scalars(select(Message).where(Message.conversation_id == "conv-orphan")).all()
        assert [(m.direction, m.status) for m in messages] == [("in", "bot_failed"), ("out", "sent")]


def test_a_resend_while_the_turn_may_still_be_running_gets_no_apology(client, rasa, app_env):
    _leave_mid_turn(client, app_env, "conv-busy", "m-10", seconds_ago=1)
    body = post(client, "where is my parcel?", "m-10", conversation="conv-busy").json()
    assert body["duplicate"] and body["replies"] == []
    with session_scope(app_env) as session:
        assert session.scalars(select(Message.status).where(Message.conversation_id == "conv-busy")).all() == ["received"]


# --- a conversation id is not a key ------------------------------------------------------------------

def test_only_the_first_reply_carries_the_secret_and_only_its_holder_gets_in(client, rasa, app_env):
    first = post(client).json()
    assert len(first["conversation_secret"]) >= 43
    assert post(client, "again", client_id="m-2").json()["conversation_secret"] is None
    assert history(client).status_code == 200
    with session_scope(app_env) as session:  # only its hash is stored
        assert session.get(Conversation, "conv-1").secret_hash not in (None, first["conversation_secret"])


@pytest.mark.parametrize("headers", [{}, {"X-Conversation-Secret": "wrong-secret"}, {"X-Conversation-Secret": ""}])
def test_without_its_secret_a_conversation_cannot_be_read_or_posted_to(client, rasa, app_env, headers):
    post(client, "my address is 1 Secret Lane")
    stored, forwarded = message_count(app_env), len(rasa.received)
    read = client.get("/api/conversations/conv-1/messages", headers=headers)
    assert read.status_code == 404 and read.json()["error"]["code"] == "unknown_conversation"
    assert "Secret Lane" not in read.text
    posted = client.post("/api/conversations/conv-1/messages", json={"text": "I'm in", "client_message_id": "x-1"}, headers=headers)
    assert posted.status_code == 404 and posted.json()["error"]["code"] == "unknown_conversation"
    assert message_count(app_env) == stored and len(rasa.received) == forwarded
    assert client.get("/api/conversations/never-was/messages", headers=headers).json()["error"]["code"] == "unknown_conversation"


def test_a_secret_does_not_open_another_conversation_or_one_that_does_not_exist(client):
    post(client, conversation="conv-a")
    post(client, conversation="conv-b")
    other = {"X-Conversation-Secret": conversation_secrets(client)["conv-a"]}
    assert client.get("/api/conversations/conv-b/messages", headers=other).status_code == 404
    assert client.post("/api/conversations/conv-new/messages", json={"text": "hi", "client_message_id": "n-1"},
                       headers=other).status_code == 404


def test_conversations_from_before_secrets_are_refused(client, app_env):
    with session_scope(app_env) as session:
        session.add(Conversation(id="old-one", status="bot"))
    assert client.get("/api/conversations/old-one/messages").status_code == 404
    assert post(client, conversation="old-one").status_code == 404
    with live(client, "old-one") as socket:
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
    assert closed.value.code == 4404


@pytest.mark.parametrize("secret", [None, "wrong-secret", "\u00e9"])
def test_the_live_connection_needs_the_secret(client, secret):
    post(client, "my address is 1 Secret Lane")
    with live(client, secret=secret or "") as socket:  # "" sends no secret: as if the conversation were new
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
    assert closed.value.code == 4404


def test_the_live_connection_starts_with_the_auth_frame(client):
    post(client)
    with client.websocket_connect("/api/conversations/conv-1/live") as socket:
        socket.send_json({"text": "hi", "client_message_id": "m-5"})
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
    assert closed.value.code == 1008


def test_a_binary_frame_gets_close_code_1003(client):
    post(client)
    with live(client) as socket:
        assert socket.receive_json()["type"] == "hello"
        socket.send_bytes(b'{"text": "hi", "client_message_id": "m-7"}')
        for _ in range(10):  # the replay, then the close
            try:
                socket.receive_json()
            except WebSocketDisconnect as closed:
                assert closed.code == 1003
                break
        else:
            pytest.fail("the connection stayed open")
    assert post(client, "still here", client_id="m-8").status_code == 200


def test_the_secret_is_sent_with_cors(client):
    preflight = client.options("/api/conversations/c-1/messages", headers={
        "Origin": "https://shop.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "x-conversation-secret"})
    assert preflight.status_code == 200 and "x-conversation-secret" in preflight.headers["access-control-allow-headers"].lower()


# --- typed text is never an intent command -----------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "/accept_offer", "/ /accept_offer", "/\u00a0/accept_offer", '/\t/delete_account{"email":"x@example.com"}',
    "//accept_offer", "\u200b/accept_offer", "\ufeff/accept_offer", "/\u2028/accept_offer", "/\u3000/ /\u2003/accept_offer",
    "\uff0faccept_offer", "/\u0301/accept_offer", "/\u200d\u2060/accept_offer", " \n /accept_offer",
])
def test_typed_commands_reach_rasa_as_plain_text(client, rasa, typed):
    assert post(client, typed).status_code == 200
    sent = rasa.received[-1][1]
    assert sent[0].isalnum() and ("accept_offer" in sent or "delete_account" in sent)
    assert rasa.commands[-1] is False


def test_only_an_offered_button_is_a_command_with_its_exact_entities(client, rasa, monkeypatch):
    offered = '/track_order{"order_id":"10023"}'

    async def offer_orders(conversation_id, text, metadata, *, is_command=False):
        rasa.received.append((conversation_id, text, metadata))
        rasa.commands.append(is_command)
        if is_command:
            return [BotReply(text="It is on its way.")]
        return [BotReply(text="Which order?", buttons=[{"title": "10023", "payload": offered}])]

    monkeypatch.setattr(rasa, "send", offer_orders)
    post(client, "where is my order?")
    refused = post(client, "10024", client_id="m-2", payload='/track_order{"order_id":"10024"}')
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "unknown_payload"
    chosen = post(client, "10023", client_id="m-3", payload=offered)
    assert chosen.status_code == 200 and rasa.received[-1][1] == offered and rasa.commands[-1] is True
    assert post(client, "10023", client_id="m-4", payload=offered).status_code == 422  # offered once, used once


# --- input limits ------------------------------------------------------------------------------------

def test_a_chunked_body_over_the_cap_is_refused(client, app_env):
    def ten_megabytes():
        yield b'{"text": "'
        for _ in range(160):
            yield b"x" * 65536
        yield b'", "client_message_id": "big"}'

    response = client.post("/api/conversations/c/messages", content=ten_megabytes(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert message_count(app_env) == 0


@pytest.mark.parametrize("field", ["text", "customer_token", "payload"])
def test_a_lone_surrogate_is_a_422(client, rasa, app_env, field):
    body = {"text": "hi", "client_message_id": "s-1", field: "PLACEHOLDER"}
    raw = json.dumps(body).replace("PLACEHOLDER", "/x{\\ud800}" if field == "payload" else "a\\ud800b").encode()
    response = client.post("/api/conversations/c/messages", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"
    assert message_count(app_env) == 0 and rasa.received == []


def test_a_lone_surrogate_over_the_live_connection_is_an_error_frame(client, rasa):
    with live(client, "surrogate") as socket:
        assert socket.receive_json()["type"] == "hello"
        socket.send_text('{"text": "a\\ud800", "client_message_id": "s-2"}')
        error = socket.receive_json()
        assert error["type"] == "error" and error["code"] == "invalid_message"
    assert rasa.received == []


# --- demo sign-in ------------------------------------------------------------------------------------

def demo_token_on(client, customer: str) -> bool:
    return "data-customer-token" in client.get("/", params={"as": customer}).text


def test_demo_sign_in_is_never_for_an_imported_customer(demo_client, app_env, tmp_path, monkeypatch):
    from turn_core.customer_import import import_files

    (tmp_path / "customers.csv").write_text("customer_id,name,signed_up,email\nREAL-1,Ada Byron,2025-01-05,ada@shop.test\n"
                                            "C0002,Bo Li,2025-01-05,bo@shop.test\n")
    (tmp_path / "orders.csv").write_text("order_id,customer_id,placed_at,total\nR-1,REAL-1,2025-02-01,19.90\n")
    with session_scope(app_env) as session:
        import_files(session, tmp_path / "customers.csv", tmp_path / "orders.csv", None)
    assert demo_token_on(demo_client, "C0003")
    assert not demo_token_on(demo_client, "REAL-1")
    assert not demo_token_on(demo_client, "C0002")  # a demo customer overwritten by an import is a real one now


def test_demo_sign_in_stops_when_the_demo_shop_is_gone(demo_client, app_env, monkeypatch):
    from kizuna.db.models import Customer

    assert demo_token_on(demo_client, "C0003")
    with session_scope(app_env) as session:
        session.scalar(select(Customer).where(Customer.external_id == "C0001")).email = "someone@shop.test"
    assert not demo_token_on(demo_client, "C0003") and "Demo:" not in demo_client.get("/").text


# --- logs ----------------------------------------------------------------------------------------------

def test_server_log_lines_name_no_conversation():
    import logging

    from console.log_privacy import HideConversationIds

    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, '%s - "WebSocket %s" [accepted]',
                               (("127.0.0.1", 5000), "/api/conversations/w-1234abcd/live?after=3"), None)
    assert HideConversationIds().filter(record)
    assert "w-1234abcd" not in record.getMessage() and "/api/conversations/-/live?after=3" in record.getMessage()
    access = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/api/agent/conversations/w-99/messages", "1.1", 200), None)
    HideConversationIds().filter(access)
    assert "w-99" not in access.getMessage() and access.args[4] == 200


def test_the_staff_live_feed_is_for_logged_in_agents_of_this_site(staff, app_env):
    post(staff, "I need a person")
    with pytest.raises(WebSocketDisconnect):  # logged out
        with staff.websocket_connect("/api/agent/conversations/conv-1/live"):
            pass
    add_user(app_env, "tess", "tess-password", "trainer")
    log_in(staff, "tess", "tess-password")
    with pytest.raises(WebSocketDisconnect):  # trainers see no conversations
        with staff.websocket_connect("/api/agent/conversations/conv-1/live"):
            pass
    log_in(staff, "sam", "sam-password")
    with pytest.raises(WebSocketDisconnect):  # another site's page, riding on the cookie
        with staff.websocket_connect("/api/agent/conversations/conv-1/live", headers={"Origin": "https://evil.example"}):
            pass
    with staff.websocket_connect("/api/agent/conversations/conv-1/live") as feed:
        assert post(staff, "still waiting", client_id="m-2").status_code == 200
        assert feed.receive_json()["message"]["text"] == "still waiting"


def test_a_signed_in_customers_conversation_needs_their_valid_token_on_every_turn(client, tmp_path, rasa, app_env):
    assert post(client, customer_token=token_for(tmp_path, "C0001")).json()["identity"] == "customer"
    sent_to_rasa = len(rasa.received)
    for client_id, extra in [("m-2", {}), ("m-3", {"customer_token": token_for(tmp_path, "C0001", ttl=-1)}),
                             ("m-4", {"customer_token": "forged:1:00"})]:
        response = post(client, "cancel my order", client_id=client_id, **extra)  # the secret alone, e.g. stolen
        assert response.status_code == 401 and response.json()["error"]["code"] == "sign_in_again"
    assert len(rasa.received) == sent_to_rasa
    with session_scope(app_env) as session:
        assert session.scalar(select(func.count()).select_from(Message).where(Message.direction == "in")) == 1
    assert post(client, "thanks", client_id="m-5", customer_token=token_for(tmp_path, "C0001")).status_code == 200


def test_a_button_turn_is_stored_as_the_title_the_bot_showed(client):
    post(client)
    response = post(client, "No, keep it", client_id="m-2", payload="/affirm")  # the client lies about what was pressed
    assert response.status_code == 200 and response.json()["message"]["text"] == "Yes"
