"""Step 5: the summary and the one key that registers — accepted (all documents: a case
number, deadlines and the talon, item 15) or returned incomplete (the missing list, item
17) — then the result in its place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Static

from mss_desk.i18n import t
from screens.intake.fields import Step
from widgets.deadline_badge import DeadlineBadge
from widgets.text import set_text

if TYPE_CHECKING:
    from mss_desk.services.views import IntakeResult
    from screens.intake.applicant_step import ApplicantStep
    from widgets.checklist import Checklist


class ConfirmStep(Step):
    NAME = "confirm"

    def compose(self) -> ComposeResult:
        yield Static("", id="summary", markup=False)
        yield Button(
            Content(t("intake.key.submit", self.lang)),
            id="register",
            variant="primary",
            compact=True,
        )
        with Vertical(id="result"):
            yield Static("", id="result-title", markup=False)
            with Vertical(id="result-deadlines"):
                today = date(2000, 1, 1)  # set when the case is registered
                yield DeadlineBadge("intake.deadline.service", None, today, id="result-service")
                yield DeadlineBadge("intake.deadline.forward", None, today, id="result-forward")
                yield DeadlineBadge("intake.deadline.decision", None, today, id="result-decision")
            yield Static("", id="result-missing", markup=False)
            yield Static("", id="result-print", markup=False)

    def summarise(self, applicant: ApplicantStep, institution: str, checklist: Checklist) -> None:
        """What will be registered: who, where, how the result goes, what is missing."""
        lang = self.lang
        delivery = applicant.delivery_method
        lines = [
            f"{t('intake.confirm.applicant', lang)}: {applicant.full_name()} · "
            f"{applicant.iin.value}",
            f"{t('intake.confirm.institution', lang)}: {t(f'intake.inst.{institution}', lang)}",
            f"{t('intake.confirm.delivery', lang)}: {t(f'intake.delivery.{delivery}', lang)}"
            + (f" — {applicant.text('postal_address')}" if delivery == "post" else ""),
            t(
                "intake.checklist.summary",
                lang,
                received=len(checklist.received),
                total=len(checklist.codes),
            ),
        ]
        if checklist.missing:
            lines.append(t("intake.result.missing", lang))
            lines += [f" • {checklist.label(c)}" for c in checklist.missing]
            lines += ["", t("intake.confirm.will_return", lang)]
        else:
            lines += ["", t("intake.confirm.will_accept", lang)]
        self.show_summary(lines)

    def show_summary(self, lines: list[str]) -> None:
        set_text(self.query_one("#summary", Static), "\n".join(lines))

    def relabel(self, lang: str) -> None:
        self.query_one("#register", Button).label = Content(t("intake.key.submit", lang))

    def show_result(
        self,
        result: IntakeResult,
        today: date,
        print_message: str,
        doc_label: Callable[[str, str], str],
    ) -> None:
        """The case as registered: number or status, deadlines, what is missing, paper."""
        lang = self.lang
        self.query_one("#summary").display = False
        self.query_one("#register").display = False
        self.query_one("#result").add_class("-shown")
        title = self.query_one("#result-title", Static)
        if result.outcome == "accepted":
            set_text(title, t("intake.result.accepted", lang, case_no=result.case_no))
        else:
            set_text(title, t("intake.result.incomplete", lang, case_id=result.case_id))
        d = result.deadlines
        box = self.query_one("#result-deadlines", Vertical)
        box.display = d is not None
        if d is not None:
            badges = {b.id: b for b in box.query(DeadlineBadge)}
            badges["result-service"].show(d.service_due, today, binding=d.binding == "service")
            badges["result-forward"].show(d.forward_due, today)
            badges["result-decision"].show(d.decision_due, today, binding=d.binding == "decision")
            for badge in badges.values():
                badge.lang = lang
        missing = ""
        if result.missing:
            missing = "\n".join(
                [t("intake.result.missing", lang)]
                + [f" • {doc_label(c, lang)}" for c in result.missing]
            )
        missing_box = self.query_one("#result-missing", Static)
        set_text(missing_box, missing)
        missing_box.display = bool(missing)
        done = t("intake.result.done", lang)
        self.query_one("#result-print", Static).update(
            Content("\n".join(p for p in (print_message, done) if p))
        )

    def first_field(self) -> Widget | None:
        register = self.query_one("#register", Button)
        return register if register.display else None
