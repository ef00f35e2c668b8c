"""Key bindings in the clerk's language: a binding's description may be an i18n key.

A binding's ``description`` (or its ``Binding.Group``'s) that starts with one of
:data:`TRANSLATED_PREFIXES` is an i18n key; the App translates every binding of every screen
(and of the widgets that name keys) on screen change and on F12, so the footer and the
command palette always speak the clerk's language. The original bindings are kept on the
node, so the translation can run again for another language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode

TRANSLATED_PREFIXES = ("ui.", "intake.", "cases.", "common.", "lifecycle.", "safety.",
                       "exchange.", "region.", "region_report.", "region_complaints.")
ORIGINAL = "_desk_original_bindings"  # where a node keeps its untranslated bindings


def is_key(text: str | None) -> bool:
    return bool(text) and str(text).startswith(TRANSLATED_PREFIXES)


def names_keys(node: DOMNode) -> bool:
    """Does any binding of ``node`` carry an i18n key as its description?"""
    return any(
        is_key(b.description) or (b.group is not None and is_key(b.group.description))
        for bindings in node._bindings.key_to_bindings.values()
        for b in bindings
    )


def translate_bindings(node: DOMNode, t: Callable[[str], str]) -> bool:
    """Replace i18n keys in ``node``'s binding descriptions by their translation (True if
    a description changed: only then has a footer anything new to show)."""
    original: dict[str, list[Binding]] | None = node.__dict__.get(ORIGINAL)
    if original is None:
        original = {k: list(v) for k, v in node._bindings.key_to_bindings.items()}
        node.__dict__[ORIGINAL] = original
    groups: dict[Any, Any] = {}
    changed = False
    for key, bindings in original.items():
        new: list[Binding] = []
        for b in bindings:
            changes: dict[str, Any] = {}
            if is_key(b.description):
                changes["description"] = t(b.description)
            if b.group is not None and is_key(b.group.description):
                if b.group not in groups:
                    groups[b.group] = replace(b.group, description=t(b.group.description))
                changes["group"] = groups[b.group]
            new.append(replace(b, **changes) if changes else b)
        if node._bindings.key_to_bindings.get(key) != new:
            node._bindings.key_to_bindings[key] = new
            changed = True
    return changed


def translate_tree(screen: DOMNode, t: Callable[[str], str]) -> bool:
    """A screen's bindings and those of its widgets that name i18n keys (True if a
    description changed)."""
    changed = translate_bindings(screen, t)
    for widget in screen.walk_children(with_self=False):
        if ORIGINAL in widget.__dict__ or names_keys(widget):
            changed = translate_bindings(widget, t) or changed
    return changed


def translate_new(widget: DOMNode, t: Callable[[str], str]) -> bool:
    """A widget mounted after its screen was translated (True if it had keys to translate)."""
    if ORIGINAL in widget.__dict__ or not names_keys(widget):
        return False
    translate_bindings(widget, t)
    return True
