"""The database is damaged at start: restore the last good backup, or quit.

Item 18.6 (safekeeping): a damaged file is never written to (``store.safety.preflight``);
the clerk is offered the newest backup that passes ``integrity_check``, named with its file
and time, and decides with the keyboard alone (a :class:`~screens.dialogs.QuestionModal`):
Enter/Y restores, Esc/N quits. With no good backup the screen only says so; any of those
keys quits.

Dismisses with ``True`` (restore) or ``False`` (quit). Paths are shown as data, never markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from mss_desk.text import clean_line
from screens.dialogs.question import QuestionModal


class RestoreScreen(QuestionModal):
    DEFAULT_CSS = """
    RestoreScreen > #question-box {
        width: 76; max-width: 100%; height: auto; max-height: 20;
        border: heavy $error; background: $panel; padding: 0 1;
    }
    RestoreScreen .hint { color: $text-muted; margin-top: 1; }
    """
    COMPACT_FOOTER = True

    def __init__(self, message: str, backup_file: str | None, taken: str = "") -> None:
        """``message``: the damage in words; ``backup_file``/``taken``: the backup on offer
        (None: there is none, the clerk can only quit)."""
        super().__init__("", message, yes="safety.key.restore", no="safety.key.quit",
                         buttons=False)
        self.message = message
        self.backup_file = backup_file
        self.taken = taken

    def compose(self) -> ComposeResult:
        self.question_title = self.t("safety.restore_title")
        return super().compose()

    def compose_question(self) -> ComposeResult:
        yield Static(Content(clean_line(self.message)), id="restore-message")
        if self.backup_file is not None:
            backup = self.t("safety.restore_backup", file=clean_line(self.backup_file),
                            time=self.taken)
            yield Static(Content(backup), id="restore-backup")
            yield Static(Content(self.t("safety.restore_keys")), id="restore-hint",
                         classes="hint")
        else:
            yield Static(Content(self.t("safety.quit_keys")), id="restore-hint", classes="hint")

    def action_answer(self, value: bool) -> None:
        if self.backup_file is None:
            value = False  # nothing to restore: every key quits
        super().action_answer(value)
