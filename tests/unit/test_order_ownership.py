"""Orders only for their owner: the actions against a real (SQLite) database, attacker first."""

import asyncio
import time
import uuid

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.order_access import ProofAttempts, reset_proof_attempts, second_factor_matches
from actions.orders import (
    ActionAskOrderId,
    ActionAskOrderProof,
    ActionCancelOrder,
    ActionOrderLookup,
    ValidateOrderNumberForm,
)
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, Customer, Order
from kizuna.db.shop_repository import FINISHED_STATUSES
from kizuna.settings import PROJECT_ROOT
from kizuna.shop import OrderVerification, load_shop_config

FORM_SLOTS = ["order_id", "order_proof"]
DOMAIN = {"forms": {"order_number_form": {"required_slots": FORM_SLOTS}}, "slots": {}}


@pytest.fixture(autouse=True)
def fresh_counts():
    reset_proof_attempts()
    yield
    reset_proof_attempts()


def tracker(text="hi", intent="track_order", slots=None, sender=None, entities=None):
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or [], "metadata": {}}
    events = [{"event": "user", "timestamp": time.time(), "text": text, "parse_data": latest}]
    return Tracker(sender or f"conv-{uuid.uuid4().hex[:8]}", dict(slots or {}), latest, events, False, None, {}, "action_listen")


def run(action, a_tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, a_tracker, DOMAIN))
    return dispatcher.messages, events


def validate(slot, value, a_tracker):
    dispatcher = CollectingDispatcher()
    result = getattr(ValidateOrderNumberForm(), f"validate_{slot}")(value, dispatcher, a_tracker, DOMAIN)
    return [m["text"] for m in dispatcher.messages], result


def required(a_tracker):
    return asyncio.run(ValidateOrderNumberForm().required_slots(FORM_SLOTS, CollectingDispatcher(), a_tracker, DOMAIN))


def sign_in(url, conversation_id, customer_id):
    """What the console does for a valid customer token: the conversation row names the customer."""
    with session_scope(url) as session:
        session.add(Conversation(id=conversation_id, customer_id=customer_id, status="bot"))


def an_order(url, statuses=("placed", "processing")):
    with session_scope(url) as session:
        order = session.scalars(select(Order).where(Order.status.in_(statuses)).order_by(Order.id)).first()
        return order.order_number, order.customer_id, order.customer.email, order.id


def a_stranger(url, owner_id):
    with session_scope(url) as session:
        return session.scalar(select(Customer.id).where(Customer.id != owner_id).order_by(Customer.id))


def status_of(url, order_id):
    with session_scope(url) as session:
        return session.get(Order, order_id).status


def texts(messages):
    return " ".join(m.get("text") or "" for m in messages)


# --- signed-in customers: their own orders only, and no oracle -------------------------------------------


def test_another_customers_order_gets_exactly_the_reply_of_a_missing_one(app_env):
    number, owner, _, _ = an_order(app_env, ("shipped",))
    conversation = "conv-stranger"
    sign_in(app_env, conversation, a_stranger(app_env, owner))
    theirs = validate("order_id", number, tracker(sender=conversation))
    missing = validate("order_id", "99999", tracker(sender=conversation))
    assert theirs[1] == missing[1] == {"order_id": None}
    assert theirs[0] == [m.replace("99999", number) for m in missing[0]] and "couldn't find" in theirs[0][0]


def test_a_stranger_lookup_shows_nothing_personal_and_matches_a_missing_order(app_env):
    number, owner, _, _ = an_order(app_env, ("shipped",))
    conversation = "conv-stranger-lookup"
    sign_in(app_env, conversation, a_stranger(app_env, owner))
    theirs = run(ActionOrderLookup(), tracker(sender=conversation, slots={"order_id": number, "order_topic": "track"}))
    missing = run(ActionOrderLookup(), tracker(sender=conversation, slots={"order_id": "99999", "order_topic": "track"}))
    assert texts(theirs[0]) == texts(missing[0]).replace("99999", number) and theirs[1] == missing[1]
    with session_scope(app_env) as session:
        tracking = session.scalar(select(Order.tracking_number).where(Order.order_number == number))
    assert tracking not in texts(theirs[0])


def test_a_signed_in_customer_sees_their_own_order(app_env):
    number, owner, _, _ = an_order(app_env, ("shipped",))
    conversation = "conv-owner"
    sign_in(app_env, conversation, owner)
    assert validate("order_id", number, tracker(sender=conversation)) == ([], {"order_id": number})
    assert required(tracker(sender=conversation, slots={"order_id": number})) == ["order_id"]
    messages, _ = run(ActionOrderLookup(), tracker(sender=conversation, slots={"order_id": number, "order_topic": "track"}))
    with session_scope(app_env) as session:
        order = session.scalar(select(Order).where(Order.order_number == number))
        assert order.tracking_number in texts(messages)


def test_a_signed_in_customer_cannot_cancel_a_strangers_order(app_env):
    number, owner, _, order_id = an_order(app_env)
    conversation = "conv-cancel-stranger"
    sign_in(app_env, conversation, a_stranger(app_env, owner))
    messages, _ = run(ActionOrderLookup(), tracker(sender=conversation, slots={"order_id": number, "order_topic": "cancel"}))
    assert not any(m["buttons"] for m in messages)
    messages, _ = run(ActionCancelOrder(), tracker(sender=conversation, slots={"order_id": number, "awaiting_cancel_confirmation": True}))
    assert "nothing was cancelled" in texts(messages) and status_of(app_env, order_id) != "cancelled"


def test_where_is_my_order_offers_the_customers_open_orders_as_buttons(app_env):
    _, owner, _, _ = an_order(app_env)
    conversation = "conv-buttons"
    sign_in(app_env, conversation, owner)
    messages, _ = run(ActionAskOrderId(), tracker(sender=conversation, slots={"order_topic": "track"}))
    buttons = messages[0]["buttons"]
    with session_scope(app_env) as session:
        own = {o.order_number: o.status for o in session.scalars(select(Order).where(Order.customer_id == owner))}
    assert buttons and all(b["payload"] == f'/track_order{{"order_id":"{b["title"].split()[1]}"}}' for b in buttons)
    offered = [b["title"].split()[1] for b in buttons]
    assert all(n in own and own[n] not in FINISHED_STATUSES for n in offered)


def test_cancel_buttons_carry_the_cancel_intent(app_env):
    _, owner, _, _ = an_order(app_env)
    conversation = "conv-cancel-buttons"
    sign_in(app_env, conversation, owner)
    messages, _ = run(ActionAskOrderId(), tracker(sender=conversation, slots={"order_topic": "cancel"}))
    assert all(b["payload"].startswith('/cancel_order{"order_id":"') for b in messages[0]["buttons"])


def test_a_customer_without_open_orders_is_told_so_and_asked_for_a_number(app_env):
    with session_scope(app_env) as session:
        customer = Customer(external_id="C-none", name="No Orders", email="none@example.com")
        session.add(customer)
        session.flush()
        session.add(Conversation(id="conv-no-orders", customer_id=customer.id, status="bot"))
    messages, _ = run(ActionAskOrderId(), tracker(sender="conv-no-orders"))
    assert not messages[0]["buttons"] and "open orders" in messages[0]["text"] and "number" in messages[0]["text"]


# --- anonymous visitors: number plus e-mail, in constant time, with a cap on tries -----------------------


def test_an_anonymous_visitor_is_asked_for_the_email_and_sees_nothing_before(app_env):
    number, _, _, _ = an_order(app_env, ("shipped",))
    visitor = tracker(slots={"order_id": number})
    assert validate("order_id", number, visitor) == ([], {"order_id": number})
    assert validate("order_id", "99999", visitor) == ([], {"order_id": "99999"})  # no hint whether it exists
    assert required(visitor) == FORM_SLOTS
    messages, _ = run(ActionAskOrderProof(), visitor)
    assert "e-mail address" in texts(messages) and number in texts(messages)
    messages, events = run(ActionOrderLookup(), tracker(slots={"order_id": number, "order_topic": "track"}))
    assert "couldn't find" in texts(messages) and events[0]["value"] is None


def test_a_wrong_pair_gets_one_neutral_reply(app_env):
    number, _, email, _ = an_order(app_env, ("shipped",))
    wrong_email = validate("order_proof", "someone@example.com", tracker(slots={"order_id": number, "order_proof": "x"}))
    wrong_number = validate("order_proof", email, tracker(slots={"order_id": "99999", "order_proof": "x"}))
    assert wrong_email == wrong_number
    assert wrong_email[1] == {"order_proof": None, "email": None, "order_id": None}
    assert "order number and e-mail address" in wrong_email[0][0]


def test_the_right_pair_proves_the_order_for_this_conversation_only(app_env):
    number, _, email, order_id = an_order(app_env)
    conversation = "conv-proved"
    messages, result = validate("order_proof", f"  {email.upper()} ", tracker(sender=conversation, slots={"order_id": number}))
    assert messages == [] and result == {"order_proof": None, "email": None, "verified_orders": [number]}
    proved = tracker(sender=conversation, slots={"order_id": number, "verified_orders": [number], "order_topic": "cancel"})
    assert required(proved) == ["order_id"]
    messages, events = run(ActionOrderLookup(), proved)
    assert messages[-1]["buttons"] and events[-1]["value"] is True
    messages, _ = run(ActionCancelOrder(), proved)
    assert "is cancelled" in texts(messages) and status_of(app_env, order_id) == "cancelled"
    another = tracker(slots={"order_id": number, "order_topic": "track"})  # a new conversation starts unproved
    assert required(another) == FORM_SLOTS and "couldn't find" in texts(run(ActionOrderLookup(), another)[0])


def test_an_anonymous_cancel_without_proof_changes_nothing(app_env):
    number, _, _, order_id = an_order(app_env)
    messages, _ = run(ActionCancelOrder(), tracker(slots={"order_id": number, "awaiting_cancel_confirmation": True}))
    assert "nothing was cancelled" in texts(messages) and status_of(app_env, order_id) != "cancelled"


def test_the_sixth_try_in_a_conversation_is_refused_even_with_the_right_pair(app_env):
    number, _, email, _ = an_order(app_env, ("shipped",))
    conversation = "conv-guessing"
    for attempt in range(5):
        _, result = validate("order_proof", f"guess{attempt}@example.com", tracker(sender=conversation, slots={"order_id": number}))
        assert "order_access_locked" not in result
    messages, result = validate("order_proof", email, tracker(sender=conversation, slots={"order_id": number}))
    assert result == {"order_proof": None, "email": None, "order_id": None, "order_access_locked": True} and messages == []
    locked = tracker(sender=conversation, slots={"order_access_locked": True, "order_topic": "track"})
    assert required(locked) == []
    messages, events = run(ActionOrderLookup(), locked)
    assert "too many tries" in texts(messages) and "sign in" in texts(messages)
    assert {e["name"]: e["value"] for e in events} == {"order_access_locked": False, "order_id": None}
    _, result = validate("order_id", number, tracker(sender=conversation))  # a new number: still locked, nothing asked
    assert result == {"order_id": None, "order_access_locked": True}


def test_an_email_address_is_capped_across_conversations(app_env):
    number, _, email, _ = an_order(app_env, ("shipped",))
    for _ in range(5):
        validate("order_proof", email, tracker(slots={"order_id": "99999"}))
    _, result = validate("order_proof", email, tracker(slots={"order_id": number}))
    assert result.get("order_access_locked") is True and "verified_orders" not in result


def test_an_order_number_is_capped_across_conversations(app_env):
    number, _, email, _ = an_order(app_env, ("shipped",))
    for attempt in range(5):
        validate("order_proof", f"guess{attempt}@example.com", tracker(slots={"order_id": number}))
    _, result = validate("order_proof", email, tracker(slots={"order_id": number}))
    assert result.get("order_access_locked") is True


def test_counts_are_shared_through_the_configured_storage():
    first, second = ProofAttempts("2/hour"), ProofAttempts("2/hour")
    assert first.count("c", "10001", "a@example.com") and first.count("c", "10002", "b@example.com")
    assert not first.count("c", "10003", "c@example.com") and first.conversation_locked("c")
    assert not second.conversation_locked("c")  # separate in-memory storages: nothing shared without Redis


def test_counts_are_shared_between_action_servers_through_redis(redis_url):
    conversation = f"conv-{uuid.uuid4().hex}"  # the counts outlive the test in Redis: keys of this run only
    first, second = ProofAttempts("2/hour", redis_url), ProofAttempts("2/hour", redis_url)
    assert first.count(conversation, f"{conversation}-1", f"{conversation}@example.com")
    assert second.count(conversation, f"{conversation}-2", f"{conversation}-2@example.com")
    assert first.conversation_locked(conversation) and second.conversation_locked(conversation)


def test_second_factor_comparison(app_env):
    with session_scope(app_env) as session:
        order = session.scalars(select(Order).order_by(Order.id)).first()
        email, name = order.customer.email, order.customer.name
        assert second_factor_matches(order, f" {email.upper()}", "email")
        assert not second_factor_matches(order, email + "x", "email") and not second_factor_matches(order, "", "email")
        assert not second_factor_matches(None, email, "email") and not second_factor_matches(order, email, "name")
        assert second_factor_matches(order, "  " + name.lower().replace(" ", "   "), "name")
        order.customer.erased_at, order.customer.email = order.customer.created_at, None
        assert not second_factor_matches(order, "", "email")


def test_the_proof_is_read_only_from_the_answer_to_the_proof_question(app_env):
    form = ValidateOrderNumberForm()
    asked = tracker("sure, it's Jane.Doe@Example.com", "inform", slots={"requested_slot": "order_proof"})
    assert asyncio.run(form.extract_order_proof(CollectingDispatcher(), asked, DOMAIN)) == {"order_proof": "Jane.Doe@Example.com"}
    not_asked = tracker("it's jane.doe@example.com", "inform", slots={"requested_slot": "order_id"})
    assert asyncio.run(form.extract_order_proof(CollectingDispatcher(), not_asked, DOMAIN)) == {}
    refusal = tracker("no", "deny", slots={"requested_slot": "order_proof"})
    assert asyncio.run(form.extract_order_proof(CollectingDispatcher(), refusal, DOMAIN)) == {}


def test_the_second_factor_is_the_shops_choice(app_env, tmp_path, monkeypatch):
    config = yaml.safe_load((PROJECT_ROOT / "data/shop.yml").read_text())
    assert config["order_verification"] == {"second_factor": "email", "tries": "5/hour"}
    config["order_verification"]["second_factor"] = "name"
    path = tmp_path / "shop.yml"
    path.write_text(yaml.safe_dump(config))
    shop = load_shop_config(path)
    assert shop.order_verification == OrderVerification("name", "5/hour")
    monkeypatch.setattr("actions.orders.get_shop_config", lambda: shop)
    monkeypatch.setattr("actions.order_access.get_shop_config", lambda: shop)
    number, _, _, _ = an_order(app_env, ("shipped",))
    with session_scope(app_env) as session:
        name = session.scalar(select(Customer.name).join(Order).where(Order.order_number == number))
    messages, _ = run(ActionAskOrderProof(), tracker(slots={"order_id": number}))
    assert "full name" in texts(messages)
    _, result = validate("order_proof", name.upper(), tracker(slots={"order_id": number}))
    assert result["verified_orders"] == [number]
    with pytest.raises(ValueError, match="second_factor"):
        OrderVerification("birthday")


def test_an_anonymous_visitor_is_asked_for_the_number_without_any_buttons(app_env):
    messages, _ = run(ActionAskOrderId(), tracker(slots={"order_topic": "track"}))
    assert messages[0]["buttons"] == [] and "order number" in messages[0]["text"]
