"""Pilot tests of the intake room: the IIN input, the checklist, and the wizard."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Checkbox, Input, RadioButton, Static

from mss_desk.rules.iin import make_iin
from screens.dialogs import QuestionModal
from screens.intake import IntakeScreen
from tests.conftest import ELDERLY_DOCS
from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER, choose, paste_into
from widgets.checklist import Checklist
from widgets.deadline_badge import DeadlineBadge
from widgets.iin_input import IinInput

# ------------------------------------------------------------------------ widgets


class _IinApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[IinInput.Changed] = []

    def compose(self) -> ComposeResult:
        yield IinInput(lang="en", id="iin")

    def on_iin_input_changed(self, event: IinInput.Changed) -> None:
        self.events.append(event)


def _status(app: App[None]) -> str:
    return app.query_one(IinInput).status_text()


async def test_iin_input_validates_as_typed() -> None:
    valid = make_iin(date(1945, 3, 15), "male")
    app = _IinApp()
    async with app.run_test() as pilot:
        widget = app.query_one(IinInput)
        widget.focus()
        await pilot.press(*valid[:5])
        assert "5 of 12" in _status(app)
        assert widget.state.info is None and not widget.state.complete
        await pilot.press(*valid[5:])
        assert widget.state.valid
        assert "valid: born 15.03.1945, male" in _status(app)
        assert app.events[-1].state.info is not None
        assert app.events[-1].state.info.birth_date == date(1945, 3, 15)
        # letters are refused by the field, never more than 12 digits
        await pilot.press("x", "9")
        assert widget.value == valid


async def test_iin_input_says_why_it_is_invalid() -> None:
    valid = make_iin(date(1945, 3, 15), "male")
    wrong_check = valid[:11] + str((int(valid[11]) + 1) % 10)
    app = _IinApp()
    async with app.run_test() as pilot:
        widget = app.query_one(IinInput)
        widget.focus()
        await pilot.press(*wrong_check)
        assert not widget.state.valid
        assert widget.state.error_key == "rules.iin.checksum"
        assert _status(app).startswith("✗ invalid:")
        await pilot.press("backspace")
        assert "11 of 12" in _status(app)
        # a month 13 is an invalid date
        widget.value = "451315300001"
        await pilot.pause()
        assert widget.state.error_key == "rules.iin.date"


async def test_iin_input_cross_checks_typed_birth_date_and_sex() -> None:
    valid = make_iin(date(1950, 1, 2), "female")
    app = _IinApp()
    async with app.run_test() as pilot:
        widget = app.query_one(IinInput)
        widget.value = valid
        await pilot.pause()
        widget.expect(date(1950, 1, 2), "female")
        assert widget.mismatches == ()
        widget.expect(date(1950, 2, 1), "male")
        assert widget.mismatches == ("birth_date", "sex")
        assert "typed 01.02.1950" in _status(app)
        widget.lang = "kk"
        assert "ЖСН бойынша" in _status(app)


class _ChecklistApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[Checklist.Changed] = []

    def compose(self) -> ComposeResult:
        yield Checklist(["application", "identity_card", "medical_card"], lang="en")

    def on_checklist_changed(self, event: Checklist.Changed) -> None:
        self.changes.append(event)


async def test_checklist_ticks_with_the_keyboard() -> None:
    app = _ChecklistApp()
    async with app.run_test() as pilot:
        checklist = app.query_one(Checklist)
        checklist.focus()
        await pilot.press("space")
        assert checklist.received == {"application"}
        await pilot.press("down", "down", "enter")
        assert checklist.received == {"application", "medical_card"}
        assert checklist.missing == ("identity_card",)
        await pilot.press("up", "space")
        assert checklist.complete
        await pilot.press("space")
        assert checklist.missing == ("identity_card",)
        await pilot.press("a")
        assert checklist.complete
        assert app.changes[-1].missing == ()


async def test_checklist_keeps_marks_when_the_list_changes() -> None:
    app = _ChecklistApp()
    async with app.run_test() as pilot:
        checklist = app.query_one(Checklist)
        checklist.focus()
        await pilot.press("down", "space")  # identity_card
        checklist.set_documents(
            ["application", "identity_card", "medical_card", "incapacity_court_decision"]
        )
        await pilot.pause()
        assert checklist.missing == ("application", "medical_card", "incapacity_court_decision")
        rows = [str(row.render()) for row in checklist.query("DocumentRow")]
        assert len(rows) == 4
        assert "[x] 2. identity card" in rows[1]
        assert rows[3].startswith("[ ] 4. court decision")
        checklist.set_documents(["identity_card"])
        await pilot.pause()
        assert checklist.complete
        checklist.set_documents(["application", "identity_card"])
        await pilot.pause()
        assert checklist.received == {"identity_card"}
        checklist.lang = "kk"
        await pilot.pause()
        assert "жеке басы куәлігі" in str(checklist.query("DocumentRow")[1].render())


async def test_checklist_shows_hostile_labels_literally() -> None:
    app = _ChecklistApp()
    async with app.run_test() as pilot:
        checklist = app.query_one(Checklist)
        checklist.set_labeler(lambda code, lang: "[/] [@click=app.quit]x[/] [b]")
        await pilot.pause()
        text = str(checklist.query("DocumentRow")[0].render())
        assert "[/] [@click=app.quit]x[/] [b]" in text
        assert app.is_running


# ------------------------------------------------------------------------ the wizard
#
# The real App (E1's ``make_app`` factory: temp SQLite, FixedClock Monday 2 March 2026
# 10:00 Almaty, paper off) with the head of Department 19 logged in; the wizard is pushed
# directly and driven with the keyboard only.

TODAY = date(2026, 3, 2)
ELDER_IIN = make_iin(date(1945, 3, 15), "male")  # 80 on 2 March 2026: pension age
ADULT_IIN = make_iin(date(1990, 6, 1), "female")  # 35: adult psychoneuro
REP_IIN = make_iin(date(1965, 1, 20), "female")


async def start(pilot: Any, ready_db: Any, ticket_id: int | None = None) -> IntakeScreen:
    app = pilot.app
    app.clerk = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    await pilot.pause()
    screen = IntakeScreen(ticket_id)
    await app.push_screen(screen)
    await pilot.pause()
    assert screen in app.screen_stack
    return screen


async def tick(pilot: Any, screen: IntakeScreen, checkbox: str) -> None:
    screen.query_one(f"#{checkbox}", Checkbox).focus()
    await pilot.press("space")


async def type_into(pilot: Any, screen: IntakeScreen, field: str, text: str) -> None:
    screen.query_one(f"#{field}").focus()
    await pilot.press(*text)  # one key event per character, as a terminal sends them


async def fill_applicant(
    pilot: Any,
    screen: IntakeScreen,
    iin: str,
    surname: str = "Әлиев",
    name: str = "Ерлан",
    representative: bool = False,
    typed: bool = False,
) -> None:
    """Typed key by key (``typed``) or pasted: the IIN check runs either way."""
    enter = type_into if typed else paste_into
    await enter(pilot, screen, "iin", iin)
    await enter(pilot, screen, "surname", surname)
    await enter(pilot, screen, "name", name)
    await enter(pilot, screen, "address", "Абай 1")
    if representative:
        await enter(pilot, screen, "representative_name", "Гүлнар")
        await enter(pilot, screen, "representative_iin", REP_IIN)
        await enter(pilot, screen, "representative_basis", "ана")


async def elder_to_documents(pilot: Any, screen: IntakeScreen, typed: bool = False) -> None:
    await choose(pilot, screen, "institution", "elderly_general")
    await pilot.press("ctrl+n")
    assert screen.step == 1
    await choose(pilot, screen, "relatives", "no_relatives")
    await pilot.press("ctrl+n")
    assert screen.step == 2
    await fill_applicant(pilot, screen, ELDER_IIN, typed=typed)
    await pilot.press("ctrl+n")
    assert screen.step == 3, screen.query_one("#message", Static).render()


def case_row(services: Any, case_no: str) -> Any:
    return services.cases.get(case_no)


async def test_eligible_with_all_documents_is_accepted(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await elder_to_documents(pilot, screen, typed=True)  # Kazakh letters key by key
        checklist = screen.query_one(Checklist)
        assert checklist.has_focus
        # item 12.1 + pension age: seven always-documents and the pension certificate
        assert checklist.codes == ELDERLY_DOCS
        for _ in checklist.codes:
            await pilot.press("space", "down")
        assert checklist.complete
        await pilot.press("ctrl+n")
        assert screen.step == 4
        summary = str(screen.query_one("#summary", Static).render())
        assert "will be accepted" in summary
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()  # the register runs off the UI thread
        await pilot.pause()
        result = screen.result
        assert result is not None and result.outcome == "accepted"
        shown = str(screen.query_one("#result-title", Static).render())
        assert result.case_no is not None and result.case_no in shown
        assert result.case_no.startswith("19-2026-")
        # the database holds what the screen said
        detail = ready_db.cases.get(result.case_no)
        assert detail.status == "accepted"
        assert detail.surname == "Әлиев"
        assert set(detail.received_codes) == set(checklist.codes)
        assert result.deadlines is not None
        assert detail.service_due == result.deadlines.service_due
        badges = [b.text() for b in screen.query(DeadlineBadge)]
        assert any(result.deadlines.service_due.strftime("%d.%m.%Y") in b for b in badges)
        assert any("binding" in b for b in badges)
        # the draft went with the case
        assert ready_db.intake.load_drafts() == []
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, IntakeScreen)


async def test_not_eligible_shows_reasons_and_no_checklist(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await choose(pilot, screen, "institution", "elderly_general")
        await pilot.press("ctrl+n")
        # able-bodied relatives and no Council decision: not eligible (item 6.1)
        await choose(pilot, screen, "relatives", "relatives_able")
        await pilot.press("ctrl+n")
        await fill_applicant(pilot, screen, ELDER_IIN)
        await pilot.press("ctrl+n")
        assert screen.step == 3
        verdict = str(screen.query_one("#verdict", Static).render())
        assert verdict.startswith("Not eligible")
        assert "relatives" in verdict.lower()
        assert not screen.query_one(Checklist).display
        assert screen.focused is None or not isinstance(screen.focused, Checklist)
        await pilot.press("ctrl+n")
        assert screen.step == 3  # no way on to the documents
        assert "Not eligible" in str(screen.query_one("#message", Static).render())
        assert ready_db.cases.list() == []


async def test_missing_documents_keep_the_case_returned_incomplete(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await elder_to_documents(pilot, screen)
        await pilot.press("a")  # all received ...
        await pilot.press("end", "space")  # ... but the pension certificate
        await pilot.press("up", "up", "space")  # ... and the medical card
        checklist = screen.query_one(Checklist)
        assert checklist.missing == ("medical_card", "pension_certificate")
        await pilot.press("ctrl+n")
        assert "returned incomplete" in str(screen.query_one("#summary", Static).render())
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()  # the register runs off the UI thread
        await pilot.pause()
        result = screen.result
        assert result is not None and result.outcome == "returned_incomplete"
        assert result.missing == ("medical_card", "pension_certificate")
        shown = str(screen.query_one("#result-missing", Static).render())
        assert "medical card" in shown and "pension certificate" in shown
        detail = ready_db.cases.get_by_id(result.case_id)
        assert detail.status == "returned_incomplete"
        assert detail.missing == ("medical_card", "pension_certificate")


async def test_declared_incapable_adds_the_court_decision_at_once(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await choose(pilot, screen, "institution", "adult_psychoneuro")
        await pilot.press("ctrl+n")
        # the elderly-only questions are hidden for this type (item 6.3)
        assert not screen.query_one("#wwii").display
        assert not screen.query_one("#relatives").display
        await tick(pilot, screen, "disabled")
        assert screen.query_one("#row-group").display
        await choose(pilot, screen, "group", "1")
        await tick(pilot, screen, "psychoneuro")
        await pilot.press("ctrl+n")
        await fill_applicant(pilot, screen, ADULT_IIN, representative=True)
        await pilot.press("ctrl+n")
        assert screen.step == 3
        checklist = screen.query_one(Checklist)
        assert "incapacity_court_decision" not in checklist.codes
        await pilot.press("space")  # the first document received
        await pilot.press("ctrl+b", "ctrl+b")
        assert screen.step == 1
        await tick(pilot, screen, "declared_incapable")
        # the checklist changed the moment the fact did, before going back to it
        assert checklist.codes[-1] == "incapacity_court_decision"
        assert checklist.received == {"parent_application_or_medical_petition"}
        await tick(pilot, screen, "declared_incapable")
        assert "incapacity_court_decision" not in checklist.codes


async def test_iin_is_checked_live_and_against_the_typed_birth_date(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await choose(pilot, screen, "institution", "elderly_general")
        await pilot.press("ctrl+n", "ctrl+n")
        assert screen.step == 2
        # Tab follows the form: IIN, birth date, sex, surname, name
        assert screen.focused is screen.query_one("#iin-field")
        order = []
        for _ in range(4):
            await pilot.press("tab")
            order.append(screen.focused.id if screen.focused else None)
        assert order == ["birth_date", "sex", "surname", "name"]
        iin = screen.query_one(IinInput)
        await type_into(pilot, screen, "iin", ELDER_IIN[:-1])
        assert "11 of 12" in iin.status_text()
        wrong = str((int(ELDER_IIN[-1]) + 1) % 10)
        await pilot.press(wrong)
        assert "invalid" in iin.status_text()
        await pilot.press("backspace", ELDER_IIN[-1])
        assert iin.state.valid
        # derived from the IIN
        assert screen.query_one("#birth_date", Input).value == "15.03.1945"
        assert screen._radio_value("sex") == "male"
        # the clerk types another date: the IIN disagrees, Next refuses
        birth = screen.query_one("#birth_date", Input)
        birth.value = ""
        await type_into(pilot, screen, "birth_date", "16.03.1945")
        assert iin.mismatches == ("birth_date",)
        assert "typed 16.03.1945" in iin.status_text()
        await type_into(pilot, screen, "surname", "Ахметов")
        await type_into(pilot, screen, "name", "Болат")
        await pilot.press("ctrl+n")
        assert screen.step == 2
        assert "does not agree" in str(screen.query_one("#message", Static).render())


async def test_a_draft_survives_the_app_and_is_resumed(
    make_app: Any, ready_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import screens.intake.drafts

    # the debounce timer never fires during this test: only the teardown can save the ticks
    monkeypatch.setattr(screens.intake.drafts, "DRAFT_DEBOUNCE_SECONDS", 3600)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await elder_to_documents(pilot, screen)
        await pilot.press("space", "down", "space")  # two documents received
        await app.workers.wait_for_complete()  # the step changes' saves (off the UI thread)
        assert ready_db.intake.load_drafts()[0].data["received"] == []  # debounced
        # the connection drops: the App is torn down with the form open, before the
        # debounce timer fires — what was on the form is written on the way out
    drafts = ready_db.intake.load_drafts()
    assert len(drafts) == 1 and drafts[0].data["step"] == "documents"

    app2 = make_app(lang="en")
    async with app2.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await pilot.pause()
        assert isinstance(app2.screen, QuestionModal)
        assert "Әлиев" in str(app2.screen.query_one("#question", Static).render())
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert app2.screen is screen
        assert screen.step == 3
        assert screen.query_one(IinInput).value == ELDER_IIN
        assert screen._text("surname") == "Әлиев"
        assert screen.query_one(Checklist).received == {"application", "authority_referral"}
        await pilot.press("a", "ctrl+n", "ctrl+r")
        await app2.workers.wait_for_complete()
        await pilot.pause()
        assert screen.result is not None and screen.result.outcome == "accepted"
        assert ready_db.intake.load_drafts() == []


async def test_the_form_never_offers_its_own_draft_back(make_app: Any, ready_db: Any) -> None:
    """On a loaded server the form can save its draft before its first refresh runs the
    resume check; that draft is the form's own and must not come back as a question."""
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.clerk = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
        own = ready_db.intake.save_draft(
            None, {"institution": "elderly_general", "step": "type"}, clerk_id=app.clerk.id
        )
        screen = IntakeScreen()
        screen.draft_id = own  # as if its first save had already happened
        await app.push_screen(screen)
        for _ in range(3):
            await pilot.pause()
        assert app.screen is screen
        assert not isinstance(app.screen, QuestionModal)


async def test_hostile_names_are_shown_literally(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    hostile_surname = "[/][@click=app.quit]x[/]"
    hostile_name = "[b]Bold\x1b]0;pwned\x07"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await choose(pilot, screen, "institution", "elderly_general")
        await pilot.press("ctrl+n")
        await choose(pilot, screen, "relatives", "no_relatives")
        await pilot.press("ctrl+n")
        await paste_into(pilot, screen, "iin", ELDER_IIN)
        await type_into(pilot, screen, "surname", hostile_surname)
        await paste_into(pilot, screen, "name", hostile_name)  # controls and all
        # stripped at once: the escape sequence never reaches the terminal
        assert screen.query_one("#name", Input).value == "[b]Bold]0;pwned"
        await type_into(pilot, screen, "address", "[red]addr[/red] \\[x]")
        await pilot.press("ctrl+n")
        assert screen.step == 3
        await pilot.press("a", "ctrl+n")
        summary = str(screen.query_one("#summary", Static).render())
        assert "[/][@click=app.quit]x[/] [b]Bold]0;pwned" in summary
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()  # the register runs off the UI thread
        await pilot.pause()
        assert app.is_running
        result = screen.result
        assert result is not None and result.outcome == "accepted"
        detail = ready_db.cases.get(result.case_no)
        assert detail.surname == hostile_surname
        assert "\x1b" not in detail.name and "\x07" not in detail.name
        assert detail.address == "[red]addr[/red] \\[x]"


async def test_overlong_input_is_refused_with_a_message(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await choose(pilot, screen, "institution", "elderly_general")
        await pilot.press("ctrl+n", "ctrl+n")
        await paste_into(pilot, screen, "iin", ELDER_IIN)
        await paste_into(pilot, screen, "surname", "Я" * 101)
        # the field takes 100 (max_length): the paste is refused whole, and said so
        # (tests/tui/test_field_limits.py); an old draft could still hold more
        assert screen.query_one("#surname", Input).value == ""
        screen.query_one("#surname", Input).value = "Я" * 101
        await paste_into(pilot, screen, "name", "Болат")
        await pilot.press("ctrl+n")
        assert screen.step == 2
        message = str(screen.query_one("#message", Static).render())
        assert "Surname: too long (at most 100 characters)" == message
        screen.query_one("#surname", Input).value = "Я" * 100
        await pilot.press("ctrl+n")
        assert screen.step == 3


async def test_the_wizard_relabels_when_the_language_changes(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        title = screen.query_one("#title", Static)
        assert "Құжаттарды қабылдау" in str(title.render())
        assert str(screen.query_one("#institution-elderly_general", RadioButton).label).startswith(
            "Қарттар"
        )
        app.lang = "ru"
        await pilot.pause()
        assert "Приём документов" in str(title.render())
        assert str(screen.query_one("#institution-elderly_general", RadioButton).label).startswith(
            "Для престарелых"
        )
        descriptions = {b.binding.description for b in screen.active_bindings.values()}
        assert "Далее" in descriptions


async def test_a_called_ticket_is_served_and_the_talon_printed(
    make_app: Any, ready_db: Any, desk_settings: Any
) -> None:
    clerk = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    ticket = ready_db.queue.issue("submit")
    ready_db.queue.call_next("submit", clerk.id)
    app = make_app(lang="en")
    app.print_slips = True  # paper on: the talon goes to the temporary paper folder
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db, ticket_id=ticket.id)
        await elder_to_documents(pilot, screen)
        await pilot.press("a", "ctrl+n", "ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = screen.result
        assert result is not None and result.outcome == "accepted"
        detail = ready_db.cases.get(result.case_no)
        assert detail.ticket_id == ticket.id
        assert ready_db.queue.get(ticket.id).status == "served"
        # item 15: the talon is produced (a PDF in the paper folder), and the screen says so
        assert "Talon printed:" in screen.print_message
        pdfs = list(Path(desk_settings.paper_dir).glob("*.pdf"))
        assert [p.name for p in pdfs] == [f"talon-{result.case_no}.pdf"]
        assert str(pdfs[0]) in screen.print_message


async def test_printing_failure_never_crashes_the_desk(
    make_app: Any, ready_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mss_desk.paper.slips as slips

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("printer on fire")

    monkeypatch.setattr(slips, "print_missing", broken)
    app = make_app(lang="en")
    app.print_slips = True
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await elder_to_documents(pilot, screen)
        await pilot.press("ctrl+n", "ctrl+r")  # nothing received: returned incomplete
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.result is not None and screen.result.outcome == "returned_incomplete"
        assert screen.print_message.startswith("Printing failed (OSError)")
        assert app.is_running
        assert ready_db.cases.get_by_id(screen.result.case_id).status == "returned_incomplete"


def test_screens_and_widgets_do_not_import_sqlmodel_at_start() -> None:
    code = (
        "import sys\n"
        "import screens.intake, screens.cases, screens.case_detail\n"
        "import widgets.checklist, widgets.iin_input, widgets.deadline_badge\n"
        "bad = [m for m in ('sqlmodel', 'sqlalchemy', 'reportlab') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


async def test_every_wizard_key_is_in_the_command_palette(make_app: Any, ready_db: Any) -> None:
    from mss_desk.app import DeskCommands

    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        titles = {title for title, _key, _run in DeskCommands(screen)._commands()}
        assert {"Next", "Close", "Discard"} <= titles
        await elder_to_documents(pilot, screen)
        titles = {title for title, _key, _run in DeskCommands(screen)._commands()}
        assert {"Next", "Back", "Received", "All received"} <= titles
        await pilot.press("ctrl+n")
        commands = {title: run for title, _key, run in DeskCommands(screen)._commands()}
        assert "Register" in commands and "Next" not in commands
        await commands["Register"]()  # the palette runs the same action as the key
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.result is not None and screen.result.outcome == "returned_incomplete"


async def test_a_tab_does_not_repaint_the_whole_form(
    make_app: Any, ready_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual repaints the whole screen when focus moves (~7 KB a Tab over SSH at 80×24)."""
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await choose(pilot, screen, "institution", "elderly_general")
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
        whole: list[bool] = []
        original = IntakeScreen.refresh

        def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
            if self is screen:
                whole.append(True)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(IntakeScreen, "refresh", counting)
        footer = screen.query_one("QuietFooter")
        keys_before = list(footer.children)
        await pilot.press("tab", "tab", "tab")
        await pilot.pause()
        assert screen.focused is screen.query_one("#surname")
        assert whole == []
        assert list(footer.children) == keys_before  # the same keys: not rebuilt


async def test_a_waiting_write_never_freezes_the_form_nor_registers_twice(
    make_app: Any, ready_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13 point 8: the register waits for the database lock off the UI thread; the
    desk's loop runs on, and a second Ctrl+R meanwhile registers nothing more."""
    import asyncio
    import threading

    from mss_desk.services.intake import IntakeService

    lock_held = threading.Event()
    calls: list[int] = []
    original = IntakeService.submit

    def slow_submit(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        assert lock_held.wait(10), "the test never let the write through"
        return original(self, *args, **kwargs)

    monkeypatch.setattr(IntakeService, "submit", slow_submit)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await elder_to_documents(pilot, screen)
        await pilot.press("a", "ctrl+n")
        await app.workers.wait_for_complete()  # the drafts saved on the way
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.result is None  # the write waits for the lock …
        fired = asyncio.Event()  # … the desk's loop runs on (not frozen) …
        app.set_timer(0.01, fired.set)
        await asyncio.wait_for(fired.wait(), 30)
        await pilot.press("ctrl+r", "ctrl+r")  # … impatient keys are kept for after it
        await pilot.pause()
        assert screen.result is None
        lock_held.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.result is not None and screen.result.outcome == "accepted"
        assert len(calls) == 1
        assert len(ready_db.cases.list()) == 1


async def test_discard_right_after_a_step_leaves_no_draft(make_app: Any, ready_db: Any) -> None:
    """The step change's save and the discard run in the order they were asked: the draft
    the first one creates is the one the second one deletes."""
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await choose(pilot, screen, "institution", "elderly_general")
        # no pause: the save may not have started yet; Ctrl+G asks, Enter says yes
        await pilot.press("ctrl+n", "ctrl+g", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, IntakeScreen)
        assert ready_db.intake.load_drafts() == []


async def test_close_writes_the_draft_first(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await choose(pilot, screen, "institution", "adult_psychoneuro")
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, IntakeScreen)
        drafts = ready_db.intake.load_drafts()
        assert [d.data["institution"] for d in drafts] == ["adult_psychoneuro"]
