"""Bare twins of the desk's screens (issue 12 point 14: "a bare Textual screen with the same
widgets"), opened by ``benchmarks/bare_app.py screen:NAME`` with F3.

A twin has the desk screen's Textual widgets — the same classes, nesting and count, the
same Kazakh texts where they are fixed (the desk's own catalog), a footer with as many keys
— and none of the desk's styles: Textual's default CSS only. What the desk writes beyond
its twin is the cost of its own styling (backgrounds, borders, colours) and of repaints.
Kept in step with the screens by hand (screens/home.py, intake/, queue.py, cases.py,
dashboard.py): a twin only needs the same widgets, not the same behaviour.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Footer,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Static,
)

from mss_desk.i18n import t

TWIN_MARKER = "Егіз"  # "twin": on every twin screen, the title's first word
DEPARTMENT = "«Көкшетау қаласының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі» ММ"


def _keys(*labels: str) -> list[Binding]:
    keys = ("f2", "f3", "f4", "f5", "f6", "f7", "f8", "f10")
    return [Binding(k, "noop", t(label, "kk")) for k, label in zip(keys, labels, strict=False)]


class HomeTwin(Screen[None]):
    BINDINGS = _keys("ui.key.queue", "ui.key.intake", "ui.key.cases", "ui.key.logout")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{TWIN_MARKER} {DEPARTMENT}")
            yield Static(t("ui.home.clerk", "kk", name="Сейітова Айгерім"))
            yield Static(t("ui.home.today", "kk", date="2 наурыз 2026, дүйсенбі"))
            yield Static(t("ui.office.open", "kk"))
            yield Static(t("ui.home.waiting", "kk", submit=0, collect=0, consult=0))
            yield OptionList(*(f"F{n:<3} {t('ui.key.queue', 'kk')}" for n in range(2, 12)))
        yield Footer(compact=True)


class IntakeTwin(Screen[None]):
    BINDINGS = _keys("ui.key.intake", "ui.key.cases", "ui.key.logout")

    def compose(self) -> ComposeResult:
        yield Static(f"{TWIN_MARKER} {t('intake.title', 'kk')}")
        with VerticalScroll(), ContentSwitcher(initial="step"):
            with Vertical(id="step"):
                yield Label(t("intake.f.institution", "kk"))
                kind = t("intake.f.institution", "kk")
                yield RadioSet(*(RadioButton(f"{kind} {n}") for n in range(4)))
                yield Static("")
                with Horizontal():
                    yield Label(t("intake.f.ownership", "kk"))
                    yield RadioSet(RadioButton("мемлекеттік"), RadioButton("жеке"))
        yield Static("")
        yield Footer(compact=True)


class QueueTwin(Screen[None]):
    BINDINGS = _keys("ui.key.queue", "ui.key.intake", "ui.key.cases", "ui.key.logout")

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(f"{TWIN_MARKER} {t('ui.office.open', 'kk')}")
            yield Static("")
        with Horizontal():
            with Vertical():
                yield Static(t("ui.key.queue", "kk"))
                with VerticalScroll(can_focus=False):
                    yield Static("")
                yield Static("")
            with Vertical():
                yield Static(t("ui.key.queue", "kk"))
                yield Static("")
                yield Static("")
        yield Footer(compact=True)


class CasesTwin(Screen[None]):
    BINDINGS = _keys("ui.key.queue", "ui.key.intake", "ui.key.logout")

    def compose(self) -> ComposeResult:
        yield Static(f"{TWIN_MARKER} {t('cases.title', 'kk')}")
        yield Input(placeholder=t("cases.search", "kk"), compact=True)
        yield Static(t("cases.hint", "kk"))
        table: DataTable[Any] = DataTable(cursor_type="row", zebra_stripes=True)
        table.add_columns("№", "ЖСН", "Аты-жөні", "Түрі", "Күйі", "Мерзімі")
        yield table
        yield Footer(compact=True)


class DeadlinesTwin(Screen[None]):
    BINDINGS = _keys("ui.key.queue", "ui.key.intake", "ui.key.cases", "ui.key.logout")

    def compose(self) -> ComposeResult:
        yield Static(f"{TWIN_MARKER} {t('lifecycle.key.dashboard', 'kk')}")
        yield Static("")
        yield OptionList()
        yield Static("")
        yield Footer(compact=True)


TWINS: dict[str, type[Screen[None]]] = {
    "home": HomeTwin,
    "intake": IntakeTwin,
    "queue": QueueTwin,
    "cases": CasesTwin,
    "deadlines": DeadlinesTwin,
}
