"""The regional desk's complaints (item 22; issue 14.3), keyboard only, 80×24: F7 from the
regional home; N registers a complaint about a Department, then asks before the talon
prints; Enter answers — the regional head only — after the form and one more question.
Plus the Department's side: escalate (Ctrl+E, asked first) and the region's complaint shown
read-only, "registered at the region"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Checkbox, Input, OptionList

from screens.complaints import ComplaintsScreen
from screens.dialogs import FormModal, QuestionModal
from screens.region_complaints import RegionComplaintsScreen
from tests.conftest import CLERK_PASSWORD, DEPT
from tests.tui.conftest import answered, footer_text, login
from tests.tui.region.conftest import REGION_PASSWORD, REGION_USER

HEAD_USER = "oblhead"


def _lines(app: Any) -> list[str]:
    ol = app.screen.query_one("#files", OptionList)
    return [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]


def _service(region: Any) -> Any:
    from mss_desk.exchange.region_complaints import RegionComplaintService

    return RegionComplaintService(region.services)


async def test_register_ask_print_then_only_the_head_answers(
    make_app: Any, regional_db: Any, desk_settings: Any
) -> None:
    region = regional_db
    region.services.clerks.create(0, HEAD_USER, "Қасымова", "Гүлмира", CLERK_PASSWORD, "head")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, REGION_USER, REGION_PASSWORD)
        await pilot.press("f7")
        await answered(pilot)
        assert isinstance(app.screen, RegionComplaintsScreen)
        assert "New" in footer_text(app)
        await pilot.press("n")
        await answered(pilot)
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#department", Input).value = "19"
        form.query_one("#complainant", Input).value = "Әлиев Марат"
        form.query_one("#text", Input).value = "[bold]Жауап[/] жоқ"
        await pilot.press("ctrl+s")
        await answered(pilot)
        # saved; printing waits for the clerk's word
        assert isinstance(app.screen, QuestionModal)
        assert _service(region).list()[0].complaint_no == "00-2026-C0001"
        await pilot.press("y")
        await answered(pilot)
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, RegionComplaintsScreen)
        [line] = _lines(app)
        assert line.startswith("00-2026-C0001") and "17.03.2026" in line and "  15  open" in line
        assert "[bold]Жауап[/]" in str(app.screen.query_one("#complaint-text").render())
        # a clerk may not answer
        await pilot.press("enter")
        await answered(pilot)
        assert isinstance(app.screen, RegionComplaintsScreen)
    talons = list(Path(desk_settings.paper_dir).glob("*.pdf"))
    assert len(talons) == 1 and talons[0].read_bytes()[:4] == b"%PDF"

    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, HEAD_USER, CLERK_PASSWORD)
        await pilot.press("f7")
        await answered(pilot)
        await pilot.press("enter")
        await answered(pilot)
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#justified", Checkbox).value = True
        form.query_one("#answer", Input).value = "Ескерту жасалды"
        await pilot.press("ctrl+s")
        await answered(pilot)
        assert isinstance(app.screen, QuestionModal)  # the answer goes to the Department
        await pilot.press("escape")
        await answered(pilot)
        assert _service(region).list()[0].answered is False  # cancelled: nothing saved
        await pilot.press("enter")
        await answered(pilot)
        app.screen.query_one("#justified", Checkbox).value = True
        await pilot.press("ctrl+s")
        await answered(pilot)
        await pilot.press("y")
        await answered(pilot)
        assert isinstance(app.screen, RegionComplaintsScreen)
        [line] = _lines(app)
        assert "answered" in line
    [row] = _service(region).list()
    assert row.answered and row.complaint.justified is True


async def test_department_escalates_and_sees_the_regions_complaint(
    make_app: Any, ready_db: Any
) -> None:
    """The Department's complaints screen: Ctrl+E asks, then escalates; the complaint the
    region registered is listed read-only."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    from mss_desk.store.models import Complaint

    s = ready_db
    c = s.complaints.register("Әлиев Марат", "Кезек", None)
    head = next(v for v in s.clerks.list() if v.role == "head")
    s.complaints.review(c.complaint_no, head.id, justified=False, satisfied=False,
                        answer_text="Негізсіз")  # fmt: skip
    with Session(s.engine) as session:  # what ``complaint.registered`` leaves here
        session.add(Complaint(
            complaint_no="00-2026-C0001", department_code=DEPT, complainant="Серіков",
            text="Облыста тіркелді", registered_at=datetime(2026, 3, 2, 4, tzinfo=UTC),
            answer_due=datetime(2026, 3, 17).date(), at_region=True,
        ))  # fmt: skip
        session.commit()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f7")
        await answered(pilot)
        screen = app.screen
        assert isinstance(screen, ComplaintsScreen)
        lines = {r.complaint_no: str(screen.line(r)) for r in screen.rows}
        assert "registered at the region" in lines["00-2026-C0001"]
        ol = screen.query_one("#complaints", OptionList)
        ol.highlighted = [r.complaint_no for r in screen.rows].index("00-2026-C0001")
        await pilot.pause()
        assert screen.check_action("review", ()) is False  # the region answers it
        assert screen.check_action("escalate", ()) is False
        ol.highlighted = [r.complaint_no for r in screen.rows].index(c.complaint_no)
        await pilot.pause()
        assert screen.check_action("escalate", ()) is True
        await pilot.press("ctrl+e")
        await answered(pilot)
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("y")
        await answered(pilot)
        assert isinstance(app.screen, ComplaintsScreen)
        lines = {r.complaint_no: str(screen.line(r)) for r in screen.rows}
        assert "at the region, answer by 17.03.2026" in lines[c.complaint_no]
    got = s.complaints.get(c.complaint_no)
    assert got.second_instance == "escalated"
