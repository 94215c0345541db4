from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from kizuna.moments import as_utc


def test_a_moment_in_another_zone_is_converted_and_one_without_a_zone_is_taken_as_utc():
    berlin = datetime(2026, 12, 7, 22, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert as_utc(berlin) == datetime(2026, 12, 7, 21, 30, tzinfo=timezone.utc) and as_utc(berlin).utcoffset() == timedelta(0)
    assert as_utc(datetime(2026, 12, 7, 21, 30)) == datetime(2026, 12, 7, 21, 30, tzinfo=timezone.utc)
    assert as_utc(datetime(2026, 12, 7, 21, 30)).tzinfo is timezone.utc
