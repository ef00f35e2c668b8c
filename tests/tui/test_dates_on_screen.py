"""Issue 12.10: one date format on screen. Every date field is pre-filled and hinted as
dd.mm.yyyy (as the lists above them show dates), in the clerk's language; ISO is still read.

Screens are opened and forms started by their actions (the keys are another test's business).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import Input

from screens.dialogs import FormModal
from screens.forwarding import ForwardingScreen
from screens.report import ReportScreen
from tests.lifecycle.conftest import CaseFactory
from tests.tui.conftest import answered, login, screen_text

HINTS = {"kk": "кк.аа.жжжж", "ru": "дд.мм.гггг", "en": "dd.mm.yyyy"}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_forwarding_and_its_forms_take_and_show_dd_mm_yyyy(
    make_app: Any, ready_db: Any, lang: str
) -> None:
    make = CaseFactory(ready_db)
    waiting = make.case("2026-03-02 09:00")
    head = ready_db.clerks.authenticate("bakyt", "secret pass 1")
    ready_db.lifecycle.forward([waiting], head.id)
    app = make_app(lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        app.action_open_lifecycle("forwarding")
        await answered(pilot)
        screen = app.screen
        assert isinstance(screen, ForwardingScreen)
        sent_on = screen.query_one("#sent-on", Input)
        assert sent_on.value == "02.03.2026"
        assert sent_on.placeholder == HINTS[lang]
        assert f"({HINTS[lang]})" in screen_text(app)
        assert "YYYY" not in screen_text(app) and "ГГГГ" not in screen_text(app)

        screen.action_view("waiting")
        await answered(pilot)
        screen.action_decide()
        await answered(pilot)
        form = app.screen
        assert isinstance(form, FormModal)
        assert form.query_one("#date", Input).value == "02.03.2026"
        assert HINTS[lang] in screen_text(app)


async def test_the_report_period_is_dd_mm_yyyy_and_iso_is_still_read(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app(lang="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        app.action_open_lifecycle("report")
        await answered(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        start, end = screen.query_one("#date-from", Input), screen.query_one("#date-to", Input)
        assert (start.value, end.value) == ("01.03.2026", "02.03.2026")
        assert start.placeholder == end.placeholder == "дд.мм.гггг"
        assert screen.period() == (date(2026, 3, 1), date(2026, 3, 2))
        start.value = "2026-02-01"  # ISO is accepted too
        assert screen.period() == (date(2026, 2, 1), date(2026, 3, 2))
