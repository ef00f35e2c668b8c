"""``mss-desk board``: the read-only wall board of called tickets.

No login and no personal data: ticket numbers and purposes only. It re-reads the database
every few seconds (other desks call tickets) and repaints only when something changed.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Digits, Footer, Static

from mss_desk.errors import DeskError
from mss_desk.vocabulary import PURPOSES
from screens.base import DeskScreen
from widgets import keymap
from widgets.wait_timer import ticket_label

SHOWN = 6


class BoardScreen(DeskScreen):
    CSS_PATH = "board.tcss"
    BINDINGS = keymap.bindings("board.quit")
    REFRESH_SECONDS = 2.0

    def compose(self) -> ComposeResult:
        with Vertical(id="board-body"):
            yield Static(id="title", classes="title")
            with Vertical(id="latest-box"):
                yield Digits(id="latest-number")
                yield Static(id="latest")
            yield Static(id="earlier")
            yield Static(id="waiting", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._shown: Any = None
        self.refresh_data()
        self.set_interval(self.REFRESH_SECONDS, self.refresh_data, name="board-refresh")

    def relabel(self) -> None:
        self.query_one("#title", Static).update(self.t("ui.board.title"))
        self._shown = None
        self.refresh_data()

    def called(self) -> tuple[list[Any], int]:
        """Called tickets, newest first, and how many are still waiting."""
        day = self.desk.services.queue.day(self.desk.today())
        called = [t for t in day if t.status == "called" and t.called_at is not None]
        called.sort(key=lambda t: (t.called_at, t.id), reverse=True)
        waiting = sum(1 for t in day if t.status == "waiting")
        return called, waiting

    def refresh_data(self) -> None:
        try:
            called, waiting = self.called()
        except DeskError as err:
            self.desk.show_error(err)
            return
        state = ([(t.id, t.status) for t in called[:SHOWN]], waiting, self.desk.lang)
        if state == self._shown:
            return
        self._shown = state
        latest = self.query_one("#latest", Static)
        number = self.query_one("#latest-number", Digits)
        earlier = self.query_one("#earlier", Static)
        box = self.query_one("#latest-box")
        if not called:
            number.update("")
            number.display = False
            latest.update(Content(self.t("ui.board.empty")))
            box.set_class(False, "called")
            earlier.update("")
        else:
            first = called[0]
            box.set_class(True, "called")
            number.display = True
            number.update(ticket_label(first))  # large digits for the wall (A-F, 0-9, -)
            latest.update(Content(self.t(f"ui.purpose.{first.purpose}")))
            lines = [
                f"{ticket_label(t):<7} {self.t(f'ui.purpose.{t.purpose}')}" for t in called[1:SHOWN]
            ]
            earlier.update(Content("\n".join(lines)))
        self.query_one("#waiting", Static).update(
            Content(self.t("ui.board.waiting", count=waiting))
        )


__all__ = ["BoardScreen", "PURPOSES"]
