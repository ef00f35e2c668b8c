"""The clerk's language, remembered per clerk (issue 12.12).

F12 while signed in stores the choice on the clerk (off the UI thread: a write may wait for
the database lock); at sign-in the clerk's stored language is applied — unless they had just
chosen one on the login screen, which then wins and is remembered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from mss_desk.i18n import LANGS
from screens.base import run_service

if TYPE_CHECKING:
    from textual.screen import Screen

    from mss_desk.services.views import ClerkView


def language_chosen(app: Any) -> None:
    """F12 was pressed: remember it for the signed-in clerk, or for the next one to sign in."""
    if app.clerk is None:
        app.lang_chosen_signed_out = True
    else:
        remember_lang(app)


def apply_clerk_lang(app: Any, clerk: ClerkView) -> None:
    """A clerk signs in in the language they last chose with F12 — or, had they just chosen
    one on the login screen, in that one, remembered from now on."""
    chosen, app.lang_chosen_signed_out = app.lang_chosen_signed_out, False
    if chosen:
        if clerk.language != app.lang:
            remember_lang(app)
    elif clerk.language in LANGS and clerk.language != app.lang:
        app.lang = clerk.language


def remember_lang(app: Any) -> None:
    """Store the language on the signed-in clerk. Queued: F12 pressed three times stores the
    last choice."""
    clerk = app.clerk
    if clerk is None or app.board_mode:
        return
    clerk_id, lang = clerk.id, app.lang

    def remembered(view: ClerkView) -> None:
        if app.clerk is not None and app.clerk.id == view.id:
            app.clerk = view

    run_service(
        cast("Screen[Any]", app),  # the App runs it: it outlives the screen F12 was on
        lambda: app.services.clerks.set_language(clerk_id, lang),
        remembered,
        group="language",
        queue=True,
    )
