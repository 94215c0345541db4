"""The campaign decision: the chat's policy and best offer applied to outreach, the holdout, the budget, and
the quiet hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from kizuna.settings import get_settings
from retention.catalog import load_catalog
from retention.decision import CustomerSignals, OfferHistory, Situation, TurnSignals, best_offer, decide
from retention.outreach_decision import OutreachDecision, apply_budget, decide_outreach
from retention.policy import RetentionPolicy, load_policy
from retention.quiet_hours import local_day, quiet_until, send_not_before

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
SILVER = CustomerSignals(known=True, churn_probability=0.8, value_12m=320.0, tier="silver", segment="steady")
CATALOG = load_catalog(get_settings().offer_catalog_path)
POLICY = load_policy(get_settings().retention_policy_path)


def decided(customer: CustomerSignals = SILVER, history: OfferHistory = OfferHistory(), reachable: bool = True) -> OutreachDecision:
    return decide_outreach(customer, history, CATALOG, POLICY, now=NOW, reachable=reachable)


CASES = [
    # (name, decision, action, reason, offer id)
    ("silver at risk", decided(), "contact", "expected_gain_positive", "save10"),
    ("same in the holdout", decided(replace(SILVER, in_control_group=True)), "holdout", "holdout", "save10"),
    ("no consent", decided(reachable=False), "skip", "no_consent", None),
    ("not scored", decided(CustomerSignals(known=True)), "skip", "not_scored", None),
    ("churn risk below the policy", decided(replace(SILVER, churn_probability=0.2)), "skip", "churn_risk_low", None),
    ("no offer fits", decided(replace(SILVER, tier="regular", segment="loyal")), "skip", "no_fitting_offer", None),
    ("offered 10 days ago", decided(history=OfferHistory(last_offer_at=NOW - timedelta(days=10))), "skip", "cooldown", "save10"),
    ("offered 31 days ago", decided(history=OfferHistory(last_offer_at=NOW - timedelta(days=31))), "contact", "expected_gain_positive", "save10"),
    ("holdout in the cool-down", decided(replace(SILVER, in_control_group=True), OfferHistory(last_offer_at=NOW - timedelta(days=3))), "skip", "cooldown", "save10"),
    ("low value: not worth it", decided(replace(SILVER, value_12m=20.0, tier="regular")), "skip", "low_gain", "freeship"),
    ("holdout, not worth it", decided(replace(SILVER, value_12m=20.0, tier="regular", in_control_group=True)), "skip", "low_gain", "freeship"),
]


@pytest.mark.parametrize("name, decision, action, reason, offer_id", CASES, ids=[case[0] for case in CASES])
def test_outreach_decision(name: str, decision: OutreachDecision, action: str, reason: str, offer_id: str | None) -> None:
    assert (decision.action, decision.reason) == (action, reason)
    assert (decision.offer.id if decision.offer else None) == offer_id


def test_intent_bound_offers_never_go_out_in_a_campaign() -> None:
    """save20 is for customers asking to cancel or complaining in the chat; a campaign has no intent."""
    assert best_offer(SILVER, "cancel_order", CATALOG)[0].id == "save20"
    assert best_offer(SILVER, None, CATALOG)[0].id == decided().offer.id == "save10"


def test_the_chat_and_a_campaign_pick_the_same_offer_among_those_worded_for_campaigns() -> None:
    turn = TurnSignals(intent="track_refund", sentiment_score=-0.5, negative_trend=True)
    campaign_offers = tuple(offer for offer in CATALOG if offer.for_outreach)
    for customer in (SILVER, replace(SILVER, tier="regular", segment="early_adopter", value_12m=150.0),
                     replace(SILVER, tier="vip", segment="loyal", value_12m=900.0)):
        chat = decide(Situation(turn=turn, customer=customer, now=NOW), campaign_offers, POLICY)
        assert chat.action == "offer"
        assert decided(customer).offer == chat.offer == best_offer(customer, turn.intent, campaign_offers)[0]


def test_chat_only_offers_never_go_out_in_a_campaign() -> None:
    """A personal call answers a complaint in the chat; the catalog gives it no campaign wording."""
    vip = replace(SILVER, tier="vip", segment="loyal", value_12m=900.0)
    assert best_offer(vip, None, CATALOG)[0].id == "personal_call"
    assert decided(vip).offer.id != "personal_call" and decided(vip).offer.for_outreach


def contact(gain: float, cost: float, action: str = "contact") -> OutreachDecision:
    offer = replace(CATALOG[0], cost=cost)
    return OutreachDecision(action, "holdout" if action == "holdout" else "expected_gain_positive", offer, gain)


def test_the_budget_goes_to_the_most_valuable_first_and_keeps_the_order() -> None:
    decisions = [contact(5.0, 10.0), contact(20.0, 10.0), contact(12.0, 10.0), OutreachDecision("skip", "cooldown")]
    budgeted = apply_budget(decisions, daily_budget=25.0, spent=0.0)
    assert [d.action for d in budgeted] == ["skip", "contact", "contact", "skip"]
    assert [d.reason for d in budgeted] == ["budget", "expected_gain_positive", "expected_gain_positive", "cooldown"]


def test_what_was_spent_today_counts_and_a_cheaper_offer_still_fits() -> None:
    budgeted = apply_budget([contact(30.0, 10.0), contact(10.0, 2.0)], daily_budget=25.0, spent=20.0)
    assert [d.action for d in budgeted] == ["skip", "contact"]


def test_the_holdout_costs_nothing_but_is_cut_where_its_offer_would_not_have_been_paid() -> None:
    budgeted = apply_budget([contact(30.0, 10.0, "holdout"), contact(20.0, 10.0), contact(10.0, 10.0),
                             contact(5.0, 10.0, "holdout")], daily_budget=15.0, spent=0.0)
    assert [d.action for d in budgeted] == ["holdout", "contact", "skip", "skip"]


QUIET = RetentionPolicy(quiet_hours_start="21:00", quiet_hours_end="08:00", quiet_hours_timezone="Europe/Berlin")


@pytest.mark.parametrize("utc, until", [
    (datetime(2026, 11, 20, 12, 0), None),  # 13:00 in Berlin
    (datetime(2026, 11, 20, 19, 59), None),  # 20:59
    (datetime(2026, 11, 20, 20, 0), datetime(2026, 11, 21, 7, 0)),  # 21:00 -> 08:00 next morning (UTC+1)
    (datetime(2026, 11, 21, 2, 30), datetime(2026, 11, 21, 7, 0)),  # 03:30 -> 08:00 the same morning
    (datetime(2026, 11, 21, 7, 0), None),  # 08:00 sharp
    (datetime(2026, 7, 1, 5, 0), datetime(2026, 7, 1, 6, 0)),  # summer time: 07:00 -> 08:00 is 06:00 UTC
])
def test_quiet_hours_across_midnight(utc: datetime, until: datetime | None) -> None:
    now = utc.replace(tzinfo=timezone.utc)
    expected = until.replace(tzinfo=timezone.utc) if until else None
    assert quiet_until(now, QUIET) == expected
    assert send_not_before(now, QUIET) == (expected or now)


def test_quiet_hours_within_a_day_and_none_at_all() -> None:
    lunch = RetentionPolicy(quiet_hours_start="12:00", quiet_hours_end="14:00", quiet_hours_timezone="UTC")
    assert quiet_until(datetime(2026, 11, 20, 13, 0, tzinfo=timezone.utc), lunch) == datetime(2026, 11, 20, 14, 0, tzinfo=timezone.utc)
    assert quiet_until(datetime(2026, 11, 20, 23, 0, tzinfo=timezone.utc), lunch) is None
    never = RetentionPolicy(quiet_hours_start="00:00", quiet_hours_end="00:00")
    assert quiet_until(NOW, never) is None


def test_a_campaign_day_is_the_shops_calendar_day() -> None:
    assert local_day(datetime(2026, 11, 20, 23, 30, tzinfo=timezone.utc), QUIET).isoformat() == "2026-11-21"


@pytest.mark.parametrize("line, message", [
    ("quiet_hours_start: '9pm'", "quiet_hours_start"),
    ("quiet_hours_end: '24:00'", "quiet_hours_end"),
    ("quiet_hours_timezone: Mars/Olympus", "quiet_hours_timezone"),
    ("offer_cooldown_days: 14", "offer_cooldown_days must be 30 or more, the days after a contact whose orders"),
])
def test_a_bad_quiet_hours_or_cooldown_setting_is_refused(tmp_path, line: str, message: str) -> None:
    path = tmp_path / "policy.yml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_policy(path)


def test_the_shipped_policy_has_quiet_hours() -> None:
    assert (POLICY.quiet_hours_start, POLICY.quiet_hours_end, POLICY.quiet_hours_timezone) == ("21:00", "08:00", "Europe/Berlin")


def test_a_cooldown_as_long_as_the_result_window_is_accepted(tmp_path) -> None:
    path = tmp_path / "policy.yml"
    path.write_text("offer_cooldown_days: 30\n", encoding="utf-8")
    assert load_policy(path).offer_cooldown_days == 30
