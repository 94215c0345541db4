"""The sentiment trend of one conversation, carried from turn to turn (pure functions).

The rules for "negative trend" live in data/sentiment/trend.yml, explained there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml



@dataclass(frozen=True)
class TrendConfig:
    alpha: float = 0.5
    window: int = 4
    negative_turn_score: float = -0.3
    ewma_threshold: float = -0.4
    consecutive_negative_turns: int = 2
    slope_threshold: float = -0.25
    recovery_score: float = -0.1
    furious_score: float = -0.75
    pleased_score: float = 0.3
    delighted_score: float = 0.75


@lru_cache(maxsize=4)
def load_trend_config(path: Path) -> TrendConfig:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = TrendConfig.__dataclass_fields__
    return TrendConfig(**{key: value for key, value in raw.items() if key in known})


def intensity(score: float, config: TrendConfig) -> str:
    """How strongly one turn feels, on the scale documented in trend.yml."""
    if score <= config.furious_score:
        return "furious"
    if score <= config.negative_turn_score:
        return "annoyed"
    if score >= config.delighted_score:
        return "delighted"
    return "pleased" if score >= config.pleased_score else "calm"


@dataclass
class TrendState:
    turns: int = 0
    ewma: float = 0.0
    recent: list[float] = field(default_factory=list)
    slope: float = 0.0
    consecutive_negative: int = 0
    worst_score: Optional[float] = None
    worst_turn: Optional[int] = None
    negative_trend: bool = False
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TrendState":
        known = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in known})


def least_squares_slope(values: list[float]) -> float:
    n = len(values)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    variance = sum((x - mean_x) ** 2 for x in range(n))
    return covariance / variance


def update_trend(state: Optional[TrendState], score: float, config: TrendConfig) -> TrendState:
    """The trend after one more customer turn with this sentiment score."""
    previous = state or TrendState()
    score = max(-1.0, min(1.0, float(score)))
    turn = previous.turns + 1
    ewma = score if previous.turns == 0 else config.alpha * score + (1 - config.alpha) * previous.ewma
    recent = (previous.recent + [score])[-config.window:]
    negative = score <= config.negative_turn_score
    worst = previous.worst_score is None or score < previous.worst_score
    new = TrendState(
        turns=turn,
        ewma=round(ewma, 4),
        recent=[round(s, 4) for s in recent],
        slope=round(least_squares_slope(recent), 4),
        consecutive_negative=previous.consecutive_negative + 1 if negative else 0,
        worst_score=round(score, 4) if worst else previous.worst_score,
        worst_turn=turn if worst else previous.worst_turn,
    )
    new.reasons = _reasons(new, negative, config)
    new.negative_trend = bool(new.reasons) or _still_negative(previous, new, negative, config)
    if new.negative_trend and not new.reasons:
        new.reasons = ["not_recovered"]
    return new


def _reasons(state: TrendState, negative_turn: bool, config: TrendConfig) -> list[str]:
    reasons = []
    if state.ewma <= config.ewma_threshold:
        reasons.append("low_weighted_score")
    if state.consecutive_negative >= config.consecutive_negative_turns:
        reasons.append("consecutive_negative_turns")
    sliding = len(state.recent) >= 3 and all(score < 0 for score in state.recent[-2:])
    if negative_turn and sliding and state.slope <= config.slope_threshold:
        reasons.append("falling_sentiment")
    return reasons


def _still_negative(previous: TrendState, new: TrendState, negative_turn: bool, config: TrendConfig) -> bool:
    """Once negative, a trend stays so until the weighted score has recovered."""
    return previous.negative_trend and (negative_turn or new.ewma <= config.recovery_score)
