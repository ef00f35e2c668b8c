"""What reaches the clerk's terminal: one whole frame per new screen, and never a stale cell.

Issue 7 (terminal bytes over SSH): a freshly pushed screen used to cost three whole-screen
frames. ``ThriftyScreen`` (screens/base.py) drops the two redundant ones. That leans on
Textual internals, so these tests check both sides of it on the pinned Textual:

- *economy*: each screen opened from home is drawn with one whole frame (plus small
  partial updates), counted from the updates the app hands to its driver;
- *fidelity*: everything the app would write is fed into a terminal emulator (pyte), and
  after every step the emulated terminal must show exactly what the app itself renders
  as a whole frame — a skipped repaint that mattered would leave a stale cell and fail.

The byte *ratios* against a bare app are measured on a real pseudo-terminal by
``benchmarks/bench_terminal.py``, not here.
"""

from __future__ import annotations

from typing import Any

import pyte
import pytest
from textual._compositor import CompositorUpdate, LayoutUpdate

from screens.base import ThriftyScreen
from tests.tui.conftest import login

COLS, ROWS = 80, 24


class Terminal:
    """The app's output, as a terminal would show it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.Stream(self.screen)
        self.frames: list[tuple[str, int]] = []  # (kind, bytes) per update sent

        def display(screen: Any, renderable: Any) -> None:  # App._display, minus the driver
            if renderable is None or app._batch_count or screen is not app.screen:
                return
            if isinstance(renderable, CompositorUpdate):
                text = renderable.render_segments(app.console)
                kind = "full" if isinstance(renderable, LayoutUpdate) else "partial"
                self.frames.append((kind, len(text.encode())))
                self.stream.feed(text)

        app._display = display

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def expected(self) -> list[str]:
        """What the app holds as the current screen, rendered whole right now."""
        strips = self.app.screen._compositor.render_strips()
        return [strip.text.rstrip() for strip in strips]

    def full_frames(self) -> int:
        return sum(1 for kind, _ in self.frames if kind == "full")

    def mark(self) -> None:
        self.frames.clear()


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def assert_faithful(term: Terminal, step: str) -> None:
    shown, expected = term.lines(), term.expected()
    stale = [
        f"row {y}: shown {a!r}\n        app   {b!r}"
        for y, (a, b) in enumerate(zip(shown, expected, strict=True))
        if a != b
    ]
    assert not stale, f"after {step}: the terminal differs from the app\n" + "\n".join(stale)


SCREENS_FROM_HOME = ["f2", "f3", "f4", "f5", "f6", "f7", "f8"]


@pytest.mark.parametrize("key", SCREENS_FROM_HOME)
async def test_a_screen_opened_from_home_is_one_whole_frame(
    make_app: Any, ready_db: Any, key: str
) -> None:
    app = make_app(lang="kk")
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        term = Terminal(app)
        await login(pilot)
        await settle(pilot)
        assert_faithful(term, "login → home")
        term.mark()
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, ThriftyScreen)
        assert term.full_frames() == 1, term.frames
        assert_faithful(term, f"home → {key}")


async def test_home_after_login_is_one_whole_frame(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="kk")
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        term = Terminal(app)
        await settle(pilot)
        term.mark()
        await login(pilot)
        await settle(pilot)
        assert term.full_frames() == 1, term.frames
        assert_faithful(term, "login → home")


async def test_the_terminal_never_keeps_a_stale_cell(make_app: Any, ready_db: Any) -> None:
    """A clerk's round: screens opened and left, languages switched, tickets issued and
    called, a case search typed — after every step the terminal shows what the app holds."""
    app = make_app(lang="kk")
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        term = Terminal(app)
        await settle(pilot)
        assert_faithful(term, "first paint of login")
        await pilot.press("f12")
        await settle(pilot)
        assert_faithful(term, "language switch on login")
        await login(pilot)
        await settle(pilot)
        steps: list[tuple[str, tuple[str, ...]]] = [
            ("queue", ("f2",)),
            ("issue three tickets", ("ctrl+r", "ctrl+t", "ctrl+y")),
            ("call the next submit ticket", ("t",)),
            ("language switch on queue", ("f12",)),
            ("back home", ("escape",)),
            ("cases", ("f4",)),
            ("type a surname prefix", tuple("Жұм")),
            ("back home", ("escape",)),
            ("deadlines", ("f5",)),
            ("language switch on deadlines", ("f12",)),
            ("back home", ("escape",)),
            ("files", ("f6",)),
            ("back home", ("escape",)),
            ("complaints", ("f7",)),
            ("back home", ("escape",)),
            ("report", ("f8",)),
            ("back home", ("escape",)),
            ("intake", ("f3",)),
            ("next step", ("enter",)),
            ("back home", ("escape",)),
            ("lock", ("ctrl+l",)),
        ]
        for step, keys in steps:
            await pilot.press(*keys)
            await settle(pilot)
            assert_faithful(term, step)


async def test_first_run_paints_before_it_loads_the_department_list(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start-up (issue 7): the first-run screen reaches the terminal first; the Annex 1 list
    (the catalog: ~30 ms to import and check) fills in right after, and typing is kept."""
    from textual.widgets import OptionList

    from screens.setup import SetupScreen

    app = make_app(catalog=None)
    term = Terminal(app)
    frames_when_filled: list[int] = []
    fill = SetupScreen._fill

    def recording_fill(self: SetupScreen) -> None:
        frames_when_filled.append(term.full_frames())
        fill(self)

    monkeypatch.setattr(SetupScreen, "_fill", recording_fill)
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        await pilot.press(*"көкше")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert frames_when_filled and frames_when_filled[0] >= 1
        options = app.screen.query_one("#departments", OptionList)
        assert options.option_count == 1  # the filter typed before the list came is applied
        assert_faithful(term, "first-run screen")
