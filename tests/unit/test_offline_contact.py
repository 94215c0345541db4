"""Asking for a person out of hours: the address is understood in any words and checked strictly, the
customer confirms it, the agents get a follow-up carrying it (encrypted at rest, readable by agents only,
erased with the customer), and the customer's own view shows their own words while staff see them masked."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.offline_contact import (
    DECLINED,
    ActionAskContactConfirmed,
    ActionAskContactEmail,
    ActionContactFollowUp,
    ActionHandOff,
    ValidateContactForm,
)
from console.app import create_app
from kizuna.db import conversations as store
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, Customer, Erasure, FollowUp, Message
from kizuna.erasure import erase_customer
from kizuna.follow_ups import NotAnAddress, address_in, decrypt_contact, open_follow_ups, record_follow_up
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings
from tests.unit.test_console_api import FakeRasa, add_user, conversation_secrets, history, live, log_in, post

ADDRESS = "ana@example.com"


def tracker(text, intent="inform", slots=None, entities=None, sender="conv-1", requested="contact_email"):
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or [], "metadata": {}}
    events = [{"event": "user", "timestamp": time.time(), "text": text, "parse_data": latest}]
    all_slots = {"requested_slot": requested, **(slots or {})}
    return Tracker(sender, all_slots, latest, events, False, None, {"name": "contact_form"}, "action_listen")


def run(coroutine_or_value):
    return asyncio.run(coroutine_or_value) if asyncio.iscoroutine(coroutine_or_value) else coroutine_or_value


def extract_address(text, **kwargs):
    dispatcher = CollectingDispatcher()
    found = run(ValidateContactForm().extract_contact_email(dispatcher, tracker(text, **kwargs), {}))
    return found, [m["text"] for m in dispatcher.messages]


# --- understanding the address -------------------------------------------------------------------------

@pytest.mark.parametrize("text, entity", [
    ("my email is ana@example.com", "ana@example.com"),
    ("ana@example.com", "ana@example.com"),
    ("you can reach me at ana@example.com.", None),
    ("it's <ana@example.com>", None),
    ("  Ana@EXAMPLE.com  ", None),
    ("sure: (ana@example.com) thanks!", None),
])
def test_the_address_is_understood_in_any_phrasing(text, entity):
    assert address_in(text, entity).lower() == ADDRESS


def test_the_domain_is_lower_cased_and_the_local_part_kept():
    assert address_in("write to Ana.B+shop@Example.CO.UK") == "Ana.B+shop@example.co.uk"


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>@evil.example",
    "<img src=x onerror=alert(1)>@example.com",
    "\"><svg/onload=alert(1)>@example.com",
    "ana@example",
    "ana@@example.com",
    "ana@exam_ple.com",
    "ana.@example.com",
    "ana..b@example.com",
    "ana@-example.com",
    "javascript:alert(1)//@example.com",
    "a" * 65 + "@example.com",
    "ana@" + "b" * 250 + ".com",
    "ana@example.c0m",
])
def test_a_hostile_or_invalid_address_is_refused(text):
    with pytest.raises(NotAnAddress) as refused:
        address_in(text)
    assert str(refused.value) == "invalid"


def test_no_address_and_several_addresses_say_so():
    with pytest.raises(NotAnAddress, match="no_address"):
        address_in("I don't know")
    with pytest.raises(NotAnAddress, match="several"):
        address_in("ana@example.com or ben@example.org")


# --- the form ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["my email is ana@example.com", "you can reach me at ana@example.com", "it's ana@example.com",
                                  "ana@example.com"])
def test_the_form_takes_the_address_from_the_answer(app_env, text):
    found, said = extract_address(text)
    assert found == {"contact_email": ADDRESS} and said == []


def test_the_form_tells_off_a_hostile_answer_and_keeps_asking(app_env):
    found, said = extract_address("<script>alert(1)</script>@evil.example")
    assert found == {"contact_email": None} and "doesn't look like an e-mail address" in said[0]
    assert "<script>" not in said[0]


@pytest.mark.parametrize("text, problem", [("it's tom at example dot com", "didn't find an e-mail address"),
                                           ("ana@example.com or ben@example.org", "more than one address")])
def test_an_answer_that_is_not_one_address_is_told_once_what_to_send(app_env, text, problem):
    found, said = extract_address(text)
    assert found == {"contact_email": None} and len(said) == 1 and problem in said[0]
    answered = tracker(text)
    answered.events.append({"event": "bot", "text": said[0]})
    asked = CollectingDispatcher()
    run(ActionAskContactEmail().run(asked, answered, {}))
    assert asked.messages == []  # the explanation is the question: it is not asked a second time


def test_another_question_in_the_form_is_left_to_be_answered(app_env):
    found, said = extract_address("actually, how long does delivery take?", intent="delivery_period")
    assert found == {} and said == []


def test_a_new_address_at_the_confirmation_is_asked_about(app_env):
    form = ValidateContactForm()
    at_confirmation = tracker("sorry, use mia.n@example.com instead", slots={"contact_email": ADDRESS}, requested="contact_confirmed")
    found = run(form.extract_contact_email(CollectingDispatcher(), at_confirmation, {}))
    assert found == {"contact_email": "mia.n@example.com", "contact_confirmed": None}
    assert run(form.validate_contact_confirmed(None, CollectingDispatcher(), at_confirmation, {})) == {"contact_confirmed": None}


def test_saying_no_to_the_address_question_leaves_the_form_without_one(app_env):
    found, _ = extract_address("no thanks", intent="deny")
    assert found == {"contact_email": DECLINED}
    messages, events = run_action(ActionContactFollowUp(), tracker("no", "deny", {"contact_email": DECLINED}, requested=None))
    assert "support@kizuna-store.example" in messages[0] and SlotSet("contact_email", None) in events


def test_saying_no_ends_the_form_through_rasa_sdks_whole_validation(app_env):
    domain = {"slots": {"contact_email": {"type": "text", "mappings": [{"type": "custom"}]},
                        "contact_confirmed": {"type": "bool", "mappings": [{"type": "custom"}]}},
              "forms": {"contact_form": {"required_slots": ["contact_email", "contact_confirmed"]}}}
    events = run(ValidateContactForm().run(CollectingDispatcher(), tracker("no thanks, I'd rather not", "deny"), domain))
    assert {e["name"]: e["value"] for e in events} == {"contact_email": DECLINED, "contact_confirmed": False}


def test_the_confirmation_question_shows_the_address_with_yes_and_no(app_env):
    dispatcher = CollectingDispatcher()
    run(ActionAskContactConfirmed().run(dispatcher, tracker("x", slots={"contact_email": ADDRESS}, requested="contact_confirmed"), {}))
    assert dispatcher.messages[0]["text"] == f"I'll have someone e-mail you at {ADDRESS} — is that right?"
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]


def test_yes_confirms_and_no_asks_for_the_address_again(app_env):
    form = ValidateContactForm()
    dispatcher = CollectingDispatcher()
    yes = tracker("yes", "affirm", {"contact_email": ADDRESS}, requested="contact_confirmed")
    no = tracker("no", "deny", {"contact_email": ADDRESS}, requested="contact_confirmed")
    assert run(form.extract_contact_confirmed(dispatcher, yes, {})) == {"contact_confirmed": True}
    assert run(form.extract_contact_confirmed(dispatcher, no, {})) == {"contact_confirmed": False}
    assert form.validate_contact_confirmed(False, dispatcher, no, {}) == {"contact_confirmed": None, "contact_email": None}
    assert form.validate_contact_confirmed(True, dispatcher, yes, {}) == {"contact_confirmed": True}


def test_a_new_address_instead_of_yes_or_no_is_asked_about_again(app_env):
    found, _ = extract_address("no, it's ana.b@example.com", intent="deny", slots={"contact_email": ADDRESS},
                               requested="contact_confirmed")
    assert found == {"contact_email": "ana.b@example.com", "contact_confirmed": None}
    confirmed = run(ValidateContactForm().extract_contact_confirmed(
        CollectingDispatcher(), tracker("no, it's ana.b@example.com", "deny", requested="contact_confirmed"), {}))
    assert confirmed == {}


# --- the hand-off --------------------------------------------------------------------------------------

def run_action(action, a_tracker):
    dispatcher = CollectingDispatcher()
    events = run(action.run(dispatcher, a_tracker, {}))
    return [m.get("text") for m in dispatcher.messages], events


def open_conversation(url, conversation_id="conv-1", customer=None):
    with session_scope(url) as session:
        store.store_inbound(session, conversation_id, "I want to talk to a human", f"{conversation_id}-m1", customer)


def test_within_hours_the_conversation_is_queued_and_the_customer_told_so(app_env, monkeypatch):
    monkeypatch.setenv("KIZUNA_AGENT_HOURS", "open")
    open_conversation(app_env)
    messages, events = run_action(ActionHandOff(), tracker("I want a human", "contact_human_agent", requested=None))
    assert "queue" in messages[0] and "e-mail" not in messages[0]
    assert events == [SlotSet("team_offline", False)]
    with session_scope(app_env) as session:
        conversation = session.get(Conversation, "conv-1")
        assert conversation.status == "waiting_for_agent" and "asked_for_human" in conversation.escalation_reasons


def test_out_of_hours_nobody_is_promised_and_the_contact_form_follows(app_env, monkeypatch):
    monkeypatch.setenv("KIZUNA_AGENT_HOURS", "closed")
    open_conversation(app_env)
    messages, events = run_action(ActionHandOff(), tracker("I want a human", "contact_human_agent", requested=None))
    assert messages == [] and SlotSet("team_offline", True) in events  # the form asks (action_ask_contact_email)
    assert not any("join" in (m or "") for m in messages)


def test_the_confirmed_address_becomes_an_encrypted_follow_up(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("KIZUNA_AGENT_HOURS", "closed")
    open_conversation(app_env)
    messages, events = run_action(ActionContactFollowUp(), tracker(
        "yes", "affirm", {"contact_email": ADDRESS, "contact_confirmed": True}, requested=None))
    assert ADDRESS in messages[0] and "offline" in messages[0]
    assert all(SlotSet(name, None) in events for name in ("contact_email", "contact_confirmed", "email"))
    with session_scope(app_env) as session:
        row = session.scalars(select(FollowUp)).one()
        assert row.conversation_id == "conv-1" and row.status == "open"
        assert ADDRESS not in row.contact_encrypted and decrypt_contact(row.contact_encrypted) == ADDRESS
        assert [f.contact for f in open_follow_ups(session)] == [ADDRESS]
        assert session.get(Conversation, "conv-1").status == "waiting_for_agent"
    # The raw database has no plaintext address anywhere (the customer's message is stored masked too).
    database = Path(app_env.removeprefix("sqlite:///"))
    with sqlite3.connect(database) as connection:
        raw = connection.execute("SELECT contact_encrypted, contact_hash FROM follow_ups").fetchall()
    assert raw and all(ADDRESS not in value for row in raw for value in row)
    assert ADDRESS.encode() not in database.read_bytes()


def test_the_key_comes_from_the_personal_data_key_when_set(app_env, monkeypatch):
    from cryptography.fernet import Fernet, InvalidToken

    from kizuna.settings import get_settings

    key = Fernet.generate_key().decode()
    monkeypatch.setenv("KIZUNA_PERSONAL_DATA_KEY", key)
    get_settings.cache_clear()
    open_conversation(app_env)
    with session_scope(app_env) as session:
        row = record_follow_up(session, "conv-1", ADDRESS)
        assert Fernet(key.encode()).decrypt(row.contact_encrypted.encode()).decode() == ADDRESS
    monkeypatch.delenv("KIZUNA_PERSONAL_DATA_KEY")
    get_settings.cache_clear()
    with session_scope(app_env) as session, pytest.raises(InvalidToken):
        open_follow_ups(session)
    get_settings.cache_clear()


# --- erasure -------------------------------------------------------------------------------------------

def test_erasure_removes_the_customers_follow_ups_and_their_address_elsewhere(app_env):
    with session_scope(app_env) as session:
        customer = session.scalar(select(Customer).where(Customer.external_id == "C0001"))
        own_email = customer.email
    open_conversation(app_env, "conv-signed-in", "C0001")
    open_conversation(app_env, "conv-anonymous")
    open_conversation(app_env, "conv-other")
    with session_scope(app_env) as session:
        record_follow_up(session, "conv-signed-in", "work.address@example.com")
        record_follow_up(session, "conv-anonymous", own_email.upper())  # the same address left without signing in
        record_follow_up(session, "conv-other", "someone.else@example.org")
    with session_scope(app_env) as session:
        counts = erase_customer(session, "C0001", "admin", lambda ids: 0)
    assert counts["follow_ups"] == 2
    with session_scope(app_env) as session:
        left = [f.contact for f in open_follow_ups(session)]
        assert left == ["someone.else@example.org"]
        assert session.scalars(select(Erasure)).one().counts["follow_ups"] == 2


# --- who may see it, and the customer's own view -------------------------------------------------------

class ContactRasa(FakeRasa):
    """Answers as the contact form does: it repeats the address the customer typed."""

    async def send(self, conversation_id, text, metadata, *, is_command=False):
        from kizuna.rasa_client import BotReply

        self.received.append((conversation_id, text, metadata))
        if "@" in text:
            address = address_in(text)
            return [BotReply(text=f"I'll have someone e-mail you at {address} — is that right?",
                             buttons=[{"title": "Yes, that's right", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}])]
        return [BotReply(text="Write to support@kizuna-store.example any time.")]


@pytest.fixture
def console(app_env, tmp_path, monkeypatch):
    monkeypatch.setenv("KIZUNA_AGENT_HOURS", "closed")
    ensure_secrets(tmp_path / "var")
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1)
    with TestClient(create_app(settings, rasa=ContactRasa())) as client:
        yield client


def test_the_customer_sees_their_own_words_and_staff_see_them_masked(console, app_env):
    typed = "you can reach me at ana@example.com"
    body = post(console, typed).json()
    assert body["message"]["text"] == "you can reach me at customer@example.com"  # as stored; the widget keeps what was typed
    assert body["replies"][0]["text"] == f"I'll have someone e-mail you at {ADDRESS} — is that right?"
    with session_scope(app_env) as session:
        stored = session.scalars(select(Message.text).where(Message.conversation_id == "conv-1").order_by(Message.id)).all()
    assert stored == ["you can reach me at customer@example.com",
                      "I'll have someone e-mail you at customer@example.com — is that right?"]
    # The shop's own address in a reply is not personal data: it stays.
    post(console, "thanks", client_id="m-2")
    assert history(console).json()["messages"][-1]["text"] == "Write to support@kizuna-store.example any time."


def test_the_live_ack_carries_the_customers_own_view_and_the_pushed_messages_stay_masked(console):
    post(console, "hello", client_id="m-0")
    with live(console) as socket:
        socket.receive_json()  # hello
        socket.send_json({"text": "my email is ana@example.com", "client_message_id": "m-1"})
        frames = []
        while not (any(f["type"] == "ack" for f in frames) and sum(_news(f) for f in frames) >= 2):
            frames.append(socket.receive_json())
    ack = next(f for f in frames if f["type"] == "ack")
    pushed = [f["message"]["text"] for f in frames if _news(f)]
    assert sorted(ack["own_texts"].values()) == sorted(["my email is ana@example.com",
                                                        f"I'll have someone e-mail you at {ADDRESS} — is that right?"])
    assert all(ADDRESS not in text for text in pushed) and pushed


def _news(frame):
    return frame["type"] == "message" and not frame.get("replay")


def test_status_says_the_team_is_offline(console):
    post(console, "hello")
    with live(console) as socket:
        hello = socket.receive_json()
    assert hello["type"] == "hello" and "team" not in hello  # a conversation with the bot: nothing to say about the team


def test_follow_ups_are_for_agents_only(console, app_env):
    open_conversation(app_env, "conv-9")
    with session_scope(app_env) as session:
        record_follow_up(session, "conv-9", ADDRESS)
    assert console.get("/api/agent/follow-ups").status_code == 401  # a customer (any conversation's secret) is no staff
    post(console, "hello", conversation="conv-10")
    assert console.get("/api/conversations/conv-9/messages",
                       headers={"X-Conversation-Secret": conversation_secrets(console)["conv-10"]}).status_code == 404
    add_user(app_env, "tina", "tina-password", "trainer")
    log_in(console, "tina", "tina-password")
    assert console.get("/api/agent/follow-ups").status_code == 403
    add_user(app_env, "sam", "sam-password", "agent")
    log_in(console, "sam", "sam-password")
    listed = console.get("/api/agent/follow-ups")
    assert listed.status_code == 200 and [(f["conversation_id"], f["contact"]) for f in listed.json()] == [("conv-9", ADDRESS)]
    done = console.post(f"/api/agent/follow-ups/{listed.json()[0]['id']}/done")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert console.get("/api/agent/follow-ups").json() == []


def test_an_address_given_while_waiting_for_an_absent_team_starts_the_confirmation(app_env, monkeypatch):
    from actions.offline_contact import ActionContactGiven

    monkeypatch.setenv("KIZUNA_AGENT_HOURS", "closed")
    open_conversation(app_env)
    given = tracker("my email is ana@example.com", entities=[{"entity": "email", "value": ADDRESS}], requested=None)
    messages, events = run_action(ActionContactGiven(), given)
    assert "Thanks" in messages[0] and events == [SlotSet("team_offline", False)]  # nobody asked for a person
    with session_scope(app_env) as session:
        session.get(Conversation, "conv-1").status = "waiting_for_agent"  # e.g. escalated by the retention policy
    messages, events = run_action(ActionContactGiven(), given)
    assert messages == [] and SlotSet("team_offline", True) in events
    found, _ = extract_address("my email is ana@example.com", requested=None)
    assert found == {"contact_email": ADDRESS}  # the form, activated now, takes it from the same message
    monkeypatch.setenv("KIZUNA_AGENT_HOURS", "open")
    messages, events = run_action(ActionContactGiven(), given)
    assert events == [SlotSet("team_offline", False)]
