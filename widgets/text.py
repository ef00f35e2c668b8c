"""Small helpers every screen uses to put words on screen cheaply."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static


def set_text(static: Static, text: str) -> None:
    """Update a Static only when its text changes (each update costs a layout pass).

    The text goes in as ``Content``: user text is never parsed as markup.
    """
    if getattr(static, "_desk_text", None) != text:
        static._desk_text = text  # type: ignore[attr-defined]
        static.update(Content(text))


def app_lang(node: Widget | Screen[Any]) -> str:
    """The clerk's language (``kk`` when the App has none, e.g. a bare test App)."""
    return str(getattr(node.app, "lang", "kk") or "kk")


__all__ = ["app_lang", "set_text"]
