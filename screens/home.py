"""Home: who is at the desk, for which Department, today's date and queue, and the menu."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from mss_desk.errors import DeskError
from mss_desk.i18n.dates import format_long_date
from mss_desk.text import clean_line
from screens.base import DeskScreen
from widgets import keymap

# the menu says the App's keys (widgets.keymap): the same keys as the footer and the palette
MENU = ("queue", "intake", "cases", "dashboard", "forwarding", "complaints", "report",
        "home.information", "home.exchange", "lock", "logout")
# issue 14.2: the regional desk (code 0) has no counter; F6 its incoming files, F5 their
# deadlines (the same keys as a Department's files and deadlines), named for the region
REGION_MENU = ("forwarding", "dashboard", "cases", "complaints", "report",
               "home.information", "home.exchange", "lock", "logout")  # F7: item 22 (14.3)
REGION_LABELS = {"forwarding": "lifecycle.region.view_incoming",
                 "dashboard": "lifecycle.region.view_deadlines",
                 "cases": "exchange.search.key",  # F4: a case number of any Department
                 "report": "region_report.key_open"}  # F8: Annex 2 for the region


def is_regional(dept: object) -> bool:
    return dept is not None and getattr(dept, "code", None) == 0


class HomeScreen(DeskScreen):
    CSS_PATH = "home.tcss"
    # items 21-25: Information on home only; in the menu and the palette, not in the footer
    BINDINGS = [*keymap.shown("queue", "intake", "cases", "logout"),
                *keymap.bindings("home.information", "home.exchange")]

    def compose(self) -> ComposeResult:
        with Vertical(id="home-body"):
            yield Static(id="department", classes="title")
            yield Static(id="clerk", classes="hint")
            yield Static(id="today", classes="hint")
            yield Static(id="office")
            yield Static(id="summary")
            yield OptionList(id="menu")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_summary()

    def relabel(self) -> None:
        desk = self.desk
        dept = desk.department
        name = ""
        if dept is not None:
            name = getattr(dept, "name_ru" if desk.lang == "ru" else "name_kk", "") or ""
        self.query_one("#department", Static).update(Content(clean_line(str(name))))
        clerk = desk.clerk
        who = ""
        if clerk is not None:
            who = clean_line(f"{getattr(clerk, 'surname', '')} {getattr(clerk, 'name', '')}")
        self.query_one("#clerk", Static).update(Content(self.t("ui.home.clerk", name=who)))
        self.query_one("#today", Static).update(
            Content(self.t("ui.home.today", date=format_long_date(desk.today(), desk.lang)))
        )
        menu = self.query_one("#menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        regional = is_regional(dept)
        for binding_id in REGION_MENU if regional else MENU:
            row = keymap.KEYMAP[binding_id]
            key_text = desk.get_key_display(Binding(keymap.keys_of(binding_id), row.action))
            label = REGION_LABELS.get(binding_id, row.label) if regional else row.label
            menu.add_option(Option(Content(f"{key_text:<4} {self.t(label)}"), id=row.action))
        menu.highlighted = highlighted if highlighted is not None else 0
        self.refresh_summary()

    def refresh_summary(self) -> None:
        desk = self.desk
        office = self.query_one("#office", Static)
        if is_regional(desk.department):
            # issue 14: the region has no counter (no "Department open" hours line): its
            # own line is the exchange with the Departments (sent, received, problems)
            line, problems = self.exchange_line()
            office.set_class(True, "exchange")
            office.set_class(problems > 0, "closed")
            office.update(Content(line))
            self.query_one("#summary", Static).update(Content(self.region_summary()))
            return
        status = desk.office_status()
        office.set_class(status is not None and not status.open, "closed")
        office.update(Content(desk.office_text(status)))
        try:
            waiting = desk.services.queue.waiting()
        except DeskError:
            waiting = []
        counts = {p: 0 for p in ("submit", "collect", "consult")}
        for ticket in waiting:
            counts[ticket.purpose] = counts.get(ticket.purpose, 0) + 1
        text = self.t("ui.home.waiting", **counts)
        try:  # issue 5: the deadline summary greets the clerk at login
            text += "\n" + desk.services.lifecycle.summary_text(desk.lang)
        except (DeskError, AttributeError):
            pass
        self.query_one("#summary", Static).update(Content(text))

    def region_summary(self) -> str:
        """The regional desk's greeting: its files waiting and their deadlines (item 5)."""
        from screens.region import region_service

        try:
            rows = region_service(self.desk).incoming()
        except DeskError:
            return ""
        states = [r.state for r in rows]
        return self.t(
            "lifecycle.region.summary",
            waiting=sum(1 for r in rows if r.status == "forwarded"),
            overdue=states.count("overdue"), today=states.count("today"),
            soon=states.count("soon"),
        )

    def exchange_line(self) -> tuple[str, int]:
        """The regional desk's exchange in one line (what ``exchange status`` counts), and
        its problems (the line is amber while one waits)."""
        from mss_desk.exchange.service import ExchangeService
        from mss_desk.locations import keys_dir

        try:
            counts = ExchangeService(self.desk.services, keys_dir()).counts()
        except DeskError:
            return "", 0
        line = self.t(
            "exchange.home.line", unacknowledged=counts.unacknowledged,
            received=counts.received, problems=counts.problems,
        )  # fmt: skip
        return line, counts.problems

    def action_show_information(self) -> None:
        """Items 21-25: the Department's and the Regional Department's contacts."""
        from screens.information import InformationScreen

        self.app.push_screen(InformationScreen())

    def action_show_exchange(self) -> None:
        """Issue 14: the bundles to and from the other desks, and the exchange problems."""
        from screens.exchange import ExchangeScreen

        self.app.push_screen(ExchangeScreen())

    @on(OptionList.OptionSelected, "#menu")
    async def _chosen(self, event: OptionList.OptionSelected) -> None:
        action = event.option.id
        if action and action.startswith("screen."):  # this screen's own action
            await self.run_action(action.removeprefix("screen."))
            return
        if action and self.desk.check_action(action.split("(", 1)[0], ()):
            await self.desk.run_action(action)
