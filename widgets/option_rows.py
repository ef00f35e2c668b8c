"""A list of rows in an ``OptionList``: one option per row, the highlight kept on refresh.

The lifecycle screens (forwarding, complaints) show their service rows this way: a refresh
rebuilds the options and keeps the highlight where it was (clamped to the new length); no
rows is one disabled "empty" line. The row under the highlight is the one an action means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

Row = TypeVar("Row")


def show_rows(
    options: OptionList,
    rows: Sequence[Row],
    line: Callable[[Row], Content],
    key: Callable[[Row], str],
    empty: str,
) -> None:
    """Fill ``options`` with ``line(row)`` (option id ``key(row)``), or ``empty`` if none."""
    keep = options.highlighted
    options.clear_options()
    if not rows:
        options.add_option(Option(Content(empty), disabled=True))
    for row in rows:
        options.add_option(Option(line(row), id=key(row)))
    if rows:
        options.highlighted = min(keep or 0, len(rows) - 1)


def highlighted_row(options: OptionList, rows: Sequence[Row]) -> Row | None:
    """The row under the highlight (None when there are none)."""
    if not rows or options.highlighted is None:
        return None
    return rows[min(options.highlighted, len(rows) - 1)]
