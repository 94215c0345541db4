"""The shop's facts and answers from data/shop.yml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kizuna.settings import get_settings


@dataclass(frozen=True)
class ShopConfig:
    facts: dict[str, Any]
    answers: dict[str, str]

    @property
    def name(self) -> str:
        return str(self.facts.get("name", "our shop"))

    def answer(self, key: str) -> str | None:
        template = self.answers.get(key)
        return template.format(**self.facts) if template else None


def load_shop_config(path: Path) -> ShopConfig:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return ShopConfig(facts=dict(raw.get("shop", {})), answers=dict(raw.get("answers", {})))


@lru_cache(maxsize=1)
def get_shop_config() -> ShopConfig:
    return load_shop_config(get_settings().shop_config_path)
