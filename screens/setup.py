"""First run: choose this desk's Department (Annex 1) and create the head's account.

Two short steps, keyboard only: type to filter the 19 Departments, Enter to choose; then the
head of department's user name, surname, name and password (twice). Later runs start at
the login screen.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from mss_desk.errors import DeskError
from mss_desk.text import clean_line
from screens.base import AfterTyping, DeskScreen, after_typing
from widgets import keymap
from widgets.footer import CompactFooter
from widgets.limited import LimitedInput

FILTER_LENGTH = 80  # a Department's name or code typed to filter the list


def department_matches(dept: Any, query: str) -> bool:
    """Type-to-filter: any word of the query in the code, the district or the full name."""
    if not query.strip():
        return True
    hay = " ".join(
        [str(dept.code), dept.district_kk, dept.district_ru, dept.name_kk, dept.name_ru]
    ).casefold()
    return all(word in hay for word in query.casefold().split())


class SetupScreen(DeskScreen):
    """Step 1: the Department, from the Annex 1 list."""

    KEEPS_FIRST_STYLES = True  # the first screen: start-up (screens.base.ThriftyScreen)
    CSS_PATH = "setup.tcss"
    BINDINGS = keymap.bindings(
        "setup.choose", "setup.down", "setup.up", "setup.pagedown", "setup.pageup"
    )

    def compose(self) -> ComposeResult:
        with Vertical(id="setup-body"):
            yield Static(id="title", classes="title")
            yield Static(id="hint", classes="hint")
            yield LimitedInput(id="filter", compact=True, max_length=FILTER_LENGTH)
            yield OptionList(id="departments")
        yield CompactFooter()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).focus()

    def relabel(self) -> None:
        self.query_one("#title", Static).update(self.t("ui.setup.title"))
        self.query_one("#hint", Static).update(self.t("ui.setup.hint"))
        self.query_one("#filter", Input).placeholder = self.t("ui.setup.filter")
        if self.desk.catalog_loaded:
            self._fill()
        else:
            # first run (issue 7, start-up): the title and the filter paint first, the
            # Annex 1 list right after (the catalog costs ~30 ms to import and check);
            # letters typed meanwhile go to the filter and are kept
            self.after_first_frame(self._fill)

    def _dept_label(self, dept: Any) -> str:
        return dept.district_ru if self.desk.lang == "ru" else dept.district_kk

    def _fill(self) -> None:
        query = self.query_one("#filter", Input).value
        options = self.query_one("#departments", OptionList)
        previous = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        departments = sorted(self.desk.catalog.departments.values(), key=lambda d: d.code)
        own = self.desk.settings.department
        if own is not None:
            # the desk names its Department (issue 15, item 2): set up that one, no other
            departments = [d for d in departments if d.code == own]
        shown = [d for d in departments if department_matches(d, query)]
        for dept in shown:
            label = Content(f"{dept.code:<3} {self._dept_label(dept)}")
            options.add_option(Option(label, id=str(dept.code)))
        if not shown:
            options.add_option(Option(Content(self.t("ui.setup.none")), id="none", disabled=True))
            return
        ids = [str(d.code) for d in shown]
        options.highlighted = ids.index(previous) if previous in ids else 0

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        if self.desk.catalog_loaded:  # else the list, when it comes, applies the filter
            self._fill()

    def action_move(self, step: int) -> None:
        options = self.query_one("#departments", OptionList)
        if options.option_count == 0:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_choose(self) -> None:
        options = self.query_one("#departments", OptionList)
        option = options.highlighted_option
        if option is None or option.id in (None, "none") or option.disabled:
            return
        self.app.push_screen(SetupAccountScreen(int(option.id)))

    @on(OptionList.OptionSelected, "#departments")
    def _selected(self) -> None:
        self.action_choose()


class SetupAccountScreen(DeskScreen):
    """Step 2: the head of department's account (the first clerk)."""

    creating = False  # the account is being written (in a worker)

    CSS_PATH = "setup.tcss"
    BINDINGS = keymap.bindings("setup.create", "back")
    FIELDS = ("username", "surname", "name", "password", "password2")

    def __init__(self, department_code: int) -> None:
        super().__init__()
        self.department_code = department_code

    def compose(self) -> ComposeResult:
        with Vertical(id="setup-body"):
            yield Static(id="title", classes="title")
            yield Static(id="department", classes="hint")
            with Grid(classes="form"):
                for field in self.FIELDS:
                    yield Label(id=f"label-{field}", classes="field-label")
                    yield LimitedInput(
                        id=field,
                        password=field.startswith("password"),
                        classes="field",
                        max_length=80,
                        compact=True,
                    )
            yield Static(id="message", classes="message")
        yield CompactFooter()

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()

    def relabel(self) -> None:
        self.query_one("#title", Static).update(self.t("ui.setup.account_title"))
        dept = self.desk.catalog.departments[self.department_code]
        self.query_one("#department", Static).update(
            Content(self.t("ui.setup.department", name=dept.name(self.desk.lang)))
        )
        for field in self.FIELDS:
            self.query_one(f"#label-{field}", Label).update(self.t(f"ui.field.{field}"))

    def _say(self, text: str) -> None:
        self.query_one("#message", Static).update(Content(text))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_next(self) -> None:
        """Enter: next field, or create the account on the last one."""
        focused = self.focused
        if isinstance(focused, Input) and focused.id in self.FIELDS:
            index = self.FIELDS.index(focused.id)
            if index < len(self.FIELDS) - 1:
                self.set_focus(self.query_one(f"#{self.FIELDS[index + 1]}", Input))
                return
        after_typing(focused or self, "create")  # read the fields once their keys are in

    def on_after_typing(self, message: AfterTyping) -> None:
        if message.tag == "create":
            self.create()

    def values(self) -> dict[str, str]:
        out = {}
        for field in self.FIELDS:
            raw = self.query_one(f"#{field}", Input).value
            out[field] = raw if field.startswith("password") else clean_line(raw)
        return out

    def create(self) -> None:
        v = self.values()
        empty = [f for f in self.FIELDS if not v[f]]
        if empty:
            self._say(self.t("ui.setup.required"))
            self.set_focus(self.query_one(f"#{empty[0]}", Input))
            return
        if v["password"] != v["password2"]:
            self._say(self.t("ui.setup.mismatch"))
            self.query_one("#password2", Input).value = ""
            self.set_focus(self.query_one("#password2", Input))
            return
        if self.creating:
            return  # the first Enter's account is still being written
        self.creating = True
        desk = self.desk
        code = self.department_code

        def write() -> None:
            services = desk.services  # the first run opens (creates) the database here
            if desk.department is None:
                services.setup.init_department(code)
                desk.forget_department()
            services.clerks.create(
                code, v["username"], v["surname"], v["name"], v["password"], "head"
            )

        desk.hold_keys()  # the keys after Enter belong to the login screen
        self.run_service(
            write, lambda _: self._created(v["username"]), self._refused, group="create"
        )

    def _created(self, username: str) -> None:
        from screens.login import LoginScreen

        self.creating = False
        desk = self.desk
        desk.notify(self.t("ui.setup.done"))
        desk.reset_to(LoginScreen(username=username))
        desk.release_keys()

    def _refused(self, err: DeskError) -> None:
        self.creating = False
        if self.is_attached:
            self._say(self.desk.error_text(err))
        self.desk.release_keys()
