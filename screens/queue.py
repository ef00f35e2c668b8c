"""The electronic queue at the desk (items 7.2, 7.3, 10).

First come, first served, no pre-booking and no express service (item 10): "call next"
always takes the oldest waiting ticket of the chosen purpose — the clerk cannot pick one.
No ticket is issued outside office hours; the screen says why. Waiting times turn amber at
the warning term and red past the 40-minute maximum (terms from the catalog).

Notices never hide the work (issue 12.8): the queue says what happened on one line beside
the office hours — the newest notice only ("issued", then "issued and printed"), never a
stack of toasts over the waiting list. A notice goes after a few seconds; an error stays
until the clerk presses a key after reading it (or a newer notice takes its place).
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from mss_desk.errors import DeskError
from mss_desk.i18n import retranslate
from mss_desk.vocabulary import PURPOSES
from screens.base import DeskScreen
from widgets import keymap
from widgets.paper_job import print_in_background
from widgets.wait_timer import WaitList, ticket_label

ISSUE = Binding.Group("ui.key.issue", compact=True)
CALL = Binding.Group("ui.key.call", compact=True)


class QueueScreen(DeskScreen):
    CSS_PATH = "queue.tcss"
    # issue 12.4: tickets on Ctrl chords (a scanned case number never issues one)
    BINDINGS = [
        *keymap.bindings(
            "queue.issue_submit", "queue.issue_collect", "queue.issue_consult",
            "queue.call_submit", "queue.call_collect", "queue.call_consult",
            "queue.served", "queue.no_show", "queue.consult_paper", "back",
        ),
        # 80 columns cannot show every key: the language key works here but is not shown
        *keymap.hidden("lang"),
    ]
    REFRESH_SECONDS = 3.0
    NOTICE_SECONDS = 4.0  # issue 12.8: an information notice goes after this long
    WARNING_SECONDS = 8.0
    ERROR_READ_SECONDS = 1.0  # a key pressed sooner was typed before the error was seen

    _notice: tuple[str, str] | None = None  # (text, severity) on the notice line
    _notice_serial = 0
    _notice_at = 0.0

    def compose(self) -> ComposeResult:
        with Horizontal(id="top-line"):
            yield Static(id="status")
            yield Static(id="notice")
        with Horizontal(id="queue-body"):
            with Vertical(id="waiting-pane"):
                yield Static(id="waiting-title", classes="title")
                with VerticalScroll(id="waiting-scroll", can_focus=False):
                    yield WaitList(self.desk.clock.now, terms=self.desk.queue_terms(), id="waiting")
                yield Static(id="legend", classes="hint")
            with Vertical(id="current-pane"):
                yield Static(id="current-title", classes="title")
                yield Static(id="current")
                yield Static(id="current-info", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_data()
        self.recover_called()
        self.set_interval(self.REFRESH_SECONDS, self.refresh_data, name="queue-refresh")

    def on_screen_resume(self) -> None:
        self.refresh_data()
        self.recover_called()

    # -- labels -------------------------------------------------------------------------

    def purpose_names(self) -> dict[str, str]:
        return {p: self.t(f"ui.purpose.{p}") for p in PURPOSES}

    def relabel(self) -> None:
        self.query_one("#waiting-title", Static).update(self.t("ui.queue.waiting"))
        self.query_one("#current-title", Static).update(self.t("ui.queue.current"))
        warn, max_ = self.desk.queue_terms()
        self.query_one("#legend", Static).update(self.t("ui.queue.legend", warn=warn, max=max_))
        self.query_one("#waiting", WaitList).set_labels(
            self.purpose_names(), self.t("ui.queue.empty")
        )
        self._shown_status: str | None = None
        self.refresh_status()
        self.show_current()
        if self._notice is not None:  # F12: the notice in the new language, or gone
            again = retranslate(self._notice[0], self.desk.lang)
            self._notice = None if again is None else (again, self._notice[1])
            self._show_notice()

    # -- the notice line (issue 12.8) ------------------------------------------------------

    def say(self, text: str, severity: str = "information") -> None:
        """Say ``text`` on the notice line, in place of the one before (one line: five quick
        tickets never stack ten toasts over the list). Information and warnings go on
        time; an error stays until read. Off this screen, a toast says it."""
        if not self.is_attached or self.app.screen is not self:
            self.desk.notify(text, severity=severity, markup=False)  # type: ignore[arg-type]
            return
        self._notice = (text, severity)
        self._notice_serial += 1
        self._notice_at = time.monotonic()
        self._show_notice()
        if severity != "error":
            seconds = self.WARNING_SECONDS if severity == "warning" else self.NOTICE_SECONDS
            self.set_timer(seconds, partial(self._notice_expired, self._notice_serial))

    def _notice_expired(self, serial: int) -> None:
        if serial == self._notice_serial:
            self._notice = None
            self._show_notice()

    def _show_notice(self) -> None:
        widget = self.query_one("#notice", Static)
        text, severity = self._notice or ("", "")
        for level in ("information", "warning", "error"):
            widget.set_class(level == severity, f"-{level}")
        widget.update(Content(text))

    def _failed(self, err: DeskError) -> None:
        self.say(self.desk.error_text(err), "error")

    def on_key(self, _event: Any) -> None:
        """An error on the notice line was read once the clerk presses a key after it."""
        if self._notice is not None and self._notice[1] == "error":
            if time.monotonic() - self._notice_at >= self.ERROR_READ_SECONDS:
                self._notice_serial += 1
                self._notice = None
                self._show_notice()

    # -- data ---------------------------------------------------------------------------

    def refresh_status(self) -> Any:
        status = self.desk.office_status()
        text = self.desk.office_text(status)
        if text != getattr(self, "_shown_status", None):
            self._shown_status = text
            widget = self.query_one("#status", Static)
            widget.set_class(status is not None and not status.open, "closed")
            widget.update(Content(text))
        return status

    def refresh_data(self) -> None:
        desk = self.desk
        self.refresh_status()
        try:
            waiting = desk.services.queue.waiting()
        except DeskError as err:
            self._failed(err)
            return
        waiting_list = self.query_one("#waiting", WaitList)
        if [t.id for t in waiting] != [t.id for t in waiting_list.tickets]:
            waiting_list.set_tickets(waiting)
        self._check_current()

    def _check_current(self) -> None:
        """The called ticket may have been closed elsewhere (the intake marks it served)."""
        current = self.desk.current_ticket
        if current is None:
            return
        try:
            day = self.desk.services.queue.day(self.desk.today())
        except DeskError:
            return
        for ticket in day:
            if ticket.id == current.id and ticket.status != "called":
                self.desk.current_ticket = None
                self.show_current()
                self.refresh_bindings()

    def recover_called(self) -> None:
        """Issue 12.7: a ticket called and not finished is never orphaned. After F10,
        Ctrl+Q, a lost link or a crash the desk forgot it; the queue brings it back as
        "now serving" — to the clerk who called it, or after the hand-over term to any
        clerk — so it is served or marked no-show before the next call."""
        desk = self.desk
        if desk.current_ticket is not None or desk.clerk is None:
            return
        clerk_id = desk.clerk.id
        self.run_service(
            lambda: desk.services.queue.open_called(clerk_id),
            self._recovered,
            self._failed,
            group="recover",
        )

    def _recovered(self, tickets: list[Any]) -> None:
        desk = self.desk
        if desk.current_ticket is not None or not tickets:
            return
        desk.current_ticket = tickets[0]
        if self.is_attached:
            self.show_current()
            self.refresh_bindings()

    def show_current(self) -> None:
        current = self.desk.current_ticket
        big = self.query_one("#current", Static)
        info = self.query_one("#current-info", Static)
        if current is None:
            big.update(Content(self.t("ui.queue.none_current")))
            big.set_class(False, "called")
            info.update("")
            return
        big.set_class(True, "called")
        big.update(Content(ticket_label(current)))
        minutes = getattr(current, "wait_minutes", None)
        lines = [self.t(f"ui.purpose.{current.purpose}")]
        if minutes is not None:
            lines.append(self.t("ui.queue.waited", minutes=minutes))
        info.update(Content("\n".join(lines)))

    # -- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("served", "no_show"):
            return self.desk.current_ticket is not None or None
        if action == "consult_paper":  # only while serving a consultation (issue 11.12)
            current = self.desk.current_ticket
            return current is not None and current.purpose == "consult"
        return True

    def action_consult_paper(self) -> None:
        """Issue 11.12: the documents list or the blank form for the visitor being served."""
        from screens.consult_paper import ConsultPaperScreen

        self.app.push_screen(ConsultPaperScreen())

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_issue(self, purpose: str) -> None:
        """Item 10: tickets only in office hours; the slip is printed in the background."""
        desk = self.desk
        status = self.refresh_status()
        if status is not None and not status.open:
            self.say(desk.office_text(status), "warning")
            return
        self.run_service(
            lambda: desk.services.queue.issue(purpose), partial(self._issued, purpose),
            self._failed,
            group="issue",
            queue=True,  # every key is a ticket for another visitor
        )

    def _issued(self, purpose: str, ticket: Any) -> None:
        desk = self.desk
        label = ticket_label(ticket)
        self.say(self.t("ui.queue.issued", number=label))
        ahead = None
        if self.is_attached:
            self.refresh_data()
            ahead = sum(
                1
                for t in self.query_one("#waiting", WaitList).tickets
                if t.purpose == purpose and t.id != ticket.id
            )
        if desk.print_slips:
            self._print_ticket(ticket, label, ahead)

    def _print_ticket(self, ticket: Any, label: str, ahead: int | None) -> None:
        """Items 7.2, 7.3: the ticket slip, printed in the background (on the App: it goes
        on if the clerk leaves the queue); never blocks, never stops the queue."""
        desk = self.desk
        print_in_background(
            self.app,
            lambda: desk.services.printing.print_ticket(
                ticket, desk.settings, label=label, ahead=ahead
            ),
            # one notice for the ticket: "issued" becomes "issued and printed" (issue 12.8)
            printed=lambda _result: self.t("ui.queue.issued_printed", number=label),
            failure="warning",
            tell=self.say,
        )

    def action_call(self, purpose: str) -> None:
        """Item 10: the oldest ticket of ``purpose`` — never out of order."""
        desk = self.desk
        if desk.current_ticket is not None:
            self.say(self.t("ui.queue.finish_first"), "warning")
            return
        self.run_service(
            lambda: desk.services.queue.call_next(purpose, desk.clerk_id),
            partial(self._called, purpose),
            self._failed,
            group="call",
        )

    def _called(self, purpose: str, ticket: Any) -> None:
        desk = self.desk
        if ticket is None:
            self.say(self.t("ui.queue.nobody", purpose=self.t(f"ui.purpose.{purpose}")))
            return
        desk.current_ticket = ticket  # the "now serving" panel shows it: no toast
        if self.is_attached:
            self.refresh_data()
            self.show_current()
            self.refresh_bindings()
        if purpose == "submit":
            desk.open_intake(ticket.id, ticket_label(ticket))

    def _finish(self, how: str) -> None:
        desk = self.desk
        ticket = desk.current_ticket
        if ticket is None:
            return
        queue = desk.services.queue
        close = queue.serve if how == "served" else queue.no_show
        # the clerk at the desk finishes it (a ticket handed over is another clerk's call)
        actor = desk.clerk.id if desk.clerk is not None else None
        self.run_service(
            lambda: close(ticket.id, actor),
            lambda _: self._finished(how, ticket),
            self._failed,
            group="finish",
        )

    def _finished(self, how: str, ticket: Any) -> None:
        desk = self.desk
        if desk.current_ticket is not None and desk.current_ticket.id == ticket.id:
            desk.current_ticket = None
        self.say(self.t(f"ui.queue.{how}", number=ticket_label(ticket)))
        if self.is_attached:
            self.show_current()
            self.refresh_data()
            self.refresh_bindings()

    def action_served(self) -> None:
        self._finish("served")

    def action_no_show(self) -> None:
        self._finish("no_show")
