"""The one clock: fixed for tests and demos, running from a fixed start for training."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mss_desk.clock import FixedClock, RunningClock, SystemClock, clock_from_env


class Ticks:
    """A monotonic source the test moves by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def test_running_clock_starts_at_its_start_and_runs_with_elapsed_time() -> None:
    ticks = Ticks()
    start = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    clock = RunningClock(start, elapsed=ticks)
    assert clock.now() == start
    ticks.seconds += 41 * 60
    assert clock.now() == datetime(2026, 3, 2, 5, 41, tzinfo=UTC)


def test_running_clock_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError):
        RunningClock(datetime(2026, 3, 2, 10, 0))


def test_env_chooses_fixed_running_or_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSS_DESK_NOW", "2026-03-02T10:00")
    fixed = clock_from_env()
    assert isinstance(fixed, FixedClock)
    assert fixed.now() == datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # Asia/Almaty is UTC+5
    monkeypatch.setenv("MSS_DESK_NOW", "2026-03-02T10:00+run")
    running = clock_from_env()
    assert isinstance(running, RunningClock)
    assert running.now() - datetime(2026, 3, 2, 5, 0, tzinfo=UTC) < (
        datetime(2026, 3, 2, 6, 0, tzinfo=UTC) - datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    )
    monkeypatch.delenv("MSS_DESK_NOW")
    assert isinstance(clock_from_env(), SystemClock)
