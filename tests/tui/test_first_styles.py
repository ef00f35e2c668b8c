"""The first screen is not restyled whole when it first shows (issue 12 point 15: start-up).

Textual restyles every widget of a screen on its ScreenResume, moments after styling each
as it was mounted. The login and setup screens skip that when the stylesheet is unchanged
(``screens.base.ThriftyScreen.KEEPS_FIRST_STYLES``): every widget must still have exactly
the styles Textual's restyle would give it.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.css.stylesheet import Stylesheet
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from screens.base import ThriftyScreen
from screens.home import HomeScreen
from screens.login import LoginScreen
from screens.setup import SetupScreen
from tests.tui.conftest import login
from tests.tui.test_paint_economy import settle
from widgets.footer import CompactFooter


@pytest.fixture
def resumes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every desk screen's resume: (its class, whether Textual restyled it)."""
    seen: list[tuple[str, bool]] = []
    original = ThriftyScreen._on_screen_resume

    def recorded(self: ThriftyScreen, event: events.ScreenResume) -> None:
        original(self, event)
        seen.append((type(self).__name__, event.refresh_styles))

    monkeypatch.setattr(ThriftyScreen, "_on_screen_resume", recorded)
    return seen


def _styles(screen: Any) -> list[tuple[str, str, dict[str, str]]]:
    """Every node's styles from CSS, and its component classes' (reprs: Textual's layouts
    compare by identity)."""
    return [
        (
            repr(node),
            repr(sorted(node.styles.base._rules.items())),
            {
                name: repr(sorted(styles.base._rules.items()))
                for name, styles in sorted(node._component_styles.items())
            },
        )
        for node in screen.walk_children(with_self=True)
    ]


async def _check_first_screen(app: Any, expected: type, resumes: list[tuple[str, bool]]) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, expected)
        assert (expected.__name__, False) in resumes  # the restyle was skipped
        shown = _styles(screen)
        app.stylesheet.update(screen)  # what Textual's restyle would have done
        await pilot.pause()
        assert _styles(screen) == shown


async def test_the_login_screen_has_textuals_styles(
    make_app: Any, ready_db: Any, resumes: list[tuple[str, bool]]
) -> None:
    await _check_first_screen(make_app(lang="kk"), LoginScreen, resumes)


async def test_the_setup_screen_has_textuals_styles(
    make_app: Any, resumes: list[tuple[str, bool]]
) -> None:
    await _check_first_screen(make_app(lang="ru"), SetupScreen, resumes)


async def test_other_screens_are_restyled_as_textual_does(
    make_app: Any, ready_db: Any, resumes: list[tuple[str, bool]]
) -> None:
    """The check can fail: the home screen (no KEEPS_FIRST_STYLES) is restyled."""
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await login(pilot)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert ("HomeScreen", True) in resumes


@pytest.fixture
def restyled(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every restyle after mounting: (the first node's class, whether it was mounted)."""
    seen: list[tuple[str, bool]] = []
    original = Stylesheet.update_nodes

    def recorded(self: Stylesheet, nodes: Any, animate: bool = False) -> None:
        nodes = list(nodes)
        if nodes:
            seen.append((type(nodes[0]).__name__, nodes[0]._parent is not None))
        original(self, nodes, animate=animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", recorded)
    return seen


async def test_the_login_footer_keys_and_fields_are_styled_once(
    make_app: Any, ready_db: Any, restyled: list[tuple[str, bool]]
) -> None:
    """The footer's keys are mounted compact (``widgets.footer.CompactFooter``) and a field
    is not restyled before it is mounted (``widgets.limited``); the focused field is."""
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        footer = app.screen.query_one(Footer)
        assert isinstance(footer, CompactFooter) and footer.compact
        keys = list(footer.query(FooterKey))
        assert keys and all(key.has_class("-compact") for key in keys)
    assert not [name for name, _ in restyled if name == "FooterKey"]
    assert not [name for name, mounted in restyled if not mounted]
    assert ("LimitedInput", True) in restyled  # the focus moved to the user name


async def test_a_plain_footer_restyles_its_keys(
    make_app: Any, ready_db: Any, restyled: list[tuple[str, bool]]
) -> None:
    """The check can fail: the home screen's Textual Footer restyles each key."""
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await login(pilot)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert [name for name, _ in restyled if name == "FooterKey"]
