"""The command palette (Ctrl+P): every key of the current screen and the App, translated.

The palette follows the screen (as Posting's does): it lists the active bindings that have a
description — already in the clerk's language (``widgets.bindings``) — with their keys, and
runs the chosen one as if its key were pressed: the screen's own first, then the App's.
Only the desk's keys (``widgets.keymap``) are offered: Textual's English system commands
(the App returns none) and its own bindings ("Focus Next"…) are not.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from screens.base import DeskApp
from widgets.keymap import KEYMAP


class DeskCommands(Provider):
    """Every key of the current screen (and the App's) as a palette command, translated."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = cast(DeskApp, self.app)
        screen = self.screen
        out: list[tuple[str, str, Callable[[], Any]]] = []
        seen: set[tuple[int, str]] = set()
        # the desk's own keys only (rows of widgets.keymap, translated): Textual's English
        # ones ("Focus Next", …) are not for clerks; the screen's first, the App's after
        actives = [a for a in screen.active_bindings.values() if a.binding.id in KEYMAP]
        actives.sort(key=lambda a: a.node is app)
        for active in actives:
            binding = active.binding
            if not active.enabled or binding.action in ("command_palette", "app.command_palette"):
                continue
            title = binding.description or (binding.group.description if binding.group else "")
            if not title:
                continue
            if binding.group is not None and binding.description:
                title = f"{binding.group.description}: {binding.description}"
            marker = (id(active.node), binding.action)
            if marker in seen:
                continue
            seen.add(marker)
            key_text = binding.key_display or app.get_key_display(binding)
            out.append((title, key_text, partial(app.run_action, binding.action, active.node)))
        return out

    async def discover(self) -> Hits:
        for title, key_text, command in self._commands():
            yield DiscoveryHit(title, command, help=key_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, key_text, command in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, help=key_text)
