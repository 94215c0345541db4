"""When a failed delivery, a campaign e-mail or a webhook, is tried again: 1 min, 5 min, 30 min, 2 h and 6 h
after the failed tries, and then no more (the e-mail is parked, the webhook delivery dead). A try counts
from the moment it is claimed, so one cut short by a worker that died still uses up its place."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))


def next_try_at(tries: int, now: datetime) -> Optional[datetime]:
    """When to try again after `tries` failed tries (the one just made included); None once they are used up."""
    return now + BACKOFF[tries - 1] if tries <= len(BACKOFF) else None
