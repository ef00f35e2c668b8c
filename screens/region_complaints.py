"""The Regional Department's complaints (item 22; issue 14, points 1 and 3), F7 on its desk.

One list: the complaints registered at the region about a Department, and the second
instance — the Departments' complaints escalated after their answer — the open ones first,
the nearest deadline first, with the calendar days left (item 23's term, SPEC.md: 15
calendar days, from registration or from the escalation).

N registers a complaint about a Department (its code, who, contact, case number if any,
text), then asks before printing the complaint talon (item 23: the answer is given at the
Regional Department). Ctrl+T prints the talon again. Enter answers the highlighted complaint
— the regional head only (issue 14.1): justified, satisfied, the answer, the date; asked
once more, then saved with its message back to the Department.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, OptionList, Static

from mss_desk.errors import DeskError, RuleViolation, ValidationError
from mss_desk.i18n.dates import format_date
from mss_desk.text import clean, clean_line
from screens.base import DeskScreen
from screens.dialogs import Field, FormModal, QuestionModal
from screens.dialogs.form import CASE_NO_LENGTH, DATE_LENGTH
from widgets import keymap
from widgets.day_field import required_day
from widgets.option_rows import highlighted_row, show_rows
from widgets.paper_job import print_in_background


def region_complaints(desk: Any) -> Any:
    """The regional desk's complaints service (imported on first use)."""
    from mss_desk.exchange.region_complaints import RegionComplaintService

    return RegionComplaintService(desk.services)


def department_code_of(text: str) -> int:
    """The form's Department: an Annex 1 code, 1-19 (the service checks the catalog)."""
    text = clean_line(text)
    if not text.isdigit():
        raise ValidationError("department", key="region_complaints.error.department")
    return int(text)


class RegionComplaintsScreen(DeskScreen):
    CSS_PATH = "region_complaints.tcss"
    BINDINGS = keymap.bindings(
        "region_complaints.new", "region_complaints.answer", "region_complaints.talon", "back"
    )

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        self._service: Any = None

    @property
    def service(self) -> Any:
        if self._service is None:
            self._service = region_complaints(self.desk)
        return self._service

    def compose(self) -> ComposeResult:
        yield Static(id="view-title", classes="title")
        yield Static(id="columns", classes="hint")
        yield OptionList(id="files")
        yield Static(id="complaint-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#files", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def relabel(self) -> None:
        self.query_one("#view-title", Static).update(
            Content(self.t("region_complaints.title"))
        )
        col = {c: self.t(f"region_complaints.col_{c}")
               for c in ("number", "department", "instance", "due", "days", "state")}
        header = (f"{col['number'][:14]:<14} {col['department'][:16]:<16} "
                  f"{col['instance'][:9]:<9} {col['due'][:10]:<10} {col['days'][:4]:>4}  "
                  f"{col['state']}")  # fmt: skip
        self.query_one("#columns", Static).update(Content(header))
        self.refresh_data()

    # -- data ---------------------------------------------------------------------------

    def department_name(self, code: int | None) -> str:
        dept = self.desk.catalog.departments.get(code) if code is not None else None
        if dept is None:
            return str(code)
        lang = self.desk.lang
        return clean_line(str(getattr(dept, f"district_{lang}", None) or dept.district_kk))

    def state(self, row: Any) -> str:
        if row.answered:
            return self.t("region_complaints.state_answered")
        if row.days_left < 0:
            return self.t("region_complaints.state_overdue")
        return self.t("region_complaints.state_open")

    def line(self, row: Any) -> Content:
        inst = self.t(f"region_complaints.instance_{row.instance}")
        days = "" if row.days_left is None else str(row.days_left)
        dept = self.department_name(row.department_code)[:16]
        text = (f"{row.complaint_no:<14} {dept:<16} {inst[:9]:<9} {format_date(row.due):<10} "
                f"{days:>4}  {self.state(row)}")  # fmt: skip
        text = text[: max(40, self.size.width - 6)]
        late = not row.answered and row.days_left is not None and row.days_left < 0
        return Content.styled(text, "bold $error") if late else Content(text)

    def refresh_data(self) -> None:
        try:
            self.rows = self.service.list()
        except DeskError as err:
            self.desk.show_error(err)
            return
        show_rows(
            self.query_one("#files", OptionList), self.rows, self.line,
            lambda r: str(r.complaint_no), self.t("lifecycle.ui.empty"),
        )  # fmt: skip
        self.show_text()

    def current(self) -> Any:
        return highlighted_row(self.query_one("#files", OptionList), self.rows)

    @on(OptionList.OptionHighlighted, "#files")
    def show_text(self) -> None:
        row = self.current()
        text = ""
        if row is not None:
            c = row.complaint
            who = clean_line(c.complainant)
            if c.case_no:
                who += f" · {clean_line(c.case_no)}"
            text = f"{who}\n{clean(c.text)}"
            if row.instance == 2 and c.answer_text:
                text += f"\n{self.t('region_complaints.first_answer')}: {clean(c.answer_text)}"
            answer = c.answer_text if row.instance == 1 else c.second_answer_text
            if row.answered and answer:
                text += f"\n{self.t('lifecycle.ui.answer')}: {clean(answer)}"
        self.query_one("#complaint-text", Static).update(Content(text))
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#files")
    def _selected(self) -> None:
        self.action_answer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "talon":  # the talon is of a complaint registered here
            row = self.current() if self.is_mounted else None
            return row is not None and row.instance == 1
        return True

    # -- actions ------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_new(self) -> None:
        desk, service = self.desk, self.service

        def submit(v: dict[str, Any]) -> Any:
            return service.register(
                department_code_of(v["department"]),
                clean_line(v["complainant"]),
                clean(v["text"]),
                desk.clerk_id,
                case_no=clean_line(v["case_no"]) or None,
                contact=clean_line(v["contact"]),
            )

        fields = (
            Field("department", "region_complaints.department", max_length=2),
            Field("complainant", "lifecycle.ui.complainant"),
            Field("contact", "lifecycle.ui.contact"),
            Field("case_no", "lifecycle.ui.case_no", max_length=CASE_NO_LENGTH),
            Field("text", "lifecycle.ui.text"),
        )
        self.app.push_screen(
            FormModal(self.t("region_complaints.new_title"), fields, submit), self._registered
        )

    def _registered(self, complaint: Any) -> None:
        self.refresh_data()
        if complaint is None:
            return
        self.desk.notify(
            self.t("lifecycle.ui.registered", number=complaint.complaint_no,
                   date=format_date(complaint.answer_due)),
            markup=False,
        )  # fmt: skip

        def answered(yes: bool | None) -> None:
            if yes:
                self._print_talon(complaint.complaint_no)

        # printing only after the clerk said so (issue 12.4)
        self.app.push_screen(
            QuestionModal(self.t("lifecycle.key.talon"),
                          Content(self.t("region_complaints.print_question",
                                         number=complaint.complaint_no)),
                          yes="region_complaints.print", no="lifecycle.key.cancel"),
            answered,
        )  # fmt: skip

    def action_talon(self) -> None:
        row = self.current()
        if row is not None and row.instance == 1:
            self._print_talon(row.complaint_no)

    def _print_talon(self, complaint_no: str) -> None:
        """Item 23: the complaint talon, printed in the background."""
        desk, service = self.desk, self.service
        print_in_background(self, lambda: service.print_talon(complaint_no, desk.settings))

    def action_answer(self) -> None:
        """Item 22: only the regional head answers (issue 14.1)."""
        row = self.current()
        if row is None or row.answered:
            return
        desk = self.desk
        if getattr(desk.clerk, "role", None) != "head":
            desk.show_error(RuleViolation("head only", key="region_complaints.error.head_only"))
            return
        fields = (
            Field("justified", "lifecycle.complaint.justified", "checkbox", False),
            Field("satisfied", "lifecycle.complaint.satisfied", "checkbox", False),
            Field("answer", "lifecycle.ui.answer"),
            Field("date", "lifecycle.ui.date", value=format_date(desk.today()),
                  max_length=DATE_LENGTH),
        )  # fmt: skip
        title = self.t("lifecycle.ui.review_title", number=row.complaint_no)
        self.app.push_screen(FormModal(title, fields, answer_of),
                             lambda v: self._confirm(row, v))  # fmt: skip

    def _confirm(self, row: Any, values: dict[str, Any] | None) -> None:
        """The answer goes to the Department: asked once more (issue 12.4)."""
        if not isinstance(values, dict):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._save(row, values)

        question = self.t("region_complaints.answer_question", number=row.complaint_no)
        self.app.push_screen(
            QuestionModal(self.t("region_complaints.answer_title"), Content(question),
                          yes="lifecycle.key.save", no="lifecycle.key.cancel"),
            answered,
        )  # fmt: skip

    def _save(self, row: Any, v: dict[str, Any]) -> None:
        desk, service = self.desk, self.service

        def call() -> Any:
            return service.review(
                row.complaint_no, desk.clerk_id, justified=v["justified"],
                satisfied=v["satisfied"], answer_text=v["answer"], answered_on=v["date"],
            )  # fmt: skip

        self.run_service(call, self._saved, group="write")

    def _saved(self, result: Any) -> None:
        self.desk.notify(self.t("lifecycle.ui.answered", number=result.complaint_no),
                         markup=False)  # fmt: skip
        if self.is_attached:
            self.refresh_data()


def answer_of(values: dict[str, Any]) -> dict[str, Any]:
    """The answer form's values, checked (the form stays open on a ``ValidationError``)."""
    out = {
        "justified": bool(values.get("justified")),
        "satisfied": bool(values.get("satisfied")),
        "answer": clean(values.get("answer", "")).strip(),
        "date": required_day(values.get("date", "")),
    }
    if out["satisfied"] and not out["justified"]:
        raise ValidationError("outcome", key="lifecycle.error.outcome")
    return out
