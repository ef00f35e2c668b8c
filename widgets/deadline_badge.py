"""One deadline on one line: its name, its date, days left — the binding one stands out.

SPEC (items 5, 7.1): a case shows the 15-day service deadline, the 10-day forwarding
deadline and, once forwarded, forward + 10 working days; the earlier of the last two is
the one that bites (``binding``), and the screen says so.
"""

from __future__ import annotations

from datetime import date

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from mss_desk.i18n import t, tn
from mss_desk.i18n.dates import format_date


class DeadlineBadge(Static):
    """``label: dd.mm.yyyy (N days left)`` with ``-binding`` / ``-overdue`` classes."""

    DEFAULT_CSS = """
    DeadlineBadge {
        height: auto;
        width: 1fr;
        padding: 0 1;
    }
    DeadlineBadge.-binding {
        text-style: bold reverse;
    }
    DeadlineBadge.-overdue {
        color: $text-error;
        text-style: bold;
    }
    DeadlineBadge.-done {
        color: $text-muted;
    }
    """

    lang: reactive[str] = reactive("kk")

    def __init__(
        self,
        label_key: str,
        due: date | None,
        today: date,
        *,
        binding: bool = False,
        done: bool = False,
        lang: str = "kk",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("", markup=False, id=id, classes=classes)
        self.label_key = label_key
        self.due = due
        self.today = today
        self.binding = binding
        self.done = done
        self.set_reactive(DeadlineBadge.lang, lang)

    def on_mount(self) -> None:
        self._paint()

    def show(
        self, due: date | None, today: date, *, binding: bool = False, done: bool = False
    ) -> None:
        """Point the badge at another date (no remount: the screen keeps its layout)."""
        self.due, self.today, self.binding, self.done = due, today, binding, done
        if self.is_mounted:
            self._paint()

    def watch_lang(self) -> None:
        if self.is_mounted:
            self._paint()

    def text(self) -> str:
        lang = self.lang
        label = t(self.label_key, lang)
        if self.due is None:
            return f"  {label}: {t('intake.deadline.none', lang)}"
        days = (self.due - self.today).days
        if self.done:
            tail = ""
        elif days > 0:
            tail = " " + tn("intake.deadline.days_left", days, lang)
        elif days == 0:
            tail = " " + t("intake.deadline.today", lang)
        else:
            tail = " " + tn("intake.deadline.overdue", -days, lang)
        mark = "▶ " if self.binding else "  "
        text = f"{mark}{label}: {format_date(self.due)}{tail}"
        if self.binding:
            text += "  ◀ " + t("intake.deadline.binding", lang)
        return text

    def _paint(self) -> None:
        overdue = self.due is not None and not self.done and self.due < self.today
        self.set_class(self.binding, "-binding")
        self.set_class(overdue, "-overdue")
        self.set_class(self.done, "-done")
        self.update(Content(self.text()))
