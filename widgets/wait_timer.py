"""The waiting list with live wait times (items 7.2, 7.3: at most 40 minutes in the queue).

A lightweight widget instead of a DataTable: a DataTable repaints its scrollbars on every key
typed anywhere (~1.7 KB a key over SSH). This one repaints only when a line it shows changes
— once a second while someone is waiting, never when the queue is empty.

Colour is never the only signal: a waiting time at the warning term gets ``!``, past the
maximum ``!!`` (legible on a 16-colour console and to colour-blind clerks).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from mss_desk.text import clean_line

PREFIX = {"submit": "A", "collect": "B", "consult": "C"}
LIMITED = ("submit", "collect")  # consult has no maximum wait


def ticket_label(ticket: Any) -> str:
    """``A-001``: the purpose's letter and the day's number (or the service's own label).

    Read from the database, so cleaned (issue 15, item 1: a tampered row's ESC never
    reaches the queue screen, the board or a notice)."""
    for attr in ("label", "code"):
        value = getattr(ticket, attr, None)
        if isinstance(value, str) and value:
            return clean_line(value)
    number = getattr(ticket, "number", "")
    if isinstance(number, int):
        return f"{PREFIX.get(ticket.purpose, '?')}-{number:03d}"
    return clean_line(str(number))


def wait_seconds(issued_at: datetime, now: datetime) -> int:
    return max(0, int((now - issued_at).total_seconds()))


def wait_level(seconds: int, purpose: str, warn_minutes: int, max_minutes: int) -> str:
    """``ok`` | ``warn`` (from ``warn_minutes``) | ``breach`` (past ``max_minutes``)."""
    if purpose not in LIMITED:
        return "ok"
    if seconds > max_minutes * 60:
        return "breach"
    if seconds >= warn_minutes * 60:
        return "warn"
    return "ok"


def format_wait(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    if minutes >= 100:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


class WaitList(Widget):
    """Tickets waiting, oldest first, each with its live wait time."""

    DEFAULT_CSS = """
    WaitList {
        height: auto;
        width: 1fr;
    }
    WaitList > .wait-list--warn {
        color: #ffbf00;  /* amber; bright yellow on a 16-colour console ($warning: red) */
        text-style: bold;
    }
    WaitList > .wait-list--breach {
        color: $error;
        text-style: bold reverse;
    }
    WaitList > .wait-list--number {
        text-style: bold;
    }
    WaitList > .wait-list--empty {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES = {
        "wait-list--warn",
        "wait-list--breach",
        "wait-list--number",
        "wait-list--empty",
    }

    def __init__(
        self,
        now: Callable[[], datetime],
        *,
        terms: tuple[int, int] = (30, 40),
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._now = now
        self._terms = terms
        self._tickets: list[Any] = []
        self._purpose_names: dict[str, str] = {}
        self._empty_text = ""
        self._shown: list[tuple[str, str, str, str]] = []

    # -- data -------------------------------------------------------------------------

    def set_tickets(self, tickets: Sequence[Any]) -> None:
        self._tickets = sorted(tickets, key=lambda t: t.issued_at)  # stable: service order on ties
        self.tick(force=True)

    def set_labels(self, purpose_names: dict[str, str], empty_text: str) -> None:
        self._purpose_names = dict(purpose_names)
        self._empty_text = empty_text
        self.tick(force=True)

    def set_terms(self, terms: tuple[int, int]) -> None:
        self._terms = terms
        self.tick(force=True)

    @property
    def tickets(self) -> list[Any]:
        return list(self._tickets)

    def lines(self) -> list[tuple[str, str, str, str]]:
        """What the widget shows: (number, purpose, wait, level) per ticket (tests read it)."""
        now = self._now()
        warn, max_ = self._terms
        out: list[tuple[str, str, str, str]] = []
        for ticket in self._tickets:
            seconds = wait_seconds(ticket.issued_at, now)
            level = wait_level(seconds, ticket.purpose, warn, max_)
            marker = {"ok": "  ", "warn": "! ", "breach": "!!"}[level]
            purpose = self._purpose_names.get(ticket.purpose, ticket.purpose)
            out.append((ticket_label(ticket), purpose, f"{marker} {format_wait(seconds)}", level))
        return out

    # -- painting -----------------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick, name="wait-list")

    def tick(self, force: bool = False) -> None:
        lines = self.lines()
        if force or lines != self._shown:
            size_changed = len(lines) != len(self._shown)
            self._shown = lines
            self.refresh(layout=size_changed or force)

    def render(self) -> Text:
        if not self._shown:
            return Text(self._empty_text, style=self.get_component_rich_style("wait-list--empty"))
        width = max(self.size.width, 20)
        number_style = self.get_component_rich_style("wait-list--number")
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, (label, purpose, right, level) in enumerate(self._shown):
            # the wait time is what the line is for: a narrow list (60 columns, issue
            # 12.13) shortens the purpose, never the time
            lead = max(6, len(label)) + 1  # the number and a space
            room = width - lead - len(right) - 1
            if len(purpose) > room:
                purpose = purpose[: max(0, room - 1)] + "…" if room > 1 else ""
            space = max(1, width - lead - len(purpose) - len(right))
            row = Text(no_wrap=True, overflow="ellipsis")
            row.append(f"{label:<6}", number_style)
            row.append(" " + purpose + " " * space)
            style: Style | str = ""
            if level == "warn":
                style = self.get_component_rich_style("wait-list--warn")
            elif level == "breach":
                style = self.get_component_rich_style("wait-list--breach")
            row.append(right, style)
            if len(row) > width:
                row.truncate(width)
            if i:
                out.append("\n")
            out.append_text(row)
        return out
