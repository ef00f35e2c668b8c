"""The intake's paper: the talon (accepted, item 15) or the missing-documents slip (item 17).

Assembled and printed by ``services.printing`` (the one place every printout is made);
this only asks for it, in a worker thread after the case is saved, and words the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mss_desk.i18n import t

if TYPE_CHECKING:
    from mss_desk.services import Services
    from mss_desk.services.views import IntakeResult
    from screens.base import DeskScreen


def make_paper(services: Services, settings: object, result: IntakeResult, lang: str) -> str:
    """Print the talon or the slip; returns the line the screen shows. Any exception is the
    caller's to turn into a notification — the case is already saved."""
    printed = services.printing.print_intake_paper(result, settings)
    if not printed.ok:
        return t("intake.err.print_failed", lang, message=printed.message(lang))
    key = "intake.result.talon" if result.accepted else "intake.result.slip"
    return t(key, lang, path=str(printed.path))


def print_in_worker(
    screen: DeskScreen, result: IntakeResult, done: Callable[[str], object]
) -> None:
    """Print in a thread; ``done(line)`` on the UI thread. A failure is also a warning."""
    app = screen.app
    services, settings, lang = screen.desk.services, screen.desk.settings, screen.desk.lang

    def work() -> None:
        try:
            message = make_paper(services, settings, result, lang)
        except Exception as exc:  # noqa: BLE001 - printing never crashes the desk
            message = t("intake.err.print_failed", lang, message=type(exc).__name__)
            app.call_from_thread(app.notify, message, severity="warning")
        app.call_from_thread(done, message)

    screen.run_worker(work, thread=True, group="paper", exit_on_error=False)
