"""Step 1: the institution type (item 6) and state / non-state (item 3)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import RadioSet, Static

from mss_desk.i18n import t
from screens.intake.fields import Step
from widgets.text import set_text


class TypeStep(Step):
    NAME = "type"
    RADIOS = ("institution", "ownership")
    SECTIONS = (("inst", "intake.f.institution"),)

    def compose(self) -> ComposeResult:
        yield self.section("inst", "intake.f.institution")
        yield self.radio("institution")
        yield Static("", id="inst-name", classes="note", markup=False)
        # one option a line: side by side they pass 60 columns (issue 12.13)
        yield self.row("ownership", "intake.f.ownership", self.radio("ownership"))

    @property
    def institution(self) -> str | None:
        return self.radio_value("institution")

    @property
    def ownership(self) -> str:
        return self.radio_value("ownership") or "state"

    def show_institution_name(self, text: str) -> None:
        set_text(self.query_one("#inst-name", Static), text)

    def problems(self) -> str | None:
        if self.institution is None:
            return t("intake.err.choose_type", self.lang)
        return None

    def first_field(self) -> Widget | None:
        return self.query_one("#institution", RadioSet)
