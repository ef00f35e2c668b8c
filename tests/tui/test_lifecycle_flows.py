"""Pilot tests of the lifecycle screens: forwarding, decision, delivery with the survey."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlmodel import Session, select
from textual.widgets import Input, OptionList, RadioSet

from mss_desk.store.models import Case, SurveyResponse
from screens.dashboard import DashboardScreen
from screens.dialogs import FormModal, SurveyModal
from screens.forwarding import ForwardingScreen
from tests.lifecycle.conftest import CaseFactory
from tests.tui.conftest import answered, login


def _case(services: Any, case_no: str) -> Case:
    with Session(services.engine) as s:
        row = s.exec(select(Case).where(Case.case_no == case_no)).one()
        s.expunge(row)
        return row


def _nos(app: Any) -> list[str]:
    return [m.group(0) for ln in _lines(app) if (m := re.search(r"\d{2}-\d{4}-\d{5}", ln))]


def _lines(app: Any) -> list[str]:
    ol = app.screen.query_one("#cases", OptionList)
    return [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]


async def _open(pilot: Any, key: str) -> None:
    await login(pilot)
    await pilot.press(key)
    await answered(pilot)


async def test_forward_selected_files(make_app: Any, ready_db: Any) -> None:
    make = CaseFactory(ready_db)
    a = make.case("2026-02-27 10:00")
    b = make.case("2026-03-02 09:30", priority=True)
    c = make.case("2026-03-02 09:45")
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot, "f6")
        assert isinstance(app.screen, ForwardingScreen)
        assert _nos(app) == [a, b, c]  # nearest deadline first
        await pilot.press("space", "down", "down", "space")
        assert "Selected: 2" in str(app.screen.query_one("#view-info").render())
        await pilot.press("ctrl+s", "enter")  # send, and yes to the question (issue 12.4)
        await answered(pilot)
        assert _nos(app) == [b]
        assert _case(ready_db, a).status == "forwarded"
        assert _case(ready_db, c).forwarded_on == date(2026, 3, 2)
        assert _case(ready_db, b).status == "accepted"
        assert app.screen.last_register.sent_on == date(2026, 3, 2)
        # the waiting list: WWII first is tested in the services; here the view switch
        await pilot.press("right")
        await answered(pilot)
        assert set(_nos(app)) == {a, c}


async def test_forward_refuses_a_bad_date(make_app: Any, ready_db: Any) -> None:
    no = CaseFactory(ready_db).case("2026-03-02 09:30")
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot, "f6")
        app.screen.query_one("#sent-on", Input).value = "2026-03-01"  # before acceptance
        await pilot.press("ctrl+s", "enter")
        await answered(pilot)
        assert _case(ready_db, no).status == "accepted"
        app.screen.query_one("#sent-on", Input).value = "soon"
        await pilot.press("ctrl+s")  # a bad date: refused before the question
        await answered(pilot)
        assert _case(ready_db, no).status == "accepted"


async def test_decision_referral_then_refusal_needs_reason(make_app: Any, ready_db: Any) -> None:
    make = CaseFactory(ready_db)
    a = make.case("2026-03-02 09:00")
    b = make.case("2026-03-02 09:10")
    head = ready_db.clerks.authenticate("bakyt", "secret pass 1")
    ready_db.lifecycle.forward([a, b], head.id)
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot, "f6")
        await pilot.press("right", "d")
        await answered(pilot)
        assert isinstance(app.screen, FormModal)
        form = app.screen
        form.query_one("#referral_no", Input).value = "Ж-17"
        form.query_one("#institution", Input).value = "«Шапағат» [/] МӘМ"
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert isinstance(app.screen, ForwardingScreen)
        c = _case(ready_db, a)
        assert (c.status, c.decision, c.decision_no) == ("decided", "referral", "Ж-17")
        assert c.referral_institution == "«Шапағат» [/] МӘМ"
        # refusal without a reason: the form stays open and says why
        await pilot.press("d")
        await answered(pilot)
        form = app.screen
        radio = form.query_one("#kind", RadioSet)
        radio.focus()
        await pilot.press("down", "enter")
        await answered(pilot)
        assert radio.pressed_index == 1
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert isinstance(app.screen, FormModal)
        assert "reason" in str(form.query_one("#form-message").render()).lower()
        form.query_one("#reason", Input).value = "item 17"
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert _case(ready_db, b).decision == "refusal"


async def test_delivery_in_person_with_survey(make_app: Any, ready_db: Any) -> None:
    no = CaseFactory(ready_db).case("2026-03-02 09:00")
    head = ready_db.clerks.authenticate("bakyt", "secret pass 1")
    lc = ready_db.lifecycle
    lc.forward([no], head.id)
    lc.decide(no, head.id, "refusal", reason="item 17")
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot, "f6")
        await pilot.press("right", "right", "r", "enter")  # decided -> result ready
        await answered(pilot)
        assert _case(ready_db, no).status == "result_ready"
        await pilot.press("right", "g")  # decided → results
        await answered(pilot)
        assert isinstance(app.screen, FormModal)
        await pilot.press("ctrl+s")  # no collect ticket called: refused
        await answered(pilot)
        assert isinstance(app.screen, FormModal)
        assert "collect ticket" in str(app.screen.query_one("#form-message").render())
        await pilot.press("escape")
        await answered(pilot)
        ticket = ready_db.queue.issue("collect")
        app.current_ticket = ready_db.queue.call_next("collect", head.id)
        assert app.current_ticket.id == ticket.id
        await pilot.press("g")
        await answered(pilot)
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert isinstance(app.screen, SurveyModal)
        await pilot.press("y", "n", "s", "y", "y")
        await answered(pilot)
        assert isinstance(app.screen, ForwardingScreen)
    c = _case(ready_db, no)
    assert (c.status, c.delivery_method, c.delivery_ticket_id) == (
        "delivered",
        "in_person",
        ticket.id,
    )
    with Session(ready_db.engine) as s:
        [row] = s.exec(select(SurveyResponse)).all()
    assert (row.q_2_1, row.q_3_1, row.q_4_3, row.q_4_4, row.q_5_1) == (
        True,
        False,
        None,
        True,
        True,
    )


async def test_delivery_by_post_and_skipped_survey(make_app: Any, ready_db: Any) -> None:
    no = CaseFactory(ready_db).case("2026-03-02 09:00", postal_address="Ақкөл")
    head = ready_db.clerks.authenticate("bakyt", "secret pass 1")
    lc = ready_db.lifecycle
    lc.forward([no], head.id)
    lc.decide(no, head.id, "refusal", reason="item 17")
    lc.result_ready(no, head.id)
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot, "f6")
        await pilot.press("left", "g")
        await answered(pilot)
        radio = app.screen.query_one("#method", RadioSet)
        radio.focus()
        await pilot.press("down", "enter")
        assert app.screen.query_one("#address", Input).value == "Ақкөл"
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert isinstance(app.screen, SurveyModal)
        await pilot.press("escape")
        await answered(pilot)
    c = _case(ready_db, no)
    assert (c.status, c.delivery_method, c.postal_notice_on) == (
        "delivered",
        "post",
        date(2026, 3, 2),
    )
    with Session(ready_db.engine) as s:
        assert s.exec(select(SurveyResponse)).all() == []


async def test_dashboard_lists_alerts_binding_marked(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    make = CaseFactory(ready_db)
    late = make.case("2026-02-10 10:00")  # service due 25 Feb: overdue
    make.case("2026-03-02 09:00")  # nothing due yet
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        assert "Overdue: 1, due today: 0, within three days: 0" in str(
            app.screen.query_one("#summary").render()
        )
        await pilot.press("f5")
        await answered(pilot)
        assert isinstance(app.screen, DashboardScreen)
        ol = app.screen.query_one("#alerts", OptionList)
        lines = [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]
        assert len(lines) == 2
        assert all(late in ln and "Overdue" in ln for ln in lines)
        binding = [ln for ln in lines if ln.startswith("◆")]
        assert len(binding) == 1 and "Service" in binding[0]
        await pilot.press("enter")  # opens the case
        await answered(pilot)
        from screens.case_detail import CaseDetailScreen

        assert isinstance(app.screen, CaseDetailScreen)
        await pilot.press("escape")
        await answered(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("escape")
        await answered(pilot)
        assert not isinstance(app.screen, DashboardScreen)


async def test_postal_notice_is_recorded_and_printed(
    make_app: Any, ready_db: Any, desk_settings: Any
) -> None:
    from pathlib import Path

    no = CaseFactory(ready_db).case("2026-03-02 09:00", postal_address="Ақкөл, Абай к. 1")
    head = ready_db.clerks.authenticate("bakyt", "secret pass 1")
    lc = ready_db.lifecycle
    lc.forward([no], head.id)
    lc.decide(no, head.id, "refusal", reason="item 17")
    lc.result_ready(no, head.id)
    app = make_app(lang="en")
    app.print_slips = True
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot, "f6")
        await pilot.press("left", "n")
        await answered(pilot)
        assert isinstance(app.screen, FormModal)
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert isinstance(app.screen, ForwardingScreen)
        assert any("notice 02.03.2026" in ln for ln in _lines(app))
    c = _case(ready_db, no)
    assert (c.status, c.postal_notice_on) == ("result_ready", date(2026, 3, 2))
    pdfs = list(Path(desk_settings.paper_dir).glob("notice-*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")


async def test_forwarding_prints_the_register(
    make_app: Any, ready_db: Any, desk_settings: Any
) -> None:
    from pathlib import Path

    from pypdf import PdfReader

    a = CaseFactory(ready_db).case("2026-03-02 09:00")
    app = make_app(lang="en")
    app.print_slips = True
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot, "f6")
        await pilot.press("ctrl+s", "enter")
        await answered(pilot)
    [pdf] = list(Path(desk_settings.paper_dir).glob("register-*.pdf"))
    text = "".join(p.extract_text() or "" for p in PdfReader(pdf).pages)
    assert a in text and "Жұмабаев Бақыт" in text


async def test_safekeeping_from_the_screen(make_app: Any, ready_db: Any, tui_clock: Any) -> None:
    no = CaseFactory(ready_db).case("2026-01-05 10:00")
    head = ready_db.clerks.authenticate("bakyt", "secret pass 1")
    lc = ready_db.lifecycle
    lc.forward([no], head.id, date(2026, 1, 6))
    lc.decide(no, head.id, "refusal", decided_on=date(2026, 1, 15), reason="item 17")
    lc.result_ready(no, head.id, date(2026, 1, 20))  # 41 days before 2 March
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot, "f6")
        await pilot.press("left")
        await answered(pilot)
        assert any("not collected" in ln for ln in _lines(app))
        await pilot.press("k")
        await answered(pilot)
        app.screen.query_one("#location", Input).value = "Шкаф 3, сөре 2"
        await pilot.press("enter")  # the last field: saves
        await answered(pilot)
        assert isinstance(app.screen, ForwardingScreen)
        assert any("Шкаф 3, сөре 2" in ln for ln in _lines(app))
    c = _case(ready_db, no)
    assert (c.status, c.safekeeping_location) == ("in_safekeeping", "Шкаф 3, сөре 2")


TITLES = {
    "f5": "lifecycle.ui.dashboard_title",
    "f6": "lifecycle.key.forward",  # the footer
    "f7": "lifecycle.ui.complaints_title",
    "f8": "lifecycle.report.title",
}


async def test_every_label_is_translated(make_app: Any, ready_db: Any) -> None:
    """No raw message key on any lifecycle screen, in Kazakh and Russian."""
    from textual.widgets import Footer, Static

    CaseFactory(ready_db).case("2026-02-10 10:00")
    for lang in ("kk", "ru"):
        app = make_app(lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await login(pilot)
            for key in ("f5", "f6", "f7", "f8"):
                await pilot.press(key)
                await answered(pilot)
                texts = [
                    str(w.render())
                    for w in app.screen.walk_children(with_self=False)
                    if isinstance(w, Static | OptionList)
                ]
                footer = app.screen.query_one(Footer)
                texts += [str(w.render()) for w in footer.walk_children(with_self=False)]
                joined = "\n".join(texts)
                assert "lifecycle." not in joined, (lang, key)
                assert app.t(TITLES[key]) in joined
                await pilot.press("escape")
                await answered(pilot)
