"""Paper printed from a screen in the background, its outcome told in the clerk's language.

The complaint talon, the forwarding register and the postal notice all print the same way:
a worker thread builds the PDF and sends it to the print command, so a slow printer never
holds the desk; a refused action (``DeskError``) is shown like any other, any other failure
is "not printed" (the PDF may still be in the paper folder), and a success names the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode

from mss_desk.errors import DeskError


def print_in_background(node: DOMNode, job: Callable[[Any], Any]) -> None:
    """Run ``job(paper)`` in a thread worker of ``node`` (group ``paper``) and say how it went.

    ``paper`` is the ``mss_desk.paper`` module, imported in the thread (ReportLab is loaded
    on first use, never at start-up); ``job`` returns a ``PrintResult`` (its ``.path`` is
    named to the clerk). Everything ``job`` reads from the services runs in the thread too.
    """
    app: Any = node.app

    def run() -> None:
        try:
            from mss_desk import paper

            result = job(paper)
        except DeskError as err:
            app.call_from_thread(app.show_error, err)
        except Exception:  # noqa: BLE001 - a printer problem must not stop the desk
            app.call_from_thread(app.notify, app.t("ui.queue.print_failed"))
        else:
            app.call_from_thread(app.notify, app.t("lifecycle.ui.printed", path=str(result.path)))

    node.run_worker(run, thread=True, group="paper", exit_on_error=False)
