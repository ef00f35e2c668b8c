"""A returned file finished at the desk (items 6, 15, 17; SPEC "Case lifecycle").

Opened from the case card of a ``returned_incomplete`` file. The clerk ticks the documents
the applicant brought now (the :class:`~widgets.checklist.Checklist` of what is missing)
and presses Ctrl+S: ``IntakeService.complete`` evaluates the facts again on this day and
accepts the file (a number, deadlines from today; the card prints the talon) or keeps it
returned with the new missing list (the card prints a new slip). Someone no longer eligible
today is told why here, and when they outgrew the type (a child who turned 18) the desk
offers the older type: T takes it and the documents are checked again.

Outside working hours the reason is asked first (item 10, ``outside_hours.py``).
Dismisses with the ``IntakeResult`` written, or None when nothing was written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from mss_desk.i18n.dates import format_date
from screens.base import DeskModal
from screens.intake.outside_hours import OutsideHoursModal, closed_now
from widgets import keymap
from widgets.checklist import Checklist
from widgets.text import user_content

if TYPE_CHECKING:
    from mss_desk.services.views import CaseDetail, IntakeResult


class ReopenModal(DeskModal["IntakeResult | None"]):
    """``ReopenModal(detail)`` — ``detail``: the case card's ``CaseDetail``."""

    DEFAULT_CSS = """
    ReopenModal {
        align: center middle;
    }
    ReopenModal > #reopen-box {
        width: 78;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    ReopenModal .title {
        text-style: bold;
    }
    ReopenModal .hint {
        color: $text-muted;
    }
    ReopenModal #reopen-scroll {
        height: auto;
        max-height: 14;
    }
    ReopenModal #earlier, ReopenModal #verdict {
        padding: 0 1;
    }
    ReopenModal #verdict {
        color: $text-error;
    }
    """

    BINDINGS = [
        *keymap.bindings("reopen.save", "reopen.take", "reopen.cancel"),
    ]

    def __init__(self, detail: CaseDetail) -> None:
        super().__init__()
        self.detail = detail
        self.institution: str | None = None  # the type the clerk took, when offered
        self.offer: str | None = None
        self._busy = False

    def _label(self, code: str, lang: str) -> str:
        try:
            if lang in ("kk", "ru"):
                return str(self.desk.catalog.document(code).label(lang))
        except Exception:  # noqa: BLE001 - fall back to the UI catalog
            pass
        return self.t(f"intake.doc.{code}")

    def compose(self) -> ComposeResult:
        d = self.detail
        earlier = sum(1 for doc in d.documents if doc.required and doc.received)
        missing = tuple(doc.code for doc in d.documents if doc.required and not doc.received)
        with Vertical(id="reopen-box"):
            yield Static(
                user_content(self.t("intake.reopen.title", case_id=d.id) + f" · {d.full_name}"),
                classes="title",
            )
            yield Static(Content(self.t("intake.reopen.hint")), classes="hint")
            yield Static(Content(self.t("intake.reopen.already", n=earlier)), id="earlier")
            with VerticalScroll(id="reopen-scroll"):
                yield Checklist(
                    missing, (), labeler=self._label, lang=self.desk.lang, id="reopen-checklist"
                )
            yield Static("", id="verdict", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#verdict").display = False
        self.query_one(Checklist).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_offer":
            return self.offer is not None
        return True

    # ---------------------------------------------------------------- writing

    def action_save(self) -> None:
        if self._busy:
            return  # a second Ctrl+S while the first waits for the database: ignored
        closed = closed_now(self)
        if closed is not None:
            # item 10: outside working hours only with a reason, kept in the audit
            self._busy = True
            self.app.push_screen(OutsideHoursModal(closed), self._hours_answered)
            return
        self._complete("")

    def action_take_offer(self) -> None:
        if self.offer is None or self._busy:
            return
        self.institution, self.offer = self.offer, None
        self.refresh_bindings()
        self.action_save()

    def _hours_answered(self, reason: str | None) -> None:
        self._busy = False
        if not reason:
            self._verdict(self.t("intake.hours.cancelled"))
            return
        self._complete(reason)

    def _complete(self, outside_hours: str) -> None:
        services = self.desk.services
        case_id, clerk_id = self.detail.id, self.desk.clerk_id
        received = set(self.query_one(Checklist).received)
        institution = self.institution
        self._busy = True

        def call() -> IntakeResult:
            return services.intake.complete(
                case_id,
                received,
                clerk_id,
                institution=institution,
                outside_hours=outside_hours,
            )

        self.run_service(call, self._done, self._failed, group="reopen")

    def _failed(self, err: Any) -> None:
        self._busy = False
        self.desk.show_error(err)

    def _done(self, result: IntakeResult) -> None:
        self._busy = False
        if result.outcome != "refused":
            self.dismiss(result)
            return
        # item 6: told why, in words; the file stays as it was
        from mss_desk.rules.eligibility import reason_text

        lang = self.desk.lang
        lines = [self.t("intake.reopen.refused", date=format_date(self.desk.today()))]
        lines += [f"• {reason_text(r, lang)}" for r in result.reasons]
        self.offer = result.offer
        if result.offer:
            lines.append(self.t("intake.reopen.offer", type=self.t(f"intake.inst.{result.offer}")))
        self._verdict("\n".join(lines))
        self.refresh_bindings()

    def _verdict(self, text: str) -> None:
        verdict = self.query_one("#verdict", Static)
        verdict.update(Content(text))
        verdict.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)
