"""A case number at the regional desk (issue 14): F4 asks for it, a scanner types it.

``DD-YYYY-NNNNN`` (item 15's talon) names its Department and is unique across the region:
its card opens at once, read-only. ``YYYY-NNNNN`` (a number read out without the
Department) may match a file of several Departments: they are listed, Enter opens one
(``RegionService.find``). The read runs off the UI thread (``FormModal``'s save).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from mss_desk.errors import NotFound
from mss_desk.text import clean_line
from screens.base import DeskModal
from screens.dialogs import Field, FormModal
from screens.dialogs.form import CASE_NO_LENGTH
from widgets import keymap


def open_search(app: Any) -> None:
    """F4 on the regional desk: the number asked in a form; the file's card, or a list."""
    from screens.region import region_service

    def find(values: dict[str, Any]) -> list[tuple[int, str, str]]:
        typed = clean_line(values["case_no"]).strip()
        found = region_service(app).find(typed)
        if not found:
            raise NotFound("no file", key="exchange.search.none", case_no=typed)
        return found

    def found(matches: Any) -> None:
        if isinstance(matches, list) and matches:
            show_matches(app, matches)

    fields = (Field("case_no", "exchange.search.field", max_length=CASE_NO_LENGTH),)
    app.push_screen(FormModal(app.t("exchange.search.title"), fields, find), found)


def show_matches(app: Any, matches: list[tuple[int, str, str]]) -> None:
    if len(matches) == 1:
        open_card(app, matches[0][1])
        return
    app.push_screen(
        CaseChoiceModal(matches), lambda case_no: open_card(app, case_no) if case_no else None
    )


def open_card(app: Any, case_no: str) -> None:
    from screens.case_detail import CaseDetailScreen

    app.push_screen(CaseDetailScreen(case_no, read_only=True))


class CaseChoiceModal(DeskModal[str | None]):
    """Files of several Departments under one short number: Enter opens one, Esc none."""

    DEFAULT_CSS = """
    CaseChoiceModal { align: center middle; }
    CaseChoiceModal > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    CaseChoiceModal OptionList { height: auto; max-height: 12; }
    """
    BINDINGS = keymap.bindings("form.cancel")

    def __init__(self, matches: list[tuple[int, str, str]]) -> None:
        super().__init__()
        self.matches = matches

    def compose(self) -> ComposeResult:
        short = self.matches[0][1][3:]
        with Vertical():
            yield Static(Content(self.t("exchange.search.matches", case_no=short)),
                         classes="title")  # fmt: skip
            yield OptionList(
                *(Option(Content(self._line(code, no, status)), id=no)
                  for code, no, status in self.matches),
                id="matches",
            )  # fmt: skip
            yield Static(Content("Enter · Esc"), classes="hint")

    def _line(self, code: int, case_no: str, status: str) -> str:
        try:
            dept = self.desk.catalog.department(code)
            name = dept.district_ru if self.desk.lang == "ru" else dept.district_kk
        except (KeyError, LookupError):
            name = ""
        said = self.t("cli.case_status." + status)
        return f"{case_no} · {code} {clean_line(str(name))} · {said}"

    def on_mount(self) -> None:
        self.query_one("#matches", OptionList).focus()

    @on(OptionList.OptionSelected, "#matches")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
