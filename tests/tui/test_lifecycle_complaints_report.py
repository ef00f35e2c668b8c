"""Pilot tests: the complaint flow (register, talon, head-only review) and the report screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Checkbox, Input, OptionList

from screens.complaints import ComplaintsScreen
from screens.dialogs import FormModal
from screens.report import ReportScreen
from tests.conftest import DEPT
from tests.lifecycle.conftest import CaseFactory
from tests.tui.conftest import answered, login

CLERK_USER, CLERK_PASSWORD = "aigerim", "clerk pass 12"


def _lines(app: Any, widget: str) -> list[str]:
    ol = app.screen.query_one(widget, OptionList)
    return [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]


async def test_register_complaint_then_review_by_the_head(make_app: Any, ready_db: Any) -> None:
    case_no = CaseFactory(ready_db).case("2026-03-02 09:00")
    ready_db.clerks.create(DEPT, CLERK_USER, "Сейітова", "Әйгерім", CLERK_PASSWORD, "clerk")
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, CLERK_USER, CLERK_PASSWORD)
        await pilot.press("f7")
        await answered(pilot)
        assert isinstance(app.screen, ComplaintsScreen)
        await pilot.press("n")
        await answered(pilot)
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#complainant", Input).value = "Әлиев Марат"
        form.query_one("#case_no", Input).value = case_no
        form.query_one("#text", Input).value = "[bold]Кезекте[/] 2 сағат"
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert isinstance(app.screen, ComplaintsScreen)
        [line] = _lines(app, "#complaints")
        assert "19-2026-C0001" in line and "answer by 17.03.2026" in line
        shown = str(app.screen.query_one("#complaint-text").render())
        assert "[bold]Кезекте[/]" in shown  # user text stays text, never markup
        # a clerk may not review
        await pilot.press("enter")
        await answered(pilot)
        assert isinstance(app.screen, ComplaintsScreen)
        assert ready_db.complaints.get("19-2026-C0001").status == "registered"
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)  # the head
        await pilot.press("f7")
        await answered(pilot)
        await pilot.press("enter")
        await answered(pilot)
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#justified", Checkbox).value = True
        form.query_one("#satisfied", Checkbox).value = True
        form.query_one("#answer", Input).value = "Кешірім сұраймыз"
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert isinstance(app.screen, ComplaintsScreen)
        [line] = _lines(app, "#complaints")
        assert "Justified, Satisfied, Answered on time" in line
    c = ready_db.complaints.get("19-2026-C0001")
    assert (c.status, c.justified, c.satisfied, c.on_time) == ("answered", True, True, True)


async def test_complaint_form_refuses_empty_text(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        await pilot.press("f7", "n")
        await answered(pilot)
        app.screen.query_one("#complainant", Input).value = "Әлиев"
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert isinstance(app.screen, FormModal)
        assert "text of the complaint" in str(app.screen.query_one("#form-message").render())
        await pilot.press("escape")
        await answered(pilot)
    assert ready_db.complaints.list() == []


async def test_report_screen_values_csv_pdf_and_3_3(
    make_app: Any, ready_db: Any, desk_settings: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await login(pilot)
        await pilot.press("f8")
        await answered(pilot)
        assert isinstance(app.screen, ReportScreen)
        body = str(app.screen.query_one("#report-body").render())
        assert body.count("No data") == 12
        await pilot.press("e")
        await answered(pilot)
        app.screen.query_one("#value", Input).value = "32,5"
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert isinstance(app.screen, ReportScreen)
        body = str(app.screen.query_one("#report-body").render())
        assert body.count("No data") == 11 and "32.5" in body
        await pilot.press("c", "p")
        await answered(pilot)
    folder = Path(desk_settings.paper_dir)
    csv = folder / "indicators-20260301-20260302.csv"
    assert csv.read_text(encoding="utf-8").count("No data") == 11
    assert (folder / "indicators-20260301-20260302.pdf").read_bytes().startswith(b"%PDF")


async def _register_complaint(app: Any, pilot: Any) -> None:
    await login(pilot)
    await pilot.press("f7", "n")
    await answered(pilot)
    app.screen.query_one("#complainant", Input).value = "Әлиев Марат"
    app.screen.query_one("#text", Input).value = "Кезекте 2 сағат"
    await pilot.press("ctrl+s")
    await answered(pilot)
    assert isinstance(app.screen, ComplaintsScreen)


async def test_complaint_talon_is_printed_and_the_file_named(
    make_app: Any, ready_db: Any, desk_settings: Any
) -> None:
    app = make_app(lang="en")
    app.print_slips = True
    async with app.run_test(size=(100, 30)) as pilot:
        await _register_complaint(app, pilot)
        [pdf] = list(Path(desk_settings.paper_dir).glob("*.pdf"))
        said = [n.message for n in app._notifications]
        assert f"Printed: {pdf}" in said
    assert pdf.read_bytes().startswith(b"%PDF")


async def test_complaint_talon_failures_are_said_and_the_desk_goes_on(
    make_app: Any, ready_db: Any, monkeypatch: Any
) -> None:
    from mss_desk import paper
    from mss_desk.errors import NotFound

    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _register_complaint(app, pilot)

        def broken_printer(*_: Any, **__: Any) -> Any:
            raise OSError("printer on fire")

        monkeypatch.setattr(paper, "print_complaint_talon", broken_printer)
        await pilot.press("t")
        await answered(pilot)
        said = [(n.message, n.severity) for n in app._notifications]
        assert ("The ticket was not printed; tell the number aloud", "information") in said

        def gone(_no: str) -> Any:
            raise NotFound("gone", key="error.not_found")

        monkeypatch.setattr(app.services.complaints, "talon", gone)
        await pilot.press("t")
        await answered(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == [app.t("error.not_found")]
        assert isinstance(app.screen, ComplaintsScreen)


async def test_review_refuses_a_bad_date_on_the_form(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _register_complaint(app, pilot)
        await pilot.press("enter")
        await answered(pilot)
        form = app.screen
        assert isinstance(form, FormModal)
        assert form.query_one("#date", Input).value == "02.03.2026"  # issue 12.10
        form.query_one("#answer", Input).value = "Жауап"
        form.query_one("#date", Input).value = "31.02.2026"  # dd.mm.yyyy is read; no such day
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert app.screen is form
        assert "Enter the date as dd.mm.yyyy" in str(form.query_one("#form-message").render())
        assert form.query_one("#answer", Input).value == "Жауап"
    assert ready_db.complaints.get("19-2026-C0001").status == "registered"
