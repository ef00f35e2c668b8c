"""Toasts follow the language switch (F12): said again in the new language, or taken away.

A clerk who switches language mid-toast is often doing it to read that very toast, so a
toast is not simply cleared: its text, made by ``mss_desk.i18n.t`` (which remembers the key
and the parameters), is said again in the new language and keeps its remaining time. A
toast whose text cannot be said again (built by hand from pieces, or not from the
catalogs at all) is taken away: the screen never shows two languages at once.

Textual keeps the notifications in ``App._notifications`` and each toast renders its
``Notification`` object (Textual is pinned exactly in pyproject; the Pilot test in
tests/tui/test_toasts_language.py reads the toasts as drawn).
"""

from __future__ import annotations

from typing import Any

from mss_desk.i18n import retranslate


def retranslate_toasts(app: Any, lang: str) -> None:
    """Say every notification on screen again in ``lang``; drop those that cannot be."""
    dropped = False
    for notification in list(app._notifications):
        message = retranslate(notification.message, lang)
        title = retranslate(notification.title, lang) if notification.title else ""
        if message is None or title is None:
            app._unnotify(notification, refresh=False)
            dropped = True
            continue
        notification.message, notification.title = message, title
    if dropped:
        app._refresh_notifications()  # the rack takes away toasts no longer notified
    for screen in app.screen_stack:
        for toast in screen.query("Toast"):
            toast.refresh(layout=True)  # a longer or shorter text: the toast's height too
