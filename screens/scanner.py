"""A barcode scanner is recognised on every screen (issue 12, point 5).

A scanner types a case number (``DD-YYYY-NNNNN``, item 15's talon) and Enter in one burst.
Typed into a field (the cases search), it is the field's text. Anywhere else it used to be
keys of the screen: digits issued queue tickets, switched the forwarding lists, and the
Enter selected whatever row was highlighted — a second scan after Esc reopened the first
case. :class:`ScanReader` reads the keys the App hands out one at a time
(``screens.keys.OrderedKeysApp.key_taken``): it keeps the printable keys typed while no
field has focus, and an Enter that ends a case number opens that case instead of doing what
Enter does on the screen. The digits and the hyphen themselves pass on: no screen binds
them outside a field (``widgets.keymap``), so they do nothing on the way.
"""

from __future__ import annotations

import re
from typing import Any

from textual import events
from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import Input

CASE_NO_AT_END = re.compile(r"(\d{2}-\d{4}-\d{5})$")
LONGEST = 32
"""Characters kept: a case number is 13; more is noise from some other barcode."""


class ScanReader:
    """Recognises ``DD-YYYY-NNNNN`` + Enter typed outside a field (module doc)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.typed = ""

    def ready(self) -> bool:
        """A clerk is signed in at an unlocked desk (not the wall board)."""
        app: Any = self.app
        return app.clerk is not None and not app.locked and not app.board_mode

    def take(self, event: events.Key) -> bool:
        """Read one key; True when it was the Enter of a scan (the App drops it)."""
        if isinstance(self.app.focused, Input) or not self.ready():
            self.typed = ""  # typing into a field is the field's
            return False
        if event.key == "enter":
            match = CASE_NO_AT_END.search(self.typed)
            self.typed = ""
            if match is None:
                return False
            if not isinstance(self.app.screen, ModalScreen):  # a scan never answers a question
                self.open_case(match.group(1))
            return True
        if event.is_printable and event.character:
            self.typed = (self.typed + event.character)[-LONGEST:]
        else:
            self.typed = ""  # Esc, arrows, F-keys: a new scan starts afresh
        return False

    def open_case(self, case_no: str) -> None:
        """The case's card over whatever screen is up (over a card: in its place)."""
        from screens.case_detail import CaseDetailScreen

        card = CaseDetailScreen(case_no)
        if isinstance(self.app.screen, CaseDetailScreen):
            self.app.switch_screen(card)
        else:
            self.app.push_screen(card)
