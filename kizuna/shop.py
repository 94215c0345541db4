"""The shop's facts and answers from data/shop.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kizuna.settings import get_settings


SECOND_FACTORS = ("email", "name")  # what an anonymous visitor gives besides the order number


@dataclass(frozen=True)
class OrderVerification:
    """How an anonymous visitor proves that an order is theirs (data/shop.yml, `order_verification`)."""

    second_factor: str = "email"
    tries: str = "5/hour"  # limits' notation: per conversation, per second-factor value and per order number

    def __post_init__(self) -> None:
        if self.second_factor not in SECOND_FACTORS:
            raise ValueError(f"order_verification.second_factor must be one of {', '.join(SECOND_FACTORS)}, "
                             f"not {self.second_factor!r}")


@dataclass(frozen=True)
class ShopConfig:
    facts: dict[str, Any]
    answers: dict[str, str]
    handoff_texts: dict[str, str] = field(default_factory=dict)
    order_verification: OrderVerification = field(default_factory=OrderVerification)

    @property
    def name(self) -> str:
        return str(self.facts.get("name", "our shop"))

    def answer(self, key: str) -> str | None:
        template = self.answers.get(key)
        return template.format(**self.facts) if template else None

    def handoff(self, key: str, **values: str) -> str:
        """A text of `handoff:` (asking for a person), with the shop's facts and `values` filled in."""
        return str(self.handoff_texts.get(key, "")).format(**{**self.facts, **values})


def load_shop_config(path: Path) -> ShopConfig:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return ShopConfig(
        facts=dict(raw.get("shop", {})),
        answers=dict(raw.get("answers", {})),
        handoff_texts=dict(raw.get("handoff", {})),
        order_verification=OrderVerification(**(raw.get("order_verification") or {})),
    )


@lru_cache(maxsize=1)
def get_shop_config() -> ShopConfig:
    return load_shop_config(get_settings().shop_config_path)
