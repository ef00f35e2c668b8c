"""The baselines the terminal benchmarks compare the desk with: bare Textual apps.

    python benchmarks/bare_app.py label          # one Label (start-up, first paint, idle)
    python benchmarks/bare_app.py input          # one focused Input (bytes per typed key)
    python benchmarks/bare_app.py screen:NAME    # a Label; F3 opens the bare twin of a desk
                                                 # screen (``benchmarks/bare_twins.py``)

Same interpreter, same Textual, same terminal as the desk; cursor blink off like the desk.
The label and input apps import nothing else (they are the start-up baseline).
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Label

MARKER = "Сәлем, әлем"


class BareLabel(App[None]):
    def compose(self) -> ComposeResult:
        yield Label(MARKER)


class BareInput(App[None]):
    def compose(self) -> ComposeResult:
        yield Label(MARKER)
        yield Input(id="field")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = False
        field.focus()


class BareScreens(App[None]):
    """A Label; F3 opens the twin named on the command line."""

    BINDINGS = [Binding("f3", "twin", "twin")]

    def __init__(self, twin: str) -> None:
        super().__init__()
        self.twin = twin

    def compose(self) -> ComposeResult:
        yield Label(MARKER)

    def action_twin(self) -> None:
        from benchmarks.bare_twins import TWINS

        self.push_screen(TWINS[self.twin]())


def _app(kind: str) -> App[None]:
    if kind.startswith("screen:"):
        from pathlib import Path

        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        return BareScreens(kind.removeprefix("screen:"))
    return BareInput() if kind == "input" else BareLabel()


if __name__ == "__main__":
    _app(sys.argv[1] if len(sys.argv) > 1 else "label").run()
