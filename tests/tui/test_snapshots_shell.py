"""What a clerk sees on the desk's own screens, at 80×24 and 120×40.

Every app comes from the ``make_app`` factory: a temporary database, the FixedClock at
Monday 2 March 2026 (10:00 unless a test moves it), cursor blink and animations off, paper
off. Update with ``uv run pytest tests/tui/test_snapshots_shell.py --snapshot-update`` and
LOOK at every picture before committing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import local_dt
from tests.tui.conftest import login

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def settle(pilot: Any) -> None:
    """Let workers finish, drop the toasts, and let the screen repaint."""
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()
    await pilot.pause()


def fill_queue(services: Any, clock: Any) -> None:
    """A morning queue: two breached tickets, one warned, one fresh, one consultation."""
    clock.set(local_dt("2026-03-02 10:00"))
    services.queue.issue("submit")  # A-001, 45 min by 10:45: red
    services.queue.issue("collect")  # B-001, called at 10:45
    clock.advance(minutes=5)
    services.queue.issue("consult")  # C-001, 40 min: no limit for consultations
    clock.advance(minutes=7)
    services.queue.issue("submit")  # A-002, 33 min: amber
    clock.advance(minutes=26)
    services.queue.issue("submit")  # A-003, 7 min
    clock.set(local_dt("2026-03-02 10:45"))


class TestSetup:
    @pytest.mark.parametrize("size", SIZES)
    def test_department_list(self, snap_compare: Any, make_app: Any, size: Any) -> None:
        assert snap_compare(make_app(), terminal_size=size, run_before=settle)

    @pytest.mark.parametrize("size", SIZES)
    def test_department_filtered_ru(self, snap_compare: Any, make_app: Any, size: Any) -> None:
        async def run_before(pilot: Any) -> None:
            await pilot.pause()
            await pilot.press(*"ш")
            await settle(pilot)

        assert snap_compare(make_app(lang="ru"), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_head_account_mismatch(self, snap_compare: Any, make_app: Any, size: Any) -> None:
        async def run_before(pilot: Any) -> None:
            await pilot.pause()
            await pilot.press("1", "9", "enter")
            await pilot.pause()
            screen = pilot.app.screen
            for field, value in {
                "username": "bakyt",
                "surname": "Жұмабаев",
                "name": "Бақыт",
                "password": "secret pass 1",
                "password2": "secret pass 2",
            }.items():
                screen.query_one(f"#{field}").value = value
            screen.query_one("#password2").focus()
            await pilot.press("enter")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


class TestLogin:
    @pytest.mark.parametrize("size", SIZES)
    def test_login(self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any) -> None:
        assert snap_compare(make_app(), terminal_size=size, run_before=settle)

    @pytest.mark.parametrize("size", SIZES)
    def test_wrong_password_ru(
        self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any
    ) -> None:
        async def run_before(pilot: Any) -> None:
            await login(pilot, "bakyt", "wrong password")
            await settle(pilot)

        assert snap_compare(make_app(lang="ru"), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_lock(self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any) -> None:
        async def run_before(pilot: Any) -> None:
            await login(pilot)
            await pilot.press("ctrl+l")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


class TestHome:
    @pytest.mark.parametrize("size", SIZES)
    def test_home(
        self, snap_compare: Any, make_app: Any, ready_db: Any, tui_clock: Any, size: Any
    ) -> None:
        fill_queue(ready_db, tui_clock)

        async def run_before(pilot: Any) -> None:
            await login(pilot)
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_home_en_with_hostile_name(
        self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any
    ) -> None:
        ready_db.clerks.create(19, "mallory", "[/]", "[@click=app.quit]x[/]", "secret pass 9")

        async def run_before(pilot: Any) -> None:
            await login(pilot, "mallory", "secret pass 9")
            await settle(pilot)

        assert snap_compare(make_app(lang="en"), terminal_size=size, run_before=run_before)


class TestQueue:
    @pytest.mark.parametrize("size", SIZES)
    def test_queue_with_called_ticket(
        self, snap_compare: Any, make_app: Any, ready_db: Any, tui_clock: Any, size: Any
    ) -> None:
        fill_queue(ready_db, tui_clock)

        async def run_before(pilot: Any) -> None:
            await login(pilot)
            await pilot.press("f2")
            await pilot.pause()
            await pilot.press("t")  # call the next collect ticket (F6 is the global Files key)
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_queue_ru_empty(
        self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any
    ) -> None:
        async def run_before(pilot: Any) -> None:
            await login(pilot)
            await pilot.press("f2")
            await settle(pilot)

        assert snap_compare(make_app(lang="ru"), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_queue_closed_for_lunch(
        self, snap_compare: Any, make_app: Any, ready_db: Any, tui_clock: Any, size: Any
    ) -> None:
        tui_clock.set(local_dt("2026-03-02 13:20"))

        async def run_before(pilot: Any) -> None:
            await login(pilot)
            await pilot.press("f2")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


    @pytest.mark.parametrize(
        "size", [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]
    )
    def test_queue_with_notice(
        self,
        snap_compare: Any,
        make_app: Any,
        ready_db: Any,
        size: Any,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Issue 12.8: five quick tickets leave one line of notice, not ten toasts over
        the waiting list."""
        from screens.queue import QueueScreen

        monkeypatch.setattr(QueueScreen, "NOTICE_SECONDS", 600.0)  # still shown when drawn

        async def run_before(pilot: Any) -> None:
            from tests.tui.conftest import answered

            await login(pilot)
            pilot.app.action_open_queue()
            await answered(pilot)
            for purpose in ("submit", "submit", "collect", "consult", "submit"):
                pilot.app.screen.action_issue(purpose)
            await answered(pilot)
            await settle(pilot)

        assert snap_compare(make_app(lang="en"), terminal_size=size, run_before=run_before)


class TestBoard:
    @pytest.mark.parametrize("size", SIZES)
    def test_board(
        self, snap_compare: Any, make_app: Any, ready_db: Any, tui_clock: Any, size: Any
    ) -> None:
        fill_queue(ready_db, tui_clock)
        clerk = ready_db.clerks.authenticate("bakyt", "secret pass 1")
        ready_db.queue.call_next("submit", clerk.id)
        ready_db.queue.call_next("collect", clerk.id)
        ready_db.queue.call_next("submit", clerk.id)
        assert snap_compare(make_app(board=True), terminal_size=size, run_before=settle)


SMALL_SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]


class TestQuitAndPalette:
    """Issue 12.6 and 12.13: the quit question and the palette, whole at 80×24 and 60×20."""

    @pytest.mark.parametrize("size", SMALL_SIZES)
    def test_quit_question(
        self, snap_compare: Any, make_app: Any, ready_db: Any, tui_clock: Any, size: Any
    ) -> None:
        fill_queue(ready_db, tui_clock)

        async def run_before(pilot: Any) -> None:
            from screens.dialogs import QuestionModal
            from tests.tui.conftest import answered

            await login(pilot)
            await pilot.press("f2")
            await answered(pilot)
            await pilot.press("t")  # B-001 called: quitting now would leave it hanging
            await answered(pilot)
            await pilot.press("ctrl+q")
            await answered(pilot)
            assert isinstance(pilot.app.screen, QuestionModal)
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SMALL_SIZES)
    def test_palette_on_the_queue(
        self, snap_compare: Any, make_app: Any, ready_db: Any, size: Any
    ) -> None:
        async def run_before(pilot: Any) -> None:
            from textual.command import CommandPalette

            from tests.tui.conftest import answered

            await login(pilot)
            await pilot.press("f2")
            await answered(pilot)
            await pilot.press("ctrl+p")
            await answered(pilot)
            assert isinstance(pilot.app.screen, CommandPalette)
            await settle(pilot)

        assert snap_compare(make_app(lang="ru"), terminal_size=size, run_before=run_before)
