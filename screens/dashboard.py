"""The deadline dashboard (issue 5): overdue, due today, due within three days.

One line per running deadline (forwarding, decision, service — items 5, 7.1); the binding
one of each case (the earlier of decision and service, SPEC) is marked ◆ and bold. Colour
is never the only signal: each line starts with its state in words.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from mss_desk.errors import DeskError
from mss_desk.i18n.dates import format_date
from screens.base import DeskScreen
from widgets import keymap

STATE_STYLE = {"overdue": "bold $error", "today": "bold $warning", "soon": ""}


def alert_line(t: Any, alert: Any) -> Content:
    """``◆ Overdue         19-2026-00001 Service      25.02.2026 -5 d   WWII`` (fits 80 cols)."""
    state = t(f"lifecycle.alert.{alert.state}")[:15]
    kind = t(f"lifecycle.deadline_short.{alert.kind}")[:12]
    days = t("lifecycle.alert.days_short", days=f"{alert.days:+d}") if alert.days else ""
    mark = "◆" if alert.binding else "◇"
    prio = t("lifecycle.ui.priority") if alert.priority else ""
    text = (
        f"{mark} {state:<15} {alert.case_no:<13} {kind:<12} "
        f"{format_date(alert.due)} {days:<8} {prio}"
    ).rstrip()
    style = STATE_STYLE[alert.state]
    if alert.binding and "bold" not in style:
        style = f"{style} bold".strip()
    return Content.styled(text, style) if style else Content(text)


class DashboardScreen(DeskScreen):
    CSS_PATH = "dashboard.tcss"
    BINDINGS = keymap.bindings("dashboard.refresh", "back")

    alerts: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static(id="dash-title", classes="title")
        yield Static(id="dash-summary")
        yield OptionList(id="alerts")
        yield Static(id="dash-legend", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#alerts", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def relabel(self) -> None:
        self.query_one("#dash-title", Static).update(
            Content(self.t("lifecycle.ui.dashboard_title"))
        )
        self.query_one("#dash-legend", Static).update(
            Content(f"◆ {self.t('lifecycle.deadline.binding')}")
        )
        self.refresh_data()

    def refresh_data(self) -> None:
        try:
            board = self.desk.services.lifecycle.dashboard()
            summary = self.desk.services.lifecycle.summary_text(self.desk.lang)
        except DeskError as err:
            self.desk.show_error(err)
            return
        self.query_one("#dash-summary", Static).update(Content(summary))
        self.alerts = list(board.alerts)
        alerts = self.query_one("#alerts", OptionList)
        alerts.clear_options()
        if not board.alerts:
            alerts.add_option(Option(Content(self.t("lifecycle.summary.all_clear")), disabled=True))
            return
        for i, alert in enumerate(board.alerts):
            alerts.add_option(Option(alert_line(self.t, alert), id=f"a{i}"))
        alerts.highlighted = 0

    @on(OptionList.OptionSelected, "#alerts")
    def _open_case(self, event: OptionList.OptionSelected) -> None:
        """Enter opens the case (the cases room's detail screen, when it is there)."""
        index = event.option_index
        if not 0 <= index < len(self.alerts):
            return
        try:
            from screens.case_detail import CaseDetailScreen
        except ImportError:
            return
        self.app.push_screen(CaseDetailScreen(self.alerts[index].case_no))

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_back(self) -> None:
        self.app.pop_screen()
