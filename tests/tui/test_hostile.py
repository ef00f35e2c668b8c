"""Hostile text through every screen (issue 6's check).

A fixed list of markup and terminal-control strings (plus Hypothesis-generated names for the
typed-and-stored part) is put into clerks, cases, complaints and the Department's name
through the services, then every screen that shows user text is opened with Pilot at 80×24:
no exception, the App still running (not quit by a live ``[@click=app.quit]``), and nothing
on screen (the composed strips, what would reach the terminal) carries ESC, C0/C1 controls
or bidi overrides.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events

from mss_desk.rules.iin import make_iin
from mss_desk.services.views import IntakeForm
from mss_desk.text import clean_line
from screens.board import BoardScreen
from screens.case_detail import CaseDetailScreen
from screens.cases import CasesScreen
from screens.home import HomeScreen
from screens.lock import LockScreen
from screens.login import LoginScreen
from tests.conftest import DEPT, ELDERLY_DOCS
from tests.tui.conftest import choose, elder, login, paste_into

HOSTILE = ("[/", "[/]", "[@click=app.quit]x[/]", "\x1b]0;x\x07", "\x9b2J", "\u202e")
ALL = " ".join(HOSTILE)
BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
PASSWORD = "secret pass 9"
DOCS = frozenset(ELDERLY_DOCS)


def form(surname: str, name: str, serial: int, **kw: Any) -> IntakeForm:
    return elder(surname, name, date(1950, 4, 1), "male", serial, **kw)


def on_screen(app: Any) -> str:
    """The whole composed screen as the terminal would get it (every layer, every widget)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def assert_clean(app: Any, where: str) -> str:
    assert app.is_running, f"{where}: the app quit"
    text = on_screen(app)
    found = BAD.search(text)
    assert found is None, f"{where}: {found.group(0)!r} on screen"
    assert not BAD.search(app.title or "") and not BAD.search(app.sub_title or "")
    return text


@pytest.fixture
def hostile_catalog(catalog: Any) -> Any:
    departments = dict(catalog.departments)
    departments[DEPT] = replace(departments[DEPT], name_kk=ALL, name_ru=ALL, district_kk=ALL)
    return replace(catalog, departments=departments)


@pytest.fixture
def hostile_data(ready_db: Any) -> dict[str, Any]:
    """A head with a hostile name, one case per hostile string, a complaint about one."""
    head = ready_db.clerks.create(DEPT, "mallory", f"Ә{ALL}", f"{ALL}Б", PASSWORD, "head")
    cases = []
    for i, h in enumerate(HOSTILE, start=1):
        f = form(f"Ә{h}", f"{h}Н", i, patronymic=h, address=f"Көкшетау {h}", phone=h)
        cases.append(ready_db.intake.submit(f, DOCS, head.id))
    case_no = cases[0].case_no
    ready_db.complaints.register(f"Қ{ALL}", f"мәтін {ALL}", head.id, case_no=case_no, contact=ALL)
    return {"head": head, "case_no": case_no, "cases": cases}


async def test_every_screen_shows_hostile_text_as_clean_text(
    make_app: Any, hostile_data: dict[str, Any], hostile_catalog: Any
) -> None:
    app = make_app(lang="en", catalog=hostile_catalog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert_clean(app, "login")
        await login(pilot, "mallory", PASSWORD)
        assert isinstance(app.screen, HomeScreen)
        text = assert_clean(app, "home")
        assert "[@click=app.quit]x[/]" in text  # shown literally, not a live link
        for key in ("f2", "f4", "f5", "f6", "f7", "f8"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            assert_clean(app, key)
            if key == "f4":
                assert isinstance(app.screen, CasesScreen)
                field = app.screen.query_one("#query")
                field.focus()
                await pilot.press("Ә", "enter")
                await pilot.pause()
                assert_clean(app, "cases search")
            for _ in range(3):  # a modal a key may have opened, then the screen
                if isinstance(app.screen, HomeScreen):
                    break
                await pilot.press("escape")
                await pilot.pause()
            assert app.is_running
        for case in hostile_data["cases"]:
            await app.push_screen(CaseDetailScreen(case.case_no))
            await pilot.pause()
            await pilot.pause()
            text = assert_clean(app, f"case {case.case_no}")
            assert case.case_no in text
            await app.pop_screen()
            await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert_clean(app, "lock")
        await pilot.press("f10")  # switch user: the login screen
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        app.screen.query_one("#username").value = ""
        app.screen.query_one("#username").focus()
        app.post_message(events.Paste("[@click=app.quit]x[/]\x1b]0;x\x07\u202e\x9b2J"))
        await pilot.pause()
        assert app.screen.query_one("#username").value == "[@click=app.quit]x[/]]0;x2J"
        app.screen.query_one("#password").value = "[/"
        app.screen.query_one("#password").focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert_clean(app, "login with a hostile user name")


async def test_board_shows_hostile_department_as_clean_text(
    make_app: Any, ready_db: Any, hostile_catalog: Any
) -> None:
    ready_db.queue.issue("submit")
    app = make_app(lang="kk", board=True, catalog=hostile_catalog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert_clean(app, "board")


PIECES = list("ӘәҒғҚқҢңӨөҰұҮүҺһІіАаБбИи []/@=.") + list(HOSTILE) + ["\x1b", "\x07", "\x9b", "\t"]
NAMES = (
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8)
    .map("".join)
    .filter(lambda s: clean_line(s) != "")
)
SERIALS = itertools.count(100)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(surname=NAMES, address=NAMES)
def test_hostile_names_are_stored_as_the_clerk_confirmed_them(
    ready_db: Any, surname: str, address: str
) -> None:
    """Stored values are the cleaned text (what the screen showed), not the raw bytes."""
    head = ready_db.clerks.authenticate("bakyt", "secret pass 1")
    f = form(surname, "Қанат", next(SERIALS), address=address)
    result = ready_db.intake.submit(f, DOCS, head.id)
    detail = ready_db.cases.get(result.case_no)
    assert detail.surname == clean_line(surname)
    assert detail.address == clean_line(address)
    assert not BAD.search(detail.surname + detail.address)


async def _wizard_submit(app: Any, ready_db: Any, surname: str, serial: int) -> Any:
    """Drive the intake wizard (institution, relatives, applicant, documents, register)
    with ``surname`` pasted as a terminal would send it; return the case as stored."""
    from screens.intake import IntakeScreen

    async with app.run_test(size=(80, 24)) as pilot:
        app.clerk = ready_db.clerks.authenticate("bakyt", "secret pass 1")
        screen = IntakeScreen(None)
        await app.push_screen(screen)
        await pilot.pause()
        await choose(pilot, screen, "institution", "elderly_general")
        await pilot.press("ctrl+n")
        await choose(pilot, screen, "relatives", "no_relatives")
        await pilot.press("ctrl+n")
        await paste_into(pilot, screen, "iin", make_iin(date(1945, 3, 15), "male", serial))
        await paste_into(pilot, screen, "surname", surname)
        await paste_into(pilot, screen, "name", "Ерлан")
        await paste_into(pilot, screen, "address", surname)
        await pilot.press("ctrl+n")
        assert screen.step == 3
        assert_clean(app, "intake documents step")
        await pilot.press("a", "ctrl+n")
        assert_clean(app, "intake summary")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()  # the register runs off the UI thread
        await pilot.pause()
        assert_clean(app, "intake result")
        result = screen.result
        assert result is not None and result.outcome == "accepted"
        return ready_db.cases.get(result.case_no)


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(surname=NAMES)
def test_hostile_surname_through_the_wizard_is_stored_cleaned(
    make_app: Any, ready_db: Any, surname: str
) -> None:
    import asyncio

    app = make_app(lang="en")
    detail = asyncio.run(_wizard_submit(app, ready_db, surname, next(SERIALS)))
    assert detail.surname == clean_line(surname)  # what the clerk saw and confirmed
    assert detail.address == clean_line(surname)
