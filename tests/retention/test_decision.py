"""The retention decision as a table of cases, plus the catalog, policy and control group."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from kizuna.settings import get_settings
from retention.catalog import load_catalog
from retention.control_group import in_control_group
from retention.decision import CustomerSignals, OfferHistory, Situation, TurnSignals, decide
from retention.policy import load_policy

NOW = datetime(2026, 11, 20, 12, 0)
CALM = TurnSignals(intent="track_order", sentiment_score=0.1)
SOUR = TurnSignals(intent="complaint", sentiment_score=-0.7, negative_trend=True, trend_ewma=-0.45, consecutive_negative=2,
                   negative_turns=2)
CANCEL_ANGRY = replace(SOUR, intent="cancel_order")
FURIOUS = TurnSignals(intent="complaint", sentiment_score=-0.95, negative_trend=True, trend_ewma=-0.75, consecutive_negative=3,
                      negative_turns=3)
SILVER_AT_RISK = CustomerSignals(known=True, churn_probability=0.8, value_12m=320.0, tier="silver", segment="steady")
CONTROL_SILVER = replace(SILVER_AT_RISK, in_control_group=True)
VIP_AT_RISK = CustomerSignals(known=True, churn_probability=0.7, value_12m=900.0, tier="vip", segment="loyal")


def situation(turn=CALM, customer=SILVER_AT_RISK, **extra) -> Situation:
    return Situation(turn=turn, customer=customer, now=NOW, **extra)


CASES = [
    # (name, situation, action, offer id or priority, a reason that must be there)
    ("calm customer", situation(), "none", None, "no_risk_signal"),
    ("frustrated silver asking to cancel", situation(CANCEL_ANGRY), "offer", "save20", "expected_gain_positive"),
    ("same in the control group", situation(CANCEL_ANGRY, CONTROL_SILVER), "control", "save20", "control_group"),
    # The control arm holds only customers who would really have had an offer.
    ("control, offer not worth it", situation(SOUR, replace(CONTROL_SILVER, value_12m=20.0, tier="regular")), "none", None, "offer_not_worth_it"),
    ("control, within the cool-down", situation(CANCEL_ANGRY, CONTROL_SILVER, history=OfferHistory(last_offer_at=NOW - timedelta(days=10))), "none", None, "offer_cooldown"),
    ("control, budget spent", situation(CANCEL_ANGRY, CONTROL_SILVER, history=OfferHistory(spent_today=295.0)), "none", None, "daily_budget_exhausted"),
    ("offer 10 days after the last", situation(CANCEL_ANGRY, history=OfferHistory(last_offer_at=NOW - timedelta(days=10))), "none", None, "offer_cooldown"),
    ("offer 31 days after the last", situation(CANCEL_ANGRY, history=OfferHistory(last_offer_at=NOW - timedelta(days=31))), "offer", "save20", "expected_gain_positive"),
    ("budget spent", situation(CANCEL_ANGRY, history=OfferHistory(spent_today=295.0)), "none", None, "daily_budget_exhausted"),
    ("low churn risk", situation(SOUR, replace(SILVER_AT_RISK, churn_probability=0.1)), "none", None, "churn_risk_low"),
    ("low value: offer not worth it", situation(SOUR, replace(SILVER_AT_RISK, value_12m=20.0, tier="regular")), "none", None, "offer_not_worth_it"),
    ("anonymous customer", situation(SOUR, CustomerSignals()), "none", None, "customer_not_scored"),
    ("early adopter gets early access", situation(SOUR, replace(SILVER_AT_RISK, tier="regular", segment="early_adopter", value_12m=150.0)), "offer", "early_access", "negative_trend"),
    ("risky intent alone is a signal", situation(replace(CALM, intent="delete_account")), "offer", "save20", "risky_intent:delete_account"),
    ("asked for a human", situation(replace(CALM, intent="contact_human_agent")), "escalate", "normal", "asked_for_human"),
    ("strongly negative trend across turns", situation(FURIOUS), "escalate", "normal", "strongly_negative_trend"),
    ("angry VIP", situation(FURIOUS, VIP_AT_RISK), "escalate", "urgent", "valuable_customer_at_risk"),
    ("VIP complaining, not yet angry", situation(SOUR, VIP_AT_RISK), "escalate", "high", "valuable_customer_at_risk"),
    ("calm VIP is not escalated", situation(CALM, VIP_AT_RISK), "none", None, "no_risk_signal"),
    ("VIP asking for a human gets priority", situation(replace(CALM, intent="contact_human_agent"), VIP_AT_RISK), "escalate", "high", "asked_for_human"),
    ("bot misunderstood twice", situation(replace(CALM, intent="nlu_fallback", misunderstood_turns=2)), "escalate", "normal", "repeated_misunderstanding"),
    ("already waiting for an agent", situation(FURIOUS, already_escalated=True), "none", None, "already_escalated"),
    ("agent owns the conversation", situation(FURIOUS, agent_owns=True), "none", None, "agent_owns_conversation"),
    ("escalation beats the control group", situation(FURIOUS, CONTROL_SILVER), "escalate", "normal", "strongly_negative_trend"),
]


@pytest.mark.parametrize("name, case, action, detail, reason", CASES, ids=[c[0] for c in CASES])
def test_decision_table(name, case, action, detail, reason):
    decision = decide(case, load_catalog(get_settings().offer_catalog_path), load_policy(get_settings().retention_policy_path))
    assert decision.action == action
    assert reason in decision.reasons
    assert decision.explanation.endswith(".") and len(decision.explanation) > 10
    if action in ("offer", "control"):
        assert decision.offer.id == detail and decision.expected_gain > 0
    elif action == "escalate":
        assert decision.priority == detail
    else:
        assert decision.offer is None and "control_group" not in decision.reasons
    assert decide(case, load_catalog(get_settings().offer_catalog_path), load_policy(get_settings().retention_policy_path)) == decision  # deterministic


def test_decisions_serialise_for_storage():
    data = decide(situation(CANCEL_ANGRY), load_catalog(get_settings().offer_catalog_path), load_policy(get_settings().retention_policy_path)).to_dict()
    assert data["action"] == "offer" and data["offer_id"] == "save20" and isinstance(data["reasons"], list)


def test_control_group_is_stable_and_about_ten_percent():
    policy = load_policy(get_settings().retention_policy_path)
    members = [in_control_group(f"C{i:05d}", policy.control_share, policy.control_salt) for i in range(20_000)]
    assert 0.09 < sum(members) / len(members) < 0.11
    assert members[:50] == [in_control_group(f"C{i:05d}", policy.control_share, policy.control_salt) for i in range(50)]


def test_catalog_and_policy_load_with_clear_errors(tmp_path):
    assert {o.id for o in load_catalog(get_settings().offer_catalog_path)} >= {"save10", "save20", "freeship", "early_access", "points500", "personal_call"}
    bad = tmp_path / "offers.yml"
    bad.write_text("offers:\n  - {id: x, text: t, kind: cashback, cost: 1, uplift: 0.1}\n")
    with pytest.raises(ValueError, match="kind must be one of"):
        load_catalog(bad)
    policy = tmp_path / "policy.yml"
    policy.write_text("daily_budjet: 5\n")
    with pytest.raises(ValueError, match="unknown retention policy setting"):
        load_policy(policy)
