"""What a clerk sees in the intake wizard and the cases screens, at 80×24 and 120×40.

Apps come from E1's ``make_app`` factory (temporary database, FixedClock Monday 2 March
2026 10:00 Almaty, cursor blink and animations off, paper off). Fields are filled
programmatically (the Pilot tests type them); the steps are changed with the keys.
Update with ``uv run pytest tests/tui/test_snapshots_intake.py --snapshot-update`` and LOOK
at every picture before committing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import Checkbox, Input, RadioButton

from mss_desk.rules.iin import make_iin
from screens.cases import CasesScreen
from screens.intake import IntakeScreen
from tests.conftest import ELDERLY_DOCS
from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER, elder
from widgets.iin_input import IinInput

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
ELDER_IIN = make_iin(date(1945, 3, 15), "male")


async def settle(pilot: Any) -> None:
    app = pilot.app
    if isinstance(app.screen, IntakeScreen):
        await radios_settled(pilot, app.screen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()
    await pilot.pause()


async def wizard(pilot: Any) -> IntakeScreen:
    app = pilot.app
    app.clerk = app.services.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    screen = IntakeScreen()
    await app.push_screen(screen)
    await pilot.pause()
    return screen


def set_values(screen: IntakeScreen, **values: Any) -> None:
    for key, value in values.items():
        if isinstance(value, bool):
            screen.query_one(f"#{key}", Checkbox).value = value
        elif key == "iin":
            screen.query_one(IinInput).value = value
        elif key in (
            "institution",
            "ownership",
            "group",
            "relatives",
            "relatives_reason",
            "sex",
            "delivery_method",
        ):
            screen.query_one(f"#{key}-{value}", RadioButton).value = True
        else:
            screen.query_one(f"#{key}", Input).value = value


async def radios_settled(pilot: Any, screen: IntakeScreen) -> None:
    """Wait until every RadioSet has taken in the button set programmatically.

    Setting ``RadioButton.value`` posts messages that the RadioSet handles later; on a
    loaded machine one pause is not always enough, so wait (bounded) for the state.
    """
    from textual.widgets import RadioSet

    for attempt in range(150):
        pending = [
            radio_set
            for radio_set in screen.query(RadioSet)
            if any(button.value for button in radio_set.query(RadioButton))
            and (radio_set.pressed_button is None or not radio_set.pressed_button.value)
        ]
        if not pending:
            return
        if attempt == 50:  # a Changed message lost to a screen switch: post it again
            for radio_set in pending:
                for button in radio_set.query(RadioButton):
                    if button.value:
                        button.value = False
                        button.value = True
        await pilot.pause()


async def to_step(pilot: Any, screen: IntakeScreen, step: int) -> None:
    while screen.step < step:
        before = screen.step
        await radios_settled(pilot, screen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.step == before + 1, screen.query_one("#message").render()


async def elder_wizard(pilot: Any, step: int, relatives: str = "no_relatives") -> IntakeScreen:
    screen = await wizard(pilot)
    set_values(screen, institution="elderly_general")
    await pilot.pause()
    await to_step(pilot, screen, min(step, 1))
    set_values(screen, relatives=relatives)
    await pilot.pause()
    if step >= 2:
        await to_step(pilot, screen, 2)
        set_values(
            screen,
            iin=ELDER_IIN,
            surname="Әбілқасымов",
            name="Серік",
            patronymic="Жұмабекұлы",
            address="Көкшетау, Абай к-сі 12, 5-пәтер",
            phone="+7 701 123 45 67",
        )
        await pilot.pause()
    return screen


class TestIntakeWizard:
    @pytest.mark.parametrize("size", SIZES)
    def test_type_step(self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any) -> None:
        async def run_before(pilot: Any) -> None:
            screen = await wizard(pilot)
            set_values(screen, institution="elderly_general")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_eligibility_step_adult(
        self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any
    ) -> None:
        async def run_before(pilot: Any) -> None:
            screen = await wizard(pilot)
            set_values(screen, institution="adult_psychoneuro")
            await pilot.pause()
            await to_step(pilot, screen, 1)
            set_values(screen, disabled=True, group="1", psychoneuro=True)
            await settle(pilot)

        assert snap_compare(make_app(lang="ru"), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_eligibility_step_elderly(
        self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any
    ) -> None:
        async def run_before(pilot: Any) -> None:
            await elder_wizard(pilot, 1, relatives="relatives_unable")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_applicant_step(
        self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any
    ) -> None:
        async def run_before(pilot: Any) -> None:
            screen = await elder_wizard(pilot, 2)
            set_values(screen, birth_date="16.03.1945")  # disagrees with the IIN
            screen.query_one("#surname").focus()
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_documents_step(
        self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any
    ) -> None:
        async def run_before(pilot: Any) -> None:
            screen = await elder_wizard(pilot, 2)
            await to_step(pilot, screen, 3)
            await pilot.press("space", "down", "space", "down", "down")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_not_eligible(self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any) -> None:
        async def run_before(pilot: Any) -> None:
            screen = await elder_wizard(pilot, 2, relatives="relatives_able")
            await to_step(pilot, screen, 3)
            await pilot.press("ctrl+n")
            await settle(pilot)

        assert snap_compare(make_app(lang="en"), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_confirm_incomplete(
        self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any
    ) -> None:
        async def run_before(pilot: Any) -> None:
            screen = await elder_wizard(pilot, 2)
            await to_step(pilot, screen, 3)
            await pilot.press("a", "end", "space")
            await to_step(pilot, screen, 4)
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_accepted(self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any) -> None:
        async def run_before(pilot: Any) -> None:
            screen = await elder_wizard(pilot, 2)
            await to_step(pilot, screen, 3)
            await pilot.press("a")
            await to_step(pilot, screen, 4)
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert screen.result is not None and screen.result.outcome == "accepted"

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def add_cases(services: Any) -> None:
    clerk = services.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    forms = [
        elder("Әлиев", "Ерлан", date(1950, 4, 1), "male", patronymic="Серікұлы"),
        elder("Әлиева", "Гүлнар", date(1952, 7, 9), "female", wwii=True),
        elder("Иванова", "Мария", date(1948, 1, 30), "female", patronymic="Петровна"),
        elder("[/][@click=app.quit]x[/]", "[b]", date(1949, 2, 2), "male"),
    ]
    for index, form in enumerate(forms):
        docs = set(ELDERLY_DOCS) | ({"wwii_status_certificate"} if form.wwii else set())
        received = docs - ({"medical_card"} if index == 2 else set())
        services.intake.submit(form, received, clerk.id)


class TestCases:
    @pytest.mark.parametrize("size", SIZES)
    def test_case_list(self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any) -> None:
        add_cases(ready_db)

        async def run_before(pilot: Any) -> None:
            app = pilot.app
            app.clerk = app.services.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
            await app.push_screen(CasesScreen())
            await pilot.pause()
            await pilot.press(*"әли", "enter")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_case_detail(self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any) -> None:
        add_cases(ready_db)

        async def run_before(pilot: Any) -> None:
            app = pilot.app
            app.clerk = app.services.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
            await app.push_screen(CasesScreen())
            await pilot.pause()
            await pilot.press(*"19-2026-00002", "enter")
            await settle(pilot)

        assert snap_compare(make_app(lang="ru"), terminal_size=size, run_before=run_before)


class TestDrafts:
    @pytest.mark.parametrize("size", SIZES)
    def test_resume_draft(self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any) -> None:
        clerk = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
        data = {
            "version": 1,
            "step": "applicant",
            "institution": "elderly_general",
            "iin": ELDER_IIN,
            "surname": "Әбілқасымов",
            "name": "Серік",
        }
        ready_db.intake.save_draft(None, data, clerk_id=clerk.id)

        async def run_before(pilot: Any) -> None:
            await wizard(pilot)
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
