"""Only the rows that changed reach the terminal (issue 12 point 14: a slow SSH link).

Textual sends a whole frame — every row of the screen — whenever the whole screen is
marked dirty: a new screen, a screen coming back from under a dialog, a footer whose keys
were recomposed, a stale "repaint me" mark. Most of those rows are already on the
clerk's terminal exactly as they are: the same footer, the same blank lines, the same
frame of the login box. Over 2 KB/s each whole frame is 2–5 s.

:class:`TerminalRows` remembers what every row of the terminal shows, as the exact text
last written for it. A whole frame is cut down to the rows whose text differs, each
written from its first column (a row's text is self-contained: it sets its own colours
and ends with a reset). A row is rendered by :func:`render_row`, leaner than Textual's
own rendering and showing the same cells: one colour change per run of cells that look
alike rather than a set-and-reset around every piece of every widget. A partial update
(Textual's chops: pieces of rows) goes out as whole changed rows instead when that is
shorter — an arrow key in a list repaints the whole list as chops, though two rows
changed; anything it cannot follow — a resize, the app suspended and resumed, an update
of another kind — makes it forget every row, and the next whole frame goes out whole.
The first frame of all is always whole.

:class:`RowsApp` puts it in front of ``App._display`` (Textual internal; Textual is pinned
in pyproject). ``tests/tui/test_terminal_rows.py`` feeds the output to a terminal emulator
and checks it shows exactly the app's own whole render after every step, every cell in
the same colours and attributes as Textual's own rendering.
"""

from __future__ import annotations

from typing import Any

from rich.color import ColorSystem
from rich.console import Console
from rich.control import Control
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.app import App
from textual.geometry import Region
from textual.strip import Strip

# Rich style attribute bits that show on a blank cell: underline, reverse, conceal, strike,
# underline2, frame, encircle, overline (bold, dim, italic and blink change only a glyph)
_SHOWS_ON_BLANK = sum(1 << bit for bit in (3, 6, 7, 8, 9, 10, 11, 12))


def _blank_neutral(style: Style) -> bool:
    """Whether a blank cell in ``style`` shows only its background colour."""
    return not (style._attributes & style._set_attributes & _SHOWS_ON_BLANK) and not style._link


def render_row(strips: Any, console: Console) -> str:
    """The terminal text of one row made of ``strips``, showing the same cells as Textual's
    ``Strip.render`` (issue 12 point 14): pieces in the same style are written as one; a
    run of blanks takes the style of its neighbour when only the background shows on a
    blank and the backgrounds are the same; each change of style is one ``ESC[0;…m``
    instead of a reset and a set; the row starts from its own style and ends with a reset.
    A link, or a control piece, is written as Textual writes it."""
    color_system = console._color_system or ColorSystem.TRUECOLOR
    runs: list[list[Any]] = []  # [ansi, style, [texts], blank, raw]
    for strip in strips:
        for text, style, control in strip:
            if not text:
                continue
            if control or style is None or style._link:
                raw = text if style is None or control else Strip.render_style(
                    style, text, color_system
                )
                runs.append(["", None, [raw], False, True])
                continue
            ansi = style._ansi
            if ansi is None:
                ansi = Strip.render_ansi(style, color_system)
            blank = not text.strip(" ")
            if runs:
                last = runs[-1]
                if not last[4] and last[0] == ansi:
                    last[2].append(text)
                    last[3] = last[3] and blank
                    continue
                if (
                    not last[4]
                    and (blank or last[3])
                    and last[1]._bgcolor == style._bgcolor
                    and _blank_neutral(last[1])
                    and _blank_neutral(style)
                ):
                    if last[3]:  # blanks so far: they take this piece's style
                        last[0], last[1] = ansi, style
                    last[2].append(text)
                    last[3] = last[3] and blank
                    continue
            runs.append([ansi, style, [text], blank, False])
    out: list[str] = []
    styled = False
    for ansi, _style, texts, _blank, raw in runs:
        if raw:
            if styled:
                out.append("\x1b[0m")
                styled = False
        elif ansi:
            out.append(f"\x1b[0;{ansi}m" if styled else f"\x1b[{ansi}m")
            styled = True
        elif styled:
            out.append("\x1b[0m")
            styled = False
        out.extend(texts)
    if styled:
        out.append("\x1b[0m")
    return "".join(out)


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
        rows = {y: render_row(chops[y].values(), console) for y in ys}
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
        lines = [render_row(line, console) for line in update.strips]
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
