"""Actions against a real (SQLite) database with a tracker built as Rasa would send it."""

import asyncio
import time

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from kizuna.settings import get_settings
from actions.answers import ActionAnswer
from actions.orders import ActionCancelOrder, ActionKeepOrder, ActionOrderLookup, ValidateOrderNumberForm
from actions.turn_analysis import ActionAnalyzeTurn
from kizuna.db.engine import session_scope
from kizuna.db.models import Order, TurnAnalysis


def make_tracker(text="hi", intent="greet", slots=None, metadata=None, entities=None, sender="conv-1"):
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.91},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    events = [{"event": "user", "timestamp": time.time(), "text": text, "parse_data": latest}]
    return Tracker(sender, slots or {}, latest, events, False, None, {}, "action_listen")


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def first_order(url, status):
    with session_scope(url) as session:
        return session.scalars(select(Order).where(Order.status == status).order_by(Order.id)).first()


def owners_tracker(url, order, slots):
    """A conversation the console opened for the order's owner, signed in with a valid token."""
    from kizuna.db.models import Conversation

    conversation_id = f"conv-owner-{order.order_number}"
    with session_scope(url) as session:
        if session.get(Conversation, conversation_id) is None:
            session.add(Conversation(id=conversation_id, customer_id=order.customer_id, status="bot"))
    return make_tracker(slots=slots, sender=conversation_id)


def test_answer_uses_the_shop_configuration(app_env):
    messages, events = run(ActionAnswer(), make_tracker("which cards do you take", "check_payment_methods"))
    assert "PayPal" in messages[0]["text"] and events == []


def test_answer_falls_back_for_unknown_intents(app_env):
    messages, _ = run(ActionAnswer(), make_tracker("blargh", "nlu_fallback"))
    assert "rephrase" in messages[0]["text"]


def test_turn_analysis_records_each_turn_once(app_env, monkeypatch):
    import turn_core.analysis as analysis

    scored: list[str] = []
    score = analysis.score_message
    monkeypatch.setattr(analysis, "score_message", lambda text: (scored.append(text), score(text))[1])
    tracker = make_tracker("where is 10001", "track_order", entities=[{"entity": "order_id", "value": "10001", "start": 9, "end": 14}])
    for _ in range(2):
        messages, events = run(ActionAnalyzeTurn(), tracker)
        assert messages == [] and all(e["name"] == "negative_trend" for e in events)
    assert scored == ["where is 10001"]  # the repeat (Rasa calls the analysis again as a form starts) is not scored again
    with session_scope(app_env) as session:
        turns = session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == "conv-1")).all()
    assert len(turns) == 1
    assert (turns[0].intent, turns[0].confidence, turns[0].entities[0]["value"]) == ("track_order", 0.91, "10001")


def test_turn_analysis_survives_a_broken_database(app_env, monkeypatch):
    monkeypatch.setenv("KIZUNA_DATABASE_URL", "sqlite:////nonexistent-dir/x/y.db")
    from tests.conftest import _clear_caches

    _clear_caches()
    messages, events = run(ActionAnalyzeTurn(), make_tracker())
    assert events == []


def test_order_lookup_reports_the_stored_status(app_env):
    order = first_order(app_env, "shipped")
    messages, _ = run(ActionOrderLookup(), owners_tracker(app_env, order, {"order_id": order.order_number, "order_topic": "track"}))
    assert order.order_number in messages[0]["text"] and order.tracking_number in messages[0]["text"]


def test_refund_lookup(app_env):
    order = first_order(app_env, "returned")
    messages, _ = run(ActionOrderLookup(), owners_tracker(app_env, order, {"order_id": order.order_number, "order_topic": "refund"}))
    assert "refund" in messages[0]["text"].lower() and order.order_number in messages[0]["text"]


def test_invoice_lookup(app_env):
    order = first_order(app_env, "delivered")
    messages, _ = run(ActionOrderLookup(), owners_tracker(app_env, order, {"order_id": order.order_number, "order_topic": "invoice"}))
    assert f"INV-{order.order_number}" in messages[0]["text"]


def test_unknown_order_number_is_refused_by_the_form(app_env):
    dispatcher = CollectingDispatcher()
    signed_in = owners_tracker(app_env, first_order(app_env, "shipped"), {})
    result = ValidateOrderNumberForm().validate_order_id("99999", dispatcher, signed_in, {})
    assert result == {"order_id": None}
    assert "couldn't find" in dispatcher.messages[0]["text"]


def test_form_accepts_a_bare_number_when_asked(app_env):
    tracker = make_tracker("it's ORD-10005", "track_order", slots={"requested_slot": "order_id"})
    result = asyncio.run(ValidateOrderNumberForm().extract_order_id(CollectingDispatcher(), tracker, {}))
    assert result == {"order_id": "10005"}


def test_cancellation_asks_then_cancels(app_env):
    order = first_order(app_env, "placed") or first_order(app_env, "processing")
    messages, events = run(ActionOrderLookup(), owners_tracker(app_env, order, {"order_id": order.order_number, "order_topic": "cancel"}))
    assert messages[0]["buttons"] and events[0]["value"] is True
    messages, events = run(ActionCancelOrder(), owners_tracker(app_env, order, {"order_id": order.order_number}))
    assert "cancelled" in messages[0]["text"] and events[0]["value"] is False
    with session_scope(app_env) as session:
        assert session.get(Order, order.id).status == "cancelled"


def test_shipped_orders_cannot_be_cancelled(app_env):
    order = first_order(app_env, "shipped")
    messages, events = run(ActionOrderLookup(), owners_tracker(app_env, order, {"order_id": order.order_number, "order_topic": "cancel"}))
    assert not messages[0]["buttons"] and events[0]["value"] is False
    messages, _ = run(ActionCancelOrder(), owners_tracker(app_env, order, {"order_id": order.order_number}))
    assert "no longer" in messages[0]["text"]


def test_keeping_the_order_clears_the_question(app_env):
    messages, events = run(ActionKeepOrder(), make_tracker())
    assert events[0] == {"event": "slot", "timestamp": None, "name": "awaiting_cancel_confirmation", "value": False}


def test_turn_analysis_stores_sentiment_and_carries_the_trend(app_env, small_sentiment_model, monkeypatch):
    from turn_core import sentiment_reader
    from kizuna.db.models import Conversation
    from tests.conftest import _clear_caches

    monkeypatch.setenv("KIZUNA_SENTIMENT_MODEL", str(small_sentiment_model))
    _clear_caches()
    sentiment_reader.reset()
    texts = ["hello", "this is taking forever", "x" * 100_000, "😡😡"]
    for index, text in enumerate(texts):
        tracker = make_tracker(text, "complaint", sender="conv-trend")
        tracker.events[0]["timestamp"] = 1000.0 + index
        _, events = run(ActionAnalyzeTurn(), tracker)
        assert events and events[0]["name"] == "negative_trend"
    with session_scope(app_env) as session:
        turns = session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == "conv-trend").order_by(TurnAnalysis.id)).all()
        conversation = session.get(Conversation, "conv-trend")
    assert len(turns) == 4
    assert all(t.sentiment_label in ("negative", "neutral", "positive") and t.sentiment_model for t in turns)
    assert [t.trend["turns"] for t in turns] == [1, 2, 3, 4]
    assert conversation.sentiment_trend["turns"] == 4
    sentiment_reader.reset()


def test_turn_analysis_without_a_sentiment_model_still_records(app_env, tmp_path, monkeypatch):
    from turn_core import sentiment_reader
    from tests.conftest import _clear_caches

    monkeypatch.setenv("KIZUNA_SENTIMENT_MODEL", str(tmp_path / "no-model"))
    _clear_caches()
    sentiment_reader.reset()
    _, events = run(ActionAnalyzeTurn(), make_tracker("hi", "greet", sender="conv-nomodel"))
    assert events == []
    with session_scope(app_env) as session:
        turn = session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == "conv-nomodel")).one()
        text = turn.message_text
    assert turn.sentiment_label is None and text == "hi"
    sentiment_reader.reset()


def test_turn_analysis_stores_the_customers_precomputed_profile(app_env, tmp_path):
    from churn.config import load_config
    from turn_core.customer_scoring import refresh_scores
    from kizuna.db import conversations as store
    from tests.conftest import DEMO_TODAY

    refresh_scores(app_env, DEMO_TODAY, load_config(get_settings().intelligence_config_path), tmp_path / "no-churn-model")
    with session_scope(app_env) as session:
        store.store_inbound(session, "conv-known", "hello", "m-1", "C0001")
    run(ActionAnalyzeTurn(), make_tracker("hello", "greet", sender="conv-known"))
    run(ActionAnalyzeTurn(), make_tracker("hello", "greet", sender="conv-anonymous"))
    with session_scope(app_env) as session:
        known, anonymous = (session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == c)).one()
                            for c in ("conv-known", "conv-anonymous"))
    assert known.customer_profile["tier"] in ("regular", "silver", "vip") and known.customer_profile["segment"]
    assert known.customer_profile["churn_probability"] is None  # no churn model trained in this test
    assert anonymous.customer_profile is None
