"""The regional desk's screens, keyboard only (issue 14.2): the home menu, the incoming
files, the read-only case card, the decision (form, then asked) and the deadlines."""

from __future__ import annotations

import json
from typing import Any

from textual.widgets import Input, OptionList, RadioSet

from screens.case_detail import CaseDetailScreen
from screens.region import RegionScreen
from tests.conftest import DEPT
from tests.tui.conftest import answered, footer_text, login, screen_text
from tests.tui.region.conftest import FILES, REGION_PASSWORD, REGION_USER


def outbox(region: Any) -> list[Any]:
    from sqlmodel import Session, select

    from mss_desk.store.models import ExchangeOutbox

    with Session(region.services.engine) as s:  # the answers (not the import's receipts)
        rows = s.exec(select(ExchangeOutbox).order_by(ExchangeOutbox.seq)).all()
        return [r for r in rows if r.kind != "case.received"]


def audited(region: Any, case_no: str) -> list[Any]:
    from sqlmodel import Session, select

    from mss_desk.store.models import AuditEvent

    with Session(region.services.engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.entity_id == case_no)).all())


def case(region: Any, case_no: str) -> Any:
    from sqlmodel import Session, select

    from mss_desk.store.models import Case

    with Session(region.services.engine) as s:
        return s.exec(select(Case).where(Case.case_no == case_no)).one()


async def sign_in(pilot: Any) -> None:
    await login(pilot, REGION_USER, REGION_PASSWORD)


async def open_incoming(pilot: Any) -> RegionScreen:
    await sign_in(pilot)
    await pilot.press("f6")
    await answered(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RegionScreen)
    return screen


async def highlight(pilot: Any, screen: RegionScreen, case_no: str) -> None:
    files = screen.query_one("#files", OptionList)
    files.focus()
    target = [r.case_no for r in screen.rows].index(case_no)
    files.highlighted = target
    await pilot.pause()


async def test_home_offers_the_regional_screens_not_the_counter(
    make_app: Any, regional_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        text = screen_text(app)
        menu = app.screen.query_one("#menu", OptionList)
        items = " ".join(str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count))
        assert "f6   Incoming files" in items and "f5   Deadlines" in items
        assert "Queue" not in items and "Intake" not in items
        assert "Waiting for a decision: 5" in text
        # its own line, not the counter's opening hours (issue 14)
        # five receipts sent; five files and each Department's February summary received
        assert "Exchange: 5 sent, not yet acknowledged · 7 received · 0 problems" in text
        assert "f4   Find file" in items  # a case number of any Department
        await pilot.press("f2", "f3")  # no queue or intake at the region
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        await pilot.press("f5")
        await answered(pilot)
        assert isinstance(app.screen, RegionScreen) and app.screen.view == "deadlines"


async def test_incoming_lists_every_department_with_days_left(
    make_app: Any, regional_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incoming(pilot)
        assert {r.case_no for r in screen.rows} == set(FILES)
        lines = {r.case_no: str(screen.line(r)) for r in screen.rows}
        assert "02.03.2026" in lines["19-2026-00101"] and "  10  running" in lines[
            "19-2026-00101"]
        assert "overdue" in lines["19-2026-00104"]
        assert "due today" in lines["19-2026-00102"]
        assert lines["07-2026-00201"].startswith("07-2026-00201★")  # item 6.1
        # the most urgent first
        assert screen.rows[0].case_no == "19-2026-00104"
        assert "Open" in footer_text(app) and "Decision" in footer_text(app)


async def test_enter_opens_the_file_read_only(make_app: Any, regional_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incoming(pilot)
        await highlight(pilot, screen, "07-2026-00201")
        await pilot.press("enter")
        await answered(pilot)
        card = app.screen
        assert isinstance(card, CaseDetailScreen) and card.read_only
        assert card.detail is not None and card.detail.case_no == "07-2026-00201"
        assert card.check_action("reprint", ()) is False
        assert card.check_action("reopen", ()) is False
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_deadlines_view_shows_only_due_files(make_app: Any, regional_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incoming(pilot)
        await pilot.press("right")
        await answered(pilot)
        assert screen.view == "deadlines"
        assert [(r.case_no, r.state) for r in screen.rows] == [
            ("19-2026-00104", "overdue"), ("19-2026-00102", "today"),
            ("19-2026-00103", "soon"),
        ]


async def test_refusal_is_asked_then_saved_with_its_message(
    make_app: Any, regional_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incoming(pilot)
        await highlight(pilot, screen, "19-2026-00102")
        before = len(outbox(regional_db))
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        radio = form.query_one(RadioSet)
        radio.focus()
        await pilot.press("down", "down", "space")  # untrue information (item 17)
        form.query_one("#text", Input).value = "the certificate is not genuine"
        await pilot.press("ctrl+s")
        await answered(pilot)
        question = app.screen
        assert type(question).__name__ == "QuestionModal"
        assert case(regional_db, "19-2026-00102").status == "forwarded"  # not yet
        await pilot.press("enter")
        await answered(pilot)
        saved = case(regional_db, "19-2026-00102")
        assert (saved.status, saved.decision) == ("decided", "refusal")
        assert saved.decision_note == "[untrue] the certificate is not genuine"
        messages = outbox(regional_db)
        assert len(messages) == before + 1 and messages[-1].to_code == DEPT
        assert messages[-1].kind == "case.decided"
        # stamped with the regional clerk and the time, audited
        assert json.loads(messages[-1].payload)["clerk_id"] == regional_db.clerk.id
        [event] = [e for e in audited(regional_db, "19-2026-00102") if e.action == "case.decide"]
        assert event.actor == str(regional_db.clerk.id) and event.at is not None
        assert saved.decided_on == app.today()
        assert app.screen is screen
        row = next(r for r in screen.rows if r.case_no == "19-2026-00102")
        assert row.status == "decided"


async def test_escape_at_the_question_saves_nothing(make_app: Any, regional_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incoming(pilot)
        await highlight(pilot, screen, "19-2026-00101")
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        form.query_one("#referral_no", Input).value = "R-17"
        form.query_one("#institution", Input).value = "Көкшетау МӘМ"
        await pilot.press("ctrl+s")
        await answered(pilot)
        await pilot.press("escape")
        await answered(pilot)
        assert case(regional_db, "19-2026-00101").status == "forwarded"
        assert len(outbox(regional_db)) == 0


async def test_referral_needs_number_and_institution_then_saves(
    make_app: Any, regional_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incoming(pilot)
        await highlight(pilot, screen, "19-2026-00101")
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        await pilot.press("ctrl+s")  # a referral with no number: the form stays
        await answered(pilot)
        assert app.screen is form
        form.query_one("#referral_no", Input).value = "R-17"
        form.query_one("#institution", Input).value = "Көкшетау МӘМ"
        await pilot.press("ctrl+s")
        await answered(pilot)
        await pilot.press("enter")
        await answered(pilot)
        saved = case(regional_db, "19-2026-00101")
        assert (saved.decision, saved.decision_no, saved.referral_institution) == (
            "referral", "R-17", "Көкшетау МӘМ")


async def test_return_for_correction_says_what(make_app: Any, regional_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incoming(pilot)
        await highlight(pilot, screen, "19-2026-00103")
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        form.query_one(RadioSet).focus()
        await pilot.press("down", "down", "down", "down", "space")
        await pilot.press("ctrl+s")  # nothing said: the form stays
        await answered(pilot)
        assert app.screen is form
        form.query_one("#text", Input).value = "the medical card is not signed"
        await pilot.press("ctrl+s")
        await answered(pilot)
        await pilot.press("enter")
        await answered(pilot)
        saved = case(regional_db, "19-2026-00103")
        assert saved.returned_by_region_note == "the medical card is not signed"
        assert outbox(regional_db)[-1].kind == "case.returned"
        # a decided or returned file is not decided again from the list
        await highlight(pilot, screen, "19-2026-00103")
        assert screen.check_action("decide", ()) is False


async def test_waiting_list_per_institution_type_wwii_first(
    make_app: Any, regional_db: Any
) -> None:
    """Item 6.1, region-wide: per institution type, the WWII path first, then by the date
    the file was forwarded (whichever Department sent it)."""
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incoming(pilot)
        await pilot.press("right", "right")
        await answered(pilot)
        assert screen.view == "waiting"
        assert [r.case_no if r else None for r in screen.rows] == [
            None, "07-2026-00201", "19-2026-00104", "19-2026-00102", "19-2026-00103",
            None, "19-2026-00101",
        ]
        files = screen.query_one("#files", OptionList)
        assert "Elderly and disabled" in str(files.get_option_at_index(0).prompt)
        assert str(files.get_option_at_index(1).prompt).startswith("1.  07-2026-00201★")
        assert files.highlighted == 1
        await pilot.press("enter")
        await answered(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.case_no == "07-2026-00201"
        await pilot.press("escape")
        await answered(pilot)
        # a heading is no file: nothing to open or decide there
        files.highlighted = 0
        await pilot.pause()
        assert screen.current() is None and screen.check_action("decide", ()) is False


async def test_a_scanned_case_number_opens_the_card_read_only_at_the_region(
    make_app: Any, regional_db: Any
) -> None:
    """Issue 12.5's scanner opens a card on any screen: at the region it is read-only too
    (no talon of another Department's file printed here)."""
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press(*"19-2026-00102", "enter")
        await answered(pilot)
        card = app.screen
        assert isinstance(card, CaseDetailScreen) and card.detail is not None
        assert card.check_action("reprint", ()) is False
