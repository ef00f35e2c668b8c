from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from mss_desk.clock import FixedClock, parse_local


def test_fixed_clock_reads_local_time_as_utc() -> None:
    at = parse_local("2026-03-02T09:30", ZoneInfo("Asia/Almaty"))
    clock = FixedClock(at)
    assert clock.now() == at
    assert clock.now().tzinfo is UTC or clock.now().utcoffset().total_seconds() == 0
    clock.advance(minutes=41)
    assert (clock.now() - at).total_seconds() == 41 * 60
    assert at.astimezone(ZoneInfo("Asia/Almaty")).hour == 9
    assert datetime(2026, 3, 2, tzinfo=UTC) < at
