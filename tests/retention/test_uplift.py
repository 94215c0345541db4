"""Uplift of the treated over the holdout, against values worked out by hand (the steps are in the comments)."""

from __future__ import annotations

import pytest

from retention.uplift import (HIGHER, LOWER, MIN_CUSTOMERS, TOO_SMALL, ArmOutcome, conversion_uplift, revenue_uplift,
                              wilson_bounds)


def arm(customers: int, converted: int) -> ArmOutcome:
    return ArmOutcome(customers, converted, 0.0, 0.0)


def test_wilson_bounds_of_a_share():
    # 30 of 100: centre (0.3 + 1.96²/200) / (1 + 1.96²/100) = 0.30740, half 1.96·√(0.0021 + 1.96²/40000) / 1.03841 = 0.08845
    assert wilson_bounds(30, 100) == pytest.approx((0.21895, 0.39586), abs=5e-5)
    assert wilson_bounds(0, 0) is None
    low, high = wilson_bounds(0, 10)
    assert low == 0.0 and high == pytest.approx(0.27753, abs=5e-5)  # 3.8415/10 / (1 + 0.38415) = 0.27753


def test_conversion_difference_with_newcombes_interval_spanning_zero_is_too_small_to_tell():
    # Wilson: 30/100 -> (0.21895, 0.39586), 20/100 -> (0.13337, 0.28883).
    # low  = 0.1 - √((0.3 - 0.21895)² + (0.28883 - 0.2)²) = 0.1 - 0.12023 = -0.02023
    # high = 0.1 + √((0.39586 - 0.3)² + (0.2 - 0.13337)²) = 0.1 + 0.11678 = 0.21678
    uplift = conversion_uplift(arm(100, 30), arm(100, 20))
    assert (uplift.treated, uplift.holdout, uplift.difference) == pytest.approx((0.3, 0.2, 0.1))
    assert uplift.ci95 == pytest.approx((-0.02023, 0.21678), abs=1e-4)
    assert uplift.verdict == TOO_SMALL
    assert uplift.reason == "the 95 % interval -2.0 points to +21.7 points includes 0 (no difference)"


def test_a_clear_difference_says_so_either_way():
    # Wilson 60/100 -> (0.50201, 0.69060); with 20/100 as above:
    # low  = 0.4 - √((0.6 - 0.50201)² + (0.28883 - 0.2)²) = 0.4 - 0.13226 = 0.26774
    # high = 0.4 + √((0.69060 - 0.6)² + (0.2 - 0.13337)²) = 0.4 + 0.11247 = 0.51247
    better = conversion_uplift(arm(100, 60), arm(100, 20))
    assert better.ci95 == pytest.approx((0.26774, 0.51247), abs=1e-4)
    assert better.verdict == HIGHER and "+26.8 points to +51.2 points" in better.reason
    worse = conversion_uplift(arm(100, 20), arm(100, 60))
    assert worse.ci95 == pytest.approx((-0.51247, -0.26774), abs=1e-4) and worse.verdict == LOWER


def test_an_arm_below_thirty_customers_is_too_small_to_tell_even_with_a_large_difference():
    uplift = conversion_uplift(arm(200, 150), arm(MIN_CUSTOMERS - 1, 1))
    assert uplift.ci95[0] > 0  # the interval alone would say "higher"
    assert uplift.verdict == TOO_SMALL and uplift.reason == "only 29 customers in the holdout arm (at least 30 needed)"
    assert conversion_uplift(arm(MIN_CUSTOMERS, 25), arm(MIN_CUSTOMERS, 2)).verdict == HIGHER


def test_an_empty_arm_has_no_difference():
    uplift = conversion_uplift(arm(12, 3), arm(0, 0))
    assert uplift.holdout is None and uplift.difference is None and uplift.ci95 is None and uplift.verdict == TOO_SMALL
    assert uplift.as_dict() == {"treated": 0.25, "holdout": None, "difference": None, "ci95": None, "verdict": TOO_SMALL,
                                "reason": "only 0 customers in the holdout arm (at least 30 needed)"}


def test_revenue_per_customer_difference_with_welchs_standard_error():
    # treated: 20 customers spent 50, 20 spent nothing: mean 25, variance 40·25²/39 = 641.03
    # holdout: 10 customers spent 20, 30 nothing: mean 5, variance (10·15² + 30·5²)/39 = 76.92
    # se = √(641.03/40 + 76.92/40) = 4.2366; half = 1.96 · 4.2366 = 8.3036 -> 20 ± 8.30
    treated = ArmOutcome.of([(True, 50.0)] * 20 + [(False, 0.0)] * 20)
    holdout = ArmOutcome.of([(True, 20.0)] * 10 + [(False, 0.0)] * 30)
    assert (treated.customers, treated.converted, treated.revenue, treated.revenue_squares) == (40, 20, 1000.0, 50000.0)
    assert treated.revenue_variance() == pytest.approx(641.026, abs=1e-3)
    uplift = revenue_uplift(treated, holdout)
    assert (uplift.treated, uplift.holdout, uplift.difference) == pytest.approx((25.0, 5.0, 20.0))
    assert uplift.ci95 == pytest.approx((11.696, 28.304), abs=1e-3)
    assert uplift.verdict == HIGHER and uplift.as_dict(2)["ci95"] == [11.7, 28.3]


def test_revenue_that_varies_too_much_is_too_small_to_tell():
    # one big spender in each arm: means 100 and 50, but 50 ± 1.96·√(400000/40 + 100000/40) = 50 ± 219 includes 0
    treated = ArmOutcome.of([(True, 4000.0)] + [(False, 0.0)] * 39)
    holdout = ArmOutcome.of([(True, 2000.0)] + [(False, 0.0)] * 39)
    uplift = revenue_uplift(treated, holdout)
    assert uplift.difference == pytest.approx(50.0)
    assert uplift.ci95[0] < 0 < uplift.ci95[1] and uplift.verdict == TOO_SMALL


def test_revenue_of_a_single_customer_arm_has_no_interval():
    uplift = revenue_uplift(ArmOutcome.of([(True, 10.0)]), ArmOutcome.of([(False, 0.0)] * 40))
    assert uplift.difference == pytest.approx(10.0) and uplift.ci95 is None and uplift.verdict == TOO_SMALL
