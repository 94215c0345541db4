"""Did reaching out make a difference? The treated against the holdout: the difference in conversion (the
share who ordered) and in revenue per customer, each with a 95 % interval, and a verdict in plain words.

Conversion: Newcombe's interval for a difference of two proportions (from each arm's Wilson interval; sound
for small counts and for shares near 0 or 1). Revenue per customer: the difference of two means with the
normal approximation (Welch's standard error). Either says "too small to tell" when an arm has fewer than
MIN_CUSTOMERS customers or when its interval includes 0 (no difference). Also the one Wilson interval of a share
(wilson_bounds) for every report.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Callable, Iterable, Optional

Z95 = 1.959964
MIN_CUSTOMERS = 30
TOO_SMALL, HIGHER, LOWER = "too small to tell", "higher with the offer", "lower with the offer"


@dataclass(frozen=True)
class ArmOutcome:
    """One arm: customers, how many of them ordered, their revenue and the sum of each customer's revenue squared."""

    customers: int
    converted: int
    revenue: float
    revenue_squares: float

    @classmethod
    def of(cls, customers: Iterable[tuple[bool, float]]) -> "ArmOutcome":
        """From (ordered, revenue) per customer."""
        rows = list(customers)
        return cls(len(rows), sum(1 for ordered, _ in rows if ordered), sum(r for _, r in rows), sum(r * r for _, r in rows))

    @property
    def conversion(self) -> Optional[float]:
        return self.converted / self.customers if self.customers else None

    @property
    def revenue_per_customer(self) -> Optional[float]:
        return self.revenue / self.customers if self.customers else None

    def revenue_variance(self) -> Optional[float]:
        """The sample variance of revenue per customer (None below two customers)."""
        if self.customers < 2:
            return None
        return max(0.0, (self.revenue_squares - self.revenue**2 / self.customers) / (self.customers - 1))


@dataclass(frozen=True)
class Uplift:
    treated: Optional[float]
    holdout: Optional[float]
    difference: Optional[float]
    ci95: Optional[tuple[float, float]]
    verdict: str
    reason: str

    def as_dict(self, digits: int = 4) -> dict:
        result = asdict(self)
        for key in ("treated", "holdout", "difference"):
            result[key] = None if result[key] is None else round(result[key], digits)
        result["ci95"] = None if self.ci95 is None else [round(bound, digits) for bound in self.ci95]
        return result


def wilson_bounds(successes: int, trials: int) -> Optional[tuple[float, float]]:
    """The 95 % Wilson score interval of a share (unrounded); None without trials."""
    if trials == 0:
        return None
    share = successes / trials
    denominator = 1 + Z95**2 / trials
    centre = (share + Z95**2 / (2 * trials)) / denominator
    half = Z95 * math.sqrt(share * (1 - share) / trials + Z95**2 / (4 * trials**2)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def conversion_uplift(treated: ArmOutcome, holdout: ArmOutcome) -> Uplift:
    """Treated conversion minus holdout conversion, with Newcombe's 95 % interval."""
    p1, p2 = treated.conversion, holdout.conversion
    if p1 is None or p2 is None:
        return Uplift(p1, p2, None, None, TOO_SMALL, _small_reason(treated, holdout))
    (l1, u1), (l2, u2) = wilson_bounds(treated.converted, treated.customers), wilson_bounds(holdout.converted, holdout.customers)
    difference = p1 - p2
    interval = (difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
                difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
    return Uplift(p1, p2, difference, interval, *_verdict(treated, holdout, interval, "conversion", _points))


def revenue_uplift(treated: ArmOutcome, holdout: ArmOutcome) -> Uplift:
    """Treated revenue per customer minus the holdout's, with a 95 % interval (Welch's standard error)."""
    m1, m2 = treated.revenue_per_customer, holdout.revenue_per_customer
    v1, v2 = treated.revenue_variance(), holdout.revenue_variance()
    if m1 is None or m2 is None or v1 is None or v2 is None:
        return Uplift(m1, m2, None if m1 is None or m2 is None else m1 - m2, None, TOO_SMALL, _small_reason(treated, holdout))
    difference = m1 - m2
    half = Z95 * math.sqrt(v1 / treated.customers + v2 / holdout.customers)
    interval = (difference - half, difference + half)
    return Uplift(m1, m2, difference, interval, *_verdict(treated, holdout, interval, "revenue per customer", _money))


def _verdict(treated: ArmOutcome, holdout: ArmOutcome, interval: tuple[float, float], what: str,
             show: Callable[[float], str]) -> tuple[str, str]:
    if min(treated.customers, holdout.customers) < MIN_CUSTOMERS:
        return TOO_SMALL, _small_reason(treated, holdout)
    low, high = interval
    span = f"95 % interval {show(low)} to {show(high)}"
    if low <= 0 <= high:
        return TOO_SMALL, f"the {span} includes 0 (no difference)"
    return (HIGHER, f"{what} higher, {span}") if low > 0 else (LOWER, f"{what} lower, {span}")


def _small_reason(treated: ArmOutcome, holdout: ArmOutcome) -> str:
    arm, customers = min((("treated", treated.customers), ("holdout", holdout.customers)), key=lambda pair: pair[1])
    return f"only {customers} customers in the {arm} arm (at least {MIN_CUSTOMERS} needed)"


def _points(share: float) -> str:
    return f"{100 * share:+.1f} points"


def _money(amount: float) -> str:
    return f"{amount:+.2f}"
