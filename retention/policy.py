"""Retention thresholds from data/retention/policy.yml (the reasoning for each is there)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml



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
    return policy
