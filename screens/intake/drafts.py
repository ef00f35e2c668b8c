"""Drafts of the intake form: saved through the service on every step and (debounced) on
every field change, so a crash or a dropped SSH link loses nothing; reopening offers to
resume the newest one.

Saves run off the UI thread, in order (:class:`~screens.intake.writes.SerialWrites`): the
first creates the draft, the next ones overwrite it. Only the save on the way out of a
torn-down App is made at once — the App is going, nothing is left to freeze.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mss_desk.i18n import t
from mss_desk.i18n.dates import format_datetime
from mss_desk.text import clean_line
from screens.dialogs import QuestionModal
from screens.intake.writes import error_text

if TYPE_CHECKING:
    from mss_desk.errors import DeskError
    from mss_desk.services.views import DraftView
    from screens.intake.screen import IntakeScreen

DRAFT_DEBOUNCE_SECONDS = 0.8


class DraftKeeper:
    """The draft of one intake screen: when to write it, and what it is called."""

    def __init__(self, screen: IntakeScreen) -> None:
        self.screen = screen
        self.draft_id: int | None = None
        self.dirty = False
        self._timer: Any = None
        self._pending: dict[str, Any] | None = None

    # -- saving
    def schedule(self) -> None:
        """A field changed: save a moment after the clerk stops typing."""
        self.dirty = True
        # What to write is read now: when the App is torn down (a dropped SSH link) the
        # form's widgets are gone before the screen's unmount can read them.
        self._pending = self.screen.raw_data()
        self.stop_timer()
        self._timer = self.screen.set_timer(DRAFT_DEBOUNCE_SECONDS, self.flush)

    def save_now(self) -> None:
        self.dirty = True
        self.flush()

    def stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _data(self) -> dict[str, Any] | None:
        if not self.dirty or self.screen.result is not None:
            return None
        try:
            data: dict[str, Any] | None = self.screen.raw_data()
        except Exception:  # noqa: BLE001 - torn down: write what was read at the last change
            data = self._pending
        if data is None or not worth_saving(data):
            return None
        return data

    def flush(self) -> None:
        """Queue a write of the draft now (a step change, the debounce timer, leaving)."""
        data = self._data()
        if data is None:
            return
        self.dirty = False
        screen = self.screen
        clerk_id = screen.clerk_id()

        def make() -> Any:
            draft_id = self.draft_id  # the id the previous save (queued before) returned
            return lambda: screen.services().intake.save_draft(draft_id, data, clerk_id=clerk_id)

        def saved(draft_id: int) -> None:
            if screen.result is None:
                self.draft_id = draft_id

        def failed(err: DeskError) -> None:
            self.dirty = True  # the next change or step tries again
            if screen.is_attached:
                message = error_text(err, screen.lang)
                screen.say(t("intake.err.save_failed", screen.lang, message=message))

        screen.writes.add(make, saved, failed)

    def flush_at_once(self) -> None:
        """The App is torn down with the form open: write what is on it, here and now."""
        data = self._data()
        if data is None:
            return
        try:
            self.draft_id = self.screen.services().intake.save_draft(
                self.draft_id, data, clerk_id=self.screen.clerk_id()
            )
            self.dirty = False
        except Exception:  # noqa: BLE001 - the desk is closing: nothing left to tell
            pass

    def discard(self, then: Any) -> None:
        """Delete the draft (if one was saved), then call ``then``."""
        self.stop_timer()
        self.dirty = False
        screen = self.screen
        clerk_id = screen.clerk_id()

        def make() -> Any:
            draft_id = self.draft_id
            self.draft_id = None
            if draft_id is None:
                return lambda: None
            return lambda: screen.services().intake.delete_draft(draft_id, clerk_id=clerk_id)

        screen.writes.add(make, lambda _: then(), lambda _err: then())  # already gone: fine

    # -- resuming
    def offer_resume(self) -> None:
        """Offer the newest unfinished draft of this clerk (of this ticket, if called)."""
        screen = self.screen
        try:
            drafts = screen.services().intake.load_drafts(clerk_id=screen.clerk_id())
        except Exception:  # noqa: BLE001 - no drafts to offer
            return
        # The form may already have saved its own draft (a step change, the debounce timer)
        # before this first refresh ran on a loaded server: never offer it back to itself.
        drafts = [d for d in drafts if d.id != self.draft_id]
        if screen.ticket_id is not None:
            drafts = [d for d in drafts if d.data.get("ticket_id") == screen.ticket_id] or [
                d for d in drafts if d.data.get("ticket_id") is None
            ]
        if not drafts:
            return
        draft = drafts[0]

        def answered(resume: bool | None) -> None:
            if resume:
                screen.restore(draft.id, draft.data)

        lang = screen.lang
        question = resume_question(draft, lang, screen.tz)
        title = t("intake.draft.resume_title", lang)
        modal = QuestionModal(title, question, yes="intake.draft.resume", no="intake.draft.new")
        screen.app.push_screen(modal, answered)


def worth_saving(data: dict[str, Any]) -> bool:
    return bool(data.get("institution") or data.get("iin") or data.get("surname"))


def resume_question(draft: DraftView, lang: str, tz: str) -> str:
    from mss_desk.clock import local

    name = " ".join(
        clean_line(str(draft.data.get(k) or "")) for k in ("surname", "name") if draft.data.get(k)
    )
    at = format_datetime(local(draft.updated_at, tz), lang)
    if name:
        return t("intake.draft.resume_q", lang, name=name, at=at)
    return t("intake.draft.resume_q_anon", lang, at=at)


__all__ = ["DRAFT_DEBOUNCE_SECONDS", "DraftKeeper"]
