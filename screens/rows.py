"""Only the rows that changed reach the terminal (issue 12 point 14: a slow SSH link).

Textual sends a whole frame — every row of the screen — whenever the whole screen is
marked dirty: a new screen, a screen coming back from under a dialog, a footer whose keys
were recomposed, a stale "repaint me" mark. Most of those rows are already on the
clerk's terminal exactly as they are: the same footer, the same blank lines, the same
frame of the login box. Over 2 KB/s each whole frame is 2–5 s.

:class:`TerminalRows` remembers what every row of the terminal shows, as the exact text
last written for it. A whole frame is cut down to the rows whose text differs, each
written from its first column (a row's text is self-contained: it sets its own colours
and ends with a reset). A partial update (Textual's chops: pieces of rows) goes out as
whole changed rows instead when that is shorter — an arrow key in a list repaints the
whole list as chops, though two rows changed; anything it cannot follow — a resize, the
app suspended and resumed, an update of another kind — makes it forget every row, and the
next whole frame goes out whole. The first frame of all is always whole.

:class:`RowsApp` puts it in front of ``App._display`` (Textual internal; Textual is pinned
in pyproject). ``tests/tui/test_terminal_rows.py`` feeds the output to a terminal emulator
and checks it shows exactly the app's own whole render after every step.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.control import Control
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.app import App
from textual.geometry import Region


class RowsUpdate(CompositorUpdate):
    """Whole rows, each written from its first column (``text``: already rendered, so the
    App's ``_display`` does not render them a second time)."""

    def __init__(self, rows: list[tuple[int, str]], x: int, text: str | None = None) -> None:
        self.rows = rows
        self.x = x
        move_to = Control.move_to
        self.text = (
            text
            if text is not None
            else "".join(f"{move_to(x, y).segment.text}{row}" for y, row in rows)
        )

    def __rich_console__(self, console: Console, options: Any) -> Any:  # pragma: no cover
        yield Control(self.text)  # type: ignore[arg-type]

    def render_segments(self, console: Console) -> str:
        return self.text


class TerminalRows:
    """What each row of the terminal shows (see the module doc)."""

    def __init__(self) -> None:
        self._rows: list[str | None] | None = None
        self._width = 0

    def forget(self, *_: Any) -> None:
        """The terminal may show anything: the next whole frame goes out whole."""
        self._rows = None

    def trim(self, update: Any, console: Console, compositor: Any = None) -> Any:
        """``update`` as it should be written: a whole frame cut to the changed rows; a
        partial one as whole rows instead when that is shorter (``compositor``: the one
        that rendered it, to render the rows it touches whole)."""
        if isinstance(update, LayoutUpdate):
            return self._whole(update, console)
        if isinstance(update, ChopsUpdate):
            return self._partial(update, console, compositor)
        if update is not None:
            self.forget()
        return update

    def _partial(self, update: ChopsUpdate, console: Console, compositor: Any) -> Any:
        known = self._rows
        ys = sorted({y for y, _x1, _x2 in update.spans})
        if known is None or not ys or ys[-1] >= len(known) or compositor is None:
            if known is not None:
                for y in ys:
                    if 0 <= y < len(known):
                        known[y] = None
            return update
        crop = Region(0, ys[0], self._width, ys[-1] - ys[0] + 1)
        chops = compositor._render_chops(crop, set(ys).__contains__)
        rows = {y: "".join(strip.render(console) for strip in chops[y].values()) for y in ys}
        whole = RowsUpdate([(y, text) for y, text in rows.items() if known[y] != text], 0)
        chops_text = update.render_segments(console)
        if len(whole.text) < len(chops_text):
            for y, text in rows.items():
                known[y] = text
            return whole
        for y, text in rows.items():  # the chops make a known row what was rendered
            known[y] = text if known[y] is not None else None
        return RowsUpdate([], 0, chops_text)  # the chops, rendered once

    def _whole(self, update: LayoutUpdate, console: Console) -> CompositorUpdate:
        region = update.region
        if region.x != 0 or region.y != 0:  # not the whole screen: not followed
            self.forget()
            return update
        lines = ["".join(strip.render(console) for strip in line) for line in update.strips]
        known, width = self._rows, self._width
        self._rows, self._width = list(lines), region.width
        if known is None or len(known) != len(lines) or width != region.width:
            # the first frame, or a new size: whole, as Textual writes it (rendered once)
            move_to = Control.move_to
            text = "\n".join(f"{move_to(0, y).segment.text}{line}" for y, line in enumerate(lines))
            return RowsUpdate(list(enumerate(lines)), 0, text)
        return RowsUpdate([(y, text) for y, text in enumerate(lines) if known[y] != text], 0)


class RowsApp(App[Any]):
    """An App that writes only the rows that changed (:class:`TerminalRows`)."""

    terminal_rows: TerminalRows

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.terminal_rows = TerminalRows()

    def _on_mount(self, _event: Any) -> None:
        # back from a suspension (an editor, a shell): the terminal may show anything
        self.app_resume_signal.subscribe(self, self.terminal_rows.forget, immediate=True)

    def _end_batch(self) -> None:
        super()._end_batch()
        if not self._batch_count:  # a frame held while batching (screens.base.ThriftyScreen)
            screen: Any = self.screen
            if getattr(screen, "_held_in_batch", False):
                screen._held_in_batch = False
                screen._compositor_refresh()

    def _display(self, screen: Any, renderable: Any) -> None:
        if (  # what App._display really writes (it drops the rest: no row changes)
            renderable is not None
            and not self._batch_count
            and self._running
            and not self._closed
            and not self.is_headless
            and not self.is_inline
            and self._driver is not None
        ):
            renderable = self.terminal_rows.trim(renderable, self.console, screen._compositor)
        super()._display(screen, renderable)
