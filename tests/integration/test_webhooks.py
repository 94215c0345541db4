"""Webhooks end to end: real HTTP receivers started here (the documented example among them), real databases.
Signed deliveries, backoff after failures, dead letters and their retry, one delivery per event across two
workers, and the events of escalations, resolutions and accepted chat offers."""

from __future__ import annotations

import importlib.util
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select as sql_select, update

from actions.offline_contact import _queue as queue_for_an_agent
from console.app import create_app
from kizuna.accounts import create_user
from kizuna.db import webhooks
from kizuna.db.engine import session_factory, session_scope
from kizuna.db.models import Conversation, Customer, WebhookDelivery
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings, get_settings
from operations.cli import main as kizuna_cli
from outreach import webhook_delivery
from outreach.backoff import BACKOFF
from outreach.webhook_delivery import deliver_due
from outreach.webhook_signing import sign
from tests.retention.test_dialogue import Chat, fixed_sentiment, set_profile, treated_customer  # noqa: F401 (fixture)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "webhook_receiver.py"
ALL_EVENTS = list(webhooks.EVENT_TYPES)
LOCAL_RECEIVERS = Settings(webhook_allow_private_targets=True)  # KIZUNA_WEBHOOK_ALLOW_PRIVATE=1: the receivers run here


def load_example():
    spec = importlib.util.spec_from_file_location("webhook_receiver_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


example = load_example()


class ScriptedReceiver:
    """An HTTP receiver that checks each delivery with the example's verify and answers as scripted."""

    def __init__(self) -> None:
        self.secret = ""
        self.answers: list[int] = []  # answered in order; `default` once they run out
        self.default = 204
        self.delay = 0.0
        self.received: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/kizuna"

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(request["body"]) for request in self.received]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    example.verify(receiver.secret, body, self.headers.get("Kizuna-Signature", ""))
                    verified = True
                except example.InvalidSignature:
                    verified = False
                with receiver._lock:
                    receiver.received.append({"body": body, "headers": dict(self.headers), "verified": verified})
                    status = receiver.answers.pop(0) if receiver.answers else receiver.default
                time.sleep(receiver.delay)
                self.send_response(status if verified else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = ScriptedReceiver()
    yield running
    running.close()


def counts(delivered: int = 0, retrying: int = 0, dead: int = 0, deferred: int = 0) -> dict[str, int]:
    """What deliver_due reports."""
    return {"delivered": delivered, "retrying": retrying, "dead": dead, "deferred": deferred}


def add_endpoint(url: str, target: str, events: list[str] = ALL_EVENTS) -> tuple[int, str]:
    with session_scope(url) as session:
        endpoint, secret = webhooks.create_endpoint(session, target, events, "admin", "test receiver", allow_private_targets=True)
        return endpoint.id, secret


def enqueue(url: str, event_type: str = "offer.issued", data: Optional[dict[str, Any]] = None,
            now: Optional[datetime] = None) -> Optional[str]:
    with session_scope(url) as session:
        return webhooks.enqueue_event(session, event_type, data or {"customer_external_id": "C0001"}, now)


def deliveries(url: str) -> list[WebhookDelivery]:
    with session_scope(url) as session:
        return list(session.scalars(sql_select(WebhookDelivery).order_by(WebhookDelivery.id)))


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post_raw(target: str, body: bytes, signature: str) -> int:
    request = urllib.request.Request(target, data=body, method="POST",
                                     headers={"Content-Type": "application/json", "Kizuna-Signature": signature})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def read_line(stream, timeout: float = 10.0) -> str:
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, "the example receiver printed nothing"
    return stream.readline()


# --- the example receiver, run as documented --------------------------------------------------------


def test_the_documented_example_receiver_verifies_a_real_delivery_and_rejects_replays(sqlite_url):
    endpoint_port = free_port()
    target = f"http://127.0.0.1:{endpoint_port}/"
    _, secret = add_endpoint(sqlite_url, target, ["offer.issued"])
    process = subprocess.Popen([sys.executable, str(EXAMPLE), "--port", str(endpoint_port)], text=True,
                               env={**os.environ, "KIZUNA_WEBHOOK_SECRET": secret},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert "listening on" in read_line(process.stderr)
        event_id = enqueue(sqlite_url, "offer.issued", {"customer_external_id": "C0007", "offer_id": "save20"})
        assert deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=datetime.now(timezone.utc)) == counts(delivered=1)
        printed = json.loads(read_line(process.stdout))
        assert printed["id"] == event_id and printed["type"] == "offer.issued"
        assert printed["data"] == {"customer_external_id": "C0007", "offer_id": "save20"}

        body = json.dumps(printed, separators=(",", ":")).encode()
        assert post_raw(target, body, sign(secret, body, int(time.time()) - 6 * 60)) == 401  # a replay, 6 minutes on
        assert post_raw(target, body, sign("whsec_not-the-secret", body)) == 401
        assert post_raw(target, body + b" ", sign(secret, body)) == 401
        assert post_raw(target, body, sign(secret, body)) == 204  # the same event again: accepted, handled once
        second = enqueue(sqlite_url, "offer.issued", {"customer_external_id": "C0008", "offer_id": "save20"})
        deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=datetime.now(timezone.utc))
        assert json.loads(read_line(process.stdout))["id"] == second  # not the duplicate
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- delivery, retries, dead letters ------------------------------------------------------------------


def test_a_delivery_is_signed_with_the_endpoints_secret_and_carries_the_event_headers(sqlite_url, receiver):
    _, receiver.secret = add_endpoint(sqlite_url, receiver.url)
    event_id = enqueue(sqlite_url, "conversation.resolved", {"conversation_id": "c-1", "customer_external_id": "C0001"})
    assert deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=datetime.now(timezone.utc))["delivered"] == 1
    [request] = receiver.received
    assert request["verified"]
    assert request["headers"]["Kizuna-Event-Id"] == event_id and request["headers"]["Kizuna-Event-Type"] == "conversation.resolved"
    assert request["headers"]["Content-Type"] == "application/json"
    [delivery] = deliveries(sqlite_url)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)
    assert deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=datetime.now(timezone.utc)) == counts()
    assert len(receiver.received) == 1


def test_failures_back_off_1m_5m_30m_2h_6h_then_the_delivery_is_dead_and_can_be_retried(database_url, receiver):
    _, receiver.secret = add_endpoint(database_url, receiver.url)
    receiver.default = 500
    start = datetime.now(timezone.utc)
    enqueue(database_url, now=start)
    sessions, moment, gaps = session_factory(database_url), start, []
    for tries in range(1, 7):
        assert deliver_due(sessions, LOCAL_RECEIVERS, now=moment - timedelta(seconds=1)) == counts()
        outcome = deliver_due(sessions, LOCAL_RECEIVERS, now=moment)
        [delivery] = deliveries(database_url)
        assert delivery.attempts == tries and delivery.last_error == "HTTP 500" and delivery.last_status_code == 500
        if tries < 6:
            assert outcome == counts(retrying=1) and delivery.status == "pending"
            gaps.append(aware(delivery.next_attempt_at) - moment)
            moment = aware(delivery.next_attempt_at)
    assert outcome == counts(dead=1) and delivery.status == "dead"
    assert gaps == list(BACKOFF) == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                                     timedelta(hours=2), timedelta(hours=6)]
    assert len(receiver.received) == 6 and all(request["verified"] for request in receiver.received)
    assert deliver_due(sessions, LOCAL_RECEIVERS, now=moment + timedelta(days=1))["dead"] == 0  # a dead one is not sent again

    with session_scope(database_url) as session:
        assert [dead.id for dead in webhooks.dead_deliveries(session)] == [delivery.id]
        assert webhooks.delivery_counts(session) == {"pending": 0, "delivered": 0, "dead": 1}
        webhooks.retry_delivery(session, delivery.id, moment)
    receiver.default = 200
    assert deliver_due(sessions, LOCAL_RECEIVERS, now=moment) == counts(delivered=1)
    with session_scope(database_url) as session:
        assert webhooks.delivery_counts(session) == {"pending": 0, "delivered": 1, "dead": 0}
        with pytest.raises(webhooks.WebhookError, match="only a dead delivery"):
            webhooks.retry_delivery(session, delivery.id, moment)
        with pytest.raises(webhooks.WebhookError, match="no webhook delivery"):
            webhooks.retry_delivery(session, 999_999, moment)
    assert {json.loads(request["body"])["id"] for request in receiver.received} == {delivery.event_id}


def test_a_worker_that_dies_mid_send_has_used_up_the_try(sqlite_url, receiver):
    _, receiver.secret = add_endpoint(sqlite_url, receiver.url)
    now = datetime.now(timezone.utc)
    enqueue(sqlite_url, now=now)
    [pending] = deliveries(sqlite_url)
    with session_scope(sqlite_url) as session:  # claimed, then the worker is gone before it could record anything
        assert webhooks.claim_delivery(session, pending.id, now, now + webhook_delivery.CLAIM_LEASE) is not None
    assert deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=now) == counts()  # still leased

    assert deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=now + webhook_delivery.CLAIM_LEASE) == counts(delivered=1)
    [delivered] = deliveries(sqlite_url)
    assert (delivered.status, delivered.attempts) == ("delivered", 2) and len(receiver.received) == 1


def test_timeouts_connection_errors_and_redirects_are_retried(sqlite_url, receiver, monkeypatch):
    monkeypatch.setattr(webhook_delivery, "TIMEOUT", httpx.Timeout(0.5))
    _, receiver.secret = add_endpoint(sqlite_url, receiver.url, ["offer.issued"])
    add_endpoint(sqlite_url, f"http://127.0.0.1:{free_port()}/nobody-listens", ["offer.redeemed"])
    receiver.answers, receiver.delay = [302], 0.0
    enqueue(sqlite_url, "offer.issued")
    enqueue(sqlite_url, "offer.redeemed")
    now = datetime.now(timezone.utc)
    assert deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=now) == counts(retrying=2)
    redirected, refused = deliveries(sqlite_url)
    assert redirected.last_error == "HTTP 302" and refused.last_error.startswith("connection error")
    receiver.delay = 1.5
    later = now + timedelta(minutes=1)
    assert deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=later)["retrying"] == 2
    slow, _ = deliveries(sqlite_url)
    assert slow.last_error == "timeout" and aware(slow.next_attempt_at) == later + timedelta(minutes=5)


def test_an_endpoint_that_does_not_answer_holds_up_only_its_own_deliveries(sqlite_url, receiver):
    _, receiver.secret = add_endpoint(sqlite_url, receiver.url, ["offer.issued"])
    add_endpoint(sqlite_url, f"http://127.0.0.1:{free_port()}/nobody-listens", ["offer.redeemed"])
    now = datetime.now(timezone.utc)
    for _ in range(3):
        enqueue(sqlite_url, "offer.redeemed", now=now)
        enqueue(sqlite_url, "offer.issued", now=now)
    assert deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=now) == counts(delivered=3, retrying=1, deferred=2)
    waiting = [d for d in deliveries(sqlite_url) if d.event_type == "offer.redeemed"]
    assert sorted(d.attempts for d in waiting) == [0, 0, 1]  # the deferred ones lost no try
    assert deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=now) == counts(retrying=1, deferred=1)


def test_only_http_urls_are_ever_called(sqlite_url, receiver):
    endpoint_id, receiver.secret = add_endpoint(sqlite_url, receiver.url)
    with session_scope(sqlite_url) as session:  # as if the stored URL had been changed behind kizuna's back
        session.get(webhooks.WebhookEndpoint, endpoint_id).url = "file:///etc/passwd"
    enqueue(sqlite_url)
    assert deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=datetime.now(timezone.utc)) == counts(dead=1)
    [delivery] = deliveries(sqlite_url)
    assert delivery.status == "dead" and delivery.last_error.startswith("refused") and receiver.received == []


@pytest.mark.parametrize("target, message", [
    ("ftp://crm.example.com/hook", "http:// or https://"),
    ("javascript:alert(1)", "http:// or https://"),
    ("file:///etc/passwd", "http:// or https://"),
    ("https://", "no host"),
    ("crm.example.com/hook", "http:// or https://"),
    ("https://user:pw@crm.example.com/hook", "user name or password"),
    ("https://crm.example.com/" + "x" * 500, "longer than 500"),
])
def test_an_endpoint_needs_an_http_url_and_nothing_is_written_otherwise(sqlite_url, target, message):
    with pytest.raises(webhooks.WebhookError, match=message), session_scope(sqlite_url) as session:
        webhooks.create_endpoint(session, target, ["offer.issued"], "admin")
    with session_scope(sqlite_url) as session:
        assert webhooks.list_endpoints(session, include_inactive=True) == []


@pytest.mark.parametrize("events, message", [
    ([], "at least one"), (["offer.issued", "order.placed"], "unknown event type 'order.placed'"), ([""], "unknown event type"),
])
def test_an_endpoint_needs_known_event_types(sqlite_url, events, message):
    with pytest.raises(webhooks.WebhookError, match=message), session_scope(sqlite_url) as session:
        webhooks.create_endpoint(session, "https://crm.example.com/hook", events, "admin")


def test_an_endpoint_gets_only_its_events_and_a_removed_one_gets_nothing(sqlite_url, receiver):
    endpoint_id, receiver.secret = add_endpoint(sqlite_url, receiver.url, ["offer.issued", "offer.issued"])
    with session_scope(sqlite_url) as session:
        [endpoint] = webhooks.list_endpoints(session)
        assert endpoint.events == ["offer.issued"] and endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    assert enqueue(sqlite_url, "conversation.escalated") is None
    enqueue(sqlite_url, "offer.issued")
    with session_scope(sqlite_url) as session:
        webhooks.deactivate_endpoint(session, endpoint_id)
    assert deliver_due(session_factory(sqlite_url), LOCAL_RECEIVERS, now=datetime.now(timezone.utc))["delivered"] == 0
    assert enqueue(sqlite_url, "offer.issued") is None
    [delivery] = deliveries(sqlite_url)
    assert (delivery.status, delivery.last_error) == ("dead", "endpoint removed") and receiver.received == []
    with session_scope(sqlite_url) as session:
        assert webhooks.list_endpoints(session) == []
        with pytest.raises(webhooks.WebhookError, match="was removed"):
            webhooks.retry_delivery(session, delivery.id, datetime.now(timezone.utc))
        with pytest.raises(webhooks.WebhookError, match="no webhook endpoint"):
            webhooks.deactivate_endpoint(session, 999)


def test_two_workers_never_deliver_one_event_twice(database_url, receiver):
    _, receiver.secret = add_endpoint(database_url, receiver.url)
    receiver.delay = 0.02
    now = datetime.now(timezone.utc)
    event_ids = {enqueue(database_url, now=now) for _ in range(30)}
    sessions, results = session_factory(database_url), []
    workers = [threading.Thread(target=lambda: results.append(deliver_due(sessions, LOCAL_RECEIVERS, now=now))) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    received = [event["id"] for event in receiver.events()]
    assert sorted(received) == sorted(event_ids)  # each exactly once
    assert sum(result["delivered"] for result in results) == 30 and len(results) == 2
    assert {delivery.status for delivery in deliveries(database_url)} == {"delivered"}


# --- the events of conversations and chat offers ------------------------------------------------


class QuietRasa:
    async def send(self, conversation_id, text, metadata, *, is_command=False):
        return []

    async def status(self):
        return {"model_id": "fake", "model_file": "fake.tar.gz"}

    async def close(self):
        pass


def personal_data_of(url: str, external_id: str) -> list[str]:
    with session_scope(url) as session:
        customer = session.scalar(sql_select(Customer).where(Customer.external_id == external_id))
        return [value for value in (customer.name, customer.email) if value]


def test_an_escalation_and_a_resolution_are_sent_with_no_personal_data(app_env, tmp_path, receiver, fixed_sentiment):
    _, receiver.secret = add_endpoint(app_env, receiver.url, ["conversation.escalated", "conversation.resolved"])
    customer = treated_customer()
    Chat(app_env, "esc-1", customer).say("I want to talk to a person, annoyed", "contact_human_agent")
    with session_scope(app_env) as session:
        assert session.get(Conversation, "esc-1").status == "waiting_for_agent"

    ensure_secrets(tmp_path / "var")
    with session_scope(app_env) as session:
        create_user(session, "sam", "sam-password", "agent")
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1)
    with TestClient(create_app(settings, rasa=QuietRasa())) as client:
        login = client.post("/api/session", json={"username": "sam", "password": "sam-password"})
        client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        assert client.post("/api/agent/conversations/esc-1/resolve", json={"outcome": "retained"}).status_code == 200
        assert client.post("/api/agent/conversations/esc-1/resolve", json={"outcome": "lost"}).status_code == 409

    assert deliver_due(session_factory(app_env), LOCAL_RECEIVERS, now=datetime.now(timezone.utc))["delivered"] == 2
    escalated, resolved = receiver.events()
    assert all(request["verified"] for request in receiver.received)
    assert escalated["type"] == "conversation.escalated"
    assert escalated["data"] == {"conversation_id": "esc-1", "customer_external_id": customer, "priority": "normal",
                                 "reasons": ["asked_for_human"]}
    assert resolved["type"] == "conversation.resolved"
    assert resolved["data"] == {"conversation_id": "esc-1", "customer_external_id": customer, "outcome": "retained"}
    sent = b"".join(request["body"] for request in receiver.received).decode()
    assert personal_data_of(app_env, customer) and not any(value in sent for value in personal_data_of(app_env, customer))
    assert "annoyed" not in sent  # nor what the customer wrote


def test_a_customer_asking_for_a_person_sends_an_escalation_once(app_env, receiver):
    _, receiver.secret = add_endpoint(app_env, receiver.url, ["conversation.escalated"])
    with session_scope(app_env) as session:
        customer = session.scalar(sql_select(Customer).order_by(Customer.id))
        session.add(Conversation(id="ask-1", customer_id=customer.id, status="bot"))
        external_id = customer.external_id
    now = datetime.now(timezone.utc)
    assert queue_for_an_agent("ask-1", now) == "queued"
    assert queue_for_an_agent("ask-1", now) == "waiting_for_agent"  # already queued: no second event
    deliver_due(session_factory(app_env), LOCAL_RECEIVERS, now=now)
    [event] = receiver.events()
    assert event["data"] == {"conversation_id": "ask-1", "customer_external_id": external_id, "priority": "normal",
                             "reasons": ["asked_for_human"]}


def test_a_chat_offer_accepted_sends_offer_issued_with_its_code(app_env, receiver, fixed_sentiment):
    _, receiver.secret = add_endpoint(app_env, receiver.url, ["offer.issued"])
    customer = treated_customer()
    set_profile(app_env, customer, 0.8, 320, "silver")
    chat = Chat(app_env, "offer-1", customer)
    chat.say("hello there, calm", "greet")
    chat.say("I want to cancel my account, annoyed", "delete_account")
    assert deliveries(app_env) == []  # offered, not yet issued
    chat.say("/accept_offer", "accept_offer")
    deliver_due(session_factory(app_env), LOCAL_RECEIVERS, now=datetime.now(timezone.utc))
    [event] = receiver.events()
    data = event["data"]
    assert event["type"] == "offer.issued" and data["source"] == "chat" and data["customer_external_id"] == customer
    assert data["offer_id"] == "save20" and data["code"].startswith("KZ-") and data["conversation_id"] == "offer-1"
    assert set(data) == {"source", "conversation_id", "customer_external_id", "offer_id", "kind", "code", "valid_until"}


# --- the command line ---------------------------------------------------------------------------------


def test_the_cli_adds_an_endpoint_shows_its_secret_once_and_retries_a_dead_delivery(app_env, receiver, monkeypatch):
    monkeypatch.setenv("KIZUNA_WEBHOOK_ALLOW_PRIVATE", "1")  # the receiver runs here
    get_settings.cache_clear()
    runner = CliRunner()
    refused = runner.invoke(kizuna_cli, ["webhooks", "add", "ftp://x.example", "--event", "offer.issued"])
    assert refused.exit_code != 0 and "http:// or https://" in refused.output and "No endpoint was added" in refused.output
    refused = runner.invoke(kizuna_cli, ["webhooks", "add", receiver.url, "--event", "offer.sent"])
    assert refused.exit_code != 0 and "unknown event type 'offer.sent'" in refused.output

    added = runner.invoke(kizuna_cli, ["webhooks", "add", receiver.url, "--event", "offer.issued,offer.redeemed",
                                       "--description", "CRM"])
    assert added.exit_code == 0, added.output
    receiver.secret = added.output.split("signing secret (shown once, keep it in the receiver): ")[1].strip()
    listed = runner.invoke(kizuna_cli, ["webhooks", "list"])
    assert receiver.url in listed.output and "offer.issued, offer.redeemed" in listed.output and "CRM" in listed.output
    assert receiver.secret not in listed.output + runner.invoke(kizuna_cli, ["webhooks", "list", "--json"]).output

    receiver.default = 503
    enqueue(app_env)
    with session_scope(app_env) as session:  # its tries used up
        session.execute(update(WebhookDelivery).values(attempts=len(BACKOFF)))
    assert deliver_due(session_factory(app_env), LOCAL_RECEIVERS, now=datetime.now(timezone.utc))["dead"] == 1
    dead = runner.invoke(kizuna_cli, ["webhooks", "deliveries", "--dead"])
    assert "dead: 1" in dead.output and "offer.issued" in dead.output and "HTTP 503" in dead.output
    [delivery] = deliveries(app_env)
    assert runner.invoke(kizuna_cli, ["webhooks", "retry", str(delivery.id)]).exit_code == 0
    again = runner.invoke(kizuna_cli, ["webhooks", "retry", str(delivery.id)])
    assert again.exit_code != 0 and "only a dead delivery" in again.output
    receiver.default = 200
    assert deliver_due(session_factory(app_env), LOCAL_RECEIVERS, now=datetime.now(timezone.utc))["delivered"] == 1
    assert "delivered: 1" in runner.invoke(kizuna_cli, ["webhooks", "deliveries"]).output

    endpoint_id = json.loads(runner.invoke(kizuna_cli, ["webhooks", "list", "--json"]).output)["id"]
    assert runner.invoke(kizuna_cli, ["webhooks", "remove", str(endpoint_id)]).exit_code == 0
    assert "no webhook endpoints" in runner.invoke(kizuna_cli, ["webhooks", "list"]).output
    assert runner.invoke(kizuna_cli, ["webhooks", "remove", "999"]).exit_code != 0
