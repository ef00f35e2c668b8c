"""Annex 2 for the region on the regional desk (issue 14.2), keyboard only, 80×24: F8 from
home, ←/→ the month, where each Department's figures come from, P asks before it prints.

``conftest.regional_db``: Departments 19 and 7 sent February's summaries with their files
(Monday 2 March 2026); the others sent nothing.

Update the pictures with ``uv run pytest tests/tui/region/test_region_report.py
--snapshot-update`` and LOOK at them before committing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from screens.dialogs import QuestionModal
from screens.region_report import RegionReportScreen
from tests.tui.conftest import answered, footer_text, login, screen_text
from tests.tui.region.conftest import REGION_PASSWORD, REGION_USER
from tests.tui.region.test_snapshots_region import settle


async def open_annex(pilot: Any) -> RegionReportScreen:
    await login(pilot, REGION_USER, REGION_PASSWORD)
    await answered(pilot)
    await pilot.press("f8")
    await answered(pilot)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RegionReportScreen)
    return screen


async def test_f8_opens_the_regional_annex_and_the_arrows_switch_the_month(
    make_app: Any, regional_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_annex(pilot)
        text = screen_text(app)
        assert "Annex 2 for the region — February 2026" in text
        assert "Region" in text and "Kokshetau" in text
        assert "02.03" in text  # 19 and 7: their summaries of 2 March
        assert screen.annex is not None
        sources = {d.code: d.source for d in screen.annex.departments}
        assert sources[19] == sources[7] == "summary"
        assert sum(1 for s in sources.values() if s == "none") == 17
        assert "Month before" in footer_text(app)
        await pilot.press("left")
        await answered(pilot)
        assert "January 2026" in screen_text(app)
        assert {d.source for d in screen.annex.departments} == {"none"}
        await pilot.press("right", "right")
        await answered(pilot)
        assert "March 2026" in screen_text(app)
        await pilot.press("f8")  # F8 again: the same screen, not a second one
        await pilot.pause()
        assert sum(isinstance(s, RegionReportScreen) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RegionReportScreen)


async def test_print_asks_first_and_esc_prints_nothing(
    make_app: Any, regional_db: Any, desk_settings: Any
) -> None:
    """P: the region's total as the Department's Annex 2 prints (PDF with its chart), only
    after the question (issue 12.4); Esc prints nothing."""
    app = make_app(lang="en")
    app.print_slips = False  # the PDF is written, nothing goes to a printer
    folder = Path(desk_settings.paper_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_annex(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("escape")
        await answered(pilot)
        assert app.screen is screen
        assert list(folder.glob("*.pdf")) == []
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await answered(pilot)
        assert app.screen is screen
    [pdf] = list(folder.glob("*.pdf"))
    assert pdf.name == "indicators-20260201-20260228.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_snapshot_regional_annex(snap_compare: Any, make_app: Any, regional_db: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_annex(pilot)
        await settle(pilot)

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_regional_annex_kazakh(
    snap_compare: Any, make_app: Any, regional_db: Any
) -> None:
    async def run_before(pilot: Any) -> None:
        await open_annex(pilot)
        await settle(pilot)

    assert snap_compare(make_app(lang="kk"), terminal_size=(80, 24), run_before=run_before)
