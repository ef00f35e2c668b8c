"""What the regional desk shows of its complaints (item 22; issue 14.3), 80×24: one
registered at the region about Department 19, and Department 7's complaint escalated to the
second instance, overdue (Monday 2 March 2026, 10:00 Almaty).

Update with ``uv run pytest tests/tui/region/test_snapshots_region_complaints.py
--snapshot-update`` and LOOK at every picture before committing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from tests.conftest import CLERK_PASSWORD, DEPT
from tests.exchange.conftest import OTHER
from tests.tui.region.conftest import REGION_PASSWORD, REGION_USER
from tests.tui.region.test_snapshots_region import settle


@pytest.fixture
def complaints_db(regional_db: Any) -> Any:
    from sqlmodel import Session

    from mss_desk.exchange.region_complaints import RegionComplaintService
    from mss_desk.store.models import Complaint

    region = regional_db
    clerk = region.services.clerks.authenticate(REGION_USER, REGION_PASSWORD)
    region.services.clerks.create(0, "oblhead", "Қасымова", "Гүлмира", CLERK_PASSWORD, "head")
    RegionComplaintService(region.services).register(
        DEPT, "Әлиев Марат", "Талон берілмеді, кезекте 2 сағат күттім", clerk.id,
        case_no="19-2026-00101",
    )  # fmt: skip
    with Session(region.services.engine) as s:  # as ``complaint.escalated`` leaves it
        s.add(Complaint(
            complaint_no="07-2026-C0003", department_code=OTHER, complainant="Серіков Асқар",
            text="Құжаттарды қабылдамады", registered_at=datetime(2026, 2, 2, 5, tzinfo=UTC),
            answer_due=date(2026, 2, 17), status="answered", answered_on=date(2026, 2, 10),
            answer_text="Негізсіз", justified=False, satisfied=False,
            escalated_on=date(2026, 2, 12), second_due=date(2026, 2, 27),
        ))  # fmt: skip
        s.commit()
    return region


async def open_complaints(pilot: Any) -> None:
    from screens.region_complaints import RegionComplaintsScreen

    app = pilot.app
    await pilot.pause()
    app.clerk = app.services.clerks.authenticate(REGION_USER, REGION_PASSWORD)
    app.reset_to(RegionComplaintsScreen())
    await settle(pilot)


def test_region_complaints(snap_compare: Any, make_app: Any, complaints_db: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_complaints(pilot)

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=run_before)


def test_region_complaints_kazakh(snap_compare: Any, make_app: Any, complaints_db: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_complaints(pilot)

    assert snap_compare(make_app(lang="kk"), terminal_size=(80, 24), run_before=run_before)


def test_region_complaint_form(snap_compare: Any, make_app: Any, complaints_db: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_complaints(pilot)
        await pilot.press("n")
        await settle(pilot)

    assert snap_compare(make_app(lang="ru"), terminal_size=(80, 24), run_before=run_before)
