"""Item 6.1 (issue 11 point 5): the Council's decision is checked on the intake form.

The council-exception path needs the decision's number and a real date not later than
today; what is wrong is said under the field as it is typed and again on Ctrl+N, and the
form does not move on. The clock stands on 2 March 2026.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from tests.tui.conftest import choose, paste_into
from tests.tui.test_intake import start, type_into


def _note(screen: Any) -> str:
    note = screen.query_one("#council-error", Static)
    return str(note.render()) if note.display else ""


async def _to_council(pilot: Any, screen: Any) -> None:
    await choose(pilot, screen, "institution", "elderly_general")
    await pilot.press("ctrl+n")
    assert screen.step == 1
    await choose(pilot, screen, "relatives", "council_exception")
    await pilot.pause()


async def test_item_6_1_council_decision_date_in_the_future_is_refused_on_the_field(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await _to_council(pilot, screen)
        await paste_into(pilot, screen, "council_decision_no", "12/2026")
        await type_into(pilot, screen, "council_decision_date", "03.03.202")
        await pilot.pause()
        assert _note(screen) == ""  # unfinished: not yet an error
        await pilot.press("6")  # 03.03.2026: tomorrow
        await pilot.pause()
        expected = "Council decision date (dd.mm.yyyy): cannot be later than today (02.03.2026)"
        assert _note(screen) == expected  # said on the field, before any submit
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.step == 1  # the form does not move on
        assert expected in str(screen.query_one("#message", Static).render())
        screen.query_one("#council_decision_date").value = "02.03.2026"  # today: allowed
        await pilot.pause()
        assert _note(screen) == ""
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.step == 2


async def test_item_6_1_council_decision_needs_a_real_date_and_its_number(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await _to_council(pilot, screen)
        await type_into(pilot, screen, "council_decision_date", "31.02.2026")
        await pilot.pause()
        assert _note(screen) == "Council decision date (dd.mm.yyyy): a date as dd.mm.yyyy"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.step == 1
        screen.query_one("#council_decision_date").value = "20.02.2026"
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.step == 1  # the number is still missing
        assert _note(screen) == "Council decision no.: required"
        await paste_into(pilot, screen, "council_decision_no", "12/2026")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.step == 2


def _couple(ready_db: Any) -> tuple[Any, Any]:
    """Әлиева (council exception) and her husband Әлиев, linked by her IIN at his intake."""
    from datetime import date

    from tests.conftest import ELDERLY_DOCS
    from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER, elder

    clerk = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    from dataclasses import replace

    wife_form = replace(
        elder("Әлиева", "Гүлнар", date(1952, 7, 9), "female"),
        relatives="council_exception",
        council_decision_no="12/2026",
        council_decision_date=date(2026, 2, 20),
    )
    wife = ready_db.intake.submit(wife_form, {*ELDERLY_DOCS, "council_decision"}, clerk.id)
    husband_form = elder(
        "Әлиев", "Ерлан", date(1950, 4, 1), "male", spouse_case_no=wife_form.iin
    )
    husband = ready_db.intake.submit(husband_form, set(ELDERLY_DOCS), clerk.id)
    assert wife.accepted and husband.accepted
    return wife, husband


async def test_item_6_1_case_card_shows_the_councils_decision(
    make_app: Any, ready_db: Any
) -> None:
    from tests.tui.conftest import screen_text
    from tests.tui.test_reopen_and_hours import open_card

    wife, husband = _couple(ready_db)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot, ready_db, wife.case_id)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Council decision: № 12/2026 of 20.02.2026" in text
        assert f"Spouse's case: {husband.case_no}" in text
        await open_card(pilot, ready_db, husband.case_id)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Council decision" not in screen_text(app)  # his path has none


def test_snapshot_couple_link(snap_compare: Any, make_app: Any, ready_db: Any) -> None:
    """Issue 11 "Done when": the couple link on the case card, at 80×24."""
    from tests.tui.test_reopen_and_hours import open_card

    wife, _husband = _couple(ready_db)

    async def run_before(pilot: Any) -> None:
        await open_card(pilot, ready_db, wife.case_id)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_council_decision_date_in_the_future(
    snap_compare: Any, make_app: Any, ready_db: Any
) -> None:
    """The message under the decision's date, at 80×24, before any submit."""

    async def run_before(pilot: Any) -> None:
        screen = await start(pilot, ready_db)
        await _to_council(pilot, screen)
        await paste_into(pilot, screen, "council_decision_no", "12/2026")
        await paste_into(pilot, screen, "council_decision_date", "03.03.2026")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=run_before)
