"""Features at a cutoff use only what was known then; labels look only after it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from churn.config import IntelligenceConfig
from churn.features import FEATURE_COLUMNS, churn_labels, customer_features
from churn.history import CustomerHistory
from churn.order_status import STEPS, status_at, step_times
from churn.tiers import segments, tiers

CUTOFF = date(2026, 6, 30)
NaT = pd.NaT


def ts(day: str) -> pd.Timestamp:
    return pd.Timestamp(day)


def history() -> CustomerHistory:
    customers = pd.DataFrame({"customer_id": [1, 2, 3], "signed_up": [ts("2026-01-01"), ts("2026-03-01"), ts("2026-07-15")]})
    orders = pd.DataFrame({
        "customer_id": [1, 1, 1, 1, 2, 2, 3],
        "placed": [ts("2026-01-10"), ts("2026-01-20"), ts("2026-01-30"), ts("2026-05-30"), ts("2026-06-20"), ts("2026-07-10"), ts("2026-07-16")],
        "total": [10.0, 20.0, 30.0, 40.0, 100.0, 50.0, 5.0],
        "on_discount": [True, True, False, False, False, False, True],
        "new_product": [False, False, False, True, True, True, False],
        **{step: [NaT] * 7 for step in STEPS},
    })
    events = pd.DataFrame({
        "customer_id": [1, 1, 1, 1, 1, 1, 1],
        "kind": ["visit", "visit", "visit", "email_sent", "email_opened", "email_sent", "visit"],
        "day": [ts("2026-06-20"), ts("2026-04-15"), ts("2026-05-15"), ts("2026-06-10"), ts("2026-03-10"), ts("2026-03-10"), ts("2026-07-05")],
        "count": [1, 6, 6, 1, 1, 1, 50],
    })
    contacts = pd.DataFrame({"customer_id": [1, 1], "conversation_id": ["a", "b"],
                             "started": [ts("2026-05-01"), ts("2026-08-01")], "escalated_at": [ts("2026-05-01"), NaT]})
    turns = pd.DataFrame({"customer_id": [1, 1, 1], "at": [ts("2026-02-01"), ts("2026-06-01"), ts("2026-07-02")],
                          "sentiment": [-0.9, 0.4, -1.0]})
    return CustomerHistory(customers, orders, events, contacts, turns)


def test_features_at_a_cutoff():
    features = customer_features(history(), CUTOFF)
    assert list(features.columns) == FEATURE_COLUMNS
    assert sorted(features.index) == [1, 2]  # customer 3 joined after the cutoff
    one = features.loc[1]
    assert one["recency_days"] == 32 and one["frequency"] == 4 and one["orders_last_90d"] == 1
    assert one["monetary_mean"] == 25 and one["discount_share"] == 0.5 and one["new_product_share"] == 0.25
    assert one["interval_lengthening"] == pytest.approx(120 / (10 + 1))  # last gap 120 days after gaps of 10
    assert one["visits_last_30d"] == 1  # the 50 visits of July are after the cutoff
    assert one["visit_drop"] == pytest.approx((4 - 1) / (4 + 1))  # 12 visits in the 90 days before: 4 per 30 days
    assert one["unopened_email_rise"] == pytest.approx(1.0)  # all opened before, none opened lately
    assert (one["support_contacts_180d"], one["escalations_180d"]) == (1, 1)
    assert one["recent_sentiment"] == pytest.approx(0.4) and one["worst_sentiment"] == pytest.approx(-0.9)
    two = features.loc[2]
    assert two["frequency"] == 1 and pd.isna(two["interval_lengthening"]) and two["visits_last_30d"] == 0


def with_order(history_: CustomerHistory, row: dict) -> CustomerHistory:
    """`history_` with one more order of customer 2 (placed 1 June), its steps given by `row`."""
    order = {"customer_id": 2, "placed": ts("2026-06-01"), "total": 60.0, "on_discount": False, "new_product": False,
             **{step: NaT for step in STEPS}, **row}
    orders = pd.concat([history_.orders, pd.DataFrame([order])], ignore_index=True)
    return CustomerHistory(history_.customers, orders, history_.events, history_.contacts, history_.turns)


def test_an_order_cancelled_after_the_cutoff_was_a_purchase_at_the_cutoff():
    later = customer_features(with_order(history(), {"cancelled": ts("2026-07-20")}), CUTOFF).loc[2]
    assert (later["frequency"], later["monetary_total"]) == (2, 160)
    before = customer_features(with_order(history(), {"cancelled": ts("2026-06-02")}), CUTOFF).loc[2]
    assert (before["frequency"], before["monetary_total"]) == (1, 100)


def test_an_escalation_after_the_cutoff_is_not_known_at_the_cutoff():
    base = history()
    contacts = pd.DataFrame({"customer_id": [1, 1], "conversation_id": ["a", "c"],
                             "started": [ts("2026-05-01"), ts("2026-06-25")],
                             "escalated_at": [ts("2026-05-01"), ts("2026-07-03")]})  # "c" escalated after the cutoff
    features = customer_features(CustomerHistory(base.customers, base.orders, base.events, contacts, base.turns), CUTOFF)
    assert (features.loc[1, "support_contacts_180d"], features.loc[1, "escalations_180d"]) == (2, 1)
    a_week_later = customer_features(CustomerHistory(base.customers, base.orders, base.events, contacts, base.turns),
                                     date(2026, 7, 7))
    assert a_week_later.loc[1, "escalations_180d"] == 2


def test_an_orders_status_on_a_past_day_comes_from_when_each_step_happened():
    orders = pd.DataFrame({"placed": [ts("2026-06-20")] * 4, "shipped": [ts("2026-06-21")] * 4,
                           "delivered": [ts("2026-06-25"), ts("2026-07-02"), NaT, ts("2026-06-24")],
                           "cancelled": [NaT, NaT, NaT, NaT], "returned": [NaT, NaT, NaT, ts("2026-06-28")]})
    orders.loc[2, "shipped"] = NaT
    end = ts("2026-07-01")  # the cutoff 30 June, whole
    assert list(status_at(orders, end)) == ["delivered", "shipped", "placed", "returned"]
    assert list(status_at(orders, ts("2026-06-21"))) == ["placed"] * 4
    assert status_at(orders, ts("2026-06-20")).isna().all()  # not placed yet


def test_cancellations_and_returns_happened_when_their_refund_was_asked_for():
    placed, delivered = pd.Series([ts("2026-06-01")] * 4), pd.Series([NaT, NaT, ts("2026-06-05"), ts("2026-06-05")])
    refund = pd.Series([ts("2026-06-03"), NaT, ts("2026-06-09"), NaT])
    steps = step_times(pd.Series(["cancelled", "cancelled", "returned", "returned"]), placed,
                       pd.Series([NaT, NaT, ts("2026-06-02"), ts("2026-06-02")]), delivered, refund)
    assert list(steps["cancelled"]) == [ts("2026-06-03"), ts("2026-06-01"), NaT, NaT]  # no refund: when placed
    assert list(steps["returned"][2:]) == [ts("2026-06-09"), ts("2026-06-05")]  # no refund: when delivered


def test_labels_look_only_at_the_horizon_after_the_cutoff():
    features = customer_features(history(), CUTOFF)
    labels = churn_labels(history(), features.index, CUTOFF, horizon_days=30)
    assert labels.to_dict() == {1: 1, 2: 0}  # 2 ordered on 10 July, 1 did not


def test_tiers_and_segments_follow_the_configuration():
    config = IntelligenceConfig(silver_from=100, vip_from=500, segments={
        "newcomer": {"match": "any", "max_orders": 1, "max_tenure_days": 60},
        "deal_seeker": {"min_discount_share": 0.5, "min_orders": 2},
        "early_adopter": {"min_new_product_share": 0.35, "min_orders": 2},
    })
    value = pd.Series([50.0, 100.0, 499.0, 500.0, None])
    assert list(tiers(value, config)) == ["regular", "silver", "silver", "vip", "regular"]
    features = pd.DataFrame({"frequency": [1, 5, 5, 5, 5], "tenure_days": [400, 30, 400, 400, 400],
                             "discount_share": [0.9, 0.9, 0.6, 0.1, 0.6], "new_product_share": [0.9, 0.9, 0.9, 0.5, 0.1]})
    assert list(segments(features, config)) == ["newcomer", "newcomer", "deal_seeker", "early_adopter", "deal_seeker"]
    with pytest.raises(ValueError, match="unknown segment condition"):
        segments(features, IntelligenceConfig(segments={"odd": {"min_height": 2}}))
