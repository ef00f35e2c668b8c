"""The Regional Department's desk (issue 14, point 2): the files every Department forwarded.

Two lists on one screen, switched with ←/→ (as the forwarding screen's; never digits):

1. **Incoming files**: every Department's file at the region — case number, Department,
   forwarding date, the working days left of item 5's ten (counted from the day after
   forwarding, SPEC.md; ``RegionService.incoming``), and where it stands; waiting files
   first, the most urgent first.
2. **Deadlines**: the files whose decision is overdue, due today or within three days.
3. **Waiting list** per institution type, region-wide (item 6.1): the WWII path first, then
   by forwarding date (``RegionService.waiting_list``); read-only but for Enter, D and F
   (the head: a place came free, the referral to the first in line; ``region_places``).

Enter opens the file read-only (the case card: the facts and the checklist as the
Department registered them). D records the decision — a referral (institution, number), a
refusal with its ground (item 17: incomplete or untrue information; item 6: not eligible;
and words) or a return for correction (what to correct) — on a form, then asked once more
(Enter / Esc) before ``RegionService.decide`` writes it with its message to the Department
(the outbox), stamped with the clerk and the time, and audited: the CLI's ``decide``.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from mss_desk.errors import DeskError, ValidationError
from mss_desk.i18n.dates import format_date
from mss_desk.text import clean, clean_line
from screens.base import DeskScreen
from screens.dialogs import Field, FormModal, QuestionModal
from widgets import keymap
from widgets.option_rows import highlighted_row, show_rows

VIEWS = ("incoming", "deadlines", "waiting")
# the decision form's choices, in the order of its radio buttons
KINDS = ("referral", "incomplete", "untrue", "not_eligible", "return")
REFUSALS = ("incomplete", "untrue", "not_eligible")  # item 17 (two), item 6


def region_service(desk: Any) -> Any:
    """The regional desk's service over the App's services (imported on first use)."""
    from mss_desk.exchange.region import RegionService

    return RegionService(desk.services)


class RegionScreen(DeskScreen):
    CSS_PATH = "region.tcss"
    BINDINGS = keymap.bindings(
        "region.view_prev", "region.view_next", "region.open", "region.decide",
        "region.free_place", "back",
    )

    def __init__(self, view: str = "incoming") -> None:
        super().__init__()
        self.view = view if view in VIEWS else "incoming"
        self.rows: list[Any] = []
        self._region: Any = None

    @property
    def region_files(self) -> Any:
        if self._region is None:
            self._region = region_service(self.desk)
        return self._region

    def compose(self) -> ComposeResult:
        yield Static(id="views", classes="hint")
        yield Static(id="view-title", classes="title")
        yield Static(id="columns", classes="hint")
        yield OptionList(id="files")
        yield Static(id="view-info", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#files", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def relabel(self) -> None:
        names = [self.t(f"lifecycle.region.view_{v}") + (" ◂" if v == self.view else "")
                 for v in VIEWS]
        self.query_one("#views", Static).update(Content("←  " + "   ".join(names) + "  →"))
        self.query_one("#view-title", Static).update(
            Content(self.t(f"lifecycle.region.title_{self.view}"))
        )
        col = {c: self.t(f"lifecycle.region.col_{c}")
               for c in ("case", "department", "forwarded", "days", "state")}
        w = self.dept_width()
        header = (f"{col['case'][:14]:<14} {col['department'][:w]:<{w}} "
                  f"{col['forwarded'][:10]:<10} {col['days'][:4]:>4}  {col['state']}")
        columns = self.query_one("#columns", Static)
        columns.update(Content(header))
        columns.styles.padding = (0, 0, 0, 6 if self.view == "waiting" else 2)  # "1.  "
        self.refresh_data()

    # -- data ---------------------------------------------------------------------------

    def refresh_data(self) -> None:
        files = self.region_files
        try:
            if self.view == "waiting":
                groups = files.waiting_list()
            else:
                rows = files.incoming() if self.view == "incoming" else files.deadlines()
        except DeskError as err:
            self.desk.show_error(err)
            return
        if self.view == "waiting":
            self.show_waiting(groups)
            rows = [r for _, group in groups for r in group]
        else:
            self.rows = rows
            show_rows(self.query_one("#files", OptionList), rows, self.line,
                      lambda r: str(r.case_no), self.t("lifecycle.ui.empty"))
        waiting = sum(1 for r in rows if r.status == "forwarded")
        late = sum(1 for r in rows if r.state == "overdue")
        self.query_one("#view-info", Static).update(
            Content(self.t("lifecycle.region.counts", waiting=waiting, overdue=late))
        )

    def show_waiting(self, groups: list[tuple[str, list[Any]]]) -> None:
        """Item 6.1: one heading per institution type, its files in line (WWII first).
        A heading is a row of its own (``None`` in ``self.rows``): nothing to open there."""
        options = self.query_one("#files", OptionList)
        keep = options.highlighted
        options.clear_options()
        self.rows = []
        for institution, group in groups:
            heading = self.t(f"intake.inst.{institution}")
            options.add_option(Option(Content(f"{heading} ({len(group)})"), disabled=True))
            self.rows.append(None)
            for place, row in enumerate(group, 1):
                line = self.line(row, f"{place}.".ljust(4))
                options.add_option(Option(line, id=str(row.case_no)))
                self.rows.append(row)
        if not groups:
            options.add_option(Option(Content(self.t("lifecycle.ui.empty")), disabled=True))
        elif keep is not None and keep < len(self.rows) and self.rows[keep] is not None:
            options.highlighted = keep
        else:
            options.highlighted = 1  # the first file under the first heading

    def department_name(self, row: Any) -> str:
        """The Department by its district (Annex 1, short enough for a column); the name
        it sent when the catalog does not know it."""
        lang = self.desk.lang
        dept = self.desk.catalog.departments.get(row.department_code)
        if dept is not None:
            name = getattr(dept, f"district_{lang}", None) or dept.district_kk
        else:
            name = (row.department_ru if lang == "ru" else "") or row.department_kk
        return clean_line(str(name or row.department_code))

    def where(self, row: Any) -> str:
        """What the last column says: the deadline's state, or what became of the file."""
        if row.status == "forwarded":
            return self.t(f"lifecycle.region.state_{row.state or 'running'}")
        if row.status == "decided" and row.decision:
            return self.t(f"lifecycle.decision.{row.decision}")
        if row.status == "accepted":  # returned for correction, not yet sent again
            return self.t("lifecycle.region.state_returned")
        return self.t(f"lifecycle.status.{row.status}")

    def line(self, row: Any, place: str = "") -> Content:
        prio = "★" if row.priority else " "  # item 6.1: the WWII path
        sent = format_date(row.forwarded_on) if row.forwarded_on else ""
        days = "" if row.days_left is None else str(row.days_left)
        w = self.dept_width()
        dept = self.department_name(row)[:w]
        text = f"{place}{row.case_no:<13}{prio} {dept:<{w}} {sent:<10} {days:>4}  {self.where(row)}"
        return Content(text[: max(40, self.size.width - 6)])  # one line, never wrapped

    def dept_width(self) -> int:
        """The Department column: narrower on a 60-column terminal."""
        return 22 if self.size.width >= 80 or self.size.width == 0 else 12

    def on_resize(self) -> None:
        if self.is_mounted:
            self.relabel()

    def current(self) -> Any:
        """The file under the highlight (None on a heading or an empty list)."""
        return highlighted_row(self.query_one("#files", OptionList), self.rows)

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":  # only a file waiting for the region's decision
            row = self.current() if self.is_mounted else None
            return row is not None and row.status == "forwarded"
        if action == "free_place":  # item 6.1: the waiting list's lines only
            return self.view == "waiting"
        return True

    def action_view_step(self, step: int) -> None:
        """←/→: the other list (no digits: issue 12.5)."""
        self.view = VIEWS[(VIEWS.index(self.view) + step) % len(VIEWS)]
        self.relabel()
        self.refresh_bindings()

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(OptionList.OptionHighlighted, "#files")
    def _moved(self, _: OptionList.OptionHighlighted) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#files")
    def _chosen(self, _: OptionList.OptionSelected) -> None:
        self.action_open_case()

    def action_open_case(self) -> None:
        """Enter: the file as the Department registered it, read-only."""
        row = self.current()
        if row is None:
            return
        from screens.case_detail import CaseDetailScreen

        self.app.push_screen(CaseDetailScreen(row.case_no, read_only=True))

    def action_decide(self) -> None:
        row = self.current()
        if row is None or row.status != "forwarded":
            return
        fields = (
            Field("kind", "", "radio", 0,
                  tuple(f"lifecycle.region.kind_{k}" for k in KINDS)),
            Field("referral_no", "lifecycle.ui.referral_no", max_length=64),
            Field("institution", "lifecycle.ui.institution", max_length=300),
            Field("non_state", "lifecycle.ui.non_state", "checkbox", False),
            Field("text", "lifecycle.region.text"),
        )
        title = self.t("lifecycle.ui.decision_title", case=row.case_no)
        self.app.push_screen(FormModal(title, fields, decision_of),
                             lambda d: self._confirm(row, d))

    def action_free_place(self) -> None:
        """F: a place came free in the highlighted line (screens.region_places)."""
        from screens import region_places

        region_places.start(self)

    def _confirm(self, row: Any, decision: dict[str, Any] | None) -> None:
        """Issue 12.4: a decision is final for the Department: asked once more."""
        if not isinstance(decision, dict):
            return
        kind = decision["kind"]
        what = self.t(f"lifecycle.region.kind_{kind}")
        if kind == "referral":
            what += f": {decision['referral_no']}, {decision['institution']}"
        question = self.t("lifecycle.region.confirm", case=row.case_no, what=clean_line(what))

        def answered(yes: bool | None) -> None:
            if yes:
                self._save(row, decision)

        self.app.push_screen(
            QuestionModal(self.t("lifecycle.key.decide"), Content(question),
                          yes="lifecycle.key.save", no="lifecycle.key.cancel"),
            answered,
        )

    def _save(self, row: Any, decision: dict[str, Any]) -> None:
        desk, region = self.desk, self.region_files
        kind = decision["kind"]

        def call() -> Any:
            if kind == "return":
                return region.decide(row.case_no, return_note=decision["text"],
                                     clerk_id=desk.clerk_id)
            if kind == "referral":
                return region.decide(
                    row.case_no, referral_no=decision["referral_no"],
                    institution=decision["institution"],
                    ownership="non_state" if decision["non_state"] else "state",
                    clerk_id=desk.clerk_id,
                )
            return region.decide(row.case_no, refusal=kind, reason=decision["text"],
                                 clerk_id=desk.clerk_id)

        self.run_service(call, self._saved, group="write")

    def _saved(self, result: Any) -> None:
        self.desk.notify(self.t("lifecycle.region.saved", case=result.case_no), markup=False)
        if self.is_attached:
            self.refresh_data()
            self.refresh_bindings()


def decision_of(values: dict[str, Any]) -> dict[str, Any]:
    """The decision form's values, checked (the form stays open on a ``ValidationError``):
    a referral needs its number and institution, a return says what to correct."""
    kind = KINDS[int(values.get("kind") or 0)]
    out = {
        "kind": kind,
        "referral_no": clean_line(values.get("referral_no", "")),
        "institution": clean_line(values.get("institution", "")),
        "non_state": bool(values.get("non_state")),
        "text": clean(values.get("text", "")).strip(),
    }
    if kind == "referral" and not (out["referral_no"] and out["institution"]):
        raise ValidationError("referral", key="lifecycle.region.need_referral")
    if kind == "return" and not out["text"]:
        raise ValidationError("return", key="lifecycle.region.need_correction")
    return out
