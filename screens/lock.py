"""The idle lock: hides every screen below it and asks the clerk's password again.

Item 18: confidentiality of personal data. The lock is an opaque screen with no name, IIN
or case on it; notifications are cleared when it appears.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Static

from mss_desk.errors import DeskError
from screens.base import AfterTyping, DeskScreen, after_typing
from screens.login import check_password
from widgets import keymap
from widgets.limited import LimitedInput


class LockScreen(DeskScreen):
    CSS_PATH = "lock.tcss"
    BINDINGS = keymap.bindings("lock.unlock", "lock.switch_user")

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            yield Static(id="title", classes="title")
            yield Static(id="hint", classes="hint")
            yield LimitedInput(
                id="password", password=True, classes="field", max_length=200, compact=True
            )
            yield Static(id="message", classes="message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#password", Input).focus()

    def relabel(self) -> None:
        self.query_one("#title", Static).update(self.t("ui.lock.title"))
        self.query_one("#hint", Static).update(self.t("ui.lock.hint"))

    def action_unlock(self) -> None:
        after_typing(self.query_one("#password", Input), "unlock")

    def on_after_typing(self, message: AfterTyping) -> None:
        if message.tag == "unlock":
            self.unlock()

    def unlock(self) -> None:
        password = self.query_one("#password", Input)
        clerk = self.desk.clerk
        if clerk is None:
            self.desk.action_logout()
            return
        check_password(self, clerk.username, password.value, self._unlocked, self._refused)

    def _unlocked(self, _clerk: Any) -> None:
        self.desk.unlocked()

    def _refused(self, err: DeskError) -> None:
        if self.is_attached:
            self.query_one("#password", Input).value = ""
            self.query_one("#message", Static).update(Content(self.desk.error_text(err)))
