"""Whether the support team is at work now, from `agent_hours` in data/shop.yml."""

from __future__ import annotations

import os
from datetime import datetime, time, timezone
from typing import Optional
from zoneinfo import ZoneInfo
from kizuna.shop import get_shop_config

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def agents_available(hours: dict, now: datetime) -> bool:
    """`hours`: {"timezone": "Europe/Berlin", "mon-fri": "09:00-18:00", "sat": "10:00-14:00"}."""
    local = now.astimezone(ZoneInfo(hours.get("timezone", "UTC")))
    day = DAYS[local.weekday()]
    for key, span in hours.items():
        if key != "timezone" and day in _days(key):
            start, end = (time.fromisoformat(part.strip()) for part in str(span).split("-"))
            if start <= local.time() < end:
                return True
    return False


def _days(key: str) -> tuple[str, ...]:
    if "-" in key:
        first, last = key.split("-")
        return DAYS[DAYS.index(first): DAYS.index(last) + 1]
    return tuple(part.strip() for part in key.split(","))


# KIZUNA_AGENT_HOURS=open|closed overrides the configured hours (a holiday, a team meeting, a test);
# anything else, or unset, follows `agent_hours` in data/shop.yml.
OVERRIDE_VARIABLE = "KIZUNA_AGENT_HOURS"


def team_available(now: Optional[datetime] = None, hours: Optional[dict] = None) -> bool:
    """Whether an agent can join a chat now: the override if set, else the shop's agent hours."""
    forced = os.environ.get(OVERRIDE_VARIABLE, "").strip().lower()
    if forced in ("open", "closed"):
        return forced == "open"
    if hours is None:
        hours = get_shop_config().facts.get("agent_hours", {})
    return agents_available(hours or {}, now or datetime.now(timezone.utc))
