"""What the regional clerk sees (issue 14.2), 80×24: the incoming files, the decision form
and the deadlines, on ``conftest.FILES`` (Monday 2 March 2026, 10:00 Almaty).

Update with ``uv run pytest tests/tui/region/test_snapshots_region.py --snapshot-update``
and LOOK at every picture before committing.
"""

from __future__ import annotations

from typing import Any

from tests.tui.region.conftest import REGION_PASSWORD, REGION_USER
from tests.tui.region.test_region_desk import highlight


async def settle(pilot: Any) -> None:
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()
    await pilot.pause()


async def open_region(pilot: Any, key: str = "f6") -> Any:
    from screens.region import RegionScreen

    app = pilot.app
    await pilot.pause()
    app.clerk = app.services.clerks.authenticate(REGION_USER, REGION_PASSWORD)
    app.reset_to(RegionScreen("deadlines" if key == "f5" else "incoming"))
    await settle(pilot)
    return app.screen


def test_incoming(snap_compare: Any, make_app: Any, regional_db: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_region(pilot)

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=run_before)


def test_incoming_kazakh(snap_compare: Any, make_app: Any, regional_db: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_region(pilot)

    assert snap_compare(make_app(lang="kk"), terminal_size=(80, 24), run_before=run_before)


def test_deadlines(snap_compare: Any, make_app: Any, regional_db: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_region(pilot, "f5")

    assert snap_compare(make_app(lang="ru"), terminal_size=(80, 24), run_before=run_before)


def test_decision_form(snap_compare: Any, make_app: Any, regional_db: Any) -> None:
    async def run_before(pilot: Any) -> None:
        screen = await open_region(pilot)
        await highlight(pilot, screen, "19-2026-00102")
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=run_before)


def test_waiting_list(snap_compare: Any, make_app: Any, regional_db: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_region(pilot)
        await pilot.press("left")  # ← from the incoming files: the last list
        await settle(pilot)

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=run_before)


def test_regional_home(snap_compare: Any, make_app: Any, regional_db: Any) -> None:
    """The home screen of the regional desk: its lists in place of the counter's."""

    async def run_before(pilot: Any) -> None:
        from tests.tui.conftest import login

        await login(pilot, REGION_USER, REGION_PASSWORD)
        await settle(pilot)

    assert snap_compare(make_app(lang="kk"), terminal_size=(80, 24), run_before=run_before)
