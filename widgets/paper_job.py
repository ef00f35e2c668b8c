"""Paper printed from a screen in the background, its outcome told in the clerk's language.

Every paper the screens print (the queue ticket, the complaint talon, the forwarding
register, the postal notice) goes the same way: a worker thread asks ``services.printing``
for it (the data is read and the PDF drawn there, never on the UI thread), so a slow printer
never holds the desk; a refused action (``DeskError``) is shown like any other, any other
failure is "not printed" (the PDF may still be in the paper folder), a failed print
command is said with its reason, and a success says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode

from mss_desk.errors import DeskError

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from mss_desk.paper.printing import PrintResult


class _NotPrinted(Exception):
    """The PDF was saved but the print command failed (its message, translated)."""


def print_in_background(
    node: DOMNode,
    job: Callable[[], PrintResult],
    *,
    printed: Callable[[PrintResult], str] | None = None,
    failure: SeverityLevel = "information",
    tell: Callable[[str, SeverityLevel], Any] | None = None,
) -> None:
    """Run ``job()`` (a ``services.printing.print_*`` call) in a thread worker of ``node``
    (group ``paper``) and say how it went: ``printed(result)`` (default: the file's path),
    or "not printed" with ``failure``'s severity. ``tell(text, severity)`` says it instead of a
    toast (the queue's notice line, issue 12.8); it is called on the UI thread."""
    app: Any = node.app

    def notify(text: str, severity: SeverityLevel = "information", **kw: Any) -> None:
        if tell is not None:
            tell(text, severity)
        else:
            app.notify(text, severity=severity, **kw)

    def say(result: PrintResult) -> str:
        if not result.ok:  # the print command failed: say why (the PDF is kept)
            raise _NotPrinted(result.message(app.lang))
        if printed is not None:
            return printed(result)
        return str(app.t("lifecycle.ui.printed", path=str(result.path)))

    def run() -> None:
        try:
            result = job()
            text = say(result)
        except DeskError as err:
            if tell is not None:
                app.call_from_thread(tell, app.error_text(err), "error")
            else:
                app.call_from_thread(app.show_error, err)
        except _NotPrinted as why:
            app.call_from_thread(notify, str(why), "warning", markup=False)
        except Exception:  # noqa: BLE001 - a printer problem must not stop the desk
            app.call_from_thread(notify, app.t("ui.queue.print_failed"), failure)
        else:
            app.call_from_thread(notify, text, timeout=3 if printed is not None else None)

    node.run_worker(run, thread=True, group="paper", exit_on_error=False)
