"""The database is damaged at start: restore the last good backup, or quit.

Item 18.6 (safekeeping): a damaged file is never written to (``store.safety.preflight``);
the clerk is offered the newest backup that passes ``integrity_check``, named with its file
and time, and decides with the keyboard alone: Enter/Y restores, Esc/N quits. With no good
backup the screen only says so; any of those keys quits.

Dismisses with ``True`` (restore) or ``False`` (quit). Paths are shown as data, never markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Static

from mss_desk.text import clean_line
from screens.base import DeskModal


class RestoreScreen(DeskModal[bool]):
    DEFAULT_CSS = """
    RestoreScreen { align: center middle; }
    RestoreScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 20;
        border: heavy $error; background: $panel; padding: 0 1;
    }
    RestoreScreen .title { text-style: bold; }
    RestoreScreen .hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("enter", "answer(True)", "safety.key.restore", priority=True),
        Binding("y", "answer(True)", "safety.key.restore", show=False, priority=True),
        Binding("escape", "answer(False)", "safety.key.quit", priority=True),
        Binding("n", "answer(False)", "safety.key.quit", show=False, priority=True),
    ]

    def __init__(self, message: str, backup_file: str | None, taken: str = "") -> None:
        """``message``: the damage in words; ``backup_file``/``taken``: the backup on offer
        (None: there is none, the clerk can only quit)."""
        super().__init__()
        self.message = message
        self.backup_file = backup_file
        self.taken = taken

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.t("safety.restore_title")), classes="title")
            yield Static(Content(clean_line(self.message)), id="restore-message")
            if self.backup_file is not None:
                yield Static(
                    Content(
                        self.t(
                            "safety.restore_backup",
                            file=clean_line(self.backup_file),
                            time=self.taken,
                        )
                    ),
                    id="restore-backup",
                )
                yield Static(
                    Content(self.t("safety.restore_keys")), id="restore-hint", classes="hint"
                )
            else:
                yield Static(Content(self.t("safety.quit_keys")), id="restore-hint", classes="hint")
        yield Footer(compact=True)

    def action_answer(self, restore: bool) -> None:
        if self.backup_file is None:
            restore = False  # nothing to restore: every key quits
        self.dismiss(restore)
