"""Login per clerk: a clear message on a wrong password; the service's lockout is shown."""

from __future__ import annotations

from typing import Any

from screens.home import HomeScreen
from screens.login import LoginScreen
from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER, answered, login, screen_text


async def test_wrong_password_says_so_and_stays(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, HEAD_USER, "not the password")
        assert isinstance(app.screen, LoginScreen) and app.clerk is None
        assert "Неверное имя пользователя или пароль" in screen_text(app)
        password = app.screen.query_one("#password")
        assert password.value == "" and app.screen.focused is password
        assert password.cursor_blink is False  # no idle repaint over SSH


async def test_unknown_user_gets_the_same_message(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "nobody", "whatever 123")
        assert "Wrong user name or password" in screen_text(app)


async def test_enter_on_the_user_name_moves_to_the_password(make_app: Any, ready_db: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"bak", "enter")
        assert app.screen.focused is app.screen.query_one("#password")
        assert app.clerk is None


async def test_repeated_failures_lock_the_account_for_a_while(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.services.clerks.lockout_clock = tui_clock  # issue 15, item 12: its own clock
        for _ in range(4):
            await login(pilot, HEAD_USER, "wrong password")
            assert "Wrong user name or password" in screen_text(app)
        await login(pilot, HEAD_USER, "wrong password")  # the fifth
        assert "locked" in screen_text(app)
        await login(pilot, HEAD_USER, HEAD_PASSWORD)  # even the right one, while locked
        assert isinstance(app.screen, LoginScreen) and "locked" in screen_text(app)
        tui_clock.advance(minutes=15)
        await login(pilot, HEAD_USER, HEAD_PASSWORD)
        assert isinstance(app.screen, HomeScreen)
        assert app.clerk.username == HEAD_USER


async def test_sign_out_returns_to_login(make_app: Any, ready_db: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f10")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.clerk is None
        await pilot.press("f2")  # nothing opens without a clerk
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)


async def test_the_language_is_remembered_per_clerk(make_app: Any, ready_db: Any) -> None:
    """Issue 12.12: F12 to Russian, sign out, sign in — and on the next start — Russian."""
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        assert app.lang == "kk"
        await pilot.press("f12")
        await answered(pilot)
        assert app.lang == "ru"
        await pilot.press("f10")
        await answered(pilot)
        assert isinstance(app.screen, LoginScreen)
        app.lang = "kk"  # as another clerk would leave it
        await login(pilot)
        assert app.lang == "ru" and isinstance(app.screen, HomeScreen)
    assert ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD).language == "ru"
    again = make_app(lang="kk")  # a new start is Kazakh again … until the clerk signs in
    async with again.run_test(size=(80, 24)) as pilot:
        await answered(pilot)
        assert again.lang == "kk"
        await login(pilot)
        assert again.lang == "ru"


async def test_a_language_chosen_on_the_login_screen_is_the_clerks_from_then_on(
    make_app: Any, ready_db: Any
) -> None:
    ready_db.clerks.set_language(ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD).id, "ru")
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        await answered(pilot)
        await pilot.press("f12", "f12")  # kk → ru → en, before signing in
        await answered(pilot)
        assert app.lang == "en"
        await login(pilot)
        await answered(pilot)
        assert app.lang == "en"  # what the clerk just chose, not what was stored
    assert ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD).language == "en"
