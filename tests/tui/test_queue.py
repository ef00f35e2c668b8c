"""The queue at the desk (items 7.2, 7.3, 10) and the wall board."""

from __future__ import annotations

from typing import Any

import pytest

from screens.board import BoardScreen
from screens.queue import QueueScreen
from tests.conftest import local_dt
from tests.tui.conftest import answered, footer_text, login, screen_text
from widgets.wait_timer import WaitList, format_wait, wait_level


async def open_queue(pilot: Any) -> QueueScreen:
    await login(pilot)
    await pilot.press("f2")
    await answered(pilot)
    assert isinstance(pilot.app.screen, QueueScreen)
    return pilot.app.screen


def shown(app: Any) -> list[str]:
    return [line[0] for line in app.screen.query_one(WaitList).lines()]


def notice(app: Any) -> str:
    """The queue's one line of notices (issue 12.8), as drawn."""
    return str(app.screen.query_one("#notice").render())


def statuses(services: Any) -> dict[str, str]:
    return {t.number: t.status for t in services.queue.day()}


async def test_a_key_issues_a_ticket_per_purpose(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("ctrl+r", "ctrl+t", "ctrl+y", "ctrl+r")
        await answered(pilot)
        assert shown(app) == ["A-001", "B-001", "C-001", "A-002"]
        assert [t.number for t in ready_db.queue.waiting()] == shown(app)
        assert "Open: 09:00–18:00" in screen_text(app)
        assert notice(app) == "Ticket A-002 issued"  # the newest only, on the notice line
        assert not app._notifications  # no toast over the waiting list


@pytest.mark.parametrize(
    ("seconds", "purpose", "level"),
    [
        (29 * 60 + 59, "submit", "ok"),
        (30 * 60, "submit", "warn"),  # amber at 30 minutes
        (40 * 60, "collect", "warn"),  # 40 minutes is still within the limit (item 7.2)
        (40 * 60 + 1, "collect", "breach"),  # red past 40
        (90 * 60, "consult", "ok"),  # consultations have no limit
    ],
)
def test_wait_levels_at_the_boundaries(seconds: int, purpose: str, level: str) -> None:
    assert wait_level(seconds, purpose, 30, 40) == level


def test_wait_format() -> None:
    assert format_wait(0) == "00:00"
    assert format_wait(41 * 60 + 5) == "41:05"
    assert format_wait(125 * 60) == "2:05:00"


async def test_the_waiting_list_turns_amber_then_red_on_the_clock(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("ctrl+r", "ctrl+y")
        await answered(pilot)
        waiting = app.screen.query_one(WaitList)
        assert [line[3] for line in waiting.lines()] == ["ok", "ok"]
        tui_clock.advance(minutes=30)
        waiting.tick()
        assert [(line[0], line[2], line[3]) for line in waiting.lines()] == [
            ("A-001", "!  30:00", "warn"),
            ("C-001", "   30:00", "ok"),
        ]
        tui_clock.advance(minutes=10, seconds=1)
        assert waiting.lines()[0][2:] == ("!! 40:01", "breach")


async def test_call_next_takes_the_oldest_of_the_purpose_and_closes_it(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        assert screen.check_action("served", ()) is None  # shown, disabled: nobody called
        await pilot.press("ctrl+t")
        await answered(pilot)
        tui_clock.advance(minutes=1)
        await pilot.press("ctrl+r", "ctrl+t")
        await answered(pilot)
        await pilot.press("t")
        await answered(pilot)
        assert app.current_ticket.number == "B-001"
        assert "B-001" in screen_text(app) and shown(app) == ["A-001", "B-002"]
        await pilot.press("t")  # the current ticket must be closed first
        await answered(pilot)
        assert app.current_ticket.number == "B-001"
        assert statuses(ready_db)["B-002"] == "waiting"
        await pilot.press("s")
        await answered(pilot)
        assert statuses(ready_db)["B-001"] == "served" and app.current_ticket is None
        await pilot.press("t")
        await answered(pilot)
        await pilot.press("x")
        await answered(pilot)
        assert statuses(ready_db)["B-002"] == "no_show"
        await pilot.press("t")
        await answered(pilot)
        assert app.current_ticket is None
        assert "Nobody is waiting" in notice(app)
        assert shown(app) == ["A-001"]


async def test_calling_a_submit_ticket_opens_the_intake(make_app: Any, ready_db: Any) -> None:
    intake = pytest.importorskip("screens.intake")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("ctrl+r")
        await answered(pilot)
        await pilot.press("r")
        await answered(pilot)
        assert isinstance(app.screen, intake.IntakeScreen)
        assert app.screen.ticket_id == app.current_ticket.id
        ticket_id = app.current_ticket.id
        app.pop_screen()  # the intake closes …
        await answered(pilot)
        app.services.queue.serve(ticket_id)  # … having served the ticket, as it does on save
        app.screen.refresh_data()
        await answered(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.current_ticket is None  # the queue saw it closed
        assert app.screen.check_action("served", ()) is None


@pytest.mark.parametrize(
    ("when", "lang", "says"),
    [
        ("2026-03-02 13:30", "en", "Lunch break 13:00–14:00"),
        ("2026-03-02 08:59", "en", "opens at 09:00"),
        ("2026-03-02 18:00", "en", "The working day is over"),
        ("2026-03-07 10:00", "en", "Closed: weekend"),
        ("2026-03-23 10:00", "kk", "Наурыз"),
    ],
)
async def test_no_tickets_outside_office_hours(
    make_app: Any, ready_db: Any, tui_clock: Any, when: str, lang: str, says: str
) -> None:
    tui_clock.set(local_dt(when))
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        assert says in screen_text(app)
        await pilot.press("ctrl+r", "ctrl+t", "ctrl+y")
        await answered(pilot)
        assert ready_db.queue.day() == []
        assert shown(app) == []


async def test_the_office_opens_at_nine(make_app: Any, ready_db: Any, tui_clock: Any) -> None:
    tui_clock.set(local_dt("2026-03-02 08:59"))
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        tui_clock.advance(minutes=1)
        screen.refresh_data()
        await pilot.press("ctrl+r")
        await answered(pilot)
        assert shown(app) == ["A-001"]
        assert "Open: 09:00–18:00" in screen_text(app)


async def test_issuing_prints_the_ticket_in_the_background(
    make_app: Any, ready_db: Any, desk_settings: Any
) -> None:
    pytest.importorskip("mss_desk.paper.slips")
    from pathlib import Path

    app = make_app(lang="en")
    app.print_slips = True
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("ctrl+r")
        await answered(pilot)
        pdfs = list(Path(desk_settings.paper_dir).rglob("*.pdf"))
        assert len(pdfs) == 1
        assert notice(app) == "Ticket A-001 issued and printed"  # one notice, merged


async def test_a_broken_printer_does_not_stop_the_queue(
    make_app: Any, ready_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mss_desk.paper

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("printer on fire")

    monkeypatch.setattr(mss_desk.paper, "print_ticket", broken, raising=False)
    app = make_app(lang="en")
    app.print_slips = True
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("ctrl+r")
        await answered(pilot)
        assert shown(app) == ["A-001"] and app.is_running
        assert "not printed" in notice(app)


async def test_the_footers_fit_80_columns(make_app: Any, ready_db: Any) -> None:
    """Every key of the home and queue screens is visible at 80 columns, in each language."""
    from textual.widgets import Footer

    def overflow(app: Any) -> int:
        footer = app.screen.query_one(Footer)
        assert footer.virtual_size.width > 40  # laid out
        return int(footer.max_scroll_x)  # columns that would scroll out of sight

    for lang in ("kk", "ru", "en"):
        app = make_app(lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot)
            await answered(pilot)
            assert overflow(app) == 0, (lang, "home", footer_text(app))
            await pilot.press("f2")
            await answered(pilot)
            assert overflow(app) == 0, (lang, "queue", footer_text(app))


async def test_board_shows_called_tickets_and_refreshes(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    clerk_id = ready_db.clerks.authenticate("bakyt", "secret pass 1").id
    ready_db.queue.issue("collect")
    ready_db.queue.issue("submit")
    app = make_app(lang="ru", board=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await answered(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert "Пока никого не вызвали" in screen_text(app)
        ready_db.queue.call_next("collect", clerk_id)
        app.screen.refresh_data()
        await answered(pilot)
        assert app.screen.query_one("#latest-number").value == "B-001"
        assert "Получение результата" in screen_text(app)
        tui_clock.advance(minutes=1)
        ready_db.queue.call_next("submit", clerk_id)
        app.screen.refresh_data()
        await answered(pilot)
        assert app.screen.query_one("#latest-number").value == "A-001"  # newest first
        assert "B-001" in screen_text(app)
        await pilot.press("f2", "f3", "ctrl+l")  # read-only: no desk keys
        await answered(pilot)
        assert isinstance(app.screen, BoardScreen)


# --- issue 12.7: a called ticket is never orphaned -------------------------------------
# (actions called by name: the keys are another change's business)


async def _queue_as(pilot: Any, username: str, password: str) -> QueueScreen:
    app = pilot.app
    if app.clerk is not None:
        app.action_logout()  # F10
        await answered(pilot)
    await login(pilot, username, password)
    app.action_open_queue()  # F2
    await answered(pilot)
    assert isinstance(app.screen, QueueScreen)
    return app.screen


async def test_a_called_ticket_comes_back_after_logout(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    from tests.conftest import DEPT
    from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER

    ready_db.clerks.create(DEPT, "dana", "Ахметова", "Дана", "another pass 2", "clerk")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _queue_as(pilot, HEAD_USER, HEAD_PASSWORD)
        screen.action_issue("collect")
        screen.action_issue("collect")
        await answered(pilot)
        screen.action_call("collect")
        await answered(pilot)
        assert app.current_ticket.number == "B-001"

        # F10, and back: the ticket is "now serving" again, not lost
        screen = await _queue_as(pilot, HEAD_USER, HEAD_PASSWORD)
        assert app.current_ticket is not None and app.current_ticket.number == "B-001"
        assert "B-001" in app.screen.query_one("#current").render().plain
        assert screen.check_action("served", ()) is True
        screen.action_call("collect")  # never called past: it must be finished first
        await answered(pilot)
        assert statuses(ready_db) == {"B-001": "called", "B-002": "waiting"}

        # another clerk does not get it while its clerk may come back …
        screen = await _queue_as(pilot, "dana", "another pass 2")
        assert app.current_ticket is None
        # … but does after the hand-over term (data/terms.toml: 30 minutes)
        tui_clock.advance(minutes=30)
        screen = await _queue_as(pilot, "dana", "another pass 2")
        assert app.current_ticket is not None and app.current_ticket.number == "B-001"
        screen.action_no_show()
        await answered(pilot)
        assert statuses(ready_db)["B-001"] == "no_show" and app.current_ticket is None


# --- issue 12.8: notices never hide the work --------------------------------------------


async def test_five_quick_tickets_leave_one_line_of_notice_beside_the_list(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        for _ in range(5):
            screen.action_issue("submit")
        await answered(pilot)
        assert shown(app) == ["A-001", "A-002", "A-003", "A-004", "A-005"]
        assert notice(app) == "Ticket A-005 issued"
        assert not app._notifications and not list(app.screen.query("Toast"))
        line = screen.query_one("#notice").region
        waiting = screen.query_one("#waiting-pane").region
        assert line.height == 1 and not line.overlaps(waiting)
        assert "Open: 09:00–18:00" in str(screen.query_one("#status").render())


async def test_a_notice_expires_on_time_and_an_error_stays_until_read(
    make_app: Any, ready_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mss_desk.errors import NotFound

    # The notice's timer is taken as set (its length and its callback) and fired by the
    # test: a real 0.05 s timer raced the first assertion on a busy machine.
    monkeypatch.setattr(QueueScreen, "NOTICE_SECONDS", 3600.0)
    monkeypatch.setattr(QueueScreen, "ERROR_READ_SECONDS", 0.05)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        timers: list[tuple[float, Any]] = []
        real_set_timer = screen.set_timer

        def recording(delay: float, callback: Any = None, **kwargs: Any) -> Any:
            timers.append((delay, callback))
            return real_set_timer(delay, callback, **kwargs)

        monkeypatch.setattr(screen, "set_timer", recording)
        screen.action_issue("collect")
        await answered(pilot)
        assert notice(app) == "Ticket B-001 issued"
        expire = [callback for delay, callback in timers if delay == QueueScreen.NOTICE_SECONDS]
        assert len(expire) == 1  # one timer, of the notice's length
        expire[0]()
        await pilot.pause()
        assert notice(app) == ""  # gone on time, and repainted away
        screen._failed(NotFound("ticket", key="queue.not_found"))
        await pilot.pause(0.2)
        said = notice(app)
        assert said and screen.query_one("#notice").has_class("-error")  # still there
        await pilot.press("f12")  # F12 says it again in Russian: not gone
        assert notice(app) and notice(app) != said
        await pilot.press("down")  # a key after reading it: read
        assert notice(app) == ""
