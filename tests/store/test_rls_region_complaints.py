"""Row-level security of the region's complaints (item 22; issue 14, points 3 and 4;
migration 0015), on PostgreSQL with the desks connected as their roles.

A complaint about Department 19 registered at the region is visible to Department 19's role
and not to Department 5's; Department 19 escalates its answered complaint (no outbox on the
shared server), the regional head answers it, and Department 19 reads the answer at once.
The regional role may register only complaints "at the region" and answer only those and
the escalated ones.

The world is ``test_row_level_security``'s fixture (its own schema and roles, made for this
module, dropped afterwards).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from mss_desk.clock import FixedClock
from mss_desk.services import Services
from mss_desk.store.engine import open_store
from tests.conftest import CLERK_PASSWORD, PG_ENV, local_dt
from tests.store.test_row_level_security import World, _one, _refused, _rows, world  # noqa: F401

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set")


def _url(world: World, key: str) -> str:  # noqa: F811
    url = make_url(os.environ[PG_ENV]).set(username=world.roles[key], password=None)
    url = url.update_query_dict({"options": f"-csearch_path={world.schema}"})
    return url.render_as_string(hide_password=False)


@dataclass
class Desks:
    region: Any  # the regional desk's Services, connected as the regional role
    d19: Any  # Department 19's, as its role
    region_head: Any
    region_clerk: Any
    at_region: str  # the complaint about 19 registered at the region
    escalated: str  # Department 19's complaint, answered, escalated


@pytest.fixture(scope="module")
def desks(world: World, catalog: Any) -> Iterator[Desks]:  # noqa: F811
    from mss_desk.exchange.region_complaints import RegionComplaintService

    clock = FixedClock(local_dt("2026-03-02 12:00"))
    engines = [open_store(_url(world, "region")), open_store(_url(world, "d19"))]
    try:
        region = Services(engines[0], clock, catalog, department=0)
        region.setup.init_department(0)
        head = region.clerks.create(0, "oblhead", "Қасымова", "Гүлмира", CLERK_PASSWORD, "head")
        clerk = region.clerks.create(0, "oblclerk", "Жұмабаев", "Ерлан", CLERK_PASSWORD, "clerk")
        d19 = Services(engines[1], clock, catalog, department=19)
        c = RegionComplaintService(region).register(19, "Әлиев Марат", "Жауап жоқ", clerk.id)
        # Department 19's own complaint (the fixture's), answered by its head, escalated
        [mine] = [v for v in d19.complaints.list() if not v.at_region]
        d19_head = next(v for v in d19.clerks.list() if v.role == "head")
        d19.complaints.review(mine.complaint_no, d19_head.id, justified=False, satisfied=False,
                              answer_text="Негізсіз")  # fmt: skip
        d19.complaints.escalate(mine.complaint_no, d19_head.id)
        yield Desks(region, d19, head, clerk, c.complaint_no, mine.complaint_no)
    finally:
        for eng in engines:
            eng.dispose()


def test_department_19_sees_the_complaint_registered_about_it_and_5_does_not(
    world: World, desks: Desks  # noqa: F811
) -> None:
    sql = "SELECT complaint_no FROM complaints WHERE at_region"
    assert [r[0] for r in _rows(world.d19, sql)] == [desks.at_region]
    assert _rows(world.d5, sql) == []
    assert _rows(world.d5, "SELECT * FROM complaints WHERE department_code = 19") == []
    listed = {c.complaint_no: c for c in desks.d19.complaints.list()}
    assert listed[desks.at_region].at_region is True


def test_escalated_on_the_shared_server_writes_no_outbox(
    world: World, desks: Desks  # noqa: F811
) -> None:
    assert _one(
        world.owner, "SELECT count(*) FROM exchange_outbox WHERE kind = 'complaint.escalated'"
    ) == 0
    from mss_desk.exchange.region_complaints import RegionComplaintService

    rows = {r.complaint_no: r for r in RegionComplaintService(desks.region).list()}
    assert rows[desks.escalated].instance == 2 and rows[desks.at_region].instance == 1


def test_the_regional_head_answers_and_department_19_reads_it_at_once(
    world: World, desks: Desks  # noqa: F811
) -> None:
    from mss_desk.errors import RuleViolation
    from mss_desk.exchange.region_complaints import RegionComplaintService

    svc = RegionComplaintService(desks.region)
    with pytest.raises(RuleViolation):
        svc.review(desks.escalated, desks.region_clerk.id, justified=True, satisfied=True)
    svc.review(desks.escalated, desks.region_head.id, justified=True, satisfied=True,
               answer_text="Қайта қаралады")  # fmt: skip
    mine = desks.d19.complaints.get(desks.escalated)
    assert (mine.second_instance, mine.second_answer_text) == ("answered", "Қайта қаралады")
    assert _rows(world.d5, "SELECT * FROM complaints WHERE second_answered_on IS NOT NULL") == []


def test_the_regional_role_writes_only_the_regions_complaints(
    world: World, desks: Desks  # noqa: F811
) -> None:
    region = world.region
    # Department 5's complaint is neither registered at the region nor escalated
    with region.begin() as conn:
        import sqlalchemy as sa

        changed = conn.execute(
            sa.text("UPDATE complaints SET answer_text = 'x' WHERE department_code = 5")
        ).rowcount
        conn.rollback()
    assert changed == 0
    assert "row-level security" in _refused(
        region,
        "INSERT INTO complaints (complaint_no, department_code, complainant, contact, text,"
        " registered_at, status, answer_text, at_region, second_answer_text)"
        " VALUES ('00-2026-C9999', 19, 'X', '', 'x', now(), 'registered', '', false, '')",
    )
    # Department 19's role cannot register one for Department 5 either
    assert "row-level security" in _refused(
        world.d19,
        "INSERT INTO complaints (complaint_no, department_code, complainant, contact, text,"
        " registered_at, status, answer_text, at_region, second_answer_text)"
        " VALUES ('00-2026-C9998', 5, 'X', '', 'x', now(), 'registered', '', true, '')",
    )


def test_department_19_cannot_change_or_delete_the_regions_complaint(
    world: World, desks: Desks  # noqa: F811
) -> None:
    import sqlalchemy as sa

    with world.d19.begin() as conn:
        changed = conn.execute(
            sa.text("UPDATE complaints SET answer_text = 'x', status = 'answered'"
                    " WHERE complaint_no = :n"), {"n": desks.at_region},
        ).rowcount
        deleted = conn.execute(
            sa.text("DELETE FROM complaints WHERE complaint_no = :n"), {"n": desks.at_region}
        ).rowcount
        conn.rollback()
    assert (changed, deleted) == (0, 0)
    # its own complaints it still changes (its escalation was such an UPDATE)
    with world.d19.begin() as conn:
        own = conn.execute(
            sa.text("UPDATE complaints SET contact = contact WHERE NOT at_region")
        ).rowcount
        conn.rollback()
    assert own == 1
