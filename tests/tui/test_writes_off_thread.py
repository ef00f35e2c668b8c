"""Writes never freeze the screen (issue 13, point 8).

A service write that waits for the database lock (here: a call held on a
``threading.Event``) runs in a worker: the screen's loop runs on, keys typed meanwhile are
kept and land after it, a second commit key does not write twice, and the result arrives
once the write is done.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from textual.widgets import Input

from screens.complaints import ComplaintsScreen
from screens.dialogs import FormModal
from screens.queue import QueueScreen
from tests.tui.conftest import answered, login


class Held:
    """Wrap a service method: each call waits at the gate (as behind another desk's lock)."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        self.entered.set()
        assert self.gate.wait(30), "the test never opened the gate"
        return self.real(*args, **kwargs)

    async def wait_inside(self) -> None:
        """Until the worker is inside the call (the write "waits for the lock")."""
        assert await asyncio.to_thread(self.entered.wait, 30)


async def _loop_runs(app: Any) -> None:
    fired = asyncio.Event()
    app.set_timer(0.01, fired.set)
    await asyncio.wait_for(fired.wait(), 30)


async def test_the_queue_answers_keys_while_a_ticket_waits_for_the_lock(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await answered(pilot)
        assert isinstance(app.screen, QueueScreen)
        held = Held(app.services.queue.issue)
        app.services.queue.issue = held
        await pilot.press("ctrl+r")
        await held.wait_inside()
        # the write is stuck; the screen is not frozen: its loop runs (a timer fires) …
        await _loop_runs(app)
        # … and keys typed meanwhile are kept, to land after the write, in order, as if
        # the clerk had typed them once it was done (issue 12: bursts land as typed slowly)
        await pilot.press("f12")
        await pilot.pause()
        assert app.lang == "en" and isinstance(app.screen, QueueScreen)
        assert ready_db.queue.day() == []
        held.gate.set()
        await answered(pilot)
        assert held.calls == 1
        assert [t.number for t in ready_db.queue.day()] == ["A-001"]
        assert app.lang == "kk" and isinstance(app.screen, QueueScreen)
        # the number is said on the queue's notice line (issue 12.8), in the new language
        assert "A-001" in str(app.screen.query_one("#notice").render())


async def test_a_second_save_while_the_first_waits_does_not_save_twice(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        await pilot.press("f7", "n")
        await answered(pilot)
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#complainant", Input).value = "Әлиев Марат"
        form.query_one("#text", Input).value = "Кезекте 2 сағат"
        held = Held(app.services.complaints.register)
        app.services.complaints.register = held
        await pilot.press("ctrl+s")
        await held.wait_inside()
        await _loop_runs(app)  # the screen is not frozen
        await pilot.press("ctrl+s")  # impatient: kept, and saves nothing twice
        await pilot.pause()
        assert app.screen is form and form.saving
        held.gate.set()
        await answered(pilot)
        assert held.calls == 1
        assert isinstance(app.screen, ComplaintsScreen)
        assert [c.complainant for c in ready_db.complaints.list()] == ["Әлиев Марат"]
