"""Small helpers every screen uses to put words on screen cheaply — and the one safe path
for user text.

Text read from the database may be an old or tampered row that no service cleaned (issue 15,
item 1: a stored ``ESC ] 52`` wrote the clerk's clipboard when the case card was opened).
:func:`user_content` and :func:`user_text` turn such text into a ``Content`` / rich
``Text`` that is never parsed as markup and carries no control character: what
``mss_desk.text.clean`` strips is shown as a stand-in (ESC as ␛, a C1 control or a bidi
override as �) so the clerk sees the row is odd, and the terminal never obeys it.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from mss_desk.text import visible


def user_content(text: str) -> Content:
    """User (or stored) text as ``Content``: no markup, controls made visible."""
    return Content(visible(text))


def user_text(text: str) -> Text:
    """The same for a rich ``Text`` (a ``DataTable`` cell)."""
    return Text(visible(text))


def set_text(static: Static, text: str) -> None:
    """Update a Static only when its text changes (each update costs a layout pass).

    The text goes in through :func:`user_content`: never markup, never a control.
    """
    if getattr(static, "_desk_text", None) != text:
        static._desk_text = text  # type: ignore[attr-defined]
        static.update(user_content(text))


def app_lang(node: Widget | Screen[Any]) -> str:
    """The clerk's language (``kk`` when the App has none, e.g. a bare test App)."""
    return str(getattr(node.app, "lang", "kk") or "kk")


__all__ = ["app_lang", "set_text", "user_content", "user_text"]
