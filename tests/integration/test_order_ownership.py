"""Orders only for their owner, through the console's API on the real stack: attackers first, then owners."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from kizuna.db.engine import session_scope
from kizuna.db.models import Customer, Invoice, Order, TurnAnalysis
from tests.integration.chat import Chat

pytestmark = pytest.mark.integration

NOT_YET_MINE = ("C0001", "C0002", "C0008", "C0010", "C0012")  # customers other tests sign in as or whose orders they use


def _text(replies: list[dict]) -> str:
    return " ".join(r["text"] for r in replies)


def _shape(replies: list[dict], number: str) -> list[tuple]:
    """What the customer sees, with the number they typed taken out."""
    return [(r["text"].replace(number, "<n>"), json.dumps(r["buttons"]), r.get("kind")) for r in replies]


def _orders(url: str, *statuses: str) -> list[tuple[Order, Customer]]:
    with session_scope(url) as session:
        rows = session.execute(select(Order, Customer).join(Customer).where(Order.status.in_(statuses)).order_by(Order.id)).all()
        return [(order, customer) for order, customer in rows]


def _delivered_of_distinct_customers(url: str, count: int, skip: int) -> list[tuple[Order, Customer]]:
    """Delivered orders of customers no other test uses; `skip` keeps each test's customers apart."""
    seen: dict[str, tuple[Order, Customer]] = {}
    for order, customer in _orders(url, "delivered"):
        if customer.external_id not in NOT_YET_MINE and customer.external_id not in seen:
            seen[customer.external_id] = (order, customer)
    return list(seen.values())[skip:skip + count]


def _status(url: str, order_id: int) -> str:
    with session_scope(url) as session:
        return session.get(Order, order_id).status


def _personal(url: str, order: Order) -> list[str]:
    """What must not be shown to anyone but the owner: carrier, tracking number, amounts."""
    with session_scope(url) as session:
        amounts = [str(i.amount) for i in session.scalars(select(Invoice).where(Invoice.order_id == order.id))]
    return [v for v in (order.carrier, order.tracking_number, str(order.total), *amounts) if v]


@pytest.fixture(scope="module")
def cancellable(stack) -> dict[str, tuple[Order, Customer]]:
    """Open orders no other test cancels (they take the first placed and the first processing one), by role:
    `pair` is the first of a customer with two open orders, `other` their second, `single` any further one."""
    _, url = stack
    firsts = {_orders(url, status)[0][0].id for status in ("placed", "processing") if _orders(url, status)}
    rows = [(o, c) for o, c in _orders(url, "placed", "processing") if o.id not in firsts]
    owners = [c.external_id for _, c in rows]
    pair = next(i for i, owner in enumerate(owners) if owners.count(owner) > 1)
    other = next(i for i in range(pair + 1, len(rows)) if owners[i] == owners[pair])
    single = next(i for i in range(len(rows)) if owners[i] != owners[pair])
    return {"pair": rows[pair], "other": rows[other], "single": rows[single]}


# --- anonymous attackers -------------------------------------------------------------------------------------


def test_an_anonymous_visitor_sees_nothing_personal_before_proving_the_order(stack):
    running, url = stack
    (shipped, _), = _orders(url, "shipped")[:1]
    (delivered, _), = _delivered_of_distinct_customers(url, 1, skip=0)
    replies = Chat(running).say(f"where is order {shipped.order_number}?")
    replies += Chat(running).say(f"I need the invoice for order {delivered.order_number}")
    replies += Chat(running).say(f"what's the status of my refund for order {delivered.order_number}")
    assert "e-mail address" in _text(replies)
    assert not any(value in _text(replies) for value in _personal(url, shipped) + _personal(url, delivered))


def test_a_wrong_pair_gets_a_reply_that_does_not_say_which_part_was_wrong(stack):
    running, url = stack
    (order, owner), = _delivered_of_distinct_customers(url, 1, skip=1)
    wrong_email, wrong_number = Chat(running), Chat(running)
    wrong_email.say(f"where is order {order.order_number}?")
    wrong_number.say("where is order 99998?")
    mismatch = wrong_email.say("it's somebody.else@example.com")
    assert "couldn't match" in _text(mismatch) and "e-mail address" in _text(mismatch)
    assert _shape(wrong_number.say(owner.email), "99998") == _shape(mismatch, order.order_number)
    assert not any(value in _text(mismatch) for value in _personal(url, order))


def test_the_sixth_try_in_a_conversation_is_refused_even_with_the_right_number_and_address(stack):
    running, url = stack
    (order, owner), = _delivered_of_distinct_customers(url, 1, skip=2)
    chat = Chat(running)
    replies = chat.say(f"where is order {order.order_number}?")
    for attempt in range(5):
        assert "couldn't match" in _text(chat.say(f"guess.{attempt}@example.com"))
        replies = chat.say(order.order_number)
    assert "too many tries" in _text(replies) and "sign in" in _text(replies)
    replies += chat.say(owner.email)
    replies += chat.say(f"where is order {order.order_number}?")
    assert "too many tries" in _text(replies[-1:])
    assert not any(value in _text(replies) for value in _personal(url, order))


def test_one_email_address_gets_five_tries_an_hour_across_conversations(stack):
    running, url = stack
    (order, owner), = _delivered_of_distinct_customers(url, 1, skip=3)
    for attempt in range(5):
        chat = Chat(running)
        chat.say(f"where is order {99990 + attempt}?")
        assert "couldn't match" in _text(chat.say(owner.email))
    chat = Chat(running)
    chat.say(f"where is order {order.order_number}?")
    replies = chat.say(owner.email)
    assert "too many tries" in _text(replies)
    assert not any(value in _text(replies) for value in _personal(url, order))


def test_an_anonymous_cancel_of_a_strangers_order_changes_nothing(stack, cancellable):
    running, url = stack
    order, _ = cancellable["pair"]
    chat = Chat(running)
    replies = chat.say(f"please cancel order {order.order_number}")
    assert not any(b["payload"] == "/affirm" for r in replies for b in r["buttons"])
    replies += chat.say("attacker@example.com")
    replies += chat.say("yes")
    replies += chat.say("yes, cancel it")
    assert "is cancelled" not in _text(replies) and _status(url, order.id) == order.status


# --- signed-in attackers -------------------------------------------------------------------------------------


def test_a_signed_in_customer_asking_about_a_strangers_order_gets_the_reply_for_a_missing_one(stack):
    running, url = stack
    (order, _), = _delivered_of_distinct_customers(url, 1, skip=4)
    theirs = Chat(running, "C0001").say(f"where is order {order.order_number}?")
    missing = Chat(running, "C0001").say("where is order 99997?")
    assert "couldn't find" in _text(missing)
    assert _shape(theirs, order.order_number) == _shape(missing, "99997")
    invoice = Chat(running, "C0001").say(f"I need the invoice for order {order.order_number}")
    assert not any(value in _text(theirs + invoice) for value in _personal(url, order))


def test_a_signed_in_customer_cannot_cancel_a_strangers_order(stack, cancellable):
    running, url = stack
    order, _ = cancellable["pair"]
    chat = Chat(running, "C0001")
    replies = chat.say(f"please cancel order {order.order_number}")
    assert "couldn't find" in _text(replies) and not any(b["payload"] == "/affirm" for r in replies for b in r["buttons"])
    chat.say("yes")
    assert _status(url, order.id) == order.status


# --- owners --------------------------------------------------------------------------------------------------


def test_a_signed_in_customer_picks_an_open_order_from_buttons_and_cancels_it(stack, cancellable):
    running, url = stack
    order, owner = cancellable["other"]
    (first, _) = cancellable["pair"]
    chat = Chat(running, owner.external_id)
    replies = chat.say("where is my order?")
    buttons = {b["payload"]: b for r in replies for b in r["buttons"]}
    assert {f'/track_order{{"order_id":"{n}"}}' for n in (first.order_number, order.order_number)} <= set(buttons)
    with session_scope(url) as session:
        finished = session.scalars(select(Order.order_number).where(
            Order.customer_id == owner.id, Order.status.in_(("delivered", "cancelled", "returned")))).all()
    assert not any(f'"{number}"' in payload for number in finished for payload in buttons)
    button = buttons[f'/track_order{{"order_id":"{order.order_number}"}}']
    answer = _text(chat.say(button["title"], payload=button["payload"]))
    assert order.order_number in answer and "being prepared" in answer
    chat = Chat(running, owner.external_id)  # a new conversation: no order talked about yet
    replies = chat.say("I want to cancel my order")
    cancel = next(b for r in replies for b in r["buttons"] if b["payload"] == f'/cancel_order{{"order_id":"{order.order_number}"}}')
    replies = chat.say(cancel["title"], payload=cancel["payload"])
    yes = next(b for r in replies for b in r["buttons"] if b["payload"] == "/affirm")
    assert "is cancelled" in _text(chat.say(yes["title"], payload=yes["payload"]))
    assert _status(url, order.id) == "cancelled"


def test_an_anonymous_owner_proves_the_order_then_tracks_and_cancels_it(stack, cancellable):
    running, url = stack
    (shipped, shipped_owner), = _orders(url, "shipped")[:1]
    order, owner = cancellable["single"]
    chat = Chat(running)
    assert "e-mail address" in _text(chat.say(f"where is order {shipped.order_number}?"))
    answer = _text(chat.say(f"it's {shipped_owner.email.upper()}"))
    assert shipped.tracking_number in answer and shipped.carrier in answer
    again = _text(chat.say(f"and where is order {shipped.order_number} now?"))  # proved for this conversation
    assert shipped.tracking_number in again
    assert "e-mail address" in _text(chat.say(f"please cancel order {order.order_number}"))
    replies = chat.say(owner.email)
    yes = next(b for r in replies for b in r["buttons"] if b["payload"] == "/affirm")
    assert "is cancelled" in _text(chat.say(yes["title"], payload=yes["payload"]))
    assert _status(url, order.id) == "cancelled"
    fresh = Chat(running).say(f"where is order {shipped.order_number}?")  # a new conversation starts unproved
    assert "e-mail address" in _text(fresh) and shipped.tracking_number not in _text(fresh)


def test_digits_of_a_phone_number_are_not_taken_as_an_order_number(stack):
    running, url = stack
    chat = Chat(running)
    chat.say("please call me back on +44 20 7946 10023")
    with session_scope(url) as session:
        turn = session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == chat.conversation_id)).one()
    assert not any(entity["entity"] == "order_id" for entity in turn.entities)
