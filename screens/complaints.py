"""Complaints (items 21-23): register one, print its talon, and — the head only — review it.

N registers a complaint (who, contact, case number if any, text) and prints the complaint
talon with the answer deadline, the place of the answer and whom to ask (item 23). T prints
the talon again. Enter reviews the highlighted complaint: justified, satisfied, the answer;
"answered on time" follows from the answer date and the deadline. Only a head of
Department may review (the service refuses anyone else, and the screen says so).

Item 22 (issue 14.3): Ctrl+E sends an answered complaint to the Regional Department, the
second instance (asked first); the line then says its deadline there, or that the region
answered. A complaint registered at the region about this Department is listed read-only,
"registered at the region": the region answers it.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, OptionList, Static

from mss_desk.errors import DeskError, RuleViolation
from mss_desk.i18n.dates import format_date
from mss_desk.text import clean, clean_line
from screens.base import DeskScreen
from screens.dialogs import Field, FormModal, QuestionModal
from screens.dialogs.form import CASE_NO_LENGTH, DATE_LENGTH
from widgets import keymap
from widgets.day_field import required_day
from widgets.option_rows import highlighted_row, show_rows
from widgets.paper_job import print_in_background


class ComplaintsScreen(DeskScreen):
    CSS_PATH = "complaints.tcss"
    BINDINGS = keymap.bindings(
        "complaints.new", "complaints.review", "complaints.talon", "complaints.escalate", "back"
    )

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static(id="complaints-title", classes="title")
        yield OptionList(id="complaints")
        yield Static(id="complaint-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#complaints", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def relabel(self) -> None:
        self.query_one("#complaints-title", Static).update(
            Content(self.t("lifecycle.ui.complaints_title"))
        )
        self.refresh_data()

    def line(self, c: Any) -> Content:
        status = self.t(f"lifecycle.complaint.status.{c.status}")
        if c.status == "answered":
            marks = []
            if c.justified:
                marks.append(self.t("lifecycle.complaint.justified"))
            if c.satisfied:
                marks.append(self.t("lifecycle.complaint.satisfied"))
            timely = "on_time" if c.on_time else "late"
            marks.append(self.t(f"lifecycle.complaint.{timely}"))
            tail = ", ".join(marks)
        else:
            tail = self.t("lifecycle.ui.due", date=format_date(c.answer_due))
        tail = self.region_mark(c) or tail  # item 22: the region's part, when it has one
        who = clean_line(c.complainant)[:22]
        text = f"{c.complaint_no:<14} {format_date(c.registered_on)} {who:<22} {status}: {tail}"
        overdue = c.status == "registered" and c.answer_due < self.desk.today()
        return Content.styled(text, "bold $error") if overdue else Content(text)

    def region_mark(self, c: Any) -> str:
        """Issue 14.3 / item 22: registered at the region (read-only here), or the second
        instance: at the region until its deadline, or answered there."""
        if getattr(c, "at_region", False):
            return self.t("region_complaints.mark_at_region")
        state = getattr(c, "second_instance", None)
        if state == "escalated":
            return self.t("region_complaints.mark_escalated", date=format_date(c.second_due))
        if state == "answered":
            return self.t("region_complaints.mark_second_answered")
        return ""

    def refresh_data(self) -> None:
        try:
            self.rows = self.desk.services.complaints.list()
        except DeskError as err:
            self.desk.show_error(err)
            return
        show_rows(
            self.query_one("#complaints", OptionList), self.rows, self.line,
            lambda c: str(c.complaint_no), self.t("lifecycle.ui.empty"),
        )
        self.show_text()

    def current(self) -> Any:
        return highlighted_row(self.query_one("#complaints", OptionList), self.rows)

    @on(OptionList.OptionHighlighted, "#complaints")
    def show_text(self) -> None:
        c = self.current()
        text = ""
        if c is not None:
            text = clean(c.text)
            if c.answer_text:
                text += f"\n{self.t('lifecycle.ui.answer')}: {clean(c.answer_text)}"
            if getattr(c, "second_answer_text", ""):
                text += (f"\n{self.t('region_complaints.second_answer')}: "
                         f"{clean(c.second_answer_text)}")  # fmt: skip
        self.query_one("#complaint-text", Static).update(Content(text))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        c = self.current() if self.is_mounted else None
        if action == "escalate":  # item 22: an answered complaint, once
            return (c is not None and c.status == "answered" and not c.at_region
                    and c.escalated_on is None)  # fmt: skip
        if action in ("review", "talon"):  # the region's complaint: read-only here
            return c is None or not getattr(c, "at_region", False)
        return True

    @on(OptionList.OptionSelected, "#complaints")
    def _selected(self) -> None:
        self.action_review()

    # -- actions ------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_new(self) -> None:
        desk = self.desk

        def submit(v: dict[str, Any]) -> Any:
            return desk.services.complaints.register(
                clean_line(v["complainant"]),
                clean(v["text"]),
                desk.clerk_id,
                case_no=clean_line(v["case_no"]) or None,
                contact=clean_line(v["contact"]),
            )

        fields = (
            Field("complainant", "lifecycle.ui.complainant"),
            Field("contact", "lifecycle.ui.contact"),
            Field("case_no", "lifecycle.ui.case_no", max_length=CASE_NO_LENGTH),
            Field("text", "lifecycle.ui.text"),
        )
        self.app.push_screen(
            FormModal(self.t("lifecycle.ui.complaint_new"), fields, submit), self._registered
        )

    def _registered(self, complaint: Any) -> None:
        self.refresh_data()
        if complaint is None:
            return
        self.desk.notify(
            self.t(
                "lifecycle.ui.registered",
                number=complaint.complaint_no,
                date=format_date(complaint.answer_due),
            )
        )
        if self.desk.print_slips:
            self._print_talon(complaint.complaint_no)

    def action_talon(self) -> None:
        c = self.current()
        if c is not None:
            self._print_talon(c.complaint_no)

    def _print_talon(self, complaint_no: str) -> None:
        """Item 23: the complaint talon, printed in the background."""
        desk = self.desk
        print_in_background(
            self, lambda: desk.services.printing.print_complaint_talon(complaint_no, desk.settings)
        )

    def action_escalate(self) -> None:
        """Item 22: the applicant disagrees with the answer; the complaint goes to the
        Regional Department (the second instance). Asked first: it is sent (issue 12.4)."""
        c = self.current()
        if c is None or c.status != "answered" or c.at_region or c.escalated_on is not None:
            return
        desk = self.desk

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_service(
                    lambda: desk.services.complaints.escalate(c.complaint_no, desk.clerk_id),
                    self._escalated, group="write",
                )  # fmt: skip

        self.app.push_screen(
            QuestionModal(self.t("region_complaints.key_escalate"),
                          Content(self.t("region_complaints.escalate_question",
                                         number=c.complaint_no)),
                          yes="region_complaints.escalate_yes", no="lifecycle.key.cancel"),
            answered,
        )  # fmt: skip

    def _escalated(self, complaint: Any) -> None:
        self.desk.notify(
            self.t("region_complaints.escalated", number=complaint.complaint_no,
                   date=format_date(complaint.second_due)),
            markup=False,
        )  # fmt: skip
        if self.is_attached:
            self.refresh_data()

    def action_review(self) -> None:
        """Items 21-23: only the head of Department reviews."""
        c = self.current()
        if c is None or c.status != "registered" or c.at_region:
            return
        desk = self.desk
        if getattr(desk.clerk, "role", None) != "head":
            desk.show_error(RuleViolation("head only", key="lifecycle.error.head_only"))
            return

        def submit(v: dict[str, Any]) -> Any:
            return desk.services.complaints.review(
                c.complaint_no,
                desk.clerk_id,
                justified=bool(v["justified"]),
                satisfied=bool(v["satisfied"]),
                answer_text=clean(v["answer"]),
                answered_on=required_day(v["date"]),
            )

        fields = (
            Field("justified", "lifecycle.complaint.justified", "checkbox", False),
            Field("satisfied", "lifecycle.complaint.satisfied", "checkbox", False),
            Field("answer", "lifecycle.ui.answer"),
            Field("date", "lifecycle.ui.date", value=format_date(desk.today()),
                  max_length=DATE_LENGTH),
        )
        title = self.t("lifecycle.ui.review_title", number=c.complaint_no)
        self.app.push_screen(FormModal(title, fields, submit), self._reviewed)

    def _reviewed(self, complaint: Any) -> None:
        self.refresh_data()
        if complaint is not None:
            self.desk.notify(self.t("lifecycle.ui.answered", number=complaint.complaint_no))
