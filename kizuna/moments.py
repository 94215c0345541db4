"""Moments in time as kizuna stores and compares them: in UTC, with the zone attached."""

from __future__ import annotations

from datetime import datetime, timezone


def as_utc(moment: datetime) -> datetime:
    """The moment in UTC. A moment without a zone is taken as UTC already: SQLite gives stored times back
    without one, and kizuna stores UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
