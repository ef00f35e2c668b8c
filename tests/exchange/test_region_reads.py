"""The regional desk's lists (issue 14.2): every Department's forwarded files with the days
left of item 5's 10 working days, its deadlines, and the case card of another Department's
file (the region's reads widened in ``services.base``, nowhere else)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEPT
from tests.exchange.conftest import OTHER, Desk, forwarded, introduce


def ship(desk: Desk, region: Desk, tmp_path: Path) -> None:
    path = tmp_path / f"{desk.code}-up.mssx"
    desk.exchange.export(0, path)
    region.exchange.import_bundle(path)


@pytest.fixture
def two_departments(desk_factory: Any, dept: Desk, region: Desk, tmp_path: Path) -> list[str]:
    other = desk_factory(OTHER)
    introduce(other, region)
    files = forwarded(dept) + forwarded(other)
    ship(dept, region, tmp_path)
    ship(other, region, tmp_path)
    return files


def test_incoming_lists_every_departments_file_with_ten_working_days_left(
    region: Desk, two_departments: list[str]
) -> None:
    a, b = two_departments
    rows = region.region.incoming()
    assert {(r.case_no, r.department_code) for r in rows} == {(a, DEPT), (b, OTHER)}
    for row in rows:
        # forwarded today (Monday 2 March 2026): counted from the day after, 10 are left
        assert row.forwarded_on == region.services.clock.now().date()
        assert row.days_left == 10
        assert row.state is None
        assert row.department_kk


def test_days_left_on_the_last_day_and_after_it(
    region: Desk, two_departments: list[str], clock: Any
) -> None:
    due = region.region.incoming()[0].decision_due
    assert due is not None
    clock.set(clock.now() + timedelta(days=(due - clock.now().date()).days))
    [row, _] = region.region.deadlines()
    assert (row.days_left, row.state) == (0, "today")
    clock.advance(days=1)
    while not region.services.calendar.is_working_day(clock.now().date()):
        clock.advance(days=1)
    row = region.region.deadlines()[0]
    assert row.state == "overdue" and row.days_left == -1


def test_deadlines_leave_out_far_and_decided_files(
    region: Desk, two_departments: list[str], clock: Any
) -> None:
    assert region.region.deadlines() == []  # 10 working days away
    a, b = two_departments
    region.region.decide(a, refusal="untrue")
    due = next(r.decision_due for r in region.region.incoming() if r.case_no == b)
    assert due is not None
    clock.set(clock.now() + timedelta(days=(due - clock.now().date()).days - 3))
    assert [(r.case_no, r.state) for r in region.region.deadlines()] == [(b, "soon")]
    # the decided file is still listed, after the waiting one, with no clock running
    decided = region.region.incoming()[-1]
    assert (decided.case_no, decided.status, decided.days_left) == (a, "decided", None)


def test_the_region_reads_another_departments_case_card(
    region: Desk, dept: Desk, two_departments: list[str]
) -> None:
    a, _ = two_departments
    detail = region.services.cases.get(a)
    assert detail.case_no == a and detail.documents
    assert region.services.cases.get_by_id(detail.id).case_no == a
    # a Department desk still reads its own Department's files only
    from mss_desk.errors import NotFound

    with pytest.raises(NotFound):
        dept.services.cases.get(two_departments[1])


def test_the_region_widens_no_accounts(region: Desk, dept: Desk) -> None:
    """The widening is for the files: a Department's account never signs in at the region."""
    from mss_desk.services.base import ServiceBase

    base = ServiceBase(region.services)
    assert base.owns(DEPT, "cases") and not base.owns(DEPT, "clerks") and not base.owns(DEPT)
    dept_base = ServiceBase(dept.services)
    assert not dept_base.owns(OTHER, "cases")
