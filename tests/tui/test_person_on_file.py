"""Issue 15, item 3 on screen: the intake says when the IIN is on file with other data, and
the case card says when the person's current data differ from the file's.

The wizard asks ``intake.differs_from_file`` in a worker when the clerk leaves the
applicant step; the note stays under the form (in the clerk's language) until the case is
registered. An 80×24 snapshot shows it; update with ``--snapshot-update`` and LOOK.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from screens.case_detail import CaseDetailScreen
from tests.conftest import ELDERLY_DOCS
from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER, answered, elder
from tests.tui.test_snapshots_intake import ELDER_IIN, elder_wizard, settle, to_step

# what ``elder_wizard`` types on the applicant step, and the same person as filed before
TYPED = {"surname": "Әбілқасымов", "name": "Серік", "patronymic": "Жұмабекұлы",
         "address": "Көкшетау, Абай к-сі 12, 5-пәтер", "phone": "+7 701 123 45 67"}
FILED = {**TYPED, "surname": "Әбілқасым", "address": "Степногорск, 4-шағын аудан 7"}


def file_case(services: Any, **data: str) -> str:
    """An accepted case for the wizard's applicant (ELDER_IIN) with ``data``."""
    from datetime import date

    clerk = services.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    form = elder(born=date(1945, 3, 15), sex="male", **data)
    assert form.iin == ELDER_IIN
    result = services.intake.submit(form, set(ELDERLY_DOCS), clerk.id)
    assert result.case_no is not None
    return result.case_no


def message(screen: Any) -> str:
    return str(screen.query_one("#message", Static).render())


async def test_the_wizard_says_the_data_differ_from_the_file(
    make_app: Any, ready_db: Any
) -> None:
    file_case(ready_db, **FILED)
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await elder_wizard(pilot, 2)
        await to_step(pilot, screen, 3)
        await answered(pilot)
        kk = "Адамның деректері 02.03.2026 күнгі істегі деректерден өзгеше: Тегі, Мекенжайы"
        assert message(screen) == kk
        assert screen.file_difference is not None
        assert screen.file_difference.fields == ("surname", "address")
        app.lang = "ru"  # F12: the note follows the language
        await pilot.pause()
        assert message(screen) == (
            "Данные человека отличаются от данных в деле от 02.03.2026: Фамилия, Адрес"
        )
        app.lang = "en"
        await pilot.pause()
        assert message(screen) == (
            "This person's data differs from the file of 02.03.2026: Surname, Address"
        )
        # an error said on a step goes first; with it gone, the note is back
        screen.say("!")
        assert message(screen) == "!"
        screen.say()
        assert message(screen).startswith("This person's data differs")
        # registered: the person's row now holds what was typed; no note under the result
        await pilot.press("a")
        await to_step(pilot, screen, 4)
        await pilot.press("ctrl+r")
        await answered(pilot)
        assert screen.result is not None and screen.result.outcome == "accepted"
        assert message(screen) == ""


async def test_a_new_person_says_nothing(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await elder_wizard(pilot, 2)  # nobody on file with this IIN
        await to_step(pilot, screen, 3)
        await answered(pilot)
        assert screen.file_difference is None and message(screen) == ""


async def test_the_same_data_says_nothing(make_app: Any, ready_db: Any) -> None:
    file_case(ready_db, **TYPED)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await elder_wizard(pilot, 2)  # on file with exactly what is typed
        await to_step(pilot, screen, 3)
        await answered(pilot)
        assert screen.file_difference is None and message(screen) == ""


async def test_the_case_card_shows_the_file_and_says_the_person_moved_on(
    make_app: Any, ready_db: Any
) -> None:
    first = file_case(ready_db, **FILED)
    file_case(ready_db, **TYPED)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.clerk = app.services.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
        await app.push_screen(CaseDetailScreen(first))
        await pilot.pause()
        lines = str(app.screen.query_one("#applicant", Static).render()).splitlines()
        assert lines[0] == "Әбілқасым Серік Жұмабекұлы"  # the file's, not the latest row
        assert "Address: Степногорск, 4-шағын аудан 7" in lines
        assert "The person's current data differs from this file: Surname, Address" in lines


def test_the_note_at_80x24(snap_compare: Any, make_app: Any, ready_db: Any) -> None:
    file_case(ready_db, **FILED)

    async def run_before(pilot: Any) -> None:
        screen = await elder_wizard(pilot, 2)
        await to_step(pilot, screen, 3)
        await answered(pilot)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
