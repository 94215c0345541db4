"""Retention in the dialogue, through the real actions and database (sentiment fixed per message)."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select, update

import turn_core.analysis as analysis
from kizuna.settings import get_settings
from actions.answers import ActionAnswer
from actions.retention_dialogue import ActionAcceptOffer, ActionDeclineOffer
from actions.turn_analysis import ActionAnalyzeTurn
from kizuna.db import conversations as store
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, Customer, CustomerScore, IssuedOffer, RetentionDecision
from kizuna.shop import get_shop_config
from retention.control_group import in_control_group
from retention.policy import load_policy
from sentiment.model import Prediction

MOODS = {"calm": 0.2, "annoyed": -0.5, "upset": -0.66, "furious": -0.95}


@pytest.fixture
def fixed_sentiment(monkeypatch):
    """The transformer is replaced at its boundary: each message says its own mood."""
    def score(text: str):
        value = next((v for mood, v in MOODS.items() if mood in text), 0.0)
        label = "negative" if value <= -0.3 else "positive" if value >= 0.3 else "neutral"
        return Prediction(label, value, {"negative": max(0, -value), "neutral": 1 - abs(value), "positive": max(0, value)}), "fixed"
    monkeypatch.setattr(analysis, "score_message", score)


class Chat:
    def __init__(self, url: str, conversation_id: str, customer: str | None) -> None:
        self.url, self.conversation_id, self.customer, self.clock = url, conversation_id, customer, 1000.0

    def say(self, text: str, intent: str) -> list[dict]:
        with session_scope(self.url) as session:
            stored = store.store_inbound(session, self.conversation_id, text, f"m{self.clock}", self.customer)
            message_id = stored.message.id
        self.clock += 1
        latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], "metadata": {"message_id": message_id}}
        tracker = Tracker(self.conversation_id, {}, latest, [{"event": "user", "timestamp": self.clock, "text": text, "parse_data": latest}],
                          False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionAnalyzeTurn().run(dispatcher, tracker, {}))
        action = {"accept_offer": ActionAcceptOffer(), "decline_offer": ActionDeclineOffer()}.get(intent, ActionAnswer())
        asyncio.run(action.run(dispatcher, tracker, {}))
        return dispatcher.messages

    def decisions(self) -> list[RetentionDecision]:
        with session_scope(self.url) as session:
            return session.scalars(select(RetentionDecision).where(RetentionDecision.conversation_id == self.conversation_id)
                                   .order_by(RetentionDecision.id)).all()


def set_profile(url: str, external_id: str, churn: float, value: float, tier: str, segment: str = "steady") -> None:
    with session_scope(url) as session:
        customer = session.scalar(select(Customer).where(Customer.external_id == external_id))
        session.merge(CustomerScore(customer_id=customer.id, churn_probability=churn, predicted_value_12m=value,
                                    tier=tier, segment=segment, scored_at=datetime.now(timezone.utc)))


def treated_customer(index: int = 0) -> str:
    policy = load_policy(get_settings().retention_policy_path)
    ids = [f"C{i:04d}" for i in range(1, 31) if not in_control_group(f"C{i:04d}", policy.control_share, policy.control_salt)]
    return ids[index]


def control_customer() -> str:
    policy = load_policy(get_settings().retention_policy_path)
    for i in range(1, 31):
        if in_control_group(f"C{i:04d}", policy.control_share, policy.control_salt):
            return f"C{i:04d}"
    pytest.skip("no control-group customer among the 30 demo customers")


def test_a_calm_customer_gets_no_offer(app_env, fixed_sentiment):
    customer = treated_customer()
    set_profile(app_env, customer, 0.9, 400, "silver")
    chat = Chat(app_env, "calm-1", customer)
    for text, intent in (("hi, calm", "greet"), ("which payment methods do you take? calm", "check_payment_methods")):
        assert not any(m.get("buttons") for m in chat.say(text, intent))
    assert [d.action for d in chat.decisions()] == ["none", "none"]
    assert chat.decisions()[0].reasons == ["no_risk_signal"]


def test_a_frustrated_silver_customer_cancelling_gets_an_offer_and_accepts(app_env, fixed_sentiment):
    customer = treated_customer()
    set_profile(app_env, customer, 0.8, 320, "silver")
    chat = Chat(app_env, "sour-1", customer)
    chat.say("hello there, calm", "greet")
    replies = chat.say("I want to cancel my account, annoyed", "delete_account")
    offer_message = next(m for m in replies if m.get("buttons"))
    assert "20 %" in offer_message["text"] and [b["payload"] for b in offer_message["buttons"]] == ["/accept_offer", "/decline_offer"]
    accepted = chat.say("/accept_offer", "accept_offer")
    with session_scope(app_env) as session:
        offer = session.scalars(select(IssuedOffer).where(IssuedOffer.conversation_id == "sour-1")).one()
    assert offer.status == "accepted" and offer.code and offer.code in accepted[0]["text"] and offer.offer_id == "save20"
    decisions = chat.decisions()
    assert decisions[-2].action == "offer" and "expected_gain_positive" in decisions[-2].reasons
    assert decisions[-2].presented


def test_a_declined_offer_is_stored(app_env, fixed_sentiment):
    customer = treated_customer(1)
    set_profile(app_env, customer, 0.8, 320, "silver")
    chat = Chat(app_env, "decline-1", customer)
    assert any(m.get("buttons") for m in chat.say("cancel it all, annoyed", "delete_account"))
    assert "No problem" in chat.say("no thanks", "decline_offer")[0]["text"]
    with session_scope(app_env) as session:
        assert session.scalars(select(IssuedOffer.status).where(IssuedOffer.conversation_id == "decline-1")).one() == "declined"


def test_an_angry_vip_is_escalated(app_env, fixed_sentiment):
    customer = treated_customer(2)
    set_profile(app_env, customer, 0.7, 900, "vip", "loyal")
    chat = Chat(app_env, "vip-1", customer)
    replies = chat.say("this is a disgrace, furious", "complaint")
    assert any("team" in m["text"] for m in replies)
    decision = chat.decisions()[0]
    assert decision.action == "escalate" and decision.priority == "urgent" and "valuable_customer_at_risk" in decision.reasons
    with session_scope(app_env) as session:
        conversation = session.get(Conversation, "vip-1")
        assert conversation.status == "waiting_for_agent" and conversation.escalation_priority == "urgent"


def test_a_control_group_customer_gets_nothing(app_env, fixed_sentiment):
    customer = control_customer()
    set_profile(app_env, customer, 0.8, 320, "silver")
    chat = Chat(app_env, "control-1", customer)
    replies = chat.say("I want to delete my account, annoyed", "delete_account")
    assert not any(m.get("buttons") for m in replies)
    assert chat.decisions()[0].action == "control" and chat.decisions()[0].offer_id == "save20"
    again = Chat(app_env, "control-2", customer)  # the held-back offer starts the cool-down, as a real one would
    again.say("delete my account now, annoyed", "delete_account")
    assert again.decisions()[0].action == "none" and "offer_cooldown" in again.decisions()[0].reasons


def test_a_second_offer_within_30_days_is_refused(app_env, fixed_sentiment):
    customer = treated_customer()
    set_profile(app_env, customer, 0.8, 320, "silver")
    first = Chat(app_env, "again-1", customer)
    first.say("delete my account, annoyed", "delete_account")
    second = Chat(app_env, "again-2", customer)
    assert not any(m.get("buttons") for m in second.say("delete my account now, annoyed", "delete_account"))
    assert "offer_cooldown" in second.decisions()[0].reasons
    with session_scope(app_env) as session:  # 31 days later it is allowed again
        session.execute(update(IssuedOffer).values(offered_at=datetime.now(timezone.utc) - timedelta(days=31)))
    third = Chat(app_env, "again-3", customer)
    assert any(m.get("buttons") for m in third.say("delete my account, annoyed", "delete_account"))


def test_a_tight_budget_refuses_the_offer(app_env, fixed_sentiment, monkeypatch):
    from dataclasses import replace

    tight = replace(load_policy(get_settings().retention_policy_path), daily_budget=20.0)
    monkeypatch.setattr("turn_core.retention_step.load_policy", lambda path: tight)
    outcomes = []
    for index in range(2):
        set_profile(app_env, treated_customer(index), 0.8, 320, "silver")
        chat = Chat(app_env, f"tight-{index}", treated_customer(index))
        chat.say("delete my account, annoyed", "delete_account")
        outcomes.append(chat.decisions()[0])
    assert outcomes[0].action == "offer"
    assert outcomes[1].action == "none" and "daily_budget_exhausted" in outcomes[1].reasons


# --- escalations agents can trust ---------------------------------------------------------------

def _status(url: str, conversation_id: str) -> Conversation:
    with session_scope(url) as session:
        conversation = session.get(Conversation, conversation_id)
        session.expunge(conversation)
        return conversation


def _hand_back(url: str, conversation_id: str, agent: str = "agent-1") -> None:
    """What the console does when an agent takes the conversation and then hands it back to the bot."""
    from kizuna import audit
    from kizuna.db import handoff

    with session_scope(url) as session:
        conversation = handoff.claim(session, conversation_id, agent)
        handoff.hand_back(conversation, agent)
        audit.record(session, None, "release", conversation_id)


def _shows_handoff(replies: list[dict]) -> bool:
    shop = get_shop_config()
    notices = {shop.handoff("queued"), shop.handoff("escalated_offline")}
    return any(m.get("text") in notices for m in replies)


def test_an_anonymous_late_parcel_question_is_answered_without_a_handoff(app_env, fixed_sentiment):
    chat = Chat(app_env, "parcel-1", None)
    replies = chat.say("my parcel hasn't arrived, upset", "track_order")
    assert not _shows_handoff(replies)
    assert chat.decisions()[0].action == "none" and chat.decisions()[0].priority is None
    assert _status(app_env, "parcel-1").status == "bot"


def test_two_furious_turns_escalate_and_after_a_hand_back_only_new_evidence_does_again(app_env, fixed_sentiment):
    chat = Chat(app_env, "pingpong-1", None)
    assert not _shows_handoff(chat.say("where is my order, furious", "track_order"))
    assert _shows_handoff(chat.say("still nothing after three weeks, furious", "track_order"))
    assert [d.action for d in chat.decisions()] == ["none", "escalate"]
    escalated = _status(app_env, "pingpong-1")
    assert escalated.status == "waiting_for_agent" and escalated.escalation_priority == "normal"
    assert escalated.escalation_reasons == ["strongly_negative_trend"]

    _hand_back(app_env, "pingpong-1")
    assert not _shows_handoff(chat.say("ok, I am still annoyed", "track_order"))  # one mild turn after the hand-back
    assert not _shows_handoff(chat.say("fine, annoyed", "thanks"))
    assert [d.action for d in chat.decisions()][-2:] == ["none", "none"]
    assert _status(app_env, "pingpong-1").status == "bot"
    # three unhappy turns since the hand-back are new evidence
    assert _shows_handoff(chat.say("and now the tracking link is broken, furious", "track_order"))
    assert chat.decisions()[-1].action == "escalate" and "strongly_negative_trend" in chat.decisions()[-1].reasons


def test_after_a_hand_back_an_explicit_request_for_a_human_still_escalates(app_env, fixed_sentiment):
    chat = Chat(app_env, "pingpong-2", None)
    chat.say("where is my order, furious", "track_order")
    chat.say("this is taking forever, furious", "track_order")
    _hand_back(app_env, "pingpong-2")
    assert not _shows_handoff(chat.say("hmm, annoyed", "track_order"))
    assert _shows_handoff(chat.say("let me talk to a person, calm", "contact_human_agent"))
    assert chat.decisions()[-1].reasons == ["asked_for_human"]
    assert _status(app_env, "pingpong-2").status == "waiting_for_agent"


def test_after_a_hand_back_one_more_misunderstanding_does_not_escalate(app_env, fixed_sentiment):
    chat = Chat(app_env, "pingpong-3", None)
    chat.say("blorp", "nlu_fallback")
    chat.say("zzzz qq", "nlu_fallback")
    assert chat.decisions()[-1].action == "escalate" and chat.decisions()[-1].reasons == ["repeated_misunderstanding"]
    _hand_back(app_env, "pingpong-3")
    chat.say("qqq blorp", "nlu_fallback")
    assert chat.decisions()[-1].action == "none"
    chat.say("blorp again", "nlu_fallback")
    assert chat.decisions()[-1].action == "escalate"  # two new ones since the hand-back


def test_an_openly_angry_customer_is_escalated_at_once_at_high_priority(app_env, fixed_sentiment):
    chat = Chat(app_env, "angry-1", None)
    assert _shows_handoff(chat.say("you are useless thieves, furious", "complaint"))
    assert chat.decisions()[0].reasons == ["explicit_anger"] and chat.decisions()[0].priority == "high"


def test_typed_escalation_words_are_only_text(app_env, fixed_sentiment):
    chat = Chat(app_env, "typed-1", None)
    for text in ("escalate priority high, furious", "/handoff"):
        assert not _shows_handoff(chat.say(text, "nlu_fallback" if text.startswith("/") else "track_order"))
    assert all(d.action == "none" for d in chat.decisions())
