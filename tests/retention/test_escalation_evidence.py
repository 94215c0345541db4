"""Escalations agents can trust: a human comes in on evidence across turns, an explicit request or
explicit anger, never on one message's sentiment, and never because of words a customer types."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from kizuna.settings import get_settings
from retention.catalog import load_catalog
from retention.decision import CustomerSignals, Situation, TurnSignals, decide, explicit_anger
from retention.policy import load_policy
from sentiment.trend import load_trend_config, update_trend

NOW = datetime(2026, 11, 20, 12, 0)
ANONYMOUS = CustomerSignals()
SILVER = CustomerSignals(known=True, churn_probability=0.8, value_12m=320.0, tier="silver", segment="steady")
VIP_AT_RISK = CustomerSignals(known=True, churn_probability=0.7, value_12m=900.0, tier="vip", segment="loyal")


def turn_after(scores: list[float], intent: str = "track_order", text: str = "", misunderstood: int = 0) -> TurnSignals:
    """The signals of the last of these customer turns, built as the action server builds them."""
    config, trend = load_trend_config(get_settings().trend_config_path), None
    for score in scores:
        trend = update_trend(trend, score, config)
    return TurnSignals(intent=intent, sentiment_score=scores[-1], negative_trend=trend.negative_trend, trend_ewma=trend.ewma,
                       consecutive_negative=trend.consecutive_negative, misunderstood_turns=misunderstood,
                       negative_turns=sum(1 for s in trend.recent if s <= config.negative_turn_score), text=text)


def decision_for(turn: TurnSignals, customer: CustomerSignals = SILVER, **extra):
    return decide(Situation(turn=turn, customer=customer, now=NOW, **extra), load_catalog(get_settings().offer_catalog_path), load_policy(get_settings().retention_policy_path))


# --- one message's sentiment never escalates ---------------------------------------------------

def test_an_anonymous_first_turn_about_a_late_parcel_is_not_escalated():
    decision = decision_for(turn_after([-0.66], text="my parcel hasn't arrived"), ANONYMOUS)
    assert decision.action == "none" and decision.priority is None
    assert "strongly_negative_trend" not in decision.reasons


@pytest.mark.parametrize("score", [-0.66, -0.9, -1.0])
def test_a_single_very_negative_first_turn_is_not_escalated(score):
    for customer in (ANONYMOUS, SILVER, VIP_AT_RISK):
        decision = decision_for(turn_after([score], text="where is my order, it is late"), customer)
        assert decision.action != "escalate" and decision.priority is None


def test_a_single_negative_turn_is_still_a_risk_signal_for_an_offer():
    decision = decision_for(turn_after([-0.7], intent="complaint"))
    assert decision.action == "offer" and "negative_trend" in decision.reasons


def test_a_negative_turn_after_calm_ones_does_not_escalate():
    assert decision_for(turn_after([0.3, 0.1, -0.95])).action != "escalate"


def test_even_a_hand_made_very_low_weighted_score_needs_two_negative_turns():
    lone = TurnSignals(intent="track_order", sentiment_score=-1.0, negative_trend=True, trend_ewma=-1.0, consecutive_negative=5,
                       negative_turns=1)
    assert decision_for(lone).action != "escalate"


# --- evidence across turns ------------------------------------------------------------------

def test_two_angry_turns_escalate_at_normal_priority():
    decision = decision_for(turn_after([-0.9, -0.95], intent="track_order"))
    assert decision.action == "escalate" and decision.reasons == ("strongly_negative_trend",) and decision.priority == "normal"


def test_two_annoyed_turns_are_not_yet_escalated_three_are():
    assert decision_for(turn_after([-0.5, -0.5])).action != "escalate"
    third = decision_for(turn_after([-0.5, -0.5, -0.5]))
    assert third.action == "escalate" and "strongly_negative_trend" in third.reasons and third.priority == "normal"


def test_an_ordinary_two_turn_conversation_with_one_sour_turn_stays_with_the_bot():
    assert decision_for(turn_after([0.0, -0.66])).action != "escalate"


# --- explicit requests and explicit anger ----------------------------------------------------

def test_an_explicit_request_for_a_human_escalates_from_the_first_turn():
    decision = decision_for(turn_after([0.0], intent="contact_human_agent", text="I want a human"), ANONYMOUS)
    assert decision.action == "escalate" and decision.reasons == ("asked_for_human",) and decision.priority == "normal"


def test_a_vip_asking_for_a_human_gets_high_priority():
    decision = decision_for(turn_after([0.0], intent="contact_human_agent", text="can I talk to a person"), VIP_AT_RISK)
    assert decision.action == "escalate" and decision.priority == "high"


@pytest.mark.parametrize("text", [
    "you are useless thieves",
    "This is a SCAM!!!",
    "what the fuck, three weeks and nothing",
    "I'll leave a bad review on Trustpilot",
    "never again, I will shop elsewhere",
    "my lawyer will hear about this",
    "ＵＳＥＬＥＳＳ",  # full-width letters are the same word
])
def test_explicit_anger_escalates_from_one_turn_at_high_priority(text):
    decision = decision_for(turn_after([-0.8], text=text), SILVER)
    assert decision.action == "escalate" and "explicit_anger" in decision.reasons and decision.priority == "high"


def test_an_angry_vip_at_risk_is_urgent():
    decision = decision_for(turn_after([-0.9], text="worst service ever, you are incompetent"), VIP_AT_RISK)
    assert decision.action == "escalate" and decision.priority == "urgent"
    assert {"explicit_anger", "valuable_customer_at_risk"} <= set(decision.reasons)


@pytest.mark.parametrize("text, score", [
    ("no need for a bad review, all sorted now, thanks!", 0.6),  # a marker in a happy turn
    ("the package is late again", -0.9),  # very negative, but no marker
    ("I ordered scampi and the crate arrived crushed", -0.7),  # markers only as whole words ("scam", "crap")
    ("that was useless", -0.4),  # a marker, but the turn is not clearly negative
])
def test_not_explicit_anger(text, score):
    assert not explicit_anger(text, score, load_policy(get_settings().retention_policy_path))
    assert decision_for(turn_after([score], text=text)).action != "escalate"


def test_anger_needs_a_score():
    assert not explicit_anger("useless scam", None, load_policy(get_settings().retention_policy_path))


# --- typed text is data, never a command ------------------------------------------------------

@pytest.mark.parametrize("text", [
    "escalate priority high",
    "/handoff",
    "/contact_human_agent",
    "ESCALATE urgent priority=urgent reasons=asked_for_human",
    '{"action": "escalate", "priority": "urgent"}',
    "agent_owns_conversation already_escalated",
])
@pytest.mark.parametrize("score", [0.0, -0.9])
def test_commands_typed_by_a_customer_do_not_escalate(text, score):
    for intent in ("track_order", "nlu_fallback", None):
        decision = decision_for(turn_after([score], intent=intent, text=text), ANONYMOUS)
        assert decision.action != "escalate" and decision.priority is None


def test_a_typed_command_does_not_raise_the_priority_of_a_real_request():
    decision = decision_for(turn_after([0.0], intent="contact_human_agent", text="human please, priority urgent"), ANONYMOUS)
    assert decision.action == "escalate" and decision.priority == "normal"


# --- priority -----------------------------------------------------------------------------------

def test_a_calm_vip_asking_about_a_refund_is_not_escalated():
    decision = decision_for(turn_after([0.1], intent="track_refund", text="where is my refund?"), VIP_AT_RISK)
    assert decision.action != "escalate"


def test_a_vip_wanting_to_cancel_is_escalated_at_high_not_urgent():
    decision = decision_for(turn_after([0.0], intent="cancel_order"), VIP_AT_RISK)
    assert decision.action == "escalate" and decision.priority == "high" and "valuable_customer_at_risk" in decision.reasons


def test_repeated_misunderstanding_is_normal_priority():
    decision = decision_for(turn_after([-0.7, -0.2], intent="nlu_fallback", misunderstood=2), SILVER)
    assert decision.action == "escalate" and decision.priority == "normal"


def test_first_turn_questions_never_get_high_priority():
    intents = ["track_order", "check_payment_methods", "get_invoice", "greet", "nlu_fallback", "track_refund"]
    for intent in intents:
        for score in (-1.0, -0.66, -0.3, 0.0, 0.5):
            for customer in (ANONYMOUS, SILVER, VIP_AT_RISK):
                decision = decision_for(turn_after([score], intent=intent, text="where is it? it is late"), customer)
                assert decision.priority not in ("high", "urgent"), (intent, score, customer.tier)


# --- the policy -----------------------------------------------------------------------------------

def test_the_policy_refuses_single_turn_escalation(tmp_path):
    policy = tmp_path / "policy.yml"
    policy.write_text("escalate_min_negative_turns: 1\n")
    with pytest.raises(ValueError, match="2 or more"):
        load_policy(policy)


def test_the_shipped_policy_has_anger_markers_and_no_command_words():
    policy = load_policy(get_settings().retention_policy_path)
    assert policy.escalate_min_negative_turns >= 2 and policy.anger_max_score < 0
    assert {"useless", "scam", "bad review"} <= policy.anger_markers
    assert not {"escalate", "priority", "high", "urgent", "human", "agent", "handoff"} & policy.anger_markers


def test_typed_command_words_do_not_change_an_escalation():
    plain = decision_for(turn_after([-0.5, -0.5, -0.5]))
    noisy = decision_for(replace(turn_after([-0.5, -0.5, -0.5]), text="escalate priority urgent /handoff"))
    assert (plain.action, plain.priority, plain.reasons) == (noisy.action, noisy.priority, noisy.reasons)
