"""The offer catalog from data/retention/offers.yml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

KINDS = ("discount", "free_shipping", "early_access", "loyalty_points", "personal_call")


@dataclass(frozen=True)
class Offer:
    id: str
    text: str
    kind: str
    cost: float
    uplift: float
    valid_days: int
    tiers: Optional[frozenset[str]] = None  # None: every tier
    segments: Optional[frozenset[str]] = None
    intents: Optional[frozenset[str]] = None
    # Campaign wording: the chat's text answers a complaint, a campaign writes to someone who said nothing.
    # Without it the offer is for the chat only.
    outreach_text: Optional[str] = None  # the offer in a campaign e-mail ({code} is replaced by the code)
    outreach_label: Optional[str] = None  # a few words for the widget nudge: "your <label> KZ-... ends on Friday"

    @property
    def for_outreach(self) -> bool:
        return self.outreach_text is not None and self.outreach_label is not None

    def fits(self, tier: str, segment: str, intent: Optional[str]) -> bool:
        return ((self.tiers is None or tier in self.tiers)
                and (self.segments is None or segment in self.segments)
                and (self.intents is None or intent in self.intents))


@lru_cache(maxsize=4)
def load_catalog(path: Path) -> tuple[Offer, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    offers = tuple(_offer(entry) for entry in raw.get("offers", []))
    ids = [offer.id for offer in offers]
    if len(ids) != len(set(ids)):
        raise ValueError("offer ids in the catalog must be unique")
    return offers


def _offer(entry: dict) -> Offer:
    if entry.get("kind") not in KINDS:
        raise ValueError(f"offer {entry.get('id')!r}: kind must be one of {', '.join(KINDS)}")
    optional = {key: frozenset(entry[key]) for key in ("tiers", "segments", "intents") if key in entry}
    return Offer(id=str(entry["id"]), text=str(entry["text"]), kind=entry["kind"], cost=float(entry["cost"]),
                 uplift=float(entry["uplift"]), valid_days=int(entry.get("valid_days", 30)),
                 **optional, **_outreach(entry))


def _outreach(entry: dict) -> dict:
    outreach = entry.get("outreach")
    if outreach is None:
        return {}
    if not isinstance(outreach, dict) or not outreach.get("text") or not outreach.get("label"):
        raise ValueError(f"offer {entry.get('id')!r}: outreach needs a text and a label")
    return {"outreach_text": str(outreach["text"]), "outreach_label": str(outreach["label"])}
