"""A screen's footer is built once, in the clerk's language (issue 12 point 15: start-up).

Textual's Footer rebuilds itself whole whenever its screen says its bindings changed, and a
screen coming up says so several times (focus set, screen resumed, keys translated). The
login's footer was built four times on the way to the clerk, the first time with the
untranslated ``ui.key.login`` on it. Now the keys are translated before the screen is
composed and the footer is told only when what it shows changed.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Footer

from screens.home import HomeScreen
from screens.login import LoginScreen
from tests.tui.conftest import login
from tests.tui.test_paint_economy import settle


@pytest.fixture
def footers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str]]]:
    """Every footer build with bindings: (its screen, the descriptions it shows)."""
    built: list[tuple[str, list[str]]] = []
    compose = Footer.compose

    def counted(self: Footer) -> Any:
        items = list(compose(self))
        if items:
            shown = [str(getattr(item, "description", "")) for item in items]
            built.append((type(self.screen).__name__, shown))
        return iter(items)

    monkeypatch.setattr(Footer, "compose", counted)
    return built


async def test_the_login_footer_is_built_once_in_the_clerks_language(
    make_app: Any, ready_db: Any, footers: list[tuple[str, list[str]]]
) -> None:
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        login_builds = [shown for screen, shown in footers if screen == "LoginScreen"]
        assert len(login_builds) == 1, login_builds
        assert "Кіру" in login_builds[0]
        assert not any(text.startswith("ui.") for text in login_builds[0])


async def test_a_changed_footer_is_still_rebuilt(
    make_app: Any, ready_db: Any, footers: list[tuple[str, list[str]]]
) -> None:
    """The check can fail: F12 changes what the footer shows, so it is built again; the
    home screen gets its own footer."""
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = len(footers)
        await pilot.press("f12")
        await settle(pilot)
        assert len(footers) > before
        assert not any(text.startswith("ui.") for text in footers[-1][1])
        await login(pilot)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert footers[-1][0] == "HomeScreen"
