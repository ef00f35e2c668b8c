"""The Annex 2 survey at delivery: five yes/no questions, each skippable; Esc skips it all."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from screens.base import DeskModal
from widgets import keymap

SURVEY = ("2.1", "3.1", "4.3", "4.4", "5.1")  # Annex 2 indicators asked at delivery


class SurveyModal(DeskModal[dict[str, bool | None] | None]):
    """Dismisses with ``{indicator: True | False | None}`` (None: skipped), or None."""

    DEFAULT_CSS = """
    SurveyModal { align: center middle; }
    SurveyModal > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 100%;  /* 60×20: issue 12.13 */
        border: round $accent; background: $panel; padding: 0 1;
    }
    """
    BINDINGS = keymap.bindings("survey.yes", "survey.no", "survey.skip", "survey.cancel")

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, bool | None] = {}
        self.index = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.t("lifecycle.survey.title")), classes="title")
            yield Static(id="survey-progress", classes="hint")
            yield Static(id="survey-question")
            yield Static(Content(self.t("lifecycle.ui.survey_keys")), classes="hint")

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        no = SURVEY[self.index]
        self.query_one("#survey-progress", Static).update(
            Content(self.t("lifecycle.ui.survey_progress", n=self.index + 1, total=len(SURVEY)))
        )
        key = "lifecycle.survey.q" + no.replace(".", "_")
        self.query_one("#survey-question", Static).update(Content(self.t(key)))

    def action_answer(self, value: bool | None) -> None:
        self.answers[SURVEY[self.index]] = value
        self.index += 1
        if self.index >= len(SURVEY):
            self.dismiss(self.answers)
        else:
            self.show()

    def action_skip_all(self) -> None:
        self.dismiss(None)
