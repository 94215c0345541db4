"""Faults on the real stack: with the action server or Rasa killed (kill -9) the customer still gets a reply
within 5 seconds, nothing is lost, and the missed analysis is done once the bot is back."""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest
from sqlalchemy import select

from kizuna.db.engine import session_scope
from kizuna.db.models import Message, TurnAnalysis
from retraining.rasa_env import wait_for_rasa
from tests.integration.chat import Chat

pytestmark = pytest.mark.integration
APOLOGY_START = "Sorry, I'm having a technical problem"


def _process(running, name):
    return next(p for p in running.processes if p.name == name)


def _timed_say(chat: Chat, text: str) -> tuple[float, list[dict]]:
    started = time.monotonic()
    replies = chat.say(text)
    return time.monotonic() - started, replies


def _wait_until(check, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("condition not met in time")


def _analysed(url: str, message_id: int) -> bool:
    with session_scope(url) as session:
        return session.scalar(select(TurnAnalysis.id).where(TurnAnalysis.message_id == message_id)) is not None


def _inbound(url: str, conversation_id: str) -> list[Message]:
    with session_scope(url) as session:
        return list(session.scalars(select(Message).where(Message.conversation_id == conversation_id, Message.direction == "in")
                                    .order_by(Message.id)))


def _kill_9(managed) -> None:
    os.killpg(managed.process.pid, signal.SIGKILL)
    managed.process.wait()


def test_action_server_killed_apology_then_analysis_when_it_returns(stack):
    running, url = stack
    actions = _process(running, "actions")
    chat = Chat(running)
    assert chat.say("hello")
    _kill_9(actions)
    try:
        seconds, replies = _timed_say(chat, "this is ridiculous, my parcel is two weeks late")
        assert seconds < 5 and replies and replies[0]["text"].startswith(APOLOGY_START)
    finally:
        actions.start()
        _wait_until(lambda: httpx.get(f"http://127.0.0.1:{running.settings.action_server_port}/health", timeout=2).status_code == 200)
    missed = _inbound(url, chat.conversation_id)[1]
    assert missed.status in ("unanswered", "bot_failed") and not _analysed(url, missed.id)
    _, replies = _timed_say(chat, "where is my order?")
    assert not replies[0]["text"].startswith(APOLOGY_START)
    _wait_until(lambda: _analysed(url, missed.id))
    with session_scope(url) as session:
        turn = session.scalar(select(TurnAnalysis).where(TurnAnalysis.message_id == missed.id))
        assert turn.sentiment_label == "negative" and turn.intent is not None
    assert [m.text for m in _inbound(url, chat.conversation_id)] == ["hello", "this is ridiculous, my parcel is two weeks late",
                                                                   "where is my order?"]


def test_rasa_killed_apology_and_nothing_lost(stack):
    running, url = stack
    rasa = _process(running, "rasa")
    chat = Chat(running)
    _kill_9(rasa)
    try:
        seconds, replies = _timed_say(chat, "hello, is anyone there?")
        assert seconds < 5 and replies[0]["text"].startswith(APOLOGY_START)
        again = httpx.post(chat.url, json={"text": "hello, is anyone there?", "client_message_id": "resend-1"}, headers=chat.headers,
                           timeout=10)
        assert again.status_code == 200
    finally:
        rasa.start()
        wait_for_rasa(running.settings.rasa_url, running.settings.rasa_token, timeout=240, process=rasa.process)
    assert [m.status for m in _inbound(url, chat.conversation_id)] == ["bot_failed", "bot_failed"]
    _, replies = _timed_say(chat, "hi")
    assert replies and not replies[0]["text"].startswith(APOLOGY_START)


def _analyses_per_message(url: str, conversation_id: str) -> list[int]:
    from sqlalchemy import func

    with session_scope(url) as session:
        inbound = [m.id for m in _inbound(url, conversation_id)]
        counts = dict(session.execute(select(TurnAnalysis.message_id, func.count()).where(TurnAnalysis.message_id.in_(inbound))
                                      .group_by(TurnAnalysis.message_id)).all())
    return [counts.get(message_id, 0) for message_id in inbound]


def _kill_console_once_the_message_is_stored(running, url: str, chat: Chat, text: str, client_id: str) -> None:
    """Post the message from another thread and kill -9 the console as soon as it has stored it, mid-turn."""
    import threading

    console = _process(running, "console")
    sender = threading.Thread(target=lambda: _post_ignoring_errors(chat, {"text": text, "client_message_id": client_id}))
    sender.start()
    _wait_until(lambda: any(m.client_message_id == client_id for m in _inbound(url, chat.conversation_id)), timeout=10)
    _kill_9(console)
    sender.join()


def _post_ignoring_errors(chat: Chat, body: dict) -> None:
    try:
        httpx.post(chat.url, json=body, headers=chat.headers, timeout=30)
    except httpx.HTTPError:
        pass  # the console died under this request: what the widget would see


def test_console_killed_mid_turn_the_resent_message_is_answered_once_and_the_chat_goes_on(stack):
    from console.customer_turns import ORPHANED_AFTER

    running, url = stack
    chat = Chat(running)
    assert chat.say("hello")
    _kill_console_once_the_message_is_stored(running, url, chat, "where is my order?", "resent-1")
    console = _process(running, "console")
    console.start()
    _wait_until(lambda: httpx.get(f"{running.console_url}/healthz", timeout=2).status_code == 200)
    waited = time.monotonic()
    while True:  # the widget resends what was never acknowledged, with the same client id
        resent = httpx.post(chat.url, json={"text": "where is my order?", "client_message_id": "resent-1"}, headers=chat.headers,
                            timeout=30).json()
        if resent["replies"] or time.monotonic() - waited > ORPHANED_AFTER.total_seconds() + 10:
            break
        time.sleep(1)
    assert resent["duplicate"] and resent["replies"]  # the bot's answer if it was stored, else the apology
    _, replies = _timed_say(chat, "thanks")
    assert replies and not replies[0]["text"].startswith(APOLOGY_START)
    assert [m.text for m in _inbound(url, chat.conversation_id)] == ["hello", "where is my order?", "thanks"]
    _wait_until(lambda: _analyses_per_message(url, chat.conversation_id) == [1, 1, 1], timeout=60)
