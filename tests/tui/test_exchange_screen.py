"""The exchange screen (issue 14, point 6): counts per partner desk, the problems, export and
import of bundles with a path and a question; the case card says where the file is.

The TUI desk is Department 19 (``ready_db``, its keys in ``keys/`` of the test's data dir);
the regional desk is a second SQLite database with its own keys, driven by its services.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from screens.case_detail import CaseDetailScreen
from screens.dialogs import FormModal, QuestionModal
from screens.exchange import ExchangeScreen
from tests.conftest import DEPT
from tests.lifecycle.conftest import CaseFactory
from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER, answered, login
from tests.tui.conftest import screen_text as static_text

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]


@dataclass
class Pair:
    dept: Any  # the TUI desk's ExchangeService
    region: Any  # the regional desk's ExchangeService
    head: Any


@pytest.fixture
def pair(ready_db: Any, tmp_path: Path, tui_clock: Any, catalog: Any) -> Any:
    from mss_desk.exchange.service import ExchangeService
    from mss_desk.locations import keys_dir
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    dept = ExchangeService(ready_db, keys_dir())
    dept.make_keys()
    engine = open_store(f"sqlite:///{tmp_path / 'region' / 'desk.sqlite3'}")
    services = Services(engine, tui_clock, catalog)
    services.setup.init_department(0)
    region = ExchangeService(services, tmp_path / "keys0")
    region.make_keys()
    dept.trust(0, region.keys().public.text)
    region.trust(DEPT, dept.keys().public.text)
    yield Pair(dept, region, ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD))
    engine.dispose()


def screen_text(app: Any) -> str:
    """What the screen says: its texts and the lines of its lists."""
    from textual.widgets import OptionList

    lines = [static_text(app)]
    for options in app.screen.query(OptionList):
        lines += [str(o.prompt) for o in options.options]
    return "\n".join(lines)


def forward(services: Any, head: Any, *case_nos: str) -> list[str]:
    make = CaseFactory(services)
    for no in case_nos:
        make.case("2026-03-02 09:30", case_no=no)
    out = list(case_nos)
    services.lifecycle.forward(out, head.id)
    return out


async def open_exchange(pilot: Any) -> ExchangeScreen:
    await login(pilot)
    await pilot.press("x")  # from home
    await answered(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExchangeScreen)
    return screen


async def fill_path(pilot: Any, path: Path) -> None:
    app = pilot.app
    assert isinstance(app.screen, FormModal)
    field = app.screen.query_one("#path", Input)
    field.value = str(path)
    await pilot.press("ctrl+s")
    await answered(pilot)
    assert isinstance(app.screen, QuestionModal)


async def test_export_writes_a_bundle_the_region_imports(
    make_app: Any, ready_db: Any, pair: Pair, tmp_path: Path
) -> None:
    a, b = forward(ready_db, pair.head, "19-2026-00001", "19-2026-00002")
    stick = tmp_path / "stick"
    stick.mkdir()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exchange(pilot)
        text = screen_text(app)
        assert "Sent, not yet acknowledged: 2" in text and "received: 0" in text
        await pilot.press("ctrl+e")
        await answered(pilot)
        await fill_path(pilot, stick)  # a folder: the bundle gets its own name there
        await pilot.press("escape")  # no: nothing written
        await answered(pilot)
        assert app.screen is screen and list(stick.iterdir()) == []
        await pilot.press("ctrl+e")
        await answered(pilot)
        await fill_path(pilot, stick)
        await pilot.press("y")
        await answered(pilot)
        assert app.screen is screen
        (bundle,) = stick.iterdir()
        assert bundle.name == "desk-19-to-0-20260302-1000.mssx"
        assert "2 messages" in screen_text(app)
    result = pair.region.import_bundle(bundle)
    assert (result.applied, result.already_had, result.problems) == (2, 0, [])
    from mss_desk.exchange.region import RegionService

    assert {n for _, n, _ in RegionService(pair.region.hub).cases()} == {a, b}


async def test_a_tampered_bundle_is_refused_and_nothing_applied(
    make_app: Any, ready_db: Any, pair: Pair, tmp_path: Path
) -> None:
    from mss_desk.exchange.region import RegionService

    (no,) = forward(ready_db, pair.head, "19-2026-00001")
    pair.dept.export(0, tmp_path / "up.mssx")
    pair.region.import_bundle(tmp_path / "up.mssx")
    RegionService(pair.region.hub).decide(no, refusal="incomplete")
    good = tmp_path / "down.mssx"
    pair.region.export(DEPT, good)
    data = bytearray(good.read_bytes())
    data[-40] ^= 0x01  # one bit, inside the sealed payload
    bad = tmp_path / "changed.mssx"
    bad.write_bytes(bytes(data))
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exchange(pilot)
        await pilot.press("ctrl+o")
        await answered(pilot)
        await fill_path(pilot, bad)
        await pilot.press("y")
        await answered(pilot)
        message = str(screen.query_one("#exchange-message").render())
        assert "Bundle refused, nothing applied" in message
        assert "changed after it was sealed" in message
        assert screen.query_one("#exchange-message").has_class("refused")
        assert ready_db.cases.get(no).status == "forwarded"  # nothing applied
        assert pair.dept.overview().counts.received == 0
        # the good bundle: the decision arrives, the forwarded file is acknowledged
        await pilot.press("ctrl+o")
        await answered(pilot)
        await fill_path(pilot, good)
        await pilot.press("y")
        await answered(pilot)
        # the receipt (issue 14, point 1) and the decision
        assert "2 applied" in str(screen.query_one("#exchange-message").render())
        text = screen_text(app)
        assert "Sent, not yet acknowledged: 0" in text and "received: 2" in text
    assert ready_db.cases.get(no).status == "decided"


async def test_export_without_a_partner_says_so(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exchange(pilot)
        assert "No partner desk yet" in screen_text(app)
        await pilot.press("ctrl+e")
        await answered(pilot)
        assert app.screen is screen
        assert "Choose a partner desk first" in screen_text(app)


async def test_the_case_card_says_where_the_file_is(
    make_app: Any, ready_db: Any, pair: Pair, tmp_path: Path
) -> None:
    (no,) = forward(ready_db, pair.head, "19-2026-00001")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await app.push_screen(CaseDetailScreen(no))
        await answered(pilot)
        assert "Where the file is: in transit since 02.03.2026 10:00" in screen_text(app)
    pair.dept.export(0, tmp_path / "up.mssx")
    pair.region.import_bundle(tmp_path / "up.mssx")
    pair.region.export(DEPT, tmp_path / "ack.mssx")
    pair.dept.import_bundle(tmp_path / "ack.mssx")
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await app.push_screen(CaseDetailScreen(no))
        await answered(pilot)
        assert "Іс қайда: 02.03.2026 бастап Басқармада" in screen_text(app)  # the receipt


class TestSnapshots:
    @pytest.mark.parametrize("size", SIZES)
    def test_exchange(
        self, snap_compare: Any, make_app: Any, ready_db: Any, pair: Pair, tmp_path: Path,
        size: Any,
    ) -> None:
        snapshot_history(ready_db, pair, tmp_path)

        async def run_before(pilot: Any) -> None:
            await open_exchange(pilot)
            pilot.app.clear_notifications()
            await pilot.pause()

        assert snap_compare(make_app(lang="en"), terminal_size=size, run_before=run_before)

    def test_exchange_kazakh(
        self, snap_compare: Any, make_app: Any, ready_db: Any, pair: Pair, tmp_path: Path
    ) -> None:
        snapshot_history(ready_db, pair, tmp_path)

        async def run_before(pilot: Any) -> None:
            await open_exchange(pilot)
            pilot.app.clear_notifications()
            await pilot.pause()

        assert snap_compare(make_app(lang="kk"), terminal_size=(80, 24), run_before=run_before)


def snapshot_history(services: Any, pair: Pair, tmp_path: Path) -> None:
    """Three files to the region: one answered and acknowledged, one whose decision came
    after the Department decided from paper (a problem), one still in transit."""
    from mss_desk.exchange.region import RegionService

    a, b = forward(services, pair.head, "19-2026-00001", "19-2026-00002")
    pair.dept.export(0, tmp_path / "up.mssx")
    pair.region.import_bundle(tmp_path / "up.mssx")
    region = RegionService(pair.region.hub)
    region.decide(a, referral_no="R-17", institution="Көкшетау МӘМ")
    region.decide(b, refusal="untrue")
    services.lifecycle.decide(b, pair.head.id, "refusal", reason="from paper")
    pair.region.export(DEPT, tmp_path / "down.mssx")
    pair.dept.import_bundle(tmp_path / "down.mssx")
    forward(services, pair.head, "19-2026-00003")


async def test_the_palette_and_the_home_menu_open_it(make_app: Any, ready_db: Any) -> None:
    from textual.widgets import OptionList

    from screens.home import HomeScreen
    from screens.palette import DeskCommands

    app = make_app(lang="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        commands = {title: run for title, _, run in DeskCommands(home)._commands()}
        assert "Обмен" in commands  # Ctrl+P on home lists it, in the clerk's language
        await commands["Обмен"]()
        await answered(pilot)
        assert isinstance(app.screen, ExchangeScreen)
        await pilot.press("escape")
        await answered(pilot)
        assert app.screen is home
        menu = home.query_one("#menu", OptionList)
        assert any("Обмен" in str(o.prompt) for o in menu.options)


async def test_import_asks_a_path_and_says_a_missing_file(
    make_app: Any, ready_db: Any, pair: Pair, tmp_path: Path
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exchange(pilot)
        await pilot.press("ctrl+o")
        await answered(pilot)
        form = app.screen
        assert isinstance(form, FormModal)
        await pilot.press("ctrl+s")  # no path: the form stays and says so
        await answered(pilot)
        assert app.screen is form
        assert "Type the file's path." in str(form.query_one("#form-message").render())
        await fill_path(pilot, tmp_path / "nowhere.mssx")
        await pilot.press("y")
        await answered(pilot)
        assert app.screen is screen
        message = str(screen.query_one("#exchange-message").render())
        assert "Cannot read" in message and "nowhere.mssx" in message
    assert pair.dept.overview().counts.received == 0


async def test_the_regional_desk_sends_its_acknowledgement(
    make_app: Any, ready_db: Any, tmp_path: Path, tui_clock: Any, catalog: Any,
    desk_settings: Any,
) -> None:
    """The same screen on the regional desk: the Department's files received, and a bundle
    back that the Department imports (its outbox forgets the file)."""
    from mss_desk.app import MssDeskApp
    from mss_desk.exchange.service import ExchangeService
    from mss_desk.locations import keys_dir
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    dept = ExchangeService(ready_db, keys_dir())
    dept.make_keys()
    url = f"sqlite:///{tmp_path / 'region' / 'desk.sqlite3'}"
    engine = open_store(url)
    try:
        hub = Services(engine, tui_clock, catalog)
        hub.setup.init_department(0)
        hub.clerks.create(0, "region", "Оспанов", "Нұрлан", HEAD_PASSWORD, "head")
        region = ExchangeService(hub, keys_dir())  # its own key files beside desk 19's
        region.make_keys()
        dept.trust(0, region.keys().public.text)
        region.trust(DEPT, dept.keys().public.text)
    finally:
        engine.dispose()
    head = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    forward(ready_db, head, "19-2026-00001")
    dept.export(0, tmp_path / "up.mssx")
    app = MssDeskApp(db_url=url, clock=tui_clock, lang="en", settings=desk_settings,
                     catalog=catalog)  # fmt: skip
    app.animation_level = "none"
    app.print_slips = False
    stick = tmp_path / "stick"
    stick.mkdir()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "region", HEAD_PASSWORD)
            await pilot.press("x")
            await answered(pilot)
            screen = app.screen
            assert isinstance(screen, ExchangeScreen)
            await pilot.press("ctrl+o")
            await answered(pilot)
            await fill_path(pilot, tmp_path / "up.mssx")
            await pilot.press("y")
            await answered(pilot)
            text = screen_text(app)
            assert "Bundle from desk 19 imported: 1 applied" in text
            assert "19 · Көкшетау қаласы" in text and "received: 1" in text
            await pilot.press("ctrl+e")
            await answered(pilot)
            await fill_path(pilot, stick)
            await pilot.press("y")
            await answered(pilot)
            (bundle,) = stick.iterdir()
            assert bundle.name == "desk-0-to-19-20260302-1000.mssx"
    finally:
        app.close_services()
    assert dept.overview().counts.unacknowledged == 1
    dept.import_bundle(bundle)
    assert dept.overview().counts.unacknowledged == 0  # acknowledged: at the region
    assert ready_db.cases.get("19-2026-00001").exchange_state == "at_region"
    # the import recorded receipt of the file (issue 14.1): audited with the regional
    # clerk who imported it
    from sqlmodel import Session, select

    from mss_desk.store.models import AuditEvent, Clerk

    engine = open_store(url)
    try:
        with Session(engine) as s:
            [event] = s.exec(
                select(AuditEvent).where(AuditEvent.action == "exchange.import")
            ).all()
            clerk = s.get(Clerk, int(event.actor)) if event.actor.isdigit() else None
            assert clerk is not None and clerk.username == "region", event.actor
    finally:
        engine.dispose()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("size", SIZES)
async def test_nothing_is_cut_in_any_language(
    make_app: Any, ready_db: Any, pair: Pair, tmp_path: Path, lang: str, size: Any
) -> None:
    """Issue 12.13 for this screen and its forms: no widget sticks out on the right; at 80
    columns every footer key is on the line. (The shared FormModal is 76 wide on this
    branch; main's h-layout fits it to 60 columns: its path form is checked at 80 here.)"""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    snapshot_history(ready_db, pair, tmp_path)

    def problems(app: Any) -> list[str]:
        out = []
        for widget, (region, clip) in app.screen._compositor.visible_widgets.items():
            in_footer = any(isinstance(a, Footer) for a in widget.ancestors)
            if isinstance(widget, FooterKey) or in_footer:
                continue
            if region.right > clip.right or region.x < clip.x:
                out.append(f"{type(app.screen).__name__}: {widget!r}")
        if app.screen.size.width >= 80:
            for key in app.screen.query(FooterKey):
                if key.region.right > app.screen.size.width or key.region.width == 0:
                    out.append(f"{type(app.screen).__name__}: footer {key.description!r}")
        return out

    app = make_app(lang=lang)
    found: list[str] = []
    async with app.run_test(size=size) as pilot:
        await open_exchange(pilot)
        found += problems(app)
        await pilot.press("ctrl+e")
        await answered(pilot)
        if size[0] >= 80:
            found += problems(app)
        await fill_path(pilot, tmp_path)
        found += problems(app)
    assert found == []
