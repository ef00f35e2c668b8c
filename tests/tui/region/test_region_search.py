"""A case number at the regional desk (issue 14): F4 asks for it (from any screen), a
scanner types it; ``DD-YYYY-NNNNN`` opens the file's card read-only, ``YYYY-NNNNN`` of
files in several Departments lists them (Enter opens one)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList

from screens.case_detail import CaseDetailScreen
from screens.dialogs import FormModal
from screens.region_search import CaseChoiceModal
from tests.exchange.conftest import Desk, desk_factory, introduce  # noqa: F401
from tests.tui.conftest import answered, login, screen_text
from tests.tui.region.conftest import REGION_PASSWORD, REGION_USER

THIRD = 5  # a third Department (Annex 1) with a file numbered like one of Department 19's


@pytest.fixture
def same_number(
    regional_db: Desk,
    desk_factory: Callable[..., Desk],  # noqa: F811 - the exchange tests' fixture
    tmp_path: Path,
) -> Desk:
    desk = desk_factory(THIRD)
    introduce(desk, regional_db)
    assert desk.make is not None
    desk.make.case("2026-03-02 09:00", case_no="05-2026-00101")
    desk.services.lifecycle.forward(["05-2026-00101"], desk.clerk.id)
    desk.exchange.export(0, tmp_path / "5-up.mssx")
    assert regional_db.exchange.import_bundle(tmp_path / "5-up.mssx").applied == 1
    return regional_db


def test_the_service_finds_a_full_number_and_lists_a_short_one(same_number: Desk) -> None:
    from mss_desk.errors import DeskError

    region = same_number.region
    assert region.find("19-2026-00102") == [(19, "19-2026-00102", "forwarded")]
    assert region.find(" 2026-00101 ") == [
        (THIRD, "05-2026-00101", "forwarded"), (19, "19-2026-00101", "forwarded"),
    ]  # fmt: skip
    assert region.find("2026-99999") == []
    with pytest.raises(DeskError) as info:
        region.find("19-2026-%")
    assert info.value.key == "exchange.search.bad"


async def ask(pilot: Any, typed: str) -> Any:
    await pilot.press("f4")
    await answered(pilot)
    form = pilot.app.screen
    assert isinstance(form, FormModal)
    form.query_one("#case_no", Input).value = typed
    await pilot.press("enter")
    await answered(pilot)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return form


async def test_f4_opens_a_file_by_its_number_from_any_screen(
    make_app: Any, same_number: Desk
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, REGION_USER, REGION_PASSWORD)
        await pilot.press("f6")  # over the incoming files
        await answered(pilot)
        await ask(pilot, "19-2026-00102")
        card = app.screen
        assert isinstance(card, CaseDetailScreen) and card.case_no == "19-2026-00102"
        assert card.read_only
        assert "Where the file is: at the Regional Department since 02.03.2026" in \
            screen_text(app)
        await pilot.press("escape")
        await answered(pilot)
        # a short number of two Departments: both listed, Enter opens the chosen one
        await ask(pilot, "2026-00101")
        choice = app.screen
        assert isinstance(choice, CaseChoiceModal)
        options = [str(o.prompt) for o in choice.query_one("#matches", OptionList).options]
        assert [o.split(" · ")[0] for o in options] == ["05-2026-00101", "19-2026-00101"]
        await pilot.press("down", "enter")
        await answered(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.case_no == "19-2026-00101"
        await pilot.press("escape")
        await answered(pilot)
        # no such file, or no case number: the form stays and says so
        form = await ask(pilot, "2026-99999")
        assert app.screen is form
        assert "No file 2026-99999 at the region." in str(
            form.query_one("#form-message").render()
        )
        form.query_one("#case_no", Input).value = "Әлиев"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "Type a case number" in str(form.query_one("#form-message").render())
        await pilot.press("escape")
        await answered(pilot)
        assert not isinstance(app.screen, FormModal)


async def test_a_scan_opens_the_file_at_the_region(make_app: Any, same_number: Desk) -> None:
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, REGION_USER, REGION_PASSWORD)
        await pilot.press(*"07-2026-00201", "enter")
        await answered(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.case_no == "07-2026-00201"
        assert "Іс қайда: 02.03.2026 бастап Басқармада" in screen_text(app)


def test_the_list_of_files_under_one_number(
    snap_compare: Any, make_app: Any, same_number: Desk
) -> None:
    async def run_before(pilot: Any) -> None:
        await login(pilot, REGION_USER, REGION_PASSWORD)
        await ask(pilot, "2026-00101")
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(lang="kk"), terminal_size=(80, 24), run_before=run_before)
