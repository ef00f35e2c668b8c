"""The indicators report (Annex 2, items 19-20) for the Department and a period.

Each indicator's value beside its normative value and the year's target, with a bar; "no
data" in words when nothing was counted. F5 computes, C saves the CSV, P the PDF with a
chart; E lets the head enter indicator 3.3 (information online) for the year.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Input, Static

from mss_desk.errors import DeskError, RuleViolation, ValidationError
from mss_desk.i18n.dates import format_date
from screens.base import DeskScreen
from screens.dialogs import Field, FormModal
from screens.dialogs.form import DATE_LENGTH
from widgets import keymap
from widgets.day_field import parse_day
from widgets.limited import LimitedInput

VALUE_LENGTH = 16  # indicator 3.3 typed by hand: a number ("87.5")

BAR = 20


class ReportScreen(DeskScreen):
    CSS_PATH = "report.tcss"
    BINDINGS = keymap.bindings(
        "report.compute", "report.csv", "report.pdf", "report.enter_value", "back"
    )

    def __init__(self) -> None:
        super().__init__()
        self.report: Any = None

    def compose(self) -> ComposeResult:
        yield Static(id="report-title", classes="title")
        with Horizontal(id="period"):
            yield Static(id="from-label", classes="field-label")
            yield LimitedInput(id="date-from", compact=True, max_length=DATE_LENGTH)
            yield Static(id="to-label", classes="field-label")
            yield LimitedInput(id="date-to", compact=True, max_length=DATE_LENGTH)
        with VerticalScroll(id="report-scroll"):
            yield Static(id="report-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        today = self.desk.today()
        # issue 12.10: dates on screen are dd.mm.yyyy (ISO is still read)
        self.query_one("#date-from", Input).value = format_date(today.replace(day=1))
        self.query_one("#date-to", Input).value = format_date(today)
        self.action_compute()
        # letters are keys here (C, P, E): focus the report, Tab reaches the dates
        self.query_one("#report-scroll", VerticalScroll).focus()

    def relabel(self) -> None:
        self.query_one("#report-title", Static).update(Content(self.t("lifecycle.report.title")))
        self.query_one("#from-label", Static).update(Content(self.t("lifecycle.ui.report_from")))
        self.query_one("#to-label", Static).update(Content(self.t("lifecycle.ui.report_to")))
        hint = self.t("lifecycle.ui.date_format")  # issue 12.10: the format, in their language
        for field in ("#date-from", "#date-to"):
            self.query_one(field, Input).placeholder = hint
        self.show()

    def period(self) -> tuple[date, date] | None:
        start = parse_day(self.query_one("#date-from", Input).value)
        end = parse_day(self.query_one("#date-to", Input).value)
        if start is None or end is None:
            self.desk.notify(self.t("lifecycle.ui.bad_date"), severity="error")
            return None
        return start, end

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "date-from":
            self.query_one("#date-to", Input).focus()
        else:
            self.action_compute()
            self.query_one("#report-scroll", VerticalScroll).focus()

    def action_compute(self) -> None:
        period = self.period()
        if period is None:
            return
        try:
            self.report = self.desk.services.reports.indicators(*period)
        except DeskError as err:
            self.desk.show_error(err)
            return
        self.show()

    def show(self) -> None:
        from mss_desk.services.reports import bar_text, format_value

        body = self.query_one("#report-body", Static)
        if self.report is None:
            body.update("")
            return
        lang = self.desk.lang
        norm = self.t("lifecycle.report.normative_short")
        target = self.t("lifecycle.report.target_short")
        parts: list[Content] = []
        years = {r.target_year for r in self.report.rows if r.target_year is not None}
        if years:  # item 20: whose year's targets these are
            parts.append(Content.styled(self.t("indicators.target_year", year=max(years)) + "\n",
                                        "$text-muted"))
        for r in self.report.rows:
            value = format_value(r.value, lang)
            head = Content(f"{r.no:<4} ")
            if r.value is None:
                val = Content.styled(f"{value:<12} ", "italic $text-muted")
            else:
                # Annex 2: judged by the indicator's direction (4.1: lower is better)
                val = Content.styled(f"{value:<12} ", "bold $error" if r.meets is False else "bold")
            bar = Content.styled(bar_text(r.value, BAR), "$accent")
            tail = Content(
                f"  {norm} {format_value(r.normative, lang)} · {target} "
                f"{format_value(r.target, lang)}\n"
            )
            how = f" ({self.t('indicators.lower')})" if r.direction == "lower" else ""
            title = Content.styled(f"     {r.title(lang)}{how}\n", "$text-muted")
            parts.extend([head, val, bar, tail, title])
        body.update(Content("").join(parts))

    def action_csv(self) -> None:
        if self.report is None:
            return
        desk = self.desk
        try:  # a local file, no database: written at once
            path = desk.services.printing.save_report_csv(self.report, desk.settings, desk.lang)
        except OSError as err:
            desk.notify(str(err.strerror or err), severity="error", markup=False)
            return
        desk.notify(self.t("lifecycle.ui.exported", path=str(path)), markup=False)

    def action_pdf(self) -> None:
        """Annex 2 as a PDF with its chart (sent to the printer when paper is on)."""
        if self.report is None:
            return
        desk = self.desk
        report, send = self.report, desk.print_slips
        self.run_service(
            lambda: desk.services.printing.print_report(report, desk.settings, send=send),
            lambda result: desk.notify(
                self.t("lifecycle.ui.exported", path=str(result.path)), markup=False
            ),
            group="paper",
        )

    def action_enter_value(self) -> None:
        """Annex 2, 3.3 (services with information online) is entered by the head."""
        desk = self.desk
        if getattr(desk.clerk, "role", None) != "head":
            desk.show_error(RuleViolation("head only", key="lifecycle.error.head_only"))
            return
        period = self.period()
        year = (period[1] if period else desk.today()).year

        def submit(v: dict[str, Any]) -> Any:
            try:
                value = float(v["value"].replace(",", ".").strip())
            except ValueError:
                raise ValidationError("number", key="lifecycle.ui.bad_number") from None
            desk.services.reports.enter_value("3.3", year, value, desk.clerk_id)
            return value

        current = ""
        if self.report is not None and self.report.row("3.3").value is not None:
            current = f"{self.report.row('3.3').value:g}"
        fields = (Field("value", "lifecycle.report.value", value=current, max_length=VALUE_LENGTH),)
        title = self.t("lifecycle.ui.enter_title", year=year)
        self.app.push_screen(FormModal(title, fields, submit), self._entered)

    def _entered(self, value: Any) -> None:
        if value is not None:
            self.action_compute()

    def action_back(self) -> None:
        self.app.pop_screen()
