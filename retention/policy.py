"""Retention thresholds from data/retention/policy.yml (the reasoning for each is there)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
RESULT_WINDOW_DAYS = 30  # campaign results count a customer's orders this many days after the contact


@dataclass(frozen=True)
class RetentionPolicy:
    risky_intents: frozenset[str] = frozenset({"cancel_order", "delete_account", "complaint", "get_refund",
                                               "track_refund", "check_cancellation_fee"})
    min_churn_probability: float = 0.35
    offer_cooldown_days: int = 30
    daily_budget: float = 300.0
    control_share: float = 0.10
    control_salt: str = "kizuna-retention-v1"
    escalate_ewma: float = -0.6
    escalate_consecutive_negative: int = 3
    escalate_min_negative_turns: int = 2
    anger_max_score: float = -0.5
    anger_markers: frozenset[str] = frozenset()
    escalate_tiers: frozenset[str] = field(default_factory=lambda: frozenset({"vip"}))
    escalate_churn_probability: float = 0.5
    escalate_leaving_intents: frozenset[str] = frozenset({"cancel_order", "delete_account", "complaint"})
    escalate_misunderstood_turns: int = 2
    quiet_hours_start: str = "21:00"  # campaign e-mail is not sent from then ...
    quiet_hours_end: str = "08:00"  # ... until then, in this time zone
    quiet_hours_timezone: str = "Europe/Berlin"

    @property
    def shop_zone(self) -> ZoneInfo:
        """The shop's time zone (quiet_hours_timezone): a campaign's day and an offer's last valid day are its days."""
        return ZoneInfo(self.quiet_hours_timezone)


@lru_cache(maxsize=4)
def load_policy(path: Path) -> RetentionPolicy:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = RetentionPolicy.__dataclass_fields__
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ValueError(f"unknown retention policy setting(s): {', '.join(unknown)}")
    values = {key: frozenset(value) if isinstance(value, list) else value for key, value in raw.items()}
    policy = RetentionPolicy(**values)
    if policy.escalate_min_negative_turns < 2:
        raise ValueError("escalate_min_negative_turns must be 2 or more: one message's sentiment alone never escalates")
    if policy.offer_cooldown_days < RESULT_WINDOW_DAYS:
        raise ValueError(f"offer_cooldown_days must be {RESULT_WINDOW_DAYS} or more, the days after a contact whose "
                         "orders a campaign's results count: a shorter cool-down would let a held-out customer get an "
                         "offer inside that window and spoil the comparison")
    _check_quiet_hours(policy)
    return policy


def _check_quiet_hours(policy: RetentionPolicy) -> None:
    for key in ("quiet_hours_start", "quiet_hours_end"):
        if not CLOCK_TIME.match(str(getattr(policy, key))):
            raise ValueError(f"{key} must be a time of day as HH:MM (24-hour clock), e.g. \"21:00\"")
    try:
        ZoneInfo(str(policy.quiet_hours_timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"quiet_hours_timezone {policy.quiet_hours_timezone!r} is not a known time zone, "
                         "e.g. Europe/Berlin") from None
