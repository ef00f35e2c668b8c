"""Pilot tests of the intake room: the IIN input, the checklist, and the wizard."""

from __future__ import annotations

from datetime import date

from textual.app import App, ComposeResult

from mss_desk.rules.iin import make_iin
from widgets.checklist import Checklist
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
        checklist.set_documents(["application", "identity_card", "medical_card", "incapacity_court_decision"])
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
