"""One coherent reply per turn: the order form neither re-asks under a digression nor asks what is known.

The actions run against a real (SQLite) database; Rasa's part (which action follows) is in tests/rasa.
"""

import asyncio
import time
import uuid
from datetime import datetime, timezone
from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswer, primary_answer
from actions.offline_contact import ActionHandOff
from actions.orders import ValidateOrderNumberForm
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, Customer, Order, RetentionDecision
from kizuna.db.retention_records import escalate
from kizuna.db.turns import Turn, record_turn
from kizuna.shop import get_shop_config

ORDER_FORM = {"name": "order_number_form"}
ENDS_THE_FORM = [("active_loop", None), ("slot", "requested_slot")]


def tracker(text, intent, slots=None, sender=None, active_loop=None):
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], "metadata": {}}
    events = [{"event": "user", "timestamp": time.time(), "text": text, "parse_data": latest}]
    return Tracker(sender or f"conv-{uuid.uuid4().hex[:8]}", dict(slots or {}), latest, events, False, None,
                   active_loop or {}, "action_listen")


def kinds(events):
    return [(e["event"], e.get("name")) for e in events]


def run(action, a_tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, a_tracker, {}))
    return dispatcher.messages, events


def extract_order_id(a_tracker):
    return asyncio.run(ValidateOrderNumberForm().extract_order_id(CollectingDispatcher(), a_tracker, {}))


def customer_with_orders(url, statuses):
    """A signed-in conversation of a new customer with orders in the given statuses; its id and the numbers."""
    conversation_id = f"conv-{uuid.uuid4().hex[:8]}"
    with session_scope(url) as session:
        customer = Customer(external_id=f"C-{conversation_id}", name="Focus Test", email=f"{conversation_id}@example.com")
        session.add(customer)
        session.flush()
        numbers = [f"9{uuid.uuid4().int % 10**4:04d}" for _ in statuses]
        for number, status in zip(numbers, statuses):
            session.add(Order(order_number=number, customer_id=customer.id, status=status, total=Decimal("10.00"),
                              placed_at=datetime(2026, 11, 1, tzinfo=timezone.utc)))
        session.add(Conversation(id=conversation_id, customer_id=customer.id, status="bot"))
    return conversation_id, numbers


# --- a question on another topic ends the order form ----------------------------------------------------


def test_an_answered_digression_ends_the_order_form(app_env):
    messages, events = run(ActionAnswer(), tracker("which payment methods do you take", "check_payment_methods",
                                                   active_loop=ORDER_FORM))
    assert len(messages) == 1 and "order number" not in messages[0]["text"]
    assert kinds(events) == ENDS_THE_FORM and events[1]["value"] is None


def test_an_unclear_message_leaves_the_form_to_ask_again(app_env):
    _, events = run(ActionAnswer(), tracker("blorp", "nlu_fallback", active_loop=ORDER_FORM))
    assert events == []


def test_no_form_no_events(app_env):
    _, events = run(ActionAnswer(), tracker("which payment methods do you take", "check_payment_methods"))
    assert events == []


def test_a_person_asked_for_in_the_order_form_ends_it(app_env, monkeypatch):
    monkeypatch.setenv("KIZUNA_AGENT_HOURS", "open")
    conversation_id, _ = customer_with_orders(app_env, ["shipped"])
    messages, events = run(ActionHandOff(), tracker("get me a human", "contact_human_agent", sender=conversation_id,
                                                    active_loop=ORDER_FORM))
    assert [m["text"] for m in messages] and all("order number" not in m["text"] for m in messages)
    assert kinds(events)[:2] == ENDS_THE_FORM


# --- the same question again re-asks; a number already known is never asked for ----------------------------


def test_the_order_asked_about_again_without_a_number_asks_for_it_again(app_env):
    again = tracker("ok so where is my order then", "track_order", slots={"requested_slot": "order_id"})
    assert extract_order_id(again) == {"order_id": None}
    dispatcher = CollectingDispatcher()
    assert ValidateOrderNumberForm().validate_order_id(None, dispatcher, again, {}) == {"order_id": None}
    assert dispatcher.messages == []  # no "that doesn't look like an order number": the form asks once, itself


def test_something_else_in_the_order_form_is_a_digression(app_env):
    other = tracker("what are your opening hours", "contact_customer_service", slots={"requested_slot": "order_id"})
    assert extract_order_id(other) == {}


def test_a_signed_in_customer_with_one_open_order_is_not_asked_which(app_env):
    conversation_id, numbers = customer_with_orders(app_env, ["shipped", "delivered"])
    starting = tracker("where is my order", "track_order", slots={"order_topic": "track"}, sender=conversation_id)
    assert extract_order_id(starting) == {"order_id": numbers[0]}


def test_a_signed_in_customer_with_several_open_orders_chooses(app_env):
    conversation_id, _ = customer_with_orders(app_env, ["shipped", "processing"])
    starting = tracker("where is my order", "track_order", slots={"order_topic": "track"}, sender=conversation_id)
    assert extract_order_id(starting) == {}


def test_an_anonymous_visitor_is_never_given_an_order(app_env):
    starting = tracker("where is my order", "track_order", slots={"order_topic": "track"})
    assert extract_order_id(starting) == {}


# --- the answer fits the follow-up ------------------------------------------------------------------------


def test_an_upset_customer_being_handed_over_is_not_thanked_for_their_opinion(app_env):
    shop = get_shop_config()
    assert primary_answer(shop, "review", "escalate") == shop.answer("sorry_escalated")
    assert primary_answer(shop, "review", None) == shop.answer("review")
    assert primary_answer(shop, "delivery_period", "escalate") == shop.answer("delivery_period")  # a fact still helps
    assert primary_answer(shop, "contact_human_agent", "escalate") is None  # the hand-off notice answers it


def test_the_request_that_queued_the_conversation_is_told_it_was_queued_not_already(app_env, monkeypatch):
    monkeypatch.setenv("KIZUNA_AGENT_HOURS", "open")
    conversation_id, _ = customer_with_orders(app_env, ["shipped"])
    now = datetime.now(timezone.utc)
    with session_scope(app_env) as session:  # what the turn analysis did for this very request
        conversation = session.get(Conversation, conversation_id)
        escalate(conversation, "normal", ["asked_for_human"], now)
        row, _ = record_turn(session, Turn(conversation_id, "msg:1", "a person please", "contact_human_agent", 0.9))
        session.add(RetentionDecision(turn_analysis_id=row.id, conversation_id=conversation_id, action="escalate", priority="normal",
                                      reasons=["asked_for_human"], explanation="asked", created_at=now))
    messages, _ = run(ActionHandOff(), tracker("a person please", "contact_human_agent", sender=conversation_id))
    assert [m["text"] for m in messages] == [get_shop_config().handoff("queued")]
    again, _ = run(ActionHandOff(), tracker("hello?? a person", "contact_human_agent", sender=conversation_id))
    assert [m["text"] for m in again] == [get_shop_config().handoff("already_queued")]
