"""Only the rows that changed reach the terminal (issue 12 point 14, ``screens/rows.py``).

Everything the desk would write goes through the same :class:`TerminalRows` the App puts
in front of its driver, and into a terminal emulator (pyte): after every step of a clerk's
round the emulated terminal must show exactly what the app renders as a whole frame — a
row wrongly thought unchanged would leave a stale cell and fail. Byte counts here are the
exact text the App would write (headless, so no real terminal is involved); the ratios
against a bare Textual app are measured on a pseudo-terminal by
``benchmarks/bench_terminal.py``.
"""

from __future__ import annotations

from typing import Any

import pyte
from textual._compositor import CompositorUpdate

from screens.rows import TerminalRows
from tests.tui.conftest import login
from tests.tui.test_paint_economy import COLS, ROWS, settle


class TrimmedTerminal:
    """The app's output through :class:`TerminalRows`, as a terminal would show it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.rows = TerminalRows()
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.Stream(self.screen)
        self.written: list[int] = []  # bytes per update, as written
        self.untrimmed: list[int] = []  # bytes per update, as Textual made it

        def display(screen: Any, renderable: Any) -> None:  # App._display, minus the driver
            if renderable is None or app._batch_count or screen is not app.screen:
                return
            if isinstance(renderable, CompositorUpdate):
                self.untrimmed.append(len(renderable.render_segments(app.console).encode()))
                trimmed = self.rows.trim(renderable, app.console, screen._compositor)
                text = trimmed.render_segments(app.console)
                self.written.append(len(text.encode()))
                self.stream.feed(text)

        app._display = display

    def mark(self) -> None:
        self.written.clear()
        self.untrimmed.clear()

    def assert_faithful(self, step: str) -> None:
        shown = [line.rstrip() for line in self.screen.display]
        strips = self.app.screen._compositor.render_strips()
        expected = [strip.text.rstrip() for strip in strips]
        stale = [
            f"row {y}: shown {a!r}\n        app   {b!r}"
            for y, (a, b) in enumerate(zip(shown, expected, strict=True))
            if a != b
        ]
        assert not stale, f"after {step}: the terminal differs from the app\n" + "\n".join(stale)
        self.assert_same_look(step, strips)

    def assert_same_look(self, step: str, strips: Any) -> None:
        """Every cell also looks as Textual's own rendering of the frame shows it: the same
        background, reverse, underline and strike; a glyph also the same colour, bold and
        italics (``screens.rows.render_row`` writes fewer colour changes, not others)."""
        own = pyte.Screen(COLS, ROWS)
        stream = pyte.Stream(own)
        for y, strip in enumerate(strips):
            stream.feed(f"\x1b[{y + 1};1H" + strip.render(self.app.console))
        differ = []
        for y in range(ROWS):
            for x in range(COLS):
                a, b = self.screen.buffer[y][x], own.buffer[y][x]
                look = ("bg", "reverse", "underscore", "strikethrough")
                if b.data.strip():
                    look += ("fg", "bold", "italics")
                if a.data != b.data or any(getattr(a, k) != getattr(b, k) for k in look):
                    differ.append(f"({x},{y}) shown {a} / Textual {b}")
        assert not differ, f"after {step}: cells look different\n" + "\n".join(differ[:10])


async def test_the_terminal_shows_what_the_app_holds_with_rows_trimmed(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app(lang="kk")
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        term = TrimmedTerminal(app)
        await settle(pilot)
        term.assert_faithful("first paint of login")
        await pilot.press("f12")
        await settle(pilot)
        term.assert_faithful("language switch on login")
        await login(pilot)
        await settle(pilot)
        term.assert_faithful("login → home")
        steps: list[tuple[str, tuple[str, ...]]] = [
            ("down the home menu", ("down", "down")),
            ("up the home menu", ("up",)),
            ("queue", ("f2",)),
            ("issue three tickets", ("ctrl+r", "ctrl+t", "ctrl+y")),
            ("language switch on queue", ("f12",)),
            ("back home", ("escape",)),
            ("cases", ("f4",)),
            ("type a surname prefix", tuple("Жұм")),
            ("back home", ("escape",)),
            ("deadlines", ("f5",)),
            ("back home", ("escape",)),
            ("intake", ("f3",)),
            ("next step", ("enter",)),
            ("back home", ("escape",)),
            ("lock", ("ctrl+l",)),
        ]
        for step, keys in steps:
            await pilot.press(*keys)
            await settle(pilot)
            term.assert_faithful(step)


async def test_a_whole_frame_of_what_is_already_shown_writes_no_row(
    make_app: Any, ready_db: Any
) -> None:
    """The second whole frame a screen got on entry (a footer recomposed, a stale repaint
    mark) cost a slow link 2–5 KB for nothing: now only its changed rows, here none."""
    app = make_app(lang="kk")
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        term = TrimmedTerminal(app)
        await login(pilot)
        await settle(pilot)
        term.mark()
        compositor = app.screen._compositor
        compositor._dirty_regions.add(compositor.size.region)  # Textual: repaint it all
        app.screen._compositor_refresh()
        assert term.untrimmed and term.untrimmed[0] > 2000  # what Textual would write
        assert term.written == [0]
        term.assert_faithful("a whole frame again")


async def test_an_arrow_key_in_the_home_menu_writes_two_rows(
    make_app: Any, ready_db: Any
) -> None:
    """Issue 12 point 14: an arrow key in a list ≤ 600 B. Textual repaints the option list
    as pieces of every row; two rows changed (the highlight left one, came to the next)."""
    app = make_app(lang="kk")
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        term = TrimmedTerminal(app)
        await login(pilot)
        await settle(pilot)
        term.mark()
        await pilot.press("down")
        await settle(pilot)
        term.assert_faithful("down the home menu")
        assert sum(term.written) < sum(term.untrimmed)
        assert sum(term.written) <= 2 * 400, (term.written, term.untrimmed)
