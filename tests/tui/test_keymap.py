"""One key, one meaning; nothing that creates, sends, deletes or prints on one key (issue 12,
points 3 and 4)."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode

import screens
import widgets
from screens.cases import CasesScreen
from screens.dialogs import QuestionModal
from screens.forwarding import ForwardingScreen
from screens.intake import IntakeScreen
from screens.queue import QueueScreen
from tests.tui.conftest import answered, login
from widgets import keymap

GLOBAL_KEYS = ("f2", "f3", "f4", "f5", "f6", "f7", "f8", "f10", "f12", "ctrl+l", "ctrl+p",
               "ctrl+q")
SCANNER_KEYS = set("0123456789-") | {"enter", "minus", "ctrl+j", "ctrl+m"}


def _node_classes() -> list[type[DOMNode]]:
    """Every screen, dialog and widget class of the desk (imported from its package)."""
    for package in (screens, widgets):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
    seen: list[type[DOMNode]] = []
    todo: list[type[DOMNode]] = [DOMNode]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith(("screens.", "widgets.")) and "BINDINGS" in vars(sub):
                seen.append(sub)
    return seen


def _bindings(cls: type[DOMNode]) -> list[Binding]:
    return list(Binding.make_bindings(vars(cls)["BINDINGS"]))


def _action(action: str) -> str:
    return action.removeprefix("app.")


def _global_actions() -> dict[str, str]:
    from mss_desk.app import MssDeskApp

    out: dict[str, str] = {}
    for b in Binding.make_bindings(MssDeskApp.BINDINGS):
        out[b.key] = _action(b.action)
    return out


def test_the_app_binds_every_global_key_from_the_keymap() -> None:
    actions = _global_actions()
    assert set(GLOBAL_KEYS) <= set(actions)
    from mss_desk.app import MssDeskApp

    assert all(b.id in keymap.KEYMAP for b in Binding.make_bindings(MssDeskApp.BINDINGS))


def test_no_screen_rebinds_a_global_key() -> None:
    """F5 was Deadlines on home, "call next" on the queue, "send" on forwarding and
    "recompute" on the report; F8 Indicators and "discard the draft"."""
    actions = _global_actions()
    wrong = []
    classes = _node_classes()
    assert {QueueScreen, ForwardingScreen, IntakeScreen, CasesScreen} <= set(classes)
    for cls in classes:
        for b in _bindings(cls):
            key = b.key
            # the lock screen's F10 is "another clerk": signing out, as everywhere
            if key in GLOBAL_KEYS and _action(b.action) != actions[key]:
                wrong.append(f"{cls.__name__}: {key} → {b.action} (global: {actions[key]})")
    assert wrong == []


def test_every_binding_is_a_row_of_the_keymap() -> None:
    """One table: no screen spells a key of its own."""
    strays = [
        f"{cls.__name__}: {b.key}"
        for cls in _node_classes()
        for b in _bindings(cls)
        if b.id not in keymap.KEYMAP or keymap.KEYMAP[b.id].keys.split(",")[0] != b.key
        and b.key not in keymap.KEYMAP[b.id].keys.split(",")
    ]
    assert strays == []


def test_every_label_is_said_in_every_language() -> None:
    from mss_desk.i18n import has

    missing = [
        (i, row.label, lang)
        for i, row in keymap.KEYMAP.items()
        if row.label and not row.label.startswith("question.")
        for lang in ("kk", "ru", "en")
        if not has(row.label, lang)
    ]
    assert missing == []


def test_nothing_that_writes_or_prints_is_on_a_key_a_scanner_types() -> None:
    """Issue 12.4: tickets, sending, result ready and discard are never on a digit or
    Enter alone (the ones that ask first use a letter or a chord, and then a question)."""
    risky = ("queue.issue_submit", "queue.issue_collect", "queue.issue_consult",
             "forwarding.send", "intake.discard", "case.reprint",
             "consult.print_list", "consult.print_form", "exchange.export", "exchange.import",
             "exchange.resolve")
    for binding_id in risky:
        keys = set(keymap.KEYMAP[binding_id].keys.split(","))
        assert not keys & SCANNER_KEYS, binding_id
        assert all(k.startswith("ctrl+") for k in keys), binding_id


async def test_a_scanned_case_number_issues_no_ticket(make_app: Any, ready_db: Any) -> None:
    """Issue 12.4: a scanner's burst on the queue screen issued five phantom tickets."""
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await answered(pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press(*"19-2026-00001", "enter")
        await answered(pilot)
        await app.workers.wait_for_complete()
        assert ready_db.queue.day() == []


async def test_sending_files_asks_first(make_app: Any, ready_db: Any) -> None:
    from tests.lifecycle.conftest import CaseFactory

    no = CaseFactory(ready_db).case("2026-03-02 09:30")
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        await pilot.press("f6")
        await answered(pilot)
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("escape")  # no: nothing sent, nothing printed
        await answered(pilot)
        assert isinstance(app.screen, ForwardingScreen)
        assert [r.case_no for r in ready_db.lifecycle.to_forward()] == [no]


async def test_a_global_key_does_not_stack_its_screen(make_app: Any, ready_db: Any) -> None:
    """F4 three times needs one Esc, not three (and F3 on the intake shown opens no other)."""
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        home = app.screen
        await pilot.press("f4", "f4", "f4")
        await answered(pilot)
        assert isinstance(app.screen, CasesScreen)
        await pilot.press("escape")
        await answered(pilot)
        assert app.screen is home
        await pilot.press("f3")
        await answered(pilot)
        depth = len(app.screen_stack)
        await pilot.press("f3")
        await answered(pilot)
        assert len(app.screen_stack) == depth
        assert isinstance(app.screen, IntakeScreen)


async def test_a_scan_opens_its_case_from_any_screen(make_app: Any, ready_db: Any) -> None:
    """Issue 12.5: a case number + Enter typed outside a field opens that case (the queue
    issues nothing); after Esc a second scan opens the second case, not the first again."""
    from screens.case_detail import CaseDetailScreen
    from tests.lifecycle.conftest import CaseFactory

    make = CaseFactory(ready_db)
    first = make.case("2026-03-02 09:30")
    second = make.case("2026-03-02 09:45")
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await answered(pilot)
        await pilot.press(*first, "enter")
        await answered(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.case_no == first
        assert ready_db.queue.day() == []
        await pilot.press("escape")
        await answered(pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press(*second, "enter")
        await answered(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.case_no == second
        await pilot.press("escape", "f6")  # the forwarding lists: the pick stays, the list too
        await answered(pilot)
        await pilot.press("space")
        await answered(pilot)
        screen = app.screen
        assert isinstance(screen, ForwardingScreen) and screen.selected
        picked = set(screen.selected)
        await pilot.press(*second, "enter")
        await answered(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        await pilot.press("escape")
        await answered(pilot)
        assert app.screen is screen and screen.view == "forward" and screen.selected == picked


async def test_a_scan_on_the_cases_list_opens_the_scanned_case(
    make_app: Any, ready_db: Any
) -> None:
    """The cases list after Esc has its table focused: Enter used to reopen the first case."""
    from screens.case_detail import CaseDetailScreen
    from tests.lifecycle.conftest import CaseFactory

    make = CaseFactory(ready_db)
    first = make.case("2026-03-02 09:30")
    second = make.case("2026-03-02 09:45")
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        await pilot.press("f4")
        await answered(pilot)
        await pilot.press(*first, "enter")  # into the search field: the field opens it
        await answered(pilot)
        assert isinstance(app.screen, CaseDetailScreen) and app.screen.case_no == first
        await pilot.press("escape")
        await answered(pilot)
        await pilot.press(*second, "enter")
        await answered(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert second in (app.screen.case_no, getattr(app.screen.detail, "case_no", None))


async def test_ctrl_q_asks_when_a_ticket_is_called(make_app: Any, ready_db: Any) -> None:
    """Issue 12.6: the question is in the clerk's language; Esc stays, Enter quits."""
    app = make_app(lang="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await answered(pilot)
        await pilot.press("ctrl+r", "r")  # a ticket, called
        await answered(pilot)
        await pilot.press("escape")  # the intake the call opened: a called ticket remains
        await answered(pilot)
        assert app.current_ticket is not None
        await pilot.press("ctrl+q")
        await answered(pilot)
        assert isinstance(app.screen, QuestionModal)
        assert app.screen.question_title == "Выйти из программы?"
        await pilot.press("escape")
        await answered(pilot)
        assert app.is_running and not isinstance(app.screen, QuestionModal)
        exits: list[bool] = []
        app.exit = lambda *a, **k: exits.append(True)  # type: ignore[method-assign]
        await pilot.press("ctrl+q", "enter")
        await answered(pilot)
        assert exits == [True]


async def test_ctrl_q_quits_at_once_when_nothing_hangs(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        exits: list[bool] = []
        app.exit = lambda *a, **k: exits.append(True)  # type: ignore[method-assign]
        await pilot.press("ctrl+q")
        await answered(pilot)
        assert not isinstance(app.screen, QuestionModal)
        assert exits == [True]


async def test_ctrl_c_speaks_the_clerks_language(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        notes = [(n.title, n.message) for n in app._notifications]
        assert notes and all("Do you want to quit" not in f"{t} {m}" for t, m in notes)
        assert any("Ctrl+Q" in m and "шығу" in m for _, m in notes)
        assert app.is_running


async def test_the_palette_offers_the_desk_s_commands_only(make_app: Any, ready_db: Any) -> None:
    """Issue 12.6: the screen's own commands first, translated; no Textual system command."""
    from screens.palette import DeskCommands

    app = make_app(lang="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await answered(pilot)
        titles = [title for title, _, _ in DeskCommands(app.screen)._commands()]
        assert titles[0].startswith("Выдать")  # the queue's own keys lead ("Issue: …")
        english = ("Quit", "Keys", "Screenshot", "Theme", "Maximize", "Scroll", "Focus")
        assert not [t for t in titles if t.startswith(english)]
        assert list(app.get_system_commands(app.screen)) == []
