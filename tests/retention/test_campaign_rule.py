"""A campaign's audience rule: what it accepts, and a clear message naming the key for what it does not."""

from __future__ import annotations

import pytest

from retention.campaign_rule import CampaignRule, RuleError, parse_rule


def test_a_full_rule_is_read_and_saved_back_normalised() -> None:
    rule = parse_rule({"min_churn_probability": 0.6, "max_churn_probability": 0.95, "min_tier": "silver",
                       "segments": ["steady", "deal_seeker"], "min_days_since_order": 45, "max_days_since_order": 365,
                       "min_value_12m": 100, "min_orders": 2})
    assert rule.min_churn_probability == 0.6 and rule.min_value_12m == 100.0 and rule.min_days_since_order == 45
    assert rule.allowed_tiers == frozenset({"silver", "vip"})
    assert rule.to_dict()["segments"] == ["deal_seeker", "steady"]
    assert parse_rule(rule.to_dict()) == rule


def test_min_tier_and_tiers_together_leave_their_intersection() -> None:
    assert parse_rule({"min_tier": "silver", "tiers": ["regular", "vip"]}).allowed_tiers == frozenset({"vip"})
    assert parse_rule({"tiers": ["regular"]}).allowed_tiers == frozenset({"regular"})
    assert CampaignRule(min_churn_probability=0.5).allowed_tiers is None


def test_whole_numbers_written_as_floats_are_accepted() -> None:
    assert parse_rule({"min_days_since_order": 45.0}).min_days_since_order == 45


@pytest.mark.parametrize("raw, names", [
    ({}, "at least one key"),
    ([], "JSON object"),
    ("min_churn_probability=0.6", "JSON object"),
    ({"min_churn": 0.6}, "min_churn"),
    ({"min_churn_probability": 1.2}, "min_churn_probability"),
    ({"min_churn_probability": -0.1}, "min_churn_probability"),
    ({"min_churn_probability": "0.6"}, "min_churn_probability"),
    ({"min_churn_probability": True}, "min_churn_probability"),
    ({"min_churn_probability": float("nan")}, "min_churn_probability"),
    ({"max_churn_probability": None}, "max_churn_probability"),
    ({"min_tier": "gold"}, "min_tier"),
    ({"min_orders": 1e19}, "min_orders"),  # beyond the database's integers
    ({"min_days_since_order": 10**12}, "min_days_since_order"),
    ({"tiers": "vip"}, "tiers"),
    ({"tiers": []}, "tiers"),
    ({"tiers": ["vip", "platinum"]}, "tiers"),
    ({"segments": [""]}, "segments"),
    ({"segments": [3]}, "segments"),
    ({"segments": ["x" * 33]}, "segments"),
    ({"min_days_since_order": 45.5}, "min_days_since_order"),
    ({"min_days_since_order": -1}, "min_days_since_order"),
    ({"max_days_since_order": 10 ** 400}, "max_days_since_order"),
    ({"min_value_12m": -5}, "min_value_12m"),
    ({"min_orders": -1}, "min_orders"),
    ({"min_orders": 1.5}, "min_orders"),
    ({"min_churn_probability": 0.9, "max_churn_probability": 0.5}, "min_churn_probability"),
    ({"min_days_since_order": 90, "max_days_since_order": 30}, "min_days_since_order"),
    ({"min_tier": "vip", "tiers": ["regular", "silver"]}, "min_tier"),
])
def test_a_bad_rule_is_refused_with_the_key_named(raw: object, names: str) -> None:
    with pytest.raises(RuleError, match=names):
        parse_rule(raw)


def test_an_unknown_key_lists_the_known_ones() -> None:
    with pytest.raises(RuleError) as refused:
        parse_rule({"min_churn_probability": 0.5, "drop_table": 1})
    assert "drop_table" in str(refused.value) and "min_days_since_order" in str(refused.value)
