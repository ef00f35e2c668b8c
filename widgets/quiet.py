"""Textual widgets that cost fewer terminal bytes: no whole-screen relayout for what they
change (issue 7: the desk runs over SSH; tests/tui/test_paint_economy.py counts the bytes)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Footer

from widgets.limited import LimitedInput


class QuietFooter(Footer):
    """The footer, recomposed only when the keys it shows change.

    Textual's Footer rebuilds itself on every focus change (the active bindings differ by
    the focused widget even when no shown key does); each rebuild re-lays the screen out
    and repaints all of it — ~2 KB more per Tab on an 80×24 SSH terminal.
    """

    _shown: tuple[Any, ...] | None = None

    def _signature(self) -> tuple[Any, ...]:
        return tuple(
            (binding.key, binding.description, binding.action, enabled)
            for (_node, binding, enabled, _tip) in self.screen.active_bindings.values()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._signature()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._bindings_ready and self.is_attached and screen is self.screen:
            if self._signature() == self._shown:
                return
        super().bindings_changed(screen)


class FormInput(LimitedInput):
    """A one-line field whose growing text does not re-lay the whole screen out.

    Textual's Input declares its virtual size a layout reactive, so every typed key
    re-lays the screen out (and repaints any scrollbar on it: a DataTable's cost ~0.8 KB a
    key on an 80×24 SSH terminal, DESIGN trap). The field scrolls its own text anyway.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), repaint=True)
