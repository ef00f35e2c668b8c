"""The baselines the terminal benchmarks compare the desk with: bare Textual apps.

    python benchmarks/bare_app.py label   # one Label (start-up, first paint, idle)
    python benchmarks/bare_app.py input   # one focused Input (bytes per typed key)

Same interpreter, same Textual, same terminal as the desk; cursor blink off like the desk.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
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


if __name__ == "__main__":
    kind = sys.argv[1] if len(sys.argv) > 1 else "label"
    (BareInput if kind == "input" else BareLabel)().run()
