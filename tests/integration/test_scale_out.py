"""Scale-out on one machine: two consoles, two rasa servers and two action servers behind nginx, on
PostgreSQL (app database and Rasa's tracker store) and Redis (Rasa's lock store, live delivery between
consoles). A conversation keeps its state whichever replicas serve its turns, live messages cross console
replicas, every rasa server follows a promotion, and a dead console or rasa server is skipped."""

from __future__ import annotations

import json
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

import httpx
import pytest
import sqlalchemy
from sqlalchemy import func, select
from websockets.sync.client import ClientConnection, connect

from kizuna.customer_tokens import make_token
from kizuna.db.engine import session_scope
from kizuna.db.models import Customer, Message, Order, TurnAnalysis
from kizuna.secrets import load_secrets
from retraining import registry
from tests.integration.cluster import Cluster, Served, cluster_unavailable, running_cluster
from tests.conftest import unavailable
from tests.integration.staff_client import staff_client

pytestmark = pytest.mark.integration
TURN_URI = "/api/conversations/{}/messages"
WEBHOOK_URI = "/webhooks/kizuna/webhook"
APOLOGY_START = "Sorry, I'm having a technical problem"
PROMOTION_SECONDS = 180  # the replicas load one after the other; each load took 20-60 s here


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    reason = cluster_unavailable()
    if reason:
        unavailable(reason)
    with running_cluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running


class Widget:
    """A customer's widget posting turns to one address: nginx, or one console straight."""

    def __init__(self, cluster: Cluster, customer_id: Optional[str] = None, base_url: Optional[str] = None) -> None:
        self.base_url = base_url or cluster.public_url
        self.conversation_id = f"scale-{uuid.uuid4().hex[:10]}"
        self.token = make_token(customer_id, load_secrets(cluster.var_dir)["widget_secret"]) if customer_id else None
        self.sent: list[str] = []
        self.secret: Optional[str] = None  # the conversation's, from the reply to its first message

    def post(self, text: str, payload: Optional[str] = None, base_url: Optional[str] = None) -> dict:
        body = {"text": text, "client_message_id": uuid.uuid4().hex, **({"payload": payload} if payload else {})}
        if self.token:
            body["customer_token"] = self.token
        response = httpx.post(f"{base_url or self.base_url}{TURN_URI.format(self.conversation_id)}", json=body, timeout=60,
                              headers={"X-Conversation-Secret": self.secret} if self.secret else {})
        assert response.status_code == 200, response.text
        self.sent.append(body["client_message_id"])
        self.secret = self.secret or response.json()["conversation_secret"]
        return response.json()

    def say(self, text: str, payload: Optional[str] = None) -> str:
        """The bot's answer, all replies in one string."""
        return " ".join(reply["text"] for reply in self.post(text, payload)["replies"])


@dataclass
class Turn:
    text: str
    expected: list[str]  # what the answer must contain
    payload: Optional[str] = None


@dataclass
class Dialogue:
    widget: Widget
    turns: list[Turn]


def _order(cluster: Cluster, *statuses: str, skip: int = 0) -> Order:
    with session_scope(cluster.database_url) as session:
        return session.scalars(select(Order).where(Order.status.in_(statuses)).order_by(Order.id).offset(skip)).first()


def _owner(cluster: Cluster, order: Order) -> Customer:
    with session_scope(cluster.database_url) as session:
        return session.get(Customer, order.customer_id)


def _dialogues(cluster: Cluster, round_: int) -> list[Dialogue]:
    """Three conversations of three turns; each later turn needs what an earlier one set (an open order number
    form, a proved order, a pending cancellation), wherever that turn was served. A signed-in customer, two
    anonymous ones who prove their order with its e-mail address."""
    shipped, delivered = _order(cluster, "shipped"), _order(cluster, "delivered", skip=round_)
    cancellable = _order(cluster, "placed", "processing", skip=round_)
    return [
        Dialogue(Widget(cluster, customer_id=_owner(cluster, shipped).external_id), [
            Turn("hi there", ["assistant"]),
            Turn("where is my package?", ["order number"]),
            Turn(shipped.order_number, [shipped.order_number, shipped.tracking_number]),
        ]),
        Dialogue(Widget(cluster), [
            Turn(f"I need the invoice for order {delivered.order_number}", ["e-mail address"]),
            Turn(_owner(cluster, delivered).email, [f"INV-{delivered.order_number}"]),
            Turn("thanks", ["welcome"]),
        ]),
        Dialogue(Widget(cluster), [
            Turn(f"please cancel order {cancellable.order_number}", ["e-mail address"]),
            Turn(_owner(cluster, cancellable).email, [cancellable.order_number, "cancel it"]),
            Turn("Yes, cancel it", [f"order {cancellable.order_number} is cancelled"], payload="/affirm"),
        ]),
    ]


def _talk(dialogues: list[Dialogue], steps: range = range(3)) -> None:
    """Turn `step` of each conversation, then the next step, one request at a time (the access logs list turns in this order)."""
    for step in steps:
        for dialogue in dialogues:
            turn = dialogue.turns[step]
            answer = dialogue.widget.say(turn.text, turn.payload)
            assert not answer.startswith(APOLOGY_START), f"{turn.text!r} got the apology"
            assert all(part.lower() in answer.lower() for part in turn.expected), f"{turn.text!r} -> {answer!r}"


def _wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def _turns_logged(cluster: Cluster, log: str) -> list[Served]:
    """Customer turns in an nginx access log: posted to a console (`access`) or to rasa's kizuna channel (`rasa.access`)."""
    return [s for s in cluster.served(log) if s.method == "POST" and (s.uri == WEBHOOK_URI or s.uri.endswith("/messages"))]


def _new_turns(cluster: Cluster, log: str, before: int, count: int) -> list[Served]:
    """The turns logged after the first `before`: all `count` of them, and no more."""
    def logged() -> list[Served]:  # nginx writes a line once the response is sent: it may come a moment after the client has it
        lines = _turns_logged(cluster, log)[before:]
        return lines if len(lines) >= count else []

    lines = _wait_for(logged, 5, f"{count} turns in {log}.log")
    assert len(lines) == count and all(s.status == 200 for s in lines), lines
    return lines


def _tracker_user_texts(cluster: Cluster, conversation_id: str) -> list[str]:
    engine = sqlalchemy.create_engine(cluster.tracker_store_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sqlalchemy.text("SELECT type_name, data FROM events WHERE sender_id = :id ORDER BY id"),
                                      {"id": conversation_id}).all()
    finally:
        engine.dispose()
    return [json.loads(data).get("text") for type_name, data in rows if type_name == "user"]


def test_conversations_keep_their_state_across_console_and_rasa_replicas(cluster):
    dialogues = _dialogues(cluster, round_=0)
    widgets = [dialogue.widget for dialogue in dialogues]
    marks = {log: len(_turns_logged(cluster, log)) for log in ("access", "rasa.access")}
    _talk(dialogues)

    total = sum(len(dialogue.turns) for dialogue in dialogues)
    to_consoles = _new_turns(cluster, "access", marks["access"], total)
    to_rasa = _new_turns(cluster, "rasa.access", marks["rasa.access"], total)  # no more: no turn reached rasa twice
    consoles = {w.conversation_id: [cluster.replica_at(s.upstreams[-1]) for s in to_consoles if w.conversation_id in s.uri]
                for w in widgets}
    rasa = {w.conversation_id: [cluster.replica_at(s.upstreams[-1]) for s in to_rasa[index::len(widgets)]]  # in _talk's order
            for index, w in enumerate(widgets)}
    print(f"\nturns per console: {_count(consoles)}; per rasa server: {_count(rasa)}")
    for widget in widgets:
        assert set(consoles[widget.conversation_id]) == {"console-1", "console-2"}, consoles
        assert set(rasa[widget.conversation_id]) == {"rasa-1", "rasa-2"}, rasa

    for dialogue in dialogues:
        _assert_stored_once_and_analysed_once(cluster, dialogue.widget)
        assert _tracker_user_texts(cluster, dialogue.widget.conversation_id) == [t.payload or t.text for t in dialogue.turns]
    cancelled_number = dialogues[2].turns[0].text.split()[-1]  # "please cancel order <n>"
    with session_scope(cluster.database_url) as session:
        assert session.scalar(select(Order.status).where(Order.order_number == cancelled_number)) == "cancelled"


def _count(served: dict[str, list[str]]) -> dict[str, int]:
    replicas = [name for names in served.values() for name in names]
    return {name: replicas.count(name) for name in sorted(set(replicas))}


def _assert_stored_once_and_analysed_once(cluster: Cluster, widget: Widget) -> None:
    with session_scope(cluster.database_url) as session:
        inbound = session.scalars(select(Message).where(Message.conversation_id == widget.conversation_id, Message.direction == "in")
                                  .order_by(Message.id)).all()
        analyses = dict(session.execute(select(TurnAnalysis.message_id, func.count()).where(
            TurnAnalysis.conversation_id == widget.conversation_id).group_by(TurnAnalysis.message_id)).all())
    assert [m.client_message_id for m in inbound] == widget.sent
    assert all(m.status == "answered" for m in inbound), [m.status for m in inbound]
    assert analyses == {m.id: 1 for m in inbound}


def test_nginx_refuses_bodies_over_the_consoles_cap(cluster):
    response = httpx.post(f"{cluster.public_url}{TURN_URI.format('scale-big')}", content=b"x" * (17 * 1024),
                          headers={"content-type": "application/json"})
    assert response.status_code == 413
    refused = _wait_for(lambda: [r for r in cluster.served("access") if "scale-big" in r.uri], 5, "the refused request in access.log")
    assert refused[-1].upstreams == ("-",)  # nginx refused it itself


@contextmanager
def _live(base_url: str, widget: Widget, after: int = 0) -> Iterator[ClientConnection]:
    url = f"{base_url.replace('http://', 'ws://')}/api/conversations/{widget.conversation_id}/live?after={after}"
    with connect(url, open_timeout=10) as socket:
        socket.send(json.dumps({"type": "auth", "conversation_secret": widget.secret}))
        hello = json.loads(socket.recv(timeout=10))
        assert hello["type"] == "hello", hello
        yield socket


def _receive_until(socket: ClientConnection, done: Callable[[list[dict]], bool], timeout: float = 20) -> list[dict]:
    events: list[dict] = []
    deadline = time.monotonic() + timeout
    while not done(events):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"gave up waiting; received {events}"
        try:
            events.append(json.loads(socket.recv(timeout=remaining)))
        except TimeoutError:
            raise AssertionError(f"gave up waiting; received {events}")
    return events


def _messages(events: list[dict]) -> list[dict]:
    return [e["message"] for e in events if e["type"] == "message" and not e.get("replay")]


def test_a_widget_on_one_console_sees_a_turn_posted_to_the_other(cluster):
    console_a, console_b = cluster.url("console-1"), cluster.url("console-2")
    widget = Widget(cluster, base_url=console_a)
    widget.post("hi")  # starts the conversation: its secret opens the live connection
    with _live(console_b, widget) as on_b:
        turn = widget.post("where is my package?")
        expected = [turn["message"]["id"], *(reply["id"] for reply in turn["replies"])]
        events = _receive_until(on_b, lambda events: len(_messages(events)) >= len(expected))
    assert turn["replies"] and "order number" in turn["replies"][0]["text"]
    assert [m["id"] for m in _messages(events)] == expected
    assert _messages(events)[0]["text"] == "where is my package?" and _messages(events)[1]["sender"] == "bot"
    with _live(cluster.public_url, widget, after=turn["message"]["id"] - 1) as through_nginx:  # nginx upgrades the live connection too
        replayed = _receive_until(through_nginx, lambda events: len(events) >= len(expected))
    assert [e["message"]["id"] for e in replayed] == expected


def test_an_agent_on_one_console_takes_over_a_customer_on_the_other(cluster):
    console_a, console_b = cluster.url("console-1"), cluster.url("console-2")
    widget = Widget(cluster, base_url=console_b)
    assert widget.post("hello")["replies"]
    staff = staff_client(console_a, "admin", load_secrets(cluster.var_dir)["admin_password"])
    base = f"/api/agent/conversations/{widget.conversation_id}"
    with _live(console_b, widget) as customer_on_b, _live(console_a, widget, after=10**9) as agent_on_a:
        assert staff.post(f"{base}/take").json()["agent"] == "admin"
        status = _receive_until(customer_on_b, lambda events: any(e["type"] == "status" for e in events))
        assert status[-1] == {"type": "status", "status": "agent", "agent": "admin"}
        assert staff.post(f"{base}/messages", json={"text": "Hi, I'm Alex from the team."}).status_code == 200
        to_customer = _receive_until(customer_on_b, lambda events: bool(_messages(events)))
        assert [(m["sender"], m["text"]) for m in _messages(to_customer)] == [("agent", "Hi, I'm Alex from the team.")]

        turn = widget.post("great, my parcel still hasn't arrived")
        assert turn["replies"] == []  # the agent owns the conversation: the bot stays silent
        at_agent = _receive_until(agent_on_a, lambda events: any(m["sender"] == "customer" for m in _messages(events)))
    customer_messages = [m for m in _messages(at_agent) if m["sender"] == "customer"]
    assert [m["id"] for m in customer_messages] == [turn["message"]["id"]]
    assert "great, my parcel still hasn't arrived" not in _tracker_user_texts(cluster, widget.conversation_id)
    with session_scope(cluster.database_url) as session:
        assert session.get(Message, turn["message"]["id"]).status == "for_agent"


def test_every_rasa_server_loads_a_newly_promoted_model(cluster):
    promoted = cluster.folder / "promoted" / f"assistant-promoted-{uuid.uuid4().hex[:8]}.tar.gz"
    promoted.parent.mkdir(exist_ok=True)
    shutil.copy(cluster.model, promoted)
    with session_scope(cluster.database_url) as session:
        registry.promote(session, registry.record(session, "nlu", promoted.name.removesuffix(".tar.gz"), str(promoted),
                                                  note="a copy of the serving model"))
    started = time.monotonic()

    def serving_everywhere() -> bool:
        return all(_served_model(cluster, name) == promoted.name for name in ("rasa-1", "rasa-2"))

    # Each notices within 5 s; loading takes 10-20 s on 2 idle cores, far longer when the machine is busy.
    _wait_for(serving_everywhere, PROMOTION_SECONDS, f"both rasa servers serving {promoted.name}")
    print(f"\nboth rasa servers serve the promoted model after {time.monotonic() - started:.1f} s")
    _talk(_dialogues(cluster, round_=1)[:1])  # and they still answer, with the tracker store they had
    secrets = load_secrets(cluster.var_dir)
    for log in (cluster.folder / "logs").glob("*.log"):  # the followers' status checks must not log the token
        text = log.read_text(errors="replace")
        assert secrets["rasa_token"] not in text and secrets["action_token"] not in text, f"a token in {log}"


def _served_model(cluster: Cluster, name: str) -> Optional[str]:
    try:
        status = httpx.get(f"{cluster.url(name)}/status", params={"token": cluster.rasa_token}, timeout=5).json()
    except (httpx.HTTPError, ValueError):
        return None
    return (status.get("model_file") or "").rsplit("/", 1)[-1]


def test_a_dead_console_and_a_dead_rasa_server_are_skipped(cluster):
    dialogues = _dialogues(cluster, round_=2)
    _talk(dialogues, range(1))  # the conversations are under way when the replicas die
    cluster.kill_9("console-2")
    cluster.kill_9("rasa-2")
    marks = {log: len(_turns_logged(cluster, log)) for log in ("access", "rasa.access")}
    _talk(dialogues, range(1, 3))

    for log, survivor in (("access", "console-1"), ("rasa.access", "rasa-1")):
        lines = _new_turns(cluster, log, marks[log], 2 * len(dialogues))
        assert {cluster.replica_at(s.upstreams[-1]) for s in lines} == {survivor}, lines
        assert any(len(s.upstreams) == 2 for s in lines), f"nginx never tried the dead replica first: {lines}"
    for dialogue in dialogues:
        _assert_stored_once_and_analysed_once(cluster, dialogue.widget)
