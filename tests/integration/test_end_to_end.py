"""The real rasa server, action server and console, with conversations through the console's API."""

from __future__ import annotations


import httpx
import pytest
from sqlalchemy import select

from kizuna.settings import get_settings
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, Customer, Message, Order, TurnAnalysis
from kizuna.db.shop_repository import FINISHED_STATUSES
from kizuna.db.turns import add_analysed_message
from tests.integration.shop_state import order_of, order_with_status, owner_of, set_profile, treated_customers
from tests.integration.chat import Chat
from tests.integration.staff_client import staff_client

pytestmark = pytest.mark.integration


def _text(replies: list[dict]) -> str:
    return " ".join(r["text"] for r in replies)


def test_track_an_order_by_giving_the_number_when_asked(stack):
    running, url = stack
    order = order_with_status(url, "shipped")
    chat = Chat(running, customer_id=owner_of(url, order).external_id)
    assert "assistant" in _text(chat.say("hi there"))
    assert "order number" in _text(chat.say("where is my package?")).lower()
    answer = _text(chat.say(order.order_number))
    assert order.order_number in answer and order.tracking_number in answer
    with session_scope(url) as session:
        turns = session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == chat.conversation_id).order_by(TurnAnalysis.id)).all()
        inbound = session.scalars(select(Message).where(Message.conversation_id == chat.conversation_id, Message.direction == "in")).all()
        texts = [t.message_text for t in turns]
    assert texts == ["hi there", "where is my package?", order.order_number]
    assert turns[0].intent == "greet" and turns[1].intent == "track_order"
    assert [t.message_id for t in turns] == [m.id for m in inbound]
    assert all(t.customer_id is not None and 0 < t.confidence <= 1 for t in turns)
    assert all(m.status == "answered" for m in inbound)
    assert all(t.sentiment_label in ("negative", "neutral", "positive") and t.sentiment_model for t in turns)
    assert [t.trend["turns"] for t in turns] == [1, 2, 3]
    assert all(t.customer_profile["tier"] in ("regular", "silver", "vip") for t in turns)


def test_a_conversation_that_turns_sour_gets_a_negative_trend(stack):
    running, url = stack
    chat = Chat(running)
    for text in ("hi, where is my order?", "it's been three weeks and still nothing", "this is ridiculous, nobody helps me",
                 "you are useless, worst shop ever 😡"):
        chat.say(text)
    with session_scope(url) as session:
        conversation = session.get(Conversation, chat.conversation_id)
        turns = session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == chat.conversation_id)).all()
    assert conversation.sentiment_trend["negative_trend"] is True, conversation.sentiment_trend
    assert turns[-1].sentiment_label == "negative" and turns[-1].sentiment_score < 0


def test_invoice_with_the_number_in_the_first_message(stack):
    running, url = stack
    order = order_with_status(url, "delivered")
    chat = Chat(running, customer_id=owner_of(url, order).external_id)
    answer = _text(chat.say(f"can you send me the invoice for order {order.order_number}?"))
    assert f"INV-{order.order_number}" in answer


def test_refund_status_is_read_from_the_database(stack):
    running, url = stack
    order = order_with_status(url, "returned")
    chat = Chat(running, customer_id=owner_of(url, order).external_id)
    answer = _text(chat.say(f"what's the status of my refund for order {order.order_number}"))
    assert order.order_number in answer and "refund" in answer.lower()


def test_an_unknown_order_number_gets_a_helpful_reply(stack):
    running, _ = stack
    answer = _text(Chat(running, customer_id="C0001").say("where is my order 99999"))
    assert "couldn't find" in answer and "99999" in answer


def test_cancel_an_order_with_the_confirmation_button(stack):
    running, url = stack
    order = order_with_status(url, "placed") or order_with_status(url, "processing")
    chat = Chat(running, customer_id=owner_of(url, order).external_id)
    replies = chat.say(f"please cancel my order {order.order_number}")
    buttons = [b for r in replies for b in r["buttons"]]
    assert buttons and "cancel" in _text(replies).lower()
    yes = next(b for b in buttons if b["payload"] == "/affirm")
    assert "is cancelled" in _text(chat.say(yes["title"], payload=yes["payload"]))
    with session_scope(url) as session:
        assert session.get(Order, order.id).status == "cancelled"


def test_faq_answers_and_fallback(stack):
    running, _ = stack
    chat = Chat(running)
    assert "PayPal" in _text(chat.say("what payment methods do you accept?"))
    assert "rephrase" in _text(chat.say("qwxz plorb vendigrast")) or "only help" in _text(chat.say("qwxz plorb"))


def test_bad_input_through_the_real_console_keeps_it_up(stack):
    running, _ = stack
    conversation = f"{running.console_url}/api/conversations/e2e-bad/messages"
    assert httpx.post(conversation, json={"text": "  ", "client_message_id": "a"}).status_code == 422
    assert httpx.post(conversation, json={"text": "x" * 2001, "client_message_id": "b"}).status_code == 422
    assert httpx.post(conversation, content=b"{nope", headers={"content-type": "application/json"}).status_code == 400
    assert httpx.get(f"{running.console_url}/api/conversations/never-was/messages").status_code == 404
    health = httpx.get(f"{running.console_url}/healthz").json()
    assert health["status"] == "ok", health


def open_orders(url: str, external_id: str) -> int:
    with session_scope(url) as session:
        return len(session.scalars(select(Order.id).join(Customer).where(
            Customer.external_id == external_id, Order.status.not_in(FINISHED_STATUSES))).all())


def test_a_frustrated_silver_customer_who_wants_to_cancel_gets_an_offer_and_accepts(stack):
    from kizuna.db.models import IssuedOffer, RetentionDecision

    running, url = stack
    customer = treated_customers(1)[0]
    set_profile(url, customer, churn=0.8, value=320, tier="silver", segment="steady")
    order = order_of(url, customer)
    chat = Chat(running, customer_id=customer)
    chat.say("hi")
    asked = chat.say("I want to cancel my order, this is the third delay and I am really fed up with you")
    # With one open order the bot knows which one and answers at once; with several the customer names it.
    replies = asked if open_orders(url, customer) == 1 else chat.say(order.order_number)
    offer = next(r for r in replies if any(b["payload"] == "/accept_offer" for b in r["buttons"]))
    assert offer["kind"] == "offer"
    accepted = _text(chat.say("Yes, please", payload="/accept_offer"))
    with session_scope(url) as session:
        issued = session.scalars(select(IssuedOffer).where(IssuedOffer.conversation_id == chat.conversation_id)).one()
        decisions = session.scalars(select(RetentionDecision).where(RetentionDecision.conversation_id == chat.conversation_id)
                                    .order_by(RetentionDecision.id)).all()
    assert issued.status == "accepted" and issued.code in accepted and issued.offer_id in ("save20", "save10", "freeship")
    assert offer["text"] and decisions[0].action == "none" and decisions[1].action == "offer"
    assert all(d.reasons and d.explanation for d in decisions)
    assert "PayPal" in _text(chat.say("which payment methods do you accept?"))  # the conversation goes on


def test_an_angry_vip_is_escalated_and_the_bot_goes_quiet_while_an_agent_replies(stack):
    from kizuna.secrets import load_secrets

    running, url = stack
    customer = treated_customers(2)[1]
    set_profile(url, customer, churn=0.7, value=900, tier="vip", segment="loyal")
    chat = Chat(running, customer_id=customer)
    handoff = _text(chat.say("this is outrageous, my order is lost and your service is the worst I have ever seen"))
    assert "team" in handoff
    password = load_secrets(running.settings.var_dir)["admin_password"]
    staff = staff_client(running.console_url, "admin", password)
    queue = staff.get("/api/agent/queue").json()["conversations"]
    waiting = next(c for c in queue if c["conversation_id"] == chat.conversation_id)
    assert waiting["priority"] == "urgent" and "valuable_customer_at_risk" in waiting["reasons"]
    base = f"/api/agent/conversations/{chat.conversation_id}"
    assert staff.post(f"{base}/take").json()["agent"] == "admin"
    assert chat.say("hello? anybody there?") == []  # the bot stays silent; the message waits for the agent
    assert staff.post(f"{base}/messages", json={"text": "Hi, I'm on it."}).status_code == 200
    assert [m["sender"] for m in chat.history()[-2:]] == ["customer", "agent"]
    assert staff.post(f"{base}/release").status_code == 200
    assert chat.say("thanks, bye")  # the bot is back


def _decisions(url: str, conversation_id: str) -> list:
    from kizuna.db.models import RetentionDecision

    with session_scope(url) as session:
        return session.scalars(select(RetentionDecision).where(RetentionDecision.conversation_id == conversation_id)
                               .order_by(RetentionDecision.id)).all()


def _has_offer(replies: list[dict]) -> bool:
    return any(b["payload"] == "/accept_offer" for r in replies for b in r["buttons"])


def test_a_calm_customer_gets_no_offer(stack):
    running, url = stack
    customer = treated_customers(3)[2]
    set_profile(url, customer, churn=0.9, value=400, tier="silver", segment="steady")
    chat = Chat(running, customer_id=customer)
    assert not _has_offer(chat.say("hello!")) and not _has_offer(chat.say("which payment methods do you accept?"))
    assert [d.action for d in _decisions(url, chat.conversation_id)] == ["none", "none"]


def test_a_control_group_customer_gets_nothing_and_the_decision_says_control(stack):
    from retention.control_group import in_control_group
    from retention.policy import load_policy

    running, url = stack
    policy = load_policy(get_settings().retention_policy_path)
    customer = next(f"C{i:04d}" for i in range(2, 41) if in_control_group(f"C{i:04d}", policy.control_share, policy.control_salt))
    set_profile(url, customer, churn=0.8, value=320, tier="silver", segment="steady")
    chat = Chat(running, customer_id=customer)
    assert not _has_offer(chat.say("please delete my account"))
    decision = _decisions(url, chat.conversation_id)[0]
    assert decision.action == "control" and "control_group" in decision.reasons and decision.offer_id


def test_a_second_offer_within_30_days_is_refused(stack):
    running, url = stack
    customer = treated_customers(4)[3]
    set_profile(url, customer, churn=0.8, value=320, tier="silver", segment="steady")
    assert _has_offer(Chat(running, customer_id=customer).say("please delete my account"))
    again = Chat(running, customer_id=customer)
    assert not _has_offer(again.say("please delete my account"))
    assert "offer_cooldown" in _decisions(url, again.conversation_id)[0].reasons


def test_the_daily_budget_stops_offers(stack):
    from datetime import datetime, timezone

    from kizuna.db.models import IssuedOffer, RetentionDecision

    running, url = stack
    customer = treated_customers(5)[4]
    set_profile(url, customer, churn=0.8, value=320, tier="silver", segment="steady")
    with session_scope(url) as session:  # today's budget already spent by an earlier offer
        turn = add_analysed_message(session, "budget-spender", "k", "x", entities=[])
        session.add(turn)
        session.flush()
        decision = RetentionDecision(turn_analysis_id=turn.id, conversation_id="budget-spender", action="offer",
                                     offer_id="personal_call", reasons=[], explanation="spent")
        session.add(decision)
        session.flush()
        owner = session.scalar(select(Order.customer_id).order_by(Order.id))
        session.add(IssuedOffer(decision_id=decision.id, customer_id=owner, conversation_id="budget-spender",
                                offer_id="personal_call", kind="personal_call", cost=1000.0, offered_at=datetime.now(timezone.utc)))
    try:
        chat = Chat(running, customer_id=customer)
        assert not _has_offer(chat.say("please delete my account"))
        assert "daily_budget_exhausted" in _decisions(url, chat.conversation_id)[0].reasons
    finally:
        with session_scope(url) as session:
            session.delete(session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == "budget-spender")).one())


def test_logs_hold_no_secrets_and_no_message_text(stack):
    from kizuna.secrets import load_secrets

    running, _ = stack
    chat = Chat(running, customer_id="C0002")
    try:  # a caller that gives up on Rasa (as the console does after its timeout): Rasa's own REST channel logged the text
        httpx.post(f"{running.settings.rasa_url}/webhooks/kizuna/webhook", timeout=0.02,
                   headers={"Authorization": f"Bearer {running.settings.effective_channel_token}"},
                   json={"sender": f"{chat.conversation_id}-direct", "message": "Quentin Marlowe gave up waiting"})
    except httpx.HTTPError:
        pass
    words = "my parcel 4417 never arrived and my neighbour Quentin Marlowe is furious"
    chat.say(words)
    chat.say("write to quentin.marlowe@example.org please")
    logs = {path.name: path.read_text(errors="replace") for path in (running.settings.var_dir / "logs").glob("*.log")}
    assert {"rasa.log", "actions.log", "console.log"} <= set(logs)
    secrets = {**load_secrets(running.settings.var_dir), "serving_rasa_token": running.settings.effective_rasa_token}
    assert {"rasa_token", "action_token", "admin_password", "widget_secret"} <= set(secrets)
    for name, text in logs.items():
        assert not [key for key, value in secrets.items() if value in text], name
        assert "Quentin Marlowe" not in text and "quentin.marlowe@example.org" not in text, name
        assert "token=" not in text, name
        assert chat.secret not in text, name
    assert chat.conversation_id not in logs["console.log"]  # uvicorn's request lines show /conversations/- instead
