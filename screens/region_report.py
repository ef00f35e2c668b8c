"""Annex 2 for the region (issue 14, point 2): the indicators per Department and for the
region, a month at a time, from what the Departments sent.

One line per Department (Annex 1, by district) and the region's total first; the twelve
indicators (items 19-20) as columns. The "From" column says where the figures come from:
the Department's latest monthly summary (``summary.monthly``, dd.mm of the day it was
made), "live" (a Department on the shared server, counted from its rows there) or "—"
(nothing received). ←/→ switch the month (never digits, issue 12.5). F8 opens it on the
regional desk (the global key of Annex 2: the Department's report on a Department's desk).
P prints the region's total as the Department's Annex 2 prints (a PDF with its chart),
asked first (issue 12.4).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from mss_desk.errors import DeskError
from screens.base import DeskScreen
from screens.dialogs import QuestionModal
from widgets import keymap

NAME = 12  # the Department column (80 columns: 12 + 7 + 12 × 5 = 79)
SOURCE = 7
CELL = 5
# the words a district's name carries beside its place (Annex 1): dropped in the column
_SUFFIXES = (" ауданы", " қаласы", " район", " district", " city")
_PREFIXES = ("город ",)


def region_report_service(desk: Any) -> Any:
    """The regional Annex 2 over the App's services (imported on first use)."""
    from mss_desk.exchange.summary import RegionReportService

    return RegionReportService(desk.services)


def month_name(first: date, lang: str) -> str:
    """"ақпан 2026", "февраль 2026", "February 2026" (Babel's stand-alone month)."""
    from babel.dates import format_date

    return format_date(first, format="LLLL yyyy", locale=lang)


def short_district(name: str) -> str:
    for suffix in _SUFFIXES:
        name = name.removesuffix(suffix)
    for prefix in _PREFIXES:
        name = name.removeprefix(prefix)
    return name


class RegionReportScreen(DeskScreen):
    CSS_PATH = "region_report.tcss"
    BINDINGS = keymap.bindings(
        "region_report.month_prev", "region_report.month_next", "region_report.pdf", "back"
    )

    def __init__(self, month: date | None = None) -> None:
        super().__init__()
        self.month = month.replace(day=1) if month is not None else None
        self.annex: Any = None

    def compose(self) -> ComposeResult:
        yield Static(id="annex-title", classes="title")
        yield Static(id="annex-columns", classes="hint")
        with VerticalScroll(id="annex-scroll"):
            yield Static(id="annex-body")
        yield Static(id="annex-legend", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.month is None:  # the last finished month: the one the summaries are about
            from mss_desk.exchange.summary import add_months

            self.month = add_months(self.desk.today().replace(day=1), -1)
        self.compute()
        self.query_one("#annex-scroll", VerticalScroll).focus()

    def relabel(self) -> None:
        self.show()

    # -- data ---------------------------------------------------------------------------

    def compute(self) -> None:
        assert self.month is not None
        try:
            self.annex = region_report_service(self.desk).annex2(self.month)
        except DeskError as err:
            self.desk.show_error(err)
            return
        self.show()

    def show(self) -> None:
        if self.month is None:
            return
        lang = self.desk.lang
        title = self.t("region_report.title", month=month_name(self.month, lang))
        self.query_one("#annex-title", Static).update(Content(title))
        annex = self.annex
        nos = [r.no for r in annex.total] if annex is not None else []
        head = (f"{self.t('region_report.col_department')[:NAME - 1]:<{NAME}}"
                f"{self.t('region_report.col_source')[:SOURCE - 1]:<{SOURCE}}"
                + "".join(f"{no:>{CELL}}" for no in nos))  # fmt: skip
        self.query_one("#annex-columns", Static).update(Content(head))
        body = self.query_one("#annex-body", Static)
        if annex is None:
            body.update("")
            return
        parts: list[Content] = []
        region = f"{self.t('region_report.region')[:NAME - 1]:<{NAME + SOURCE}}"
        parts.append(Content.styled(region, "bold"))
        parts.extend(self._cells(annex.total, lang, bold=True))
        parts.append(Content("\n"))
        for d in annex.departments:
            name = short_district(self.department(d.code))[: NAME - 1]
            if d.source == "summary" and d.summarised_on is not None:
                source = d.summarised_on.strftime("%d.%m")
            else:
                source = self.t(f"region_report.{d.source}")[: SOURCE - 1]
            style = "$text-muted" if d.source == "none" else ""
            parts.append(Content.styled(f"{name:<{NAME}}{source:<{SOURCE}}", style))
            if d.rows:
                parts.extend(self._cells(d.rows, lang))
            parts.append(Content("\n"))
        body.update(Content("").join(parts).rstrip())
        self.query_one("#annex-legend", Static).update(Content(self.t("region_report.legend")))

    def _cells(self, rows: Any, lang: str, bold: bool = False) -> list[Content]:
        """The twelve values; one that misses its target (Annex 2, judged by the
        indicator's direction: 4.1 lower is better) in the error colour."""
        from mss_desk.exchange.summary import cell

        out = []
        for r in rows:
            text = cell(r.value, lang)
            out.append(Content(" " * (CELL - len(text))))  # the padding unstyled: one run
            if r.value is None:
                out.append(Content.styled(text, "$text-muted"))
            elif r.meets is False:
                out.append(Content.styled(text, "bold $error" if bold else "$error"))
            else:
                out.append(Content.styled(text, "bold" if bold else "$text"))
        return out

    def department(self, code: int) -> str:
        from mss_desk.text import clean_line

        dept = self.desk.catalog.departments.get(code)
        lang = self.desk.lang
        if dept is None:
            return str(code)
        return clean_line(str(getattr(dept, f"district_{lang}", None) or dept.district_kk))

    # -- actions --------------------------------------------------------------------------

    def action_month_step(self, step: int) -> None:
        """←/→: the month before or after."""
        from mss_desk.exchange.summary import add_months

        if self.month is None:
            return
        self.month = add_months(self.month, step)
        self.compute()

    def action_pdf(self) -> None:
        """The region's total as Annex 2 on paper (the Department's PDF with its chart),
        asked first: printing is never one unconfirmed key (issue 12.4)."""
        if self.annex is None:
            return
        annex = self.annex
        question = self.t("region_report.print_confirm",
                          month=month_name(annex.start, self.desk.lang))  # fmt: skip

        def answered(yes: bool | None) -> None:
            if yes:
                self._print(annex)

        self.app.push_screen(
            QuestionModal(self.t("lifecycle.key.pdf"), Content(question),
                          yes="region_report.print_yes", no="lifecycle.key.cancel"),
            answered,
        )  # fmt: skip

    def _print(self, annex: Any) -> None:
        from mss_desk.services.lifecycle_views import IndicatorReport

        desk = self.desk
        report = IndicatorReport(
            department_code=0, start=annex.start, end=annex.end, today=annex.today,
            rows=annex.total,
        )  # fmt: skip
        send = desk.print_slips
        self.run_service(
            lambda: desk.services.printing.print_report(report, desk.settings, send=send),
            lambda result: desk.notify(
                self.t("lifecycle.ui.exported", path=str(result.path)), markup=False
            ),
            group="paper",
        )

    def action_back(self) -> None:
        self.app.pop_screen()
