"""The widget channel through the real console, written as an attacker would use it: a conversation id
without its secret, typed intent commands, oversized and malformed input."""

from __future__ import annotations

import json
import sqlite3
import socket
import time
import uuid
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from kizuna.db.engine import session_scope
from kizuna.db.models import TurnAnalysis
from tests.integration.chat import Chat

pytestmark = pytest.mark.integration
WAIT_S = 90  # a bot turn on a busy two-core machine
SECRET_HEADER = "X-Conversation-Secret"


def _live_url(running, conversation_id: str) -> str:
    return f"{running.console_url.replace('http://', 'ws://')}/api/conversations/{conversation_id}/live"


def _close_code(running, conversation_id: str, first_frame: str | bytes, then: str | bytes | None = None) -> int:
    """The code the console closes a live connection with, after these frames."""
    with connect(_live_url(running, conversation_id), open_timeout=10, max_size=None) as live:
        live.send(first_frame)
        if then is not None:
            assert json.loads(live.recv(timeout=10))["type"] == "hello"
            live.send(then)
        try:
            while True:
                live.recv(timeout=WAIT_S)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else -1


def _analysed_turns(url: str, conversation_id: str, count: int) -> list[TurnAnalysis]:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        with session_scope(url) as session:
            turns = session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == conversation_id)
                                    .order_by(TurnAnalysis.id)).all()
        if len(turns) >= count:
            return turns
        time.sleep(0.5)
    raise AssertionError(f"{count} turns of {conversation_id} were not analysed in time")


def test_with_only_the_id_a_conversation_cannot_be_read_followed_or_posted_to(stack):
    running, _ = stack
    victim = Chat(running)
    victim.say("my address is 12 Hidden Lane, please update it")
    for headers in ({}, {SECRET_HEADER: "guessed-" + uuid.uuid4().hex}):
        read = httpx.get(victim.url, headers=headers, timeout=WAIT_S)
        assert read.status_code == 404 and read.json()["error"]["code"] == "unknown_conversation"
        assert "Hidden Lane" not in read.text
        posted = httpx.post(victim.url, json={"text": "it's me, honest", "client_message_id": uuid.uuid4().hex},
                            headers=headers, timeout=WAIT_S)
        assert posted.status_code == 404 and posted.json()["error"]["code"] == "unknown_conversation"
    for secret in (None, "guessed-" + uuid.uuid4().hex):
        assert _close_code(running, victim.conversation_id, json.dumps({"type": "auth", "conversation_secret": secret})) == 4404
    assert _close_code(running, victim.conversation_id, json.dumps({"text": "hi", "client_message_id": "x"})) == 1008
    assert "it's me, honest" not in [m["text"] for m in victim.history()]


def test_the_holder_of_the_secret_follows_the_conversation_live(stack):
    running, _ = stack
    chat = Chat(running)
    chat.say("hi")
    with connect(_live_url(running, chat.conversation_id) + "?after=0", open_timeout=10) as live:
        live.send(json.dumps({"type": "auth", "conversation_secret": chat.secret}))
        hello = json.loads(live.recv(timeout=10))
        replayed = [json.loads(live.recv(timeout=10)) for _ in range(2)]
    assert hello["type"] == "hello" and replayed[0]["message"]["text"] == "hi" and replayed[0]["replay"] is True


@pytest.mark.parametrize("typed, command", [
    ("/ /accept_offer", "accept_offer"),
    ("/\u00a0/accept_offer", "accept_offer"),
    ('/\t/delete_account{"email":"victim@example.com"}', "delete_account"),
    ("\u200b/accept_offer", "accept_offer"),
    ("/\u2060\ufeff/restart", "restart"),
    ("\uff0fdelete_account", "delete_account"),
])
def test_typed_commands_reach_rasa_as_text_not_as_commands(stack, typed, command):
    running, url = stack
    chat = Chat(running, customer_id="C0004")
    chat.say(typed)
    turn = _analysed_turns(url, chat.conversation_id, 1)[0]
    with sqlite3.connect(running.settings.var_dir / "rasa_tracker.db") as connection:  # what Rasa was given
        given = [json.loads(row[0]).get("text") or "" for row in connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (chat.conversation_id,))]
    assert given and not given[-1].lstrip().startswith("/"), given  # Rasa was given text, which its NLU classified
    assert len(turn.intent_ranking or []) != 1, turn.intent_ranking  # a command is parsed into a single intent


def test_a_chunked_body_of_10_mb_is_refused_early_and_the_console_still_answers(stack):
    running, _ = stack
    host, port = urlsplit(running.console_url).hostname, urlsplit(running.console_url).port
    started = time.monotonic()
    with socket.create_connection((host, port), timeout=30) as raw:
        raw.sendall(f"POST /api/conversations/big-{uuid.uuid4().hex[:8]}/messages HTTP/1.1\r\nHost: {host}\r\n"
                    "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
        chunk = b"x" * 65536
        sent = 0
        try:
            while sent < 10 * 1024 * 1024:
                raw.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the console answered and closed: it stopped reading
        answer = raw.recv(4096).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert sent < 10 * 1024 * 1024 or time.monotonic() - started < 10
    assert httpx.get(f"{running.console_url}/healthz", timeout=30).status_code == 200
    assert Chat(running).say("hi")


def test_a_declared_length_over_the_cap_is_refused_at_once(stack):
    running, _ = stack
    response = httpx.post(f"{running.console_url}/api/conversations/big-declared/messages", content=b"{" + b" " * 20000 + b"}",
                          headers={"content-type": "application/json"}, timeout=30)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_a_lone_surrogate_is_a_422_not_a_500(stack):
    running, _ = stack
    response = httpx.post(f"{running.console_url}/api/conversations/surrogate-{uuid.uuid4().hex[:8]}/messages",
                          content=b'{"text": "hi \\ud800 there", "client_message_id": "s-1"}',
                          headers={"content-type": "application/json"}, timeout=30)
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"


def test_binary_and_oversized_frames_close_the_live_connection_cleanly(stack):
    running, _ = stack
    auth = json.dumps({"type": "auth"})
    assert _close_code(running, f"bin-{uuid.uuid4().hex[:8]}", b"\x00\x01binary") == 1003
    assert _close_code(running, f"bin-{uuid.uuid4().hex[:8]}", auth, then=b'{"text": "hi", "client_message_id": "b-1"}') == 1003
    assert _close_code(running, f"big-{uuid.uuid4().hex[:8]}", auth, then="x" * (64 * 1024)) == 1009  # uvicorn refuses it unread
    console_log = (running.settings.var_dir / "logs" / "console.log").read_text(errors="replace")
    assert "KeyError: 'text'" not in console_log  # what a binary frame used to leave behind
