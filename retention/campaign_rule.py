"""A campaign's audience rule (the JSON saved on a campaign), checked key by key.

Every key is optional, but a rule names at least one: a campaign to everybody is a newsletter, not a
win-back. A mistake raises RuleError with a message that names the key, for the console and the CLI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

TIERS = ("regular", "silver", "vip")  # lowest to highest, as the customer scores name them
MAX_COUNT = 1_000_000_000  # days and orders beyond any shop's history; larger numbers overflow the database's integers
MAX_DAYS = 3650
MAX_NAME_CHARS = 32


class RuleError(ValueError):
    """The rule cannot be used; the message says which key and why."""


@dataclass(frozen=True)
class CampaignRule:
    min_churn_probability: Optional[float] = None
    max_churn_probability: Optional[float] = None
    min_tier: Optional[str] = None
    tiers: Optional[frozenset[str]] = None
    segments: Optional[frozenset[str]] = None
    min_days_since_order: Optional[int] = None
    max_days_since_order: Optional[int] = None
    min_value_12m: Optional[float] = None
    min_orders: Optional[int] = None

    @property
    def allowed_tiers(self) -> Optional[frozenset[str]]:
        """The tiers min_tier and tiers leave together; None when neither limits them."""
        allowed = None if self.min_tier is None else frozenset(TIERS[TIERS.index(self.min_tier):])
        if self.tiers is not None:
            allowed = self.tiers if allowed is None else allowed & self.tiers
        return allowed

    def to_dict(self) -> dict[str, Any]:
        """The rule as saved: only the keys it sets, lists sorted."""
        data = {}
        for key in KEYS:
            value = getattr(self, key)
            if value is not None:
                data[key] = sorted(value) if isinstance(value, frozenset) else value
        return data


def parse_rule(raw: object) -> CampaignRule:
    """A checked rule from its JSON form; RuleError names the first key that is wrong."""
    if not isinstance(raw, dict):
        raise RuleError("the rule must be a JSON object, e.g. {\"min_churn_probability\": 0.6}")
    unknown = sorted(str(key) for key in raw if key not in KEYS)
    if unknown:
        raise RuleError(f"unknown rule key(s): {', '.join(unknown)}; known keys: {', '.join(KEYS)}")
    if not raw:
        raise RuleError(f"the rule needs at least one key: {', '.join(KEYS)}")
    rule = CampaignRule(**{key: KEYS[key](key, value) for key, value in raw.items()})
    _check_ranges(rule)
    return rule


def _probability(key: str, value: object) -> float:
    number = finite_number(key, value)
    if not 0 <= number <= 1:
        raise RuleError(f"{key} must be between 0 and 1 (a probability), not {value}")
    return number


def _amount(key: str, value: object) -> float:
    number = finite_number(key, value)
    if number < 0:
        raise RuleError(f"{key} must be 0 or more, not {value}")
    return number


def _days(key: str, value: object) -> int:
    whole = _whole(key, value)
    if not 0 <= whole <= MAX_DAYS:
        raise RuleError(f"{key} must be between 0 and {MAX_DAYS} days, not {value}")
    return whole


def _count(key: str, value: object) -> int:
    whole = _whole(key, value)
    if not 0 <= whole <= MAX_COUNT:
        raise RuleError(f"{key} must be between 0 and {MAX_COUNT:,}, not {value}")
    return whole


def _tier(key: str, value: object) -> str:
    if value not in TIERS:
        raise RuleError(f"{key} must be one of {', '.join(TIERS)}, not {value!r}")
    return str(value)


def _tiers(key: str, value: object) -> frozenset[str]:
    return frozenset(_tier(key, item) for item in _list(key, value))


def _segments(key: str, value: object) -> frozenset[str]:
    names = _list(key, value)
    for name in names:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
            raise RuleError(f"{key} must list segment names (text of 1 to {MAX_NAME_CHARS} characters), not {name!r}")
    return frozenset(names)


def _list(key: str, value: object) -> list:
    if not isinstance(value, list) or not value:
        raise RuleError(f"{key} must be a non-empty list")
    return value


def finite_number(key: str, value: object) -> float:
    """The value as a finite float; RuleError naming the key otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleError(f"{key} must be a number, not {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise RuleError(f"{key} must be a finite number")
    return number


def _whole(key: str, value: object) -> int:
    number = finite_number(key, value)
    if number != int(number):
        raise RuleError(f"{key} must be a whole number, not {value}")
    return int(number)


def _check_ranges(rule: CampaignRule) -> None:
    pairs = (("min_churn_probability", "max_churn_probability"), ("min_days_since_order", "max_days_since_order"))
    for low, high in pairs:
        low_value, high_value = getattr(rule, low), getattr(rule, high)
        if low_value is not None and high_value is not None and low_value > high_value:
            raise RuleError(f"{low} ({low_value}) is above {high} ({high_value}): nobody would match")
    if rule.allowed_tiers == frozenset():
        raise RuleError(f"tiers and min_tier leave no tier: min_tier {rule.min_tier} excludes {', '.join(sorted(rule.tiers or ()))}")


KEYS = {
    "min_churn_probability": _probability,
    "max_churn_probability": _probability,
    "min_tier": _tier,
    "tiers": _tiers,
    "segments": _segments,
    "min_days_since_order": _days,
    "max_days_since_order": _days,
    "min_value_12m": _amount,
    "min_orders": _count,
}
