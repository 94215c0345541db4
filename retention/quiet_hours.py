"""Quiet hours: the time of day when no campaign e-mail leaves (policy quiet_hours_*)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Optional
from zoneinfo import ZoneInfo

from retention.policy import RetentionPolicy


def quiet_until(now: datetime, policy: RetentionPolicy) -> Optional[datetime]:
    """The end of the quiet hours (UTC) when `now` falls in them, else None. The window may span
    midnight (21:00-08:00); a start equal to the end means no quiet hours."""
    start, end = _clock(policy.quiet_hours_start), _clock(policy.quiet_hours_end)
    if start == end:
        return None
    zone = ZoneInfo(policy.quiet_hours_timezone)
    local = _aware(now).astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    spans_midnight = start > end
    quiet = (clock >= start or clock < end) if spans_midnight else start <= clock < end
    if not quiet:
        return None
    end_day = local.date() + timedelta(days=1) if spans_midnight and clock >= start else local.date()
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(timezone.utc)


def send_not_before(now: datetime, policy: RetentionPolicy) -> datetime:
    """When an e-mail decided at `now` may leave: at once, or at the end of the quiet hours."""
    return quiet_until(now, policy) or _aware(now)


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def local_day(now: datetime, policy: RetentionPolicy) -> date:
    """The calendar day of `now` in the shop's time zone (quiet_hours_timezone): a campaign's day."""
    return _aware(now).astimezone(ZoneInfo(policy.quiet_hours_timezone)).date()
