"""The intake's paper: the talon (accepted, item 15) or the missing-documents slip (item 17).

Assembled and printed by ``services.printing`` (the one place every printout is made);
this only asks for it, in a worker thread after the case is saved, and words the outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mss_desk.i18n import t

if TYPE_CHECKING:
    from mss_desk.services import Services
    from mss_desk.services.views import IntakeResult


def make_paper(services: Services, settings: object, result: IntakeResult, lang: str) -> str:
    """Print the talon or the slip; returns the line the screen shows. Any exception is the
    caller's to turn into a notification — the case is already saved."""
    printed = services.printing.print_intake_paper(result, settings)
    if not printed.ok:
        return t("intake.err.print_failed", lang, message=printed.message(lang))
    key = "intake.result.talon" if result.accepted else "intake.result.slip"
    return t(key, lang, path=str(printed.path))
