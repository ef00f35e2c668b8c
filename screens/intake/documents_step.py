"""Step 4: the live checklist of exactly the required documents (item 12) — or, when the
person is not eligible, the reasons in words and no checklist (item 6)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from mss_desk.i18n import t
from mss_desk.i18n.dates import format_date
from screens.intake.fields import Step
from widgets.checklist import Checklist, relabel_bindings
from widgets.text import set_text

if TYPE_CHECKING:
    from mss_desk.rules.eligibility import Evaluation


class DocumentsStep(Step):
    NAME = "documents"
    SECTIONS = (("checklist", "intake.checklist.title"),)

    def __init__(self, labeler: Callable[[str, str], str]) -> None:
        super().__init__()
        self.labeler = labeler
        self.evaluation: Evaluation | None = None
        self.on_day: date | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="verdict", markup=False)
        yield self.section("checklist", "intake.checklist.title")
        yield Checklist(labeler=self.labeler, lang=self.lang, id="checklist")
        yield Static("", id="checklist-summary", markup=False)

    @property
    def checklist(self) -> Checklist:
        return self.query_one(Checklist)

    def show_evaluation(
        self, evaluation: Evaluation | None, documents: tuple[str, ...], on: date
    ) -> None:
        """The verdict and (eligible) the checklist of ``documents``; marks are kept."""
        self.evaluation = evaluation
        self.on_day = on
        self.checklist.set_documents(documents)
        self.show_verdict()
        self.show_summary()

    def show_verdict(self) -> None:
        from mss_desk.rules.eligibility import reason_text

        lang = self.lang
        verdict = self.query_one("#verdict", Static)
        ev = self.evaluation
        refused = ev is not None and not ev.eligible
        verdict.set_class(refused, "-refused")
        for node in (
            self.query_one("#sec-checklist"),
            self.checklist,
            self.query_one("#checklist-summary"),
        ):
            if node.display == refused:
                node.display = not refused
        if ev is None:
            set_text(verdict, t("intake.checklist.empty", lang))
            return
        if refused:
            lines = [t("intake.not_eligible.title", lang)]
            lines += [f" • {reason_text(r, lang)}" for r in ev.reasons]
            lines.append(t("intake.not_eligible.hint", lang))
            set_text(verdict, "\n".join(lines))
            return
        parts = [
            "✓ " + t("intake.eligible.title", lang),
            t("intake.eligible.age", lang, date=format_date(self.on_day or date.min), age=ev.age),
        ]
        if ev.pension_age:
            parts.append(t("intake.eligible.pension", lang))
        if ev.priority:
            parts.append(t("intake.eligible.priority", lang))
        set_text(verdict, " · ".join(parts))

    def show_summary(self) -> None:
        checklist = self.checklist
        total = len(checklist.codes)
        received = len(checklist.received)
        text = t("intake.checklist.summary", self.lang, received=received, total=total)
        if total and checklist.complete:
            text += " · " + t("intake.checklist.all", self.lang)
        set_text(self.query_one("#checklist-summary", Static), text)

    def values(self) -> dict[str, object]:
        return {"received": sorted(self.checklist.received_all)}

    def restore(self, data: dict[str, object]) -> None:
        received = data.get("received") or ()
        self.checklist.set_received(str(c) for c in received)  # type: ignore[attr-defined]

    def relabel(self, lang: str) -> None:
        super().relabel(lang)
        self.checklist.lang = lang
        relabel_bindings(self.checklist, lang)
        self.show_verdict()

    def problems(self) -> str | None:
        if self.evaluation is None:
            return t("intake.checklist.empty", self.lang)
        if not self.evaluation.eligible:
            return t("intake.err.not_eligible", self.lang)
        return None

    def first_field(self) -> Widget | None:
        checklist = self.checklist
        return checklist if checklist.display else None
