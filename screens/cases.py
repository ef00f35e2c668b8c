"""Cases: find by IIN, by case number (a barcode scanner types it and Enter), or by surname.

The search is the service's (case-insensitive for Kazakh and Russian letters, an indexed
range query); this screen only types, shows and opens. The result list is the one place a
table is needed, so it is a DataTable, refreshed only when a search runs — typing in the
search field repaints nothing else. IINs are masked in the list (item 18.5: protection and
confidentiality of information); every cell is a ``Text``, never markup, and stored text
goes through ``widgets.text.user_text`` (issue 15, item 1: no control reaches the terminal).
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Static

from mss_desk.i18n import t
from mss_desk.i18n.dates import format_date
from mss_desk.text import clean_line, is_clean, mask_iin
from mss_desk.vocabulary import FIELD_LIMITS
from screens.base import ThriftyScreen
from widgets import keymap
from widgets.checklist import relabel_bindings
from widgets.quiet import FormInput, QuietFooter
from widgets.text import app_lang, set_text, user_text

CASE_NO = re.compile(r"^\d{2}-\d{4}-\d{5}$")
RECENT = 50
SCREEN_LIMIT = 50  # rows one search shows; more means "type more letters"
# issue 12.13: the due date before the status — a status may be long ("возвращено
# (неполный пакет)"); at 80 columns the due date is never pushed off the screen
COLUMNS: tuple[str, ...] = ("case_no", "iin", "name", "due", "status")
NAME_WIDTH = (12, 28)  # the applicant's name: what the screen leaves for it, in these bounds
FIXED_WIDTH = 13 + 12 + 10  # a case number, a masked IIN, a date
STATUS_ROOM = 8  # the status's share when room is short ("returned (incomplete)" is cut)
CELL_PADDING = 2  # DataTable: one column either side of every cell
SCROLLBAR = 2


class CasesScreen(ThriftyScreen):
    """Search field on top, results below; Enter on a row opens the case."""

    DEFAULT_CSS = """
    CasesScreen {
        layout: vertical;
    }
    CasesScreen > #title {
        height: 1;
        background: $primary;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    CasesScreen > #query {
        margin: 1 1 0 1;
    }
    CasesScreen > #status {
        width: 100%;
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    CasesScreen > DataTable {
        height: 1fr;
        margin: 0 1;
    }
    """

    BINDINGS = keymap.bindings("cases.back", "cases.search", "cases.open")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        self.last_query: str = ""
        self._status: tuple[str, dict[str, Any]] = ("cases.hint", {})
        self._filled_name_width = NAME_WIDTH[1]

    @property
    def lang(self) -> str:
        return app_lang(self)

    def compose(self) -> ComposeResult:
        yield Static("", id="title", markup=False)
        # a case number, an IIN or a surname: never longer than a surname (issue 15, item 7)
        yield FormInput(
            id="query", compact=True, select_on_focus=True, max_length=FIELD_LIMITS["surname"]
        )
        yield Static("", id="status", markup=False)
        table: DataTable[Any] = DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield table
        yield QuietFooter()

    def on_mount(self) -> None:
        self.follow_lang(self._relabel)
        self._relabel()
        self._show(self._recent())
        self._status = ("cases.hint", {})
        self._paint_status()
        self.query_one("#query", Input).focus()

    # ---------------------------------------------------------------- i18n

    def _relabel(self, *_: Any) -> None:
        lang = self.lang
        relabel_bindings(self, lang)
        set_text(self.query_one("#title", Static), t("cases.title", lang))
        self.query_one("#query", Input).placeholder = t("cases.search", lang)
        self._paint_status()
        self._fill_table()

    def _paint_status(self) -> None:
        key, params = self._status
        set_text(self.query_one("#status", Static), t(key, self.lang, **params))

    # ---------------------------------------------------------------- search

    def _services(self) -> Any:
        return self.app.services  # type: ignore[attr-defined]

    def _recent(self) -> list[Any]:
        try:
            return list(self._services().cases.list(limit=RECENT))
        except Exception:  # noqa: BLE001 - an empty list; the search still works
            return []

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        if not is_clean(event.value):
            # a pasted escape sequence never reaches the terminal (DESIGN: known traps)
            event.input.value = clean_line(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)

    def search(self, raw: str) -> None:
        """Run one search; a scanned case number that matches opens the case at once."""
        from mss_desk.errors import DeskError

        query = clean_line(raw)
        self.last_query = query
        if not query:
            self._show(self._recent())
            self._status = ("cases.hint", {})
            self._paint_status()
            return
        if not query.isdigit() and not CASE_NO.match(query) and len(query) < 2:
            self._status = ("cases.too_short", {})
            self._paint_status()
            return
        try:
            # One screen's worth: a two-letter prefix can match thousands of people, and
            # the clerk narrows by typing rather than by scrolling (keeps search p99 low).
            rows = list(self._services().cases.find(query, limit=SCREEN_LIMIT))
        except DeskError as exc:
            self._status = (exc.key, dict(exc.params))
            self._paint_status()
            return
        self._show(rows)
        if len(rows) >= SCREEN_LIMIT:
            self._status = ("cases.found_more", {"n": len(rows)})
        else:
            self._status = ("cases.found", {"n": len(rows)}) if rows else ("cases.none", {})
        self._paint_status()
        if rows:
            self.query_one(DataTable).focus()
        if len(rows) == 1 and CASE_NO.match(query):
            self._open_row(0)  # the barcode scanner's Enter: straight to the case

    def _show(self, rows: list[Any]) -> None:
        self.rows = rows
        self._fill_table()

    def _name_width(self, lang: str) -> int:
        """The applicant column's width: what the screen leaves after the case number, the
        IIN, the due date and up to :data:`STATUS_ROOM` of the status (issue 12.13: at 80
        columns the due date stays on screen; a long status is cut at the right edge)."""
        width = (self.size.width or self.app.size.width) - 2  # the table's margins
        status = max(
            [len(t(f"intake.status.{row.status}", lang)) for row in self.rows]
            + [len(t("cases.col.status", lang))]
        )
        height = self.size.height or self.app.size.height  # (0 before the first layout)
        scrollbar = SCROLLBAR if len(self.rows) > height - 8 else 0  # more rows than room
        rest = (
            width - scrollbar - FIXED_WIDTH - min(status, STATUS_ROOM)
            - CELL_PADDING * len(COLUMNS)
        )
        return max(NAME_WIDTH[0], min(NAME_WIDTH[1], rest))

    def _fill_table(self) -> None:
        lang = self.lang
        table: DataTable[Any] = self.query_one(DataTable)
        cursor = table.cursor_row
        self._filled_name_width = self._name_width(lang)
        table.clear(columns=True)
        for key in COLUMNS:
            table.add_column(Text(t(f"cases.col.{key}", lang)), key=key)
        for index, row in enumerate(self.rows):
            table.add_row(*self._cells(row, lang, self._filled_name_width), key=str(index))
        if 0 < cursor < len(self.rows):
            table.move_cursor(row=cursor)

    def on_resize(self) -> None:
        if self.rows and self._name_width(self.lang) != self._filled_name_width:
            self._fill_table()

    @staticmethod
    def _cells(row: Any, lang: str, name_width: int = NAME_WIDTH[1]) -> list[Text]:
        name = ("★ " if row.priority else "") + row.full_name
        if len(name) > name_width:
            name = name[: name_width - 1] + "…"
        due = row.binding_due or getattr(row, "service_due", None)
        return [
            user_text(row.case_no or "—"),
            Text(mask_iin(row.iin)),
            user_text(name),
            Text(format_date(due) if due else ""),
            Text(t(f"intake.status.{row.status}", lang)),
        ]

    # ---------------------------------------------------------------- open

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open_row(event.cursor_row)

    def _open_row(self, index: int) -> None:
        from screens.case_detail import CaseDetailScreen

        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        self.app.push_screen(CaseDetailScreen(row.case_no, case_id=row.id))

    def action_open(self) -> None:
        table: DataTable[Any] = self.query_one(DataTable)
        if self.rows:
            self._open_row(table.cursor_row)

    def action_focus_search(self) -> None:
        self.query_one("#query", Input).focus()

    def action_back(self) -> None:
        if self.app.screen_stack[0] is self or len(self.app.screen_stack) <= 1:
            return
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return bool(self.rows)
        return True


__all__ = ["CasesScreen"]
