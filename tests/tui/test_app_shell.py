"""The desk's shell: first run, language switch, idle lock, palette, hostile text, start-up cost."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from textual.widgets import Footer, Input, OptionList

from mss_desk.app import MssDeskApp
from screens.home import HomeScreen
from screens.lock import LockScreen
from screens.login import LoginScreen
from screens.queue import QueueScreen
from screens.setup import SetupAccountScreen, SetupScreen, department_matches
from tests.conftest import DEPT
from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER, footer_text, login, screen_text


def fill(app: Any, **values: str) -> None:
    for field, value in values.items():
        app.screen.query_one(f"#{field}", Input).value = value


async def test_first_run_setup_then_login(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        options = app.screen.query_one("#departments", OptionList)
        assert options.option_count == 19  # Annex 1
        await pilot.press(*"көкше")
        assert options.option_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupAccountScreen)
        assert app.screen.department_code == DEPT
        await pilot.press(*"bakyt", "enter", *"Жұмабаев", "enter")
        assert app.screen.focused is app.screen.query_one("#name", Input)  # Enter: next field
        fill(app, name="Бақыт", password=HEAD_PASSWORD, password2=HEAD_PASSWORD)
        app.screen.query_one("#password2", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#username", Input).value == "bakyt"
        assert app.screen.focused is app.screen.query_one("#password", Input)
        await pilot.press(*HEAD_PASSWORD, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.clerk.username == "bakyt" and app.clerk.role == "head"
        assert "Жұмабаев Бақыт" in screen_text(app)
        assert app.department.code == DEPT


async def test_setup_refuses_mismatched_passwords(make_app: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"19", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupAccountScreen)
        fill(app, username="bakyt", surname="Zhumabaev", name="Bakyt", password=HEAD_PASSWORD)
        fill(app, password2="other password")
        app.screen.query_one("#password2", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupAccountScreen)
        assert "The passwords do not match" in screen_text(app)
        # an empty field is named before anything is written
        fill(app, surname="", password2=HEAD_PASSWORD)
        await pilot.press("enter")
        await pilot.pause()
        assert "Fill in every field" in screen_text(app)
        assert app.screen.focused is app.screen.query_one("#surname", Input)
        assert not app.services.clerks.has_any()


def test_department_filter_matches_kazakh_and_russian_names(catalog: Any) -> None:
    kokshetau = catalog.departments[19]
    assert department_matches(kokshetau, "Көкше")
    assert department_matches(kokshetau, "кокше")  # the Russian district name
    assert department_matches(kokshetau, "19")
    assert not department_matches(kokshetau, "Ақкөл")
    assert department_matches(kokshetau, "")


async def test_later_runs_start_at_login(make_app: Any, ready_db: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await pilot.pause()
        assert "Көкшетау" in screen_text(app)


async def test_language_switch_relabels_everything(make_app: Any, ready_db: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Бүгін: 2 наурыз 2026" in screen_text(app)
        assert "Кезек" in footer_text(app)
        await pilot.press("f12")
        await pilot.pause()
        assert app.lang == "ru"
        text = screen_text(app)
        assert "Сегодня: 2 марта 2026" in text and "Бүгін" not in text
        assert "Очередь" in footer_text(app) and "Кезек" not in footer_text(app)
        await pilot.press("f2")
        await pilot.pause()
        assert "Ожидают" in screen_text(app)
        await pilot.press("f12")
        await pilot.pause()
        assert app.lang == "en"
        assert "Waiting" in screen_text(app)
        assert "Call" in footer_text(app) and "Вызов" not in footer_text(app)
        await pilot.press("f12")
        await pilot.pause()
        assert app.lang == "kk" and "Күтуде" in screen_text(app)


async def test_idle_lock_hides_personal_data_and_asks_the_password(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        tui_clock.advance(minutes=4, seconds=59)
        assert app.check_idle_lock() is False
        tui_clock.advance(seconds=1)  # exactly idle_lock_minutes (5)
        assert app.check_idle_lock() is True
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        text = screen_text(app)
        assert "Жұмабаев" not in text and "Бақыт" not in text and HEAD_USER not in text
        await pilot.press(*"wrong password", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert "құпиясөз қате" in screen_text(app)
        await pilot.press(*HEAD_PASSWORD, "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and not app.locked


async def test_a_key_press_postpones_the_idle_lock(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        tui_clock.advance(minutes=4)
        await pilot.press("down")
        tui_clock.advance(minutes=4)
        assert app.check_idle_lock() is False
        tui_clock.advance(minutes=1)
        assert app.check_idle_lock() is True
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)


async def test_lock_key_and_switching_clerk(make_app: Any, ready_db: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.press("f2")  # the menu is closed while locked
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.press("f10")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.clerk is None
        assert len(app.screen_stack) == 2


async def test_no_idle_lock_when_disabled(make_app: Any, ready_db: Any, tui_clock: Any) -> None:
    from dataclasses import replace

    app = make_app()
    app.settings = replace(app.settings, idle_lock_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        tui_clock.advance(hours=3)
        assert app.check_idle_lock() is False


async def test_command_palette_lists_the_screen_keys_in_the_clerk_language(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Нәтиже")
        await pilot.pause(0.3)
        from textual.command import CommandList

        hits = app.screen.query_one(CommandList)
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any("Талон: Нәтиже алу" in p for p in prompts)
        assert any("Шақыру: Нәтиже алу" in p for p in prompts)
        await pilot.press("escape")
        await pilot.pause()


async def test_palette_runs_a_command(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Ticket: Consult", "enter")
        await pilot.pause(0.3)
        await pilot.pause()
        waiting = app.services.queue.waiting()
        assert [t.number for t in waiting] == ["C-001"]


async def test_hostile_names_are_shown_as_text(make_app: Any, ready_db: Any) -> None:
    hostile = "[@click=app.quit]x[/] \x1b]0;pwn\x07"
    ready_db.clerks.create(DEPT, "mallory", "[/]", hostile, "secret pass 9")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "mallory", "secret pass 9")
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "[/] [@click=app.quit]x[/]" in text
        assert "\x1b" not in text and "\x07" not in text
        await pilot.click("#clerk")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, HomeScreen)
        await pilot.press("f12")  # re-render in another language
        await pilot.pause()
        assert "[/]" in screen_text(app)


async def test_hostile_text_typed_at_login_does_not_crash(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "[/][@click=app.quit]x", "[/]")
        assert isinstance(app.screen, LoginScreen) and app.is_running
        assert "Wrong user name or password" in screen_text(app)


def test_start_up_does_not_import_the_database_or_paper_layers() -> None:
    """Issue 7: SQLModel/SQLAlchemy/ReportLab cost +0.34 s at start; they load on first use."""
    code = (
        "import sys, mss_desk.app, screens.setup, screens.login, screens.lock, "
        "screens.home, screens.queue, screens.board, widgets.wait_timer; "
        "bad = [m for m in ('sqlmodel', 'sqlalchemy', 'reportlab') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_app_contract_constructor() -> None:
    import inspect

    params = inspect.signature(MssDeskApp).parameters
    assert list(params)[:4] == ["db_url", "clock", "lang", "settings"]
    assert "services" not in params  # the CLI must not build services before the login


async def burst(pilot: Any, *keys: str) -> None:
    """Keys arriving in one read, as over a slow SSH link (no pause between them)."""
    from textual import events

    special: dict[str, str | None] = {"enter": "\r", "tab": "\t", "f2": None}
    for key in keys:
        for name in [key] if key in special else list(key):
            pilot.app.post_message(events.Key(name, special.get(name, name)))
    for _ in range(5):
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_burst_of_keys_fills_each_field_in_turn(make_app: Any) -> None:
    """Enter moves to the next field at once; the form is read after its keys are in."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "19", "enter")
        assert isinstance(app.screen, SetupAccountScreen)
        await burst(
            pilot,
            "bakyt",
            "enter",
            "Жұмабаев",
            "enter",
            "Бақыт",
            "enter",
            HEAD_PASSWORD,
            "enter",
            HEAD_PASSWORD,
            "enter",
        )
        assert isinstance(app.screen, LoginScreen), screen_text(app)
        await burst(pilot, HEAD_PASSWORD, "enter", "f2")  # F2 typed before Home is painted
        assert isinstance(app.screen, QueueScreen)
        assert isinstance(app.screen_stack[-2], HomeScreen) and len(app.screen_stack) == 3
        assert app.clerk.surname == "Жұмабаев" and app.clerk.name == "Бақыт"


async def test_tab_order_follows_the_form(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("1", "9", "enter")
        await pilot.pause()
        order = []
        for _ in range(5):
            order.append(app.screen.focused.id)
            await pilot.press("tab")
        assert order == ["username", "surname", "name", "password", "password2"]


async def test_hostile_department_text_is_shown_as_text(
    make_app: Any, ready_db: Any, catalog: Any
) -> None:
    """Reference data is edited by people too: a name in data/ is never markup."""
    from dataclasses import replace

    hostile = "[/] [@click=app.quit]x[/] [b]"
    departments = dict(catalog.departments)
    departments[19] = replace(
        departments[19], name_kk=hostile, name_ru=hostile, district_kk=hostile
    )
    bad_catalog = replace(catalog, departments=departments)
    app = make_app(catalog=bad_catalog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert hostile in screen_text(app)  # the login screen names the Department
        await login(pilot)
        assert isinstance(app.screen, HomeScreen) and hostile in screen_text(app)
        await pilot.click("#department")
        await pilot.pause()
        assert app.is_running


async def test_hostile_district_in_the_setup_list(make_app: Any, catalog: Any) -> None:
    from dataclasses import replace

    departments = dict(catalog.departments)
    departments[1] = replace(departments[1], district_kk="[/]", district_ru="[@click=app.quit]x")
    app = make_app(catalog=replace(catalog, departments=departments))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#departments", OptionList)
        assert str(options.get_option_at_index(0).prompt) == "1   [/]"
        await pilot.press("f12")  # Russian names
        await pilot.pause()
        assert str(options.get_option_at_index(0).prompt) == "1   [@click=app.quit]x"
        await pilot.click("#departments")
        await pilot.pause()
        assert app.is_running


async def test_widget_bindings_named_by_key_are_translated(make_app: Any, ready_db: Any) -> None:
    """Another room's widget may name its keys by i18n key: the footer shows the words."""
    from textual.app import ComposeResult
    from textual.binding import Binding
    from textual.widget import Widget

    from screens.base import DeskScreen

    class Knob(Widget, can_focus=True):
        BINDINGS = [Binding("z", "noop", "ui.key.back")]

    class Probe(DeskScreen):
        def compose(self) -> ComposeResult:
            yield Knob()
            yield Footer()

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        app.push_screen(Probe())
        await pilot.pause()
        app.screen.query_one(Knob).focus()
        await pilot.pause()
        assert "Артқа" in footer_text(app) and "ui.key.back" not in footer_text(app)
        await pilot.press("f12")
        await pilot.pause()
        assert "Назад" in footer_text(app)
