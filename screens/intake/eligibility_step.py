"""Step 2: the applicant category — only the questions the chosen type asks (item 6).

The question table lives in the rules (:mod:`mss_desk.rules.questions`); an unasked
question is hidden here and read as unanswered, so a tick left from another type never
reaches the facts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Static

from mss_desk.i18n import t
from mss_desk.i18n.dates import parse_day
from mss_desk.rules.questions import asks
from screens.intake.fields import Step


class EligibilityStep(Step):
    NAME = "eligibility"
    RADIOS = ("group", "relatives", "relatives_reason")
    CHECKBOXES = ("disabled", "psychoneuro", "wwii", "needs_care", "declared_incapable")
    TEXTS = ("council_decision_no", "council_decision_date", "spouse_case_no")
    SECTIONS = (
        ("relatives", "intake.f.relatives"),
        ("relatives_reason", "intake.f.relatives_reason"),
    )

    institution: str | None = None  # told by the screen: the questions follow the type

    def compose(self) -> ComposeResult:
        yield self.checkbox("disabled")
        # one option a line: side by side they pass 60 columns (issue 12.13)
        yield self.row("group", "intake.f.group", self.radio("group"))
        yield self.checkbox("psychoneuro")
        yield self.checkbox("wwii")
        yield self.checkbox("needs_care", True)
        yield self.section("relatives", "intake.f.relatives")
        yield self.radio("relatives")
        yield self.section("relatives_reason", "intake.f.relatives_reason")
        yield self.radio("relatives_reason")
        yield self.row(
            "council_decision_no", "intake.f.council_no", self.field("council_decision_no")
        )
        yield self.row(
            "council_decision_date", "intake.f.council_date", self.field("council_decision_date")
        )
        # issue 11.5: what is wrong with the decision's date, on the field, before submit
        yield Static("", id="council-error", classes="field-error")
        # item 6.1 (married couples): one case each, linked by the spouse's case no. or IIN
        spouse = self.field("spouse_case_no", max_length=16)  # DD-YYYY-NNNNN or 12 digits
        yield self.row("spouse_case_no", "intake.f.spouse", spouse)
        yield self.checkbox("declared_incapable")

    def asks(self, question: str) -> bool:
        return asks(self.institution, question)

    def show_for(self, institution: str | None) -> None:
        """Show the questions ``institution`` asks (and what the answers so far open)."""
        self.institution = institution
        disabled = self.check("disabled")
        relatives = self.radio_value("relatives")
        self.show("#disabled", self.asks("disabled"))
        self.show("#row-group", self.asks("group") and disabled)
        self.show("#group-none", institution == "children_psychoneuro")  # a child: no group
        self.show("#psychoneuro", self.asks("psychoneuro"))
        self.show("#wwii", self.asks("wwii"))
        self.show("#needs_care", self.asks("needs_care"))
        self.show("#sec-relatives, #relatives", self.asks("relatives"))
        reason = self.asks("relatives_reason") and relatives == "relatives_unable"
        self.show("#sec-relatives_reason, #relatives_reason", reason)
        council = self._council_exception()
        self.show("#row-council_decision_no, #row-council_decision_date", council)
        self.show("#council-error", council and bool(self._council_error_text))
        self.show("#row-spouse_case_no", institution == "elderly_general")
        self.show("#declared_incapable", self.asks("declared_incapable"))

    def _council_exception(self) -> bool:
        return self.asks("council") and self.radio_value("relatives") == "council_exception"

    def answers(self) -> dict[str, Any]:
        """The answers as ``IntakeForm`` fields: an unasked question is unanswered."""
        group = self.radio_value("group")
        disabled = self.check("disabled")
        relatives = self.radio_value("relatives") if self.asks("relatives") else None
        council = relatives == "council_exception"
        return {
            "disabled": disabled,
            "disability_group": int(group) if group and group.isdigit() and disabled else None,
            "psychoneuro": self.check("psychoneuro") if self.asks("psychoneuro") else False,
            "wwii": self.check("wwii") if self.asks("wwii") else False,
            "needs_care": self.check("needs_care"),
            "relatives": relatives,
            "relatives_reason": (
                self.radio_value("relatives_reason") if relatives == "relatives_unable" else None
            ),
            "declared_incapable": (
                self.check("declared_incapable") if self.asks("declared_incapable") else False
            ),
            "council_decision_no": self.text("council_decision_no") if council else "",
            "council_decision_date": self.council_date() if council else None,
            "spouse_case_no": (
                self.text("spouse_case_no") if self.institution == "elderly_general" else ""
            ),
        }

    def council_date(self) -> date | None:
        return parse_day(self.text("council_decision_date"))

    _council_error_text = ""

    def council_problem(self, *, typing: bool = False) -> str | None:
        """Item 6.1 (issue 11.5): the Council's decision needs its number and a real date,
        not later than today. While ``typing``, an unfinished date is not yet an error."""
        if not self._council_exception():
            return None
        lang = self.lang
        field = t("intake.f.council_date", lang)
        raw = self.text("council_decision_date")
        if raw:
            day = parse_day(raw)
            if day is None:
                if typing and len(raw) < len("dd.mm.yyyy"):
                    return None
                return t("intake.err.bad_date", lang, field=field)
            today = self.screen.today()  # type: ignore[attr-defined]
            if day > today:
                from mss_desk.i18n.dates import format_date

                return t("intake.err.future_date", lang, field=field, today=format_date(today))
        if typing:
            return None
        if not self.text("council_decision_no"):
            return t("intake.err.required", lang, field=t("intake.f.council_no", lang))
        if not raw:
            return t("intake.err.required", lang, field=field)
        return None

    def show_council_problem(self, problem: str | None) -> None:
        self._council_error_text = problem or ""
        note = self.query_one("#council-error", Static)
        note.update(Content(self._council_error_text))
        self.show("#council-error", bool(problem))

    @on(Input.Changed, "#council_decision_date, #council_decision_no")
    def _council_typed(self, event: Input.Changed) -> None:
        self.show_council_problem(self.council_problem(typing=True))

    def problems(self) -> str | None:
        problem = self.council_problem()
        self.show_council_problem(problem)
        if problem:
            return problem
        return self.too_long(("council_decision_no",))
