"""Files after acceptance (issue 5): send to the Regional Department, record its decision,
mark the result ready, hand it over (with the survey), or put it in safekeeping.

Four lists on one screen, switched with ←/→ (never digits: a scanner types them):
1. accepted files to send (item 5) — Space selects, Ctrl+S asks, then marks them sent and
   prints the forwarding register;
2. files at the Regional Department, WWII priority first (item 6.1) — D records the
   decision: referral, refusal (item 17) or returned for correction;
3. decided — R (asked first): the result is ready at the Department;
4. results — N sends the postal notice that the result is ready (item 16); G hands it over
   (a collect ticket, or the result sent by post), then the yes/no survey (Annex 2); K puts
   a result not collected in time into safekeeping (item 18.6).

Every move is checked by the services (rules.lifecycle): a refused move shows its reason.
User text is shown as Content, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, Input, OptionList, Static

from mss_desk.errors import DeskError
from mss_desk.i18n.dates import format_date
from mss_desk.text import clean, clean_line
from mss_desk.vocabulary import FIELD_LIMITS
from screens.base import DeskScreen
from screens.dialogs import Field, FormModal, QuestionModal, SurveyModal
from screens.dialogs.form import DATE_LENGTH
from widgets import keymap
from widgets.day_field import parse_day, required_day
from widgets.limited import LimitedInput
from widgets.option_rows import highlighted_row, show_rows
from widgets.paper_job import print_in_background

VIEWS = ("forward", "waiting", "decided", "results")
VIEW_STATUSES = {
    "forward": ("accepted",),
    "waiting": ("forwarded",),
    "decided": ("decided",),
    "results": ("result_ready", "in_safekeeping"),
}
# --------------------------------------------------------------------------- the screen


class ForwardingScreen(DeskScreen):
    CSS_PATH = "forwarding.tcss"
    BINDINGS = keymap.bindings(
        "forwarding.view_prev", "forwarding.view_next", "forwarding.pick", "forwarding.send",
        "forwarding.decide", "forwarding.ready", "forwarding.deliver", "forwarding.notice",
        "forwarding.safekeep", "back",
    )

    def __init__(self, view: str = "forward") -> None:
        super().__init__()
        self.view = view if view in VIEWS else "forward"
        self.selected: set[str] = set()
        self.rows: list[Any] = []
        self.safekeeping_due: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(id="views", classes="hint")
        yield Static(id="view-title", classes="title")
        yield OptionList(id="cases")
        yield Static(id="sent-label", classes="field-label")
        yield LimitedInput(id="sent-on", compact=True, max_length=DATE_LENGTH, classes="field")
        yield Static(id="view-info", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # issue 12.10: dates on screen are dd.mm.yyyy (ISO is still read)
        self.query_one("#sent-on", Input).value = format_date(self.desk.today())
        self.query_one("#cases", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def relabel(self) -> None:
        names = [self.t("lifecycle.key.view_" + v) + (" ◂" if v == self.view else "")
                 for v in VIEWS]
        self.query_one("#views", Static).update(Content("←  " + "   ".join(names) + "  →"))
        self.query_one("#view-title", Static).update(
            Content(self.t(f"lifecycle.ui.view_{self.view}"))
        )
        self.query_one("#sent-label", Static).update(
            Content(f"{self.t('lifecycle.ui.sent_on')} ({self.t('lifecycle.ui.date_format')})")
        )
        self.query_one("#sent-on", Input).placeholder = self.t("lifecycle.ui.date_format")
        forward = self.view == "forward"
        self.query_one("#sent-label", Static).display = forward
        self.query_one("#sent-on", Input).display = forward
        self.refresh_data()

    # -- data ---------------------------------------------------------------------------

    def refresh_data(self) -> None:
        lc = self.desk.services.lifecycle
        try:
            if self.view == "forward":
                rows = lc.to_forward()
            elif self.view == "waiting":
                rows = lc.waiting_list()
            else:
                rows = lc.in_status(*VIEW_STATUSES[self.view])
            due = {r.case_no for r in lc.safekeeping_due()} if self.view == "results" else set()
        except DeskError as err:
            self.desk.show_error(err)
            return
        self.rows = rows
        self.safekeeping_due = due
        self.selected &= {r.case_no for r in rows}
        self.render_rows()

    def line(self, row: Any) -> Content:
        name = clean_line(row.applicant_name)[:26]
        prio = self.t("lifecycle.ui.priority") if row.priority else ""
        if self.view == "forward":
            mark = "[x]" if row.case_no in self.selected else "[ ]"
            due = format_date(row.forward_due) if row.forward_due else ""
            text = f"{mark} {row.case_no:<14} {name:<26} {due} {prio}"
        elif self.view == "waiting":
            due = format_date(row.binding_due) if row.binding_due else ""
            sent = format_date(row.forwarded_on) if row.forwarded_on else ""
            text = f"{prio:<4} {row.case_no:<14} {name:<26} {sent} → {due}"
        elif self.view == "decided":
            decision = self.t(f"lifecycle.decision.{row.decision}") if row.decision else ""
            text = f"{row.case_no:<14} {name:<26} {decision}"
        else:
            status = self.t(f"lifecycle.status.{row.status}")
            extra = ""
            if row.case_no in self.safekeeping_due:
                extra = f" · {self.t('lifecycle.ui.due_safekeeping')}"
            elif row.status == "in_safekeeping":
                extra = f" · {clean_line(row.safekeeping_location)[:20]}"
            elif row.postal_notice_on is not None:
                notice = format_date(row.postal_notice_on)
                extra = f" · {self.t('lifecycle.ui.notice_sent', date=notice)}"
            text = f"{row.case_no:<14} {name:<26} {status}{extra}"
        if self.view == "results" and row.case_no in self.safekeeping_due:
            return Content.styled(text, "bold $warning")
        return Content(text)

    def render_rows(self) -> None:
        show_rows(
            self.query_one("#cases", OptionList), self.rows, self.line,
            lambda row: str(row.case_no), self.t("lifecycle.ui.empty"),
        )
        info = ""
        if self.view == "forward":
            info = self.t("lifecycle.ui.selected", count=len(self.selected))
        self.query_one("#view-info", Static).update(Content(info))
        self.refresh_bindings()

    def current(self) -> Any:
        return highlighted_row(self.query_one("#cases", OptionList), self.rows)

    # -- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        per_view = {
            "pick": "forward",
            "forward": "forward",
            "decide": "waiting",
            "ready": "decided",
            "deliver": "results",
            "safekeep": "results",
            "notice": "results",
        }
        if action in per_view:
            return self.view == per_view[action]
        return True

    def action_view(self, view: str) -> None:
        self.view = view
        self.selected.clear()
        self.relabel()
        self.query_one("#cases", OptionList).focus()

    def action_view_step(self, step: int) -> None:
        """←/→: the previous or next of the four lists (no digits: issue 12.5)."""
        self.action_view(VIEWS[(VIEWS.index(self.view) + step) % len(VIEWS)])

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_pick(self) -> None:
        row = self.current()
        if row is None:
            return
        self.selected ^= {row.case_no}
        self.render_rows()

    def action_forward(self) -> None:
        """Item 5: mark the selected (or highlighted) files sent; print the register."""
        desk = self.desk
        chosen = [r.case_no for r in self.rows if r.case_no in self.selected]
        if not chosen and self.current() is not None:
            chosen = [self.current().case_no]
        sent_on = parse_day(self.query_one("#sent-on", Input).value)
        if sent_on is None:
            desk.notify(self.t("lifecycle.ui.bad_date"), severity="error")
            return
        if not chosen:
            return
        lifecycle = desk.services.lifecycle

        def send(yes: bool | None) -> None:
            if yes:
                self.run_service(
                    lambda: lifecycle.forward(chosen, desk.clerk_id, sent_on), self._forwarded,
                    group="write",
                )

        # issue 12.4: sending and printing the register is asked first (Enter / Esc)
        question = self.t("lifecycle.confirm.send", count=len(chosen))
        self.app.push_screen(
            QuestionModal(self.t("lifecycle.key.forward"), question,
                          yes="lifecycle.key.forward", no="lifecycle.key.cancel"),
            send,
        )

    def _forwarded(self, register: Any) -> None:
        desk = self.desk
        self.last_register = register
        desk.notify(self.t("lifecycle.ui.forwarded", count=len(register.lines)))
        self.selected.clear()
        if self.is_attached:
            self.refresh_data()
        if desk.print_slips:
            self._print_register(register)

    def _print_register(self, register: Any) -> None:
        """Item 5: the forwarding register, printed in the background."""
        desk = self.desk
        clerk = desk.clerk
        print_in_background(
            self,
            lambda: desk.services.printing.print_register(register, desk.settings, clerk=clerk),
        )

    def action_decide(self) -> None:
        row = self.current()
        if row is None:
            return
        desk = self.desk
        lc = desk.services.lifecycle
        today = format_date(desk.today())

        def submit(v: dict[str, Any]) -> Any:
            day = required_day(v["date"])
            kind = v["kind"]
            if kind == 2:  # returned for correction
                return lc.return_for_correction(row.case_no, desk.clerk_id, clean(v["reason"]), day)
            if kind == 1:
                return lc.decide(
                    row.case_no, desk.clerk_id, "refusal", decided_on=day, reason=clean(v["reason"])
                )
            return lc.decide(
                row.case_no,
                desk.clerk_id,
                "referral",
                decided_on=day,
                referral_no=clean_line(v["referral_no"]),
                institution_name=clean_line(v["institution"]),
                ownership="non_state" if v["non_state"] else "state",
            )

        fields = (
            Field(
                "kind",
                "",
                "radio",
                0,
                (
                    "lifecycle.ui.kind_referral",
                    "lifecycle.ui.kind_refusal",
                    "lifecycle.ui.kind_returned",
                ),
            ),
            Field("referral_no", "lifecycle.ui.referral_no"),
            Field("institution", "lifecycle.ui.institution"),
            Field("non_state", "lifecycle.ui.non_state", "checkbox", False),
            Field("reason", "lifecycle.ui.reason"),
            Field("date", "lifecycle.ui.date", value=today, max_length=DATE_LENGTH),
        )
        title = self.t("lifecycle.ui.decision_title", case=row.case_no)
        self.app.push_screen(FormModal(title, fields, submit), self._done)

    def _done(self, result: Any) -> None:
        if result is not None:
            self.desk.notify(self.t("lifecycle.ui.saved"))
        if self.is_attached:
            self.refresh_data()

    def action_ready(self) -> None:
        row = self.current()
        if row is None:
            return
        desk = self.desk
        lifecycle = desk.services.lifecycle

        def mark(yes: bool | None) -> None:
            if yes:
                self.run_service(
                    lambda: lifecycle.result_ready(row.case_no, desk.clerk_id), self._done,
                    group="write",
                )

        # issue 12.4: one letter does not change a file's status: asked first (Enter / Esc)
        self.app.push_screen(
            QuestionModal(self.t("lifecycle.key.ready"),
                          self.t("lifecycle.confirm.ready", case=row.case_no),
                          yes="lifecycle.key.ready", no="lifecycle.key.cancel"),
            mark,
        )

    def collect_ticket(self) -> Any:
        """The collect ticket the clerk has called (items 7.3, 16), if any."""
        ticket = self.desk.current_ticket
        if ticket is not None and getattr(ticket, "purpose", None) == "collect":
            return ticket
        return None

    def action_deliver(self) -> None:
        row = self.current()
        if row is None:
            return
        desk = self.desk
        lc = desk.services.lifecycle
        ticket = self.collect_ticket()
        today = format_date(desk.today())

        def submit(v: dict[str, Any]) -> Any:
            if v["method"] == 1:
                day = required_day(v["notice_on"])
                return lc.deliver(
                    row.case_no,
                    desk.clerk_id,
                    "post",
                    notice_on=day,
                    postal_address=clean_line(v["address"]),
                )
            return lc.deliver(
                row.case_no,
                desk.clerk_id,
                "in_person",
                ticket_id=ticket.id if ticket is not None else None,
            )

        ticket_text = (
            self.t("lifecycle.ui.ticket", number=ticket.number)
            if ticket is not None
            else self.t("lifecycle.ui.no_ticket")
        )
        method = 1 if row.delivery_method == "post" and ticket is None else 0
        fields = (
            Field(
                "method", "", "radio", method, ("lifecycle.ui.in_person", "lifecycle.ui.by_post")
            ),
            Field("address", "lifecycle.ui.address", value=row.postal_address,
                  max_length=FIELD_LIMITS["postal_address"]),
            Field("notice_on", "lifecycle.ui.date", value=today, max_length=DATE_LENGTH),
        )
        title = f"{self.t('lifecycle.ui.delivery_title', case=row.case_no)}\n{ticket_text}"
        self.app.push_screen(FormModal(title, fields, submit), self._delivered(row.case_no))

    def _delivered(self, case_no: str) -> Callable[[Any], None]:
        def after(result: Any) -> None:
            self.refresh_data()
            if result is None:
                return
            self.desk.notify(self.t("lifecycle.ui.saved"))
            self.app.push_screen(SurveyModal(), self._surveyed(case_no))

        return after

    def _surveyed(self, case_no: str) -> Callable[[Any], None]:
        def after(answers: Any) -> None:
            if not answers:
                return
            lifecycle = self.desk.services.lifecycle
            self.run_service(
                lambda: lifecycle.record_survey(case_no, answers), self._survey_saved,
                group="survey", queue=True,
            )

        return after

    def _survey_saved(self, saved: bool) -> None:
        if saved:
            self.desk.notify(self.t("lifecycle.ui.survey_thanks"))

    def action_notice(self) -> None:
        """Item 16: the postal notice that the result is ready (printed when paper is on)."""
        row = self.current()
        if row is None:
            return
        desk = self.desk

        def submit(v: dict[str, Any]) -> Any:
            return desk.services.lifecycle.send_notice(
                row.case_no,
                desk.clerk_id,
                notice_on=required_day(v["notice_on"]),
                postal_address=clean_line(v["address"]),
            )

        fields = (
            Field("address", "lifecycle.ui.address", value=row.postal_address,
                  max_length=FIELD_LIMITS["postal_address"]),
            Field("notice_on", "lifecycle.ui.date", value=format_date(desk.today()),
                  max_length=DATE_LENGTH),
        )
        title = self.t("lifecycle.ui.notice_title", case=row.case_no)
        self.app.push_screen(FormModal(title, fields, submit), self._noticed)

    def _noticed(self, row: Any) -> None:
        self._done(row)
        if row is not None and self.desk.print_slips:
            self._print_notice(row)

    def _print_notice(self, row: Any) -> None:
        """Item 16: the postal notice, printed in the background."""
        desk = self.desk
        clerk = desk.clerk
        print_in_background(
            self, lambda: desk.services.printing.print_notice(row, desk.settings, clerk=clerk)
        )

    def action_safekeep(self) -> None:
        row = self.current()
        if row is None:
            return
        desk = self.desk

        def submit(v: dict[str, Any]) -> Any:
            return desk.services.lifecycle.safekeep(
                row.case_no, desk.clerk_id, clean_line(v["location"])
            )

        fields = (Field("location", "lifecycle.ui.location"),)
        title = self.t("lifecycle.ui.safekeep_title", case=row.case_no)
        self.app.push_screen(FormModal(title, fields, submit), self._done)
