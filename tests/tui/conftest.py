"""Fixtures for the desk's Pilot and snapshot tests.

Every app is built by a factory on a temporary SQLite file with a FixedClock (Monday
2 March 2026, 10:00 Asia/Almaty — office open), cursor blink and animations off, paper off
unless a test turns it on. ``ready_db`` prepares a Department (19, Kokshetau) and its head.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Footer, Input, RadioButton, RadioSet, Static

from mss_desk.clock import FixedClock
from mss_desk.rules.iin import make_iin
from mss_desk.services.views import IntakeForm
from tests.conftest import DEPT, local_dt

HEAD_USER = "bakyt"
HEAD_PASSWORD = "secret pass 1"


def elder(surname: str, name: str, born: date, sex: str, serial: int = 1, **kw: Any) -> IntakeForm:
    """An intake form for an elderly applicant with no relatives (general institution)."""
    kw.setdefault("address", "Көкшетау")
    return IntakeForm(
        iin=make_iin(born, sex, serial),  # type: ignore[arg-type]
        surname=surname,
        name=name,
        birth_date=born,
        sex=sex,
        institution="elderly_general",
        relatives="no_relatives",
        **kw,
    )


@pytest.fixture
def desk_settings(tmp_path: Path) -> Any:
    from mss_desk.config import Settings

    return Settings(paper_dir=str(tmp_path / "paper"), idle_lock_minutes=5)


@pytest.fixture
def tui_clock() -> FixedClock:
    return FixedClock(local_dt("2026-03-02 10:00"))


@pytest.fixture
def make_app(
    sqlite_url: str, tui_clock: FixedClock, catalog: Any, desk_settings: Any
) -> Iterator[Callable[..., Any]]:
    """``make_app(lang="kk", board=False)`` → an MssDeskApp (or BoardApp) on the temp DB."""
    from mss_desk.app import BoardApp, MssDeskApp

    built: list[Any] = []

    def factory(lang: str = "kk", board: bool = False, **kwargs: Any) -> Any:
        cls = BoardApp if board else MssDeskApp
        kwargs.setdefault("catalog", catalog)
        app = cls(db_url=sqlite_url, clock=tui_clock, lang=lang, settings=desk_settings, **kwargs)
        app.animation_level = "none"
        app.print_slips = False
        built.append(app)
        return app

    yield factory
    for app in built:
        app.close_services()


@pytest.fixture(scope="session")
def _ready_template(tmp_path_factory: pytest.TempPathFactory, catalog: Any) -> Path:
    """One migrated database with Department 19 and its head, copied by each test (fast)."""
    from mss_desk.services import Services, clerks
    from mss_desk.store.engine import open_store

    path = tmp_path_factory.mktemp("template") / "desk.sqlite3"
    engine = open_store(f"sqlite:///{path}")
    cost = clerks.SCRYPT_N
    clerks.SCRYPT_N = 2**8  # the per-test cheap KDF fixture is function-scoped
    try:
        services = Services(engine, FixedClock(local_dt("2026-03-02 09:00")), catalog)
        services.setup.init_department(DEPT)
        services.clerks.create(DEPT, HEAD_USER, "Жұмабаев", "Бақыт", HEAD_PASSWORD, "head")
    finally:
        clerks.SCRYPT_N = cost
        engine.dispose()
    return path


@pytest.fixture
def ready_db(
    sqlite_url: str, tui_clock: FixedClock, catalog: Any, _ready_template: Path
) -> Iterator[Any]:
    """Department 19 set up with its head (``HEAD_USER`` / ``HEAD_PASSWORD``); yields Services."""
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    target = Path(sqlite_url.removeprefix("sqlite:///"))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_ready_template, target)
    target.chmod(0o600)
    engine = open_store(sqlite_url)
    services = Services(engine, tui_clock, catalog)
    yield services
    engine.dispose()


async def login(pilot: Any, username: str = HEAD_USER, password: str = HEAD_PASSWORD) -> None:
    """Fill the user name and password on the login screen and press Enter.

    (Typing key by key costs ~60 ms a key under Pilot; the first-run test types for real.)
    """
    app = pilot.app
    await pilot.pause()
    app.screen.query_one("#username").value = username
    app.screen.query_one("#password").value = password
    app.screen.query_one("#password").focus()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def choose(pilot: Any, screen: Any, radio: str, option: str) -> None:
    """Focus a radio set of the intake screen and move to ``option`` with the arrow keys,
    then Space."""
    radio_set = screen.query_one(f"#{radio}", RadioSet)
    radio_set.focus()
    await pilot.pause()
    options = [b.id for b in radio_set.query(RadioButton) if b.display]
    target = options.index(f"{radio}-{option}")
    current = radio_set._selected if radio_set._selected is not None else 0
    key = "down" if target >= current else "up"
    await pilot.press(*([key] * abs(target - current)), "space")
    assert screen._radio_value(radio) == option


async def paste_into(pilot: Any, screen: Any, field: str, text: str) -> None:
    """A terminal's bracketed paste into the field (one event: keeps the suite fast)."""
    screen.query_one(f"#{field}").focus()
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def screen_text(app: Any) -> str:
    """Everything the screen shows, as plain text (what a clerk could read)."""
    parts = []
    for widget in app.screen.walk_children(with_self=False):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
        elif isinstance(widget, Input):
            parts.append(widget.value if not widget.password else "")
    return "\n".join(parts)


def footer_text(app: Any) -> str:
    footer = app.screen.query_one(Footer)
    return " ".join(str(w.render()) for w in footer.walk_children(with_self=False))


async def answered(pilot: Any) -> None:
    """Wait until every service call the keys so far started has answered (no sleeps).

    ``run_service`` ends a worker only after its answer has reached the screen, and starts a
    queued call before that: when no worker is left, every answer has been shown.
    """
    app = pilot.app
    while any(not w.is_finished for w in app.workers):
        await app.workers.wait_for_complete()
    await pilot.pause()
