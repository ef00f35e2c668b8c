"""Textual's compact Footer, its keys styled once (issue 12 point 15: start-up).

Textual's Footer binds each key's ``compact`` to its own: the key is mounted and styled
without the ``-compact`` class, then the binding adds it and the key is styled again — on
the login screen three restyles on the way to the first frame. :class:`CompactFooter`
hands out its keys already marked ``-compact`` (what the binding would set: then it
changes nothing), so each is styled once. It looks and behaves exactly as
``Footer(compact=True)``; ``tests/tui/test_first_styles.py`` compares the styles.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class CompactFooter(Footer):
    """``Footer(compact=True)`` whose keys are composed compact (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(*args, **kwargs)

    def compose(self) -> Iterator[Widget]:  # type: ignore[override]
        # every key passes through here, grouped ones too (a group is a ``with`` block)
        for widget in super().compose():
            if self.compact and isinstance(widget, FooterKey):
                widget.add_class("-compact", update=False)
            yield widget
