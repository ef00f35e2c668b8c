"""What a clerk sees on the deadline dashboard and the indicators report (80×24, 120×40).

Hand-made histories with fixed case numbers on the FixedClock (Monday 2 March 2026, 10:00
Almaty). Update with ``uv run pytest tests/tui/test_snapshots_lifecycle.py
--snapshot-update`` and LOOK at every picture before committing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import Input

from screens.dashboard import DashboardScreen
from screens.report import ReportScreen
from tests.lifecycle.conftest import CaseFactory
from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def settle(pilot: Any) -> None:
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()
    await pilot.pause()


def history(services: Any) -> None:
    make = CaseFactory(services)
    head = services.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    lc = services.lifecycle
    # overdue on both forwarding and service
    make.case("2026-02-10 10:00", case_no="19-2026-00001")
    # forwarding overdue, service due tomorrow (binding)
    make.case("2026-02-16 11:00", case_no="19-2026-00002")
    # at the Regional Department: decision due today (binding), WWII priority
    make.case("2026-02-16 12:00", case_no="19-2026-00003", priority=True)
    lc.forward(["19-2026-00003"], head.id, date(2026, 2, 16))
    # a quiet new case
    make.case("2026-03-02 09:30", case_no="19-2026-00004")
    # a finished one: ready on time, delivered by post with a survey
    make.case("2026-02-09 10:00", case_no="19-2026-00005", postal_address="Көкшетау")
    lc.forward(["19-2026-00005"], head.id, date(2026, 2, 10))
    lc.decide("19-2026-00005", head.id, "refusal", decided_on=date(2026, 2, 18), reason="17")
    lc.result_ready("19-2026-00005", head.id, date(2026, 2, 20))
    lc.deliver(
        "19-2026-00005",
        head.id,
        "post",
        notice_on=date(2026, 2, 23),
        survey={"2.1": True, "3.1": True, "5.1": False},
    )


async def open_screen(pilot: Any, screen: Any) -> Any:
    app = pilot.app
    history(app.services)
    app.clerk = app.services.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    await app.push_screen(screen)
    await settle(pilot)
    return screen


class TestDashboard:
    @pytest.mark.parametrize("size", SIZES)
    def test_dashboard(self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any) -> None:
        async def run_before(pilot: Any) -> None:
            await open_screen(pilot, DashboardScreen())

        assert snap_compare(make_app(lang="en"), terminal_size=size, run_before=run_before)

    def test_dashboard_kazakh(self, snap_compare: Any, make_app: Any, ready_db: Any) -> None:
        async def run_before(pilot: Any) -> None:
            await open_screen(pilot, DashboardScreen())

        assert snap_compare(make_app(lang="kk"), terminal_size=(80, 24), run_before=run_before)


class TestReport:
    @pytest.mark.parametrize("size", SIZES)
    def test_report(self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any) -> None:
        async def run_before(pilot: Any) -> None:
            screen = await open_screen(pilot, ReportScreen())
            # issue 12.10: typed as the desk shows dates
            screen.query_one("#date-from", Input).value = "01.02.2026"
            screen.query_one("#date-to", Input).value = "28.02.2026"
            await pilot.press("f9")  # compute (F5 is the global Deadlines key)
            await settle(pilot)

        assert snap_compare(make_app(lang="en"), terminal_size=size, run_before=run_before)

    def test_report_russian(self, snap_compare: Any, make_app: Any, ready_db: Any) -> None:
        async def run_before(pilot: Any) -> None:
            await open_screen(pilot, ReportScreen())

        assert snap_compare(make_app(lang="ru"), terminal_size=(120, 40), run_before=run_before)
