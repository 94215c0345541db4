"""The customer-intelligence settings from data/customers/intelligence.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml



@dataclass(frozen=True)
class IntelligenceConfig:
    churn_horizon_days: int = 90
    training_snapshots: int = 4
    snapshot_spacing_days: int = 30
    silver_from: float = 220.0
    vip_from: float = 500.0
    segments: dict[str, dict[str, Any]] = field(default_factory=dict)


@lru_cache(maxsize=4)
def load_config(path: Path) -> IntelligenceConfig:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    tiers = raw.get("tiers", {})
    return IntelligenceConfig(
        churn_horizon_days=int(raw.get("churn_horizon_days", 90)),
        training_snapshots=int(raw.get("training_snapshots", 4)),
        snapshot_spacing_days=int(raw.get("snapshot_spacing_days", 30)),
        silver_from=float(tiers.get("silver_from", 220)),
        vip_from=float(tiers.get("vip_from", 500)),
        segments=dict(raw.get("segments") or {}),
    )
