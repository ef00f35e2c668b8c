"""The question asked before an intake is registered outside working hours (item 10).

Item 10: the service is given 09:00–18:00 on working days, lunch 13:00–14:00. The queue
refuses tickets then; an intake may still be registered (a training session, an authorised
extension of hours), but only with the reason, which the service keeps in the audit. This
dialog asks for it: ``1`` training, ``2`` an authorised extension, Esc does not register.
Dismisses with the reason's word (``OUTSIDE_HOURS_REASONS``) or None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Static

from mss_desk.vocabulary import OUTSIDE_HOURS_REASONS
from screens.base import DeskModal
from widgets import keymap

if TYPE_CHECKING:
    from mss_desk.rules.calendar import OfficeStatus
    from screens.base import DeskScreen


def closed_now(screen: DeskScreen | DeskModal[Any]) -> OfficeStatus | None:
    """The office status when closed now (item 10), else None (open, or not known yet)."""
    status = screen.desk.office_status()
    return status if status is not None and not status.open else None


class OutsideHoursModal(DeskModal[str | None]):
    """``OutsideHoursModal(status)`` — the closed ``OfficeStatus`` said in the question."""

    DEFAULT_CSS = """
    OutsideHoursModal {
        align: center middle;
    }
    OutsideHoursModal > #hours-box {
        width: 66;
        max-width: 100%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    OutsideHoursModal .title {
        text-style: bold;
    }
    OutsideHoursModal #hours-options {
        margin-top: 1;
    }
    """

    # chords, not digits: a scanner's burst must never give a reason and register (issue 12)
    BINDINGS = keymap.bindings("hours.training", "hours.extension", "hours.cancel")

    def __init__(self, status: OfficeStatus) -> None:
        super().__init__()
        self.status = status

    def compose(self) -> ComposeResult:
        status = self.desk.office_text(self.status)
        with Vertical(id="hours-box"):
            yield Static(Content(self.t("intake.hours.title")), classes="title")
            yield Static(Content(self.t("intake.hours.question", status=status)), id="question")
            options = [
                f"^t  {self.t('intake.hours.training')}",
                f"^e  {self.t('intake.hours.extension')}",
                f"Esc  {self.t('intake.hours.cancel')}",
            ]
            yield Static(Content("\n".join(options)), id="hours-options")
        yield Footer()

    def action_reason(self, reason: str) -> None:
        self.dismiss(reason if reason in OUTSIDE_HOURS_REASONS else None)
