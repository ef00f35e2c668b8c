"""Login per clerk (item 18: confidentiality — every action is a named clerk's).

A wrong password gets a clear message; the service counts failures and locks the account
for a while after repeated ones (its ``AuthError`` says which, in the clerk's language).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from mss_desk.errors import DeskError
from mss_desk.text import clean_line
from screens.base import AfterTyping, DeskScreen, after_typing
from widgets import keymap
from widgets.footer import CompactFooter
from widgets.limited import LimitedInput


class LoginScreen(DeskScreen):
    KEEPS_FIRST_STYLES = True  # the first screen: start-up (screens.base.ThriftyScreen)
    CSS_PATH = "login.tcss"
    BINDINGS = keymap.bindings("login.enter")

    def __init__(self, username: str = "") -> None:
        super().__init__()
        self._username = username
        self._dept: Any = None  # the Department as read once the services are ready
        self._waiting = False  # Enter pressed before the services were ready

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Static(id="department", classes="hint")
            yield Static(id="title", classes="title")
            with Grid(classes="form"):
                yield Label(id="label-username", classes="field-label")
                yield LimitedInput(
                    value=self._username,
                    id="username",
                    classes="field",
                    max_length=80,
                    compact=True,
                )
                yield Label(id="label-password", classes="field-label")
                yield LimitedInput(
                    id="password", password=True, classes="field", max_length=200, compact=True
                )
            yield Static(id="message", classes="message")
            yield Static(id="hint", classes="hint")
        yield CompactFooter()

    def on_mount(self) -> None:
        # Painted whole at once, with no database: the labels come from relabel() (on mount,
        # DeskScreen), the Department's name once the App's services are ready.
        (self.query_one("#password") if self._username else self.query_one("#username")).focus()
        if self.desk.services_ready:
            self.services_ready()

    def services_ready(self) -> None:
        """Called by the App when its start-up worker has opened the database."""
        dept = self.desk.department  # None when it cannot be read
        if dept is not self._dept:
            self._dept = dept
            name = self._department_name()
            shown = self.query_one("#department", Static)
            if name.plain != str(shown.render()):  # no repaint when the cached name was right
                shown.update(name)
        if self._waiting:
            self._waiting = False
            self.sign_in()

    def _department_name(self) -> Content:
        dept = self._dept
        lang = "ru" if self.desk.lang == "ru" else "kk"
        if dept is not None:
            name = getattr(dept, f"name_{lang}", "") or ""
        else:  # not opened yet: as last seen in this database (no SQLAlchemy)
            name = self.desk.cached_department_names().get(lang, "")
        return Content(clean_line(str(name)))

    def relabel(self) -> None:
        self.query_one("#department", Static).update(self._department_name())
        self.query_one("#title", Static).update(self.t("ui.login.title"))
        self.query_one("#label-username", Label).update(self.t("ui.field.username"))
        self.query_one("#label-password", Label).update(self.t("ui.field.password"))
        self.query_one("#hint", Static).update(self.t("ui.login.hint"))

    def say(self, text: str) -> None:
        self.query_one("#message", Static).update(Content(text))

    def action_login(self) -> None:
        """Enter: from the user name to the password; on the password, sign in."""
        username = self.query_one("#username", Input)
        password = self.query_one("#password", Input)
        if self.focused is username and not password.value:
            self.set_focus(password)
            return
        after_typing(self.focused or self, "login")  # the burst's keys first

    def on_after_typing(self, message: AfterTyping) -> None:
        if message.tag == "login":
            self.sign_in()

    def sign_in(self) -> None:
        username = self.query_one("#username", Input)
        password = self.query_one("#password", Input)
        name = clean_line(username.value)
        if not name:
            self.set_focus(username)
            return
        if self.desk.services_opening:
            self._waiting = True  # the start-up worker is still opening the database
            return
        check_password(self, name, password.value, self._signed_in, self._refused)

    def _signed_in(self, clerk: Any) -> None:
        if self.is_attached:
            self.say("")
        self.desk.logged_in(clerk)

    def _refused(self, err: DeskError) -> None:
        if self.is_attached:
            password = self.query_one("#password", Input)
            password.value = ""
            self.set_focus(password)
            self.say(self.desk.error_text(err))


def check_password(
    screen: DeskScreen,
    username: str,
    secret: str,
    signed_in: Callable[[Any], Any],
    refused: Callable[[DeskError], Any],
) -> None:
    """Check a clerk's password in a worker (a write: failures are counted, item 18) and
    hand ``signed_in(clerk)`` or ``refused(err)`` the answer. The keys typed meanwhile wait
    (``DeskApp.hold_keys``) for the screen the sign-in opens; a second Enter is ignored."""
    desk = screen.desk
    clerks = desk.services.clerks

    def answer(then: Callable[[Any], Any], value: Any) -> None:
        try:
            then(value)
        finally:
            desk.release_keys()

    if screen.run_service(
        lambda: clerks.authenticate(username, secret),
        partial(answer, signed_in),
        partial(answer, refused),
        group="sign-in",
    ):
        desk.hold_keys()  # no answer can come before this: it is delivered on this thread
