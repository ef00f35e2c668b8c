"""Pilot tests of the cases screens: search by IIN, case number (scanner) and surname."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from screens.case_detail import CaseDetailScreen
from screens.cases import CasesScreen
from tests.conftest import ELDERLY_DOCS
from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER, elder
from widgets.deadline_badge import DeadlineBadge


@pytest.fixture
def cases(ready_db: Any) -> dict[str, Any]:
    """Three accepted cases and one returned incomplete, in Department 19."""
    clerk = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    out: dict[str, Any] = {"clerk": clerk}
    forms = {
        "aliev": elder("Әлиев", "Ерлан", date(1950, 4, 1), "male"),
        "alieva": elder("Әлиева", "Гүлнар", date(1952, 7, 9), "female"),
        "ivanova": elder("Иванова", "Мария", date(1948, 1, 30), "female"),
        "hostile": elder("[/][@click=app.quit]x[/]", "[b]", date(1949, 2, 2), "male"),
    }
    for key, form in forms.items():
        received = set(ELDERLY_DOCS) - ({"medical_card"} if key == "ivanova" else set())
        out[key] = ready_db.intake.submit(form, received, clerk.id)
        out[key + "_iin"] = form.iin
    return out


async def open_cases(pilot: Any, ready_db: Any) -> CasesScreen:
    app = pilot.app
    app.clerk = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    screen = CasesScreen()
    await app.push_screen(screen)
    await pilot.pause()
    return screen


def table_rows(screen: CasesScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def search(pilot: Any, screen: CasesScreen, text: str) -> None:
    field = screen.query_one("#query", Input)
    field.focus()
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def test_recent_cases_are_listed_with_iins_masked(
    make_app: Any, ready_db: Any, cases: dict[str, Any]
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cases(pilot, ready_db)
        rows = table_rows(screen)
        assert len(rows) == 4
        iins = [cases[k + "_iin"] for k in ("aliev", "alieva", "ivanova", "hostile")]
        rendered = " ".join(" ".join(r) for r in rows)
        for iin in iins:
            assert iin not in rendered  # masked in the list
        assert any(r[1].endswith(cases["aliev_iin"][-2:]) and "*" in r[1] for r in rows)
        # hostile text shown literally, the app alive — in the list and in the case
        # (the list gives a name what 80 columns leave beside the due date: issue 12.13)
        assert any(r[2].startswith("[/][@click=app.quit]x[/]") for r in rows)
        screen._open_row([i for i, r in enumerate(rows) if "[/]" in r[2]][0])
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        shown = str(detail.query_one("#applicant", Static).render())
        assert shown.startswith("[/][@click=app.quit]x[/] [b]\n")
        assert app.is_running


async def test_find_by_iin(make_app: Any, ready_db: Any, cases: dict[str, Any]) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cases(pilot, ready_db)
        await search(pilot, screen, cases["alieva_iin"])
        rows = table_rows(screen)
        assert len(rows) == 1 and "Әлиева Гүлнар" in rows[0][2]
        assert "Found: 1" in str(screen.query_one("#status", Static).render())
        await pilot.press("enter")  # open the highlighted case
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        assert detail.detail.case_no == cases["alieva"].case_no


async def test_scanned_case_number_opens_the_case(
    make_app: Any, ready_db: Any, cases: dict[str, Any]
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cases(pilot, ready_db)
        case_no = cases["aliev"].case_no
        await search(pilot, screen, case_no)  # the scanner types the number and Enter
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        title = str(detail.query_one("#title", Static).render())
        assert case_no in title and "accepted" in title
        docs = str(detail.query_one("#documents", Static).render())
        assert docs.count("received") == len(ELDERLY_DOCS)
        badges = {b.id: b for b in detail.query(DeadlineBadge)}
        # item 7.1: 15 calendar days from Monday 2 March 2026 → 17 March; nothing forwarded
        # yet, so the service deadline binds and is highlighted
        assert badges["due-service"].due == date(2026, 3, 17)
        assert badges["due-service"].has_class("-binding")
        assert not badges["due-forward"].has_class("-binding")
        assert "binding" in badges["due-service"].text()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


@pytest.mark.parametrize("query", ["әли", "ӘЛИ", "ӘлИеВ"])
async def test_kazakh_surname_prefix_in_another_letter_case(
    make_app: Any, ready_db: Any, cases: dict[str, Any], query: str
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cases(pilot, ready_db)
        await search(pilot, screen, query)
        names = sorted(r[2] for r in table_rows(screen))
        assert names == ["Әлиев Ерлан", "Әлиева Гүлнар"]


async def test_russian_prefix_and_nothing_found(
    make_app: Any, ready_db: Any, cases: dict[str, Any]
) -> None:
    app = make_app(lang="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cases(pilot, ready_db)
        await search(pilot, screen, "иВАн")
        rows = table_rows(screen)
        assert [r[2] for r in rows] == ["Иванова Мария"]
        assert rows[0][0] == "—"  # returned incomplete: no number yet
        assert rows[0][4] == "возвращено (неполный пакет)"  # the last column (issue 12.13)
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        docs = str(detail.query_one("#documents", Static).render())
        assert "[ ]" in docs and "медицинская карта — не хватает" in docs
        app.lang = "kk"  # re-labelled at once, data untouched
        await pilot.pause()
        docs = str(detail.query_one("#documents", Static).render())
        assert "медициналық карта — жетіспейді" in docs
        assert str(detail.query_one("#title", Static).render()).startswith("Іс —")
        app.lang = "ru"
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await search(pilot, screen, "Жоқ")
        assert table_rows(screen) == []
        assert "Ничего не найдено" in str(screen.query_one("#status", Static).render())


async def test_cases_relabel_on_language_change(
    make_app: Any, ready_db: Any, cases: dict[str, Any]
) -> None:
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cases(pilot, ready_db)
        table = screen.query_one(DataTable)
        assert str(list(table.columns.values())[0].label) == "Іс"
        app.lang = "en"
        await pilot.pause()
        assert str(list(table.columns.values())[0].label) == "Case"
        assert str(screen.query_one("#title", Static).render()) == "Cases"


async def test_a_long_query_scrolls_inside_the_search_field(
    make_app: Any, ready_db: Any, cases: dict[str, Any]
) -> None:
    """The search field keeps the cursor in view without re-laying the screen out."""
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cases(pilot, ready_db)
        field = screen.query_one("#query", Input)
        await pilot.press(*("ә" * 90))
        assert field.value == "ә" * 90
        assert field.scroll_offset.x > 0  # the end of the text, where the cursor is, shows
        assert field.cursor_screen_offset.x < 80
        await pilot.press("enter")
        await pilot.pause()
        assert table_rows(screen) == []


async def test_typing_a_query_leaves_the_case_list_alone(
    make_app: Any, ready_db: Any, cases: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DESIGN trap: a DataTable's scrollbars repainted on every key typed elsewhere."""
    from textual.scrollbar import ScrollBar

    app = make_app(lang="en")
    async with app.run_test(size=(80, 9)) as pilot:  # 4 cases in 9 rows: a scrollbar
        screen = await open_cases(pilot, ready_db)
        table = screen.query_one(DataTable)
        assert table.show_vertical_scrollbar
        repaints: list[str] = []
        original = ScrollBar.refresh

        def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
            repaints.append("scrollbar")
            return original(self, *args, **kwargs)

        original_table = DataTable.refresh

        def counting_table(self: Any, *args: Any, **kwargs: Any) -> Any:
            repaints.append("table")
            return original_table(self, *args, **kwargs)

        monkeypatch.setattr(ScrollBar, "refresh", counting)
        monkeypatch.setattr(DataTable, "refresh", counting_table)
        # the screen's own first layout may still be finishing on a busy machine: wait until
        # a turn of the loop repaints nothing, then count only what the keys cause
        for _ in range(50):
            repaints.clear()
            await pilot.pause()
            if not repaints:
                break
        assert repaints == [], "the case list never settled"
        await pilot.press(*"Әлиев")
        await pilot.pause()
        assert repaints == []
        await pilot.press("enter")  # a search does refresh the table
        await pilot.pause()
        assert "table" in repaints


async def test_a_search_shows_one_screen_and_asks_for_more_letters(
    make_app: Any, ready_db: Any, cases: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A short prefix can match thousands: the screen shows its limit and says so."""
    import screens.cases

    monkeypatch.setattr(screens.cases, "SCREEN_LIMIT", 2)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cases(pilot, ready_db)
        await search(pilot, screen, "әли")  # two people match: exactly the limit
        assert len(table_rows(screen)) == 2
        assert "type more letters" in str(screen.query_one("#status", Static).render())
        await search(pilot, screen, "әлиева")  # one: under the limit
        assert len(table_rows(screen)) == 1
        assert "Found: 1" in str(screen.query_one("#status", Static).render())


async def test_the_talon_is_printed_again_from_the_case(
    make_app: Any, ready_db: Any, cases: dict[str, Any], desk_settings: Any
) -> None:
    """Item 15 (and the intake's "print again from the case"): P on an accepted case."""
    from pathlib import Path

    from tests.tui.conftest import answered

    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cases(pilot, ready_db)
        case_no = cases["aliev"].case_no
        await app.push_screen(CaseDetailScreen(case_no))
        await pilot.pause()
        await pilot.press("ctrl+t")
        await answered(pilot)
        [pdf] = list(Path(desk_settings.paper_dir).glob("*.pdf"))
        assert pdf.name == f"talon-{case_no}.pdf"
        assert f"Talon printed: {pdf}" in [n.message for n in app._notifications]
        # a case returned incomplete has no talon: the key does nothing there
        await app.push_screen(CaseDetailScreen(case_id=cases["ivanova"].case_id))
        await pilot.pause()
        assert app.screen.check_action("reprint", ()) is False
        await pilot.press("ctrl+t")
        await answered(pilot)
        assert len(list(Path(desk_settings.paper_dir).glob("*.pdf"))) == 1
