"""A place came free, on the regional screen's waiting list (issue 14.2, item 6.1): F opens
the form for the highlighted line with the first in line shown, then asks once more; the
head only."""

from __future__ import annotations

import json
from typing import Any

from textual.widgets import Input, OptionList, Static

from screens.region import RegionScreen
from tests.conftest import CLERK_PASSWORD
from tests.tui.conftest import answered, footer_text, login
from tests.tui.region.conftest import OTHER, REGION_PASSWORD, REGION_USER
from tests.tui.region.test_region_desk import case, outbox

HEAD_USER = "bastyk"


def add_head(region: Any) -> Any:
    return region.services.clerks.create(
        0, HEAD_USER, "Жұмабекова", "Гүлнәр", CLERK_PASSWORD, "head"
    )


async def open_waiting(pilot: Any, user: str, password: str) -> RegionScreen:
    await login(pilot, user, password)
    await pilot.press("f6")
    await answered(pilot)
    await pilot.press("left")  # ← from the incoming files: the waiting list
    await answered(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RegionScreen) and screen.view == "waiting"
    return screen


async def test_the_head_issues_the_referral_to_the_first_in_line(
    make_app: Any, regional_db: Any
) -> None:
    head = add_head(regional_db)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_waiting(pilot, HEAD_USER, CLERK_PASSWORD)
        assert "Place free" in footer_text(app)
        await pilot.press("f")
        await answered(pilot)
        form = app.screen
        assert type(form).__name__ == "FormModal"
        title = str(form.query_one(".title", Static).render())
        assert "Elderly and disabled" in title
        assert "First in line: 07-2026-00201 ★ WWII path" in title  # item 6.1
        await pilot.press("ctrl+s")  # nothing typed: the form stays
        await answered(pilot)
        assert app.screen is form
        form.query_one("#institution", Input).value = "Көкшетау МӘМ"
        form.query_one("#referral_no", Input).value = "R-2026-041"
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert type(app.screen).__name__ == "QuestionModal"
        assert case(regional_db, "07-2026-00201").status == "forwarded"  # not yet
        await pilot.press("enter")
        await answered(pilot)
        saved = case(regional_db, "07-2026-00201")
        assert (saved.status, saved.decision, saved.decision_no) == (
            "decided", "referral", "R-2026-041")
        [msg] = outbox(regional_db)
        assert (msg.kind, msg.to_code) == ("case.referral", OTHER)
        assert json.loads(msg.payload)["clerk_id"] == head.id
        assert app.screen is screen
        # the line moved on: the next file heads it now
        files = [r.case_no for r in screen.rows if r is not None]
        assert "07-2026-00201" not in files and files[0] == "19-2026-00104"
        # the head sees the line's history under the next form's title
        await pilot.press("f")
        await answered(pilot)
        title = str(app.screen.query_one(".title", Static).render())
        assert "First in line: 19-2026-00104" in title
        assert "Freed last: 02.03.2026 · R-2026-041 → 07-2026-00201 (Жұмабекова Гүлнәр)" in title
        await pilot.press("escape")
        await answered(pilot)


async def test_escape_at_the_question_writes_nothing(make_app: Any, regional_db: Any) -> None:
    add_head(regional_db)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_waiting(pilot, HEAD_USER, CLERK_PASSWORD)
        # the second line (adults), from its heading
        files = screen.query_one("#files", OptionList)
        files.highlighted = screen.rows.index(None, 1)
        await pilot.pause()
        await pilot.press("f")
        await answered(pilot)
        form = app.screen
        assert "19-2026-00101" in str(form.query_one(".title", Static).render())
        form.query_one("#institution", Input).value = "Степногорск"
        form.query_one("#referral_no", Input).value = "R-1"
        await pilot.press("ctrl+s")
        await answered(pilot)
        await pilot.press("escape")
        await answered(pilot)
        assert app.screen is screen
        assert case(regional_db, "19-2026-00101").status == "forwarded"
        assert outbox(regional_db) == []


async def test_a_regional_clerk_is_told_only_the_head_may(
    make_app: Any, regional_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_waiting(pilot, REGION_USER, REGION_PASSWORD)
        await pilot.press("f")
        await answered(pilot)
        assert app.screen is screen
        said = " ".join(str(n.message) for n in app._notifications)
        assert "Only the head of the Regional Department" in said
        # not on the other lists
        await pilot.press("right")
        await answered(pilot)
        assert screen.check_action("free_place", ()) is False
