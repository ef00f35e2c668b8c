"""A returned file finished at the desk (issue 11 point 4) and an intake outside working
hours (item 10, issue 11 point 9), through the screens, with their 80×24 pictures.

The clock stands on Monday 2 March 2026, 10:00 Almaty (office open) unless a test moves it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from screens.case_detail import CaseDetailScreen
from screens.intake.outside_hours import OutsideHoursModal
from screens.intake.reopen import ReopenModal
from tests.conftest import ELDERLY_DOCS, local_dt
from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER, answered, elder, footer_text, screen_text
from tests.tui.test_intake import elder_to_documents, start
from widgets.checklist import Checklist


def returned_elder(ready_db: Any) -> Any:
    """Иванова's file, returned on 2 March: the medical card missing."""
    clerk = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    form = elder("Иванова", "Мария", date(1948, 1, 30), "female")
    r = ready_db.intake.submit(form, set(ELDERLY_DOCS) - {"medical_card"}, clerk.id)
    assert r.outcome == "returned_incomplete"
    return r


def returned_child(ready_db: Any) -> Any:
    """A child of group 1 who turns 18 on 9 March 2026, returned on 2 March."""
    from mss_desk.rules.iin import make_iin
    from mss_desk.services.views import IntakeForm

    clerk = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    born = date(2008, 3, 9)
    form = IntakeForm(
        iin=make_iin(born, "male", 7),
        surname="Серіков",
        name="Нұрлан",
        birth_date=born,
        sex="male",
        institution="children_psychoneuro",
        disabled=True,
        disability_group=1,
        psychoneuro=True,
        representative_name="Серікова Айгүл",
        representative_basis="ана",
    )
    r = ready_db.intake.submit(form, {"parent_application_or_medical_petition"}, clerk.id)
    assert r.outcome == "returned_incomplete"
    return r


async def open_card(pilot: Any, ready_db: Any, case_id: int) -> CaseDetailScreen:
    app = pilot.app
    app.clerk = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    screen = CaseDetailScreen(case_id=case_id)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


def audit_actions(ready_db: Any) -> list[tuple[str, str]]:
    with ready_db.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT action, detail FROM audit_events WHERE entity='case' ORDER BY id")
        ).all()
    return [(r[0], r[1]) for r in rows]


# ------------------------------------------------------------------ point 4: the case card


async def test_a_returned_file_is_completed_from_the_case_card_and_the_talon_printed(
    make_app: Any, ready_db: Any, desk_settings: Any
) -> None:
    returned = returned_elder(ready_db)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.print_slips = True
        card = await open_card(pilot, ready_db, returned.case_id)
        assert card.check_action("reprint", ()) is False
        assert "Complete the file" in footer_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ReopenModal)
        checklist = modal.query_one(Checklist)
        assert checklist.codes == ("medical_card",)  # only what is still missing
        await pilot.press("space", "ctrl+s")
        await answered(pilot)
        assert app.screen is card
        detail = ready_db.cases.get_by_id(returned.case_id)
        assert detail.status == "accepted" and detail.case_no == "19-2026-00001"
        assert detail.service_due == date(2026, 3, 17)  # item 7.1, from today
        assert "19-2026-00001" in screen_text(app)
        [pdf] = list(Path(desk_settings.paper_dir).glob("*.pdf"))
        assert pdf.name == "talon-19-2026-00001.pdf"  # item 15: the talon, at once
        assert card.check_action("reopen", ()) is False  # an accepted file is closed


async def test_a_file_still_incomplete_stays_returned_with_a_new_slip(
    make_app: Any, ready_db: Any, desk_settings: Any
) -> None:
    returned = returned_elder(ready_db)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.print_slips = True
        await open_card(pilot, ready_db, returned.case_id)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("ctrl+s")  # nothing brought
        await answered(pilot)
        assert not isinstance(app.screen, ReopenModal)
        assert ready_db.cases.get_by_id(returned.case_id).status == "returned_incomplete"
        messages = [n.message for n in app._notifications]
        assert any("Still incomplete" in m for m in messages)
        [pdf] = list(Path(desk_settings.paper_dir).glob("*.pdf"))
        assert pdf.name.startswith("missing")  # item 17: the new list of missing documents


async def test_item_6_2_a_child_turned_18_is_refused_and_the_adult_type_offered(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    returned = returned_child(ready_db)
    tui_clock.set(local_dt("2026-03-10 10:00"))
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        card = await open_card(pilot, ready_db, returned.case_id)
        await pilot.press("ctrl+r")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ReopenModal)
        await pilot.press("a", "ctrl+s")  # every child document brought
        await answered(pilot)
        assert app.screen is modal  # refused: told why, nothing written
        text = screen_text(app)
        assert "Not eligible today (10.03.2026)" in text and "Too old" in text
        assert "Psychoneurological" in text or "adult" in text.lower()
        assert ready_db.cases.get_by_id(returned.case_id).status == "returned_incomplete"
        await pilot.press("t")  # take the adult type: its own documents are asked
        await answered(pilot)
        assert app.screen is card
        detail = ready_db.cases.get_by_id(returned.case_id)
        assert detail.institution == "adult_psychoneuro"
        assert detail.status == "returned_incomplete"
        assert set(detail.missing) == {"identity_card", "mse_commission_certificate"}


def test_snapshot_reopen_refused_with_offer(
    snap_compare: Any, make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    returned = returned_child(ready_db)
    tui_clock.set(local_dt("2026-03-10 10:00"))

    async def run_before(pilot: Any) -> None:
        await open_card(pilot, ready_db, returned.case_id)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("a", "ctrl+s")
        await answered(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_reopen_checklist(snap_compare: Any, make_app: Any, ready_db: Any) -> None:
    returned = returned_elder(ready_db)

    async def run_before(pilot: Any) -> None:
        await open_card(pilot, ready_db, returned.case_id)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


# ------------------------------------------------------------------ point 9: outside hours


async def test_item_10_the_intake_asks_why_outside_hours_and_the_audit_keeps_it(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    tui_clock.set(local_dt("2026-03-07 11:00"))  # a Saturday
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await elder_to_documents(pilot, screen)
        await pilot.press("a", "ctrl+n", "ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, OutsideHoursModal)
        assert "Closed: weekend" in screen_text(app)
        await pilot.press("escape")  # no reason: nothing registered
        await answered(pilot)
        assert app.screen is screen and screen.result is None
        assert "no reason given" in str(screen.query_one("#message").render())
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, OutsideHoursModal)
        await pilot.press("ctrl+t")  # training
        await answered(pilot)
        assert screen.result is not None and screen.result.accepted
        assert ("case.outside_hours", "reason=training;closed=weekend") in audit_actions(
            ready_db
        )


async def test_item_10_a_returned_file_completed_on_saturday_asks_why(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    returned = returned_elder(ready_db)
    tui_clock.set(local_dt("2026-03-07 11:00"))
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot, ready_db, returned.case_id)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OutsideHoursModal)
        await pilot.press("ctrl+e")  # an authorised extension
        await answered(pilot)
        assert ready_db.cases.get_by_id(returned.case_id).status == "accepted"
        assert ("case.outside_hours", "reason=extension;closed=weekend") in audit_actions(
            ready_db
        )


def test_snapshot_outside_hours_question(
    snap_compare: Any, make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    returned = returned_elder(ready_db)
    tui_clock.set(local_dt("2026-03-02 13:20"))  # the lunch break

    async def run_before(pilot: Any) -> None:
        await open_card(pilot, ready_db, returned.case_id)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=run_before)




# ------------------------------------------------------------------ point 5: couples


async def test_item_6_1_both_case_cards_show_the_spouses_case(
    make_app: Any, ready_db: Any
) -> None:
    clerk = ready_db.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    wife_form = elder("Әлиева", "Гүлнар", date(1952, 7, 9), "female")
    wife = ready_db.intake.submit(wife_form, set(ELDERLY_DOCS), clerk.id)
    husband_form = elder(
        "Әлиев", "Ерлан", date(1950, 4, 1), "male", spouse_case_no=wife_form.iin
    )
    husband = ready_db.intake.submit(husband_form, set(ELDERLY_DOCS), clerk.id)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot, ready_db, husband.case_id)
        assert f"Spouse's case: {wife.case_no}" in screen_text(app)
        await open_card(pilot, ready_db, wife.case_id)
        assert f"Spouse's case: {husband.case_no}" in screen_text(app)
