"""The database is damaged at start: restore the last good backup, or quit.

Item 18.6 (safekeeping): a damaged file is never written to (``store.safety.preflight``);
the clerk is offered the newest backup that passes ``integrity_check``, named with its file
and time, and decides with the keyboard alone (a :class:`~screens.dialogs.QuestionModal`):
Enter/Y restores, Esc/N quits. With no good backup the screen only says so; any of those
keys quits. A path that holds no damaged database but something the desk cannot open at
all (a directory, a file that is no SQLite database, a read-only folder …) is said in its
own words under "The database cannot be opened", and any key quits (issue 15, item 13).

Dismisses with ``True`` (restore) or ``False`` (quit). Paths are shown as data, never markup.
:func:`offer_restore` is the whole start-up flow (the App calls it when opening fails).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static

from mss_desk.errors import DeskError
from mss_desk.text import clean_line
from screens.dialogs.question import QuestionModal

if TYPE_CHECKING:
    from screens.base import DeskApp


class RestoreScreen(QuestionModal):
    DEFAULT_CSS = """
    RestoreScreen > #question-box {
        width: 76; max-width: 100%; height: auto; max-height: 20;
        border: heavy $error; background: $panel; padding: 0 1;
    }
    RestoreScreen .hint { color: $text-muted; margin-top: 1; }
    """
    COMPACT_FOOTER = True

    def __init__(
        self,
        message: str,
        backup_file: str | None,
        taken: str = "",
        *,
        title: str = "safety.restore_title",
    ) -> None:
        """``message``: the damage in words; ``backup_file``/``taken``: the backup on offer
        (None: there is none, the clerk can only quit); ``title``: its i18n key ("the
        database is damaged", or "cannot be opened" for what is no damage)."""
        super().__init__("", message, yes="safety.key.restore", no="safety.key.quit",
                         buttons=False)
        self.message = message
        self.backup_file = backup_file
        self.taken = taken
        self.title_key = title
        if backup_file is None:
            # nothing to restore: the footer offers no "Restore" (Enter still quits)
            for key, items in list(self._bindings.key_to_bindings.items()):
                self._bindings.key_to_bindings[key] = [
                    replace(b, show=False) if b.action == "answer(True)" else b for b in items
                ]

    def compose(self) -> ComposeResult:
        self.question_title = self.t(self.title_key)
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


# --------------------------------------------------------------------------- the start-up flow

DAMAGED = ("safety.damaged", "safety.damaged_no_backup")
# Issue 15, item 13: what is at the database path is no damaged database — a directory, a
# pipe, a file this user may not read, a file that is no SQLite database, a sound file in a
# read-only folder. The desk said "the database is damaged"; it says what it is (the words
# of the command line, ``store.sqlite_file.check_database_file``) and quits.
CANNOT_OPEN = (
    "cli.db_is_directory",
    "cli.db_not_a_file",
    "cli.db_unreadable",
    "cli.db_not_sqlite",
    "cli.db_folder_read_only",
)


def offer_restore(
    app: App[Any],
    err: DeskError,
    taken: Callable[[Path], str],
    restore: Callable[[], str],
    restored: Callable[[], None],
) -> bool:
    """Item 18.6: a damaged database at start. Offer the newest good backup (named, with the
    time ``taken(file)`` says); on "yes" run ``restore()`` in a worker (it puts the backup in
    place and returns its name: the store's work, the App's to do), then ``restored()`` (the
    App forgets its services and asks for the first screen again). With no backup, or on
    "no", the desk quits with the damage in words. A database path the desk cannot open at
    all (``CANNOT_OPEN``) is said in its own words, and any key quits. False when ``err``
    is neither (the caller shows it as usual)."""
    desk = cast("DeskApp", app)
    if err.key in CANNOT_OPEN:
        words = desk.error_text(err)
        app.push_screen(
            RestoreScreen(words, None, title="safety.cannot_open_title"),
            lambda _answer: app.exit(return_code=1, message=words),
        )
        return True
    if err.key not in DAMAGED:
        return False
    backup = str(err.params.get("backup") or "") or None

    def answered(yes: bool | None) -> None:
        if not (backup is not None and yes):
            app.exit(return_code=1, message=desk.error_text(err))
            return
        desk.notify(desk.t("safety.restoring"), timeout=3)
        app.run_worker(
            partial(_restore, app, restore, restored), thread=True, exclusive=True,
            group="restore",
        )

    message = desk.error_text(err)
    app.push_screen(RestoreScreen(message, backup, taken(Path(backup)) if backup else ""),
                    answered)
    return True


def _restore(app: App[Any], restore: Callable[[], str], restored: Callable[[], None]) -> None:
    """Worker thread: restore, then say so (or why not) on the UI thread."""
    try:
        name = restore()
    except DeskError as err:
        app.call_from_thread(_restore_failed, app, err)
        return
    app.call_from_thread(_restored, app, name, restored)


def _restored(app: App[Any], name: str, restored: Callable[[], None]) -> None:
    desk = cast("DeskApp", app)
    desk.notify(desk.t("safety.restore_done", path=name), markup=False, timeout=5)
    restored()


def _restore_failed(app: App[Any], err: DeskError) -> None:
    desk = cast("DeskApp", app)
    app.push_screen(
        RestoreScreen(desk.error_text(err), None),
        lambda _answer: app.exit(return_code=1, message=desk.error_text(err)),
    )
