"""A yes/no question answered with the keyboard alone: Enter or Y says yes, Esc or N no.

Dismisses with ``True`` (yes) or ``False`` (no). The title, the question and both answers
are in the clerk's language (i18n keys for the answers: the footer and the command palette
say them too); the question is data (``Content``), never markup. The resume-draft question
of the intake and the restore offer at start (``screens/restore.py``) are both this.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Static

from screens.base import DeskModal
from widgets import keymap


class QuestionModal(DeskModal[bool]):
    """``QuestionModal(title, question, yes="…", no="…")`` — ``yes``/``no`` are i18n keys.

    With ``buttons`` (the default) both answers are buttons, "Y …" focused first; without,
    the subclass shows its own hint (``compose_question``).
    """

    DEFAULT_CSS = """
    QuestionModal {
        align: center middle;
    }
    QuestionModal > #question-box {
        width: 64;
        max-width: 100%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    QuestionModal .title {
        text-style: bold;
    }
    QuestionModal #question-buttons {
        height: auto;
        margin-top: 1;
    }
    QuestionModal #question-buttons Button {
        margin-right: 2;
    }
    """

    BINDINGS = keymap.bindings("question.yes", "question.no")
    COMPACT_FOOTER: ClassVar[bool] = False

    def __init__(
        self,
        title: str,
        question: str | Content,
        *,
        yes: str,
        no: str,
        buttons: bool = True,
    ) -> None:
        super().__init__()
        self.question_title = title
        self.question = question
        self.yes_key = yes
        self.no_key = no
        self.buttons = buttons
        # this question's answers name its keys (the App translates them with the rest)
        names = {"answer(True)": yes, "answer(False)": no}
        for key, items in list(self._bindings.key_to_bindings.items()):
            self._bindings.key_to_bindings[key] = [
                replace(b, description=names[b.action]) if b.action in names else b
                for b in items
            ]

    def compose(self) -> ComposeResult:
        with Vertical(id="question-box"):
            yield Static(Content(self.question_title), classes="title")
            yield from self.compose_question()
            if self.buttons:
                with Horizontal(id="question-buttons"):
                    yield Button(
                        Content("Y " + self.t(self.yes_key)), id="yes", variant="primary",
                        compact=True,
                    )
                    yield Button(Content("N " + self.t(self.no_key)), id="no", compact=True)
        yield Footer(compact=self.COMPACT_FOOTER)

    def compose_question(self) -> ComposeResult:
        """The question itself (a subclass may say more)."""
        question = self.question
        yield Static(question if isinstance(question, Content) else Content(question),
                     id="question")

    def on_mount(self) -> None:
        if self.buttons:
            self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
