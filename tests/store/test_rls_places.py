"""A place came free on the shared PostgreSQL (issue 14.4 with item 6.1): the regional desk
connected as the region's role records it — its GRANT covers ``freed_places`` — and the
file of Department 19, which works on the server with its own role, is referred with no
message in the outbox (it reads the decision at once). A Department's role cannot read the
freed places. PostgreSQL only; the world is ``test_row_level_security``'s, made afresh for
this module."""

from __future__ import annotations

import os
from typing import Any

import pytest
import sqlalchemy as sa

from mss_desk.clock import FixedClock
from mss_desk.services import Services
from mss_desk.store.engine import open_store
from tests.conftest import CLERK_PASSWORD, PG_ENV, local_dt
from tests.store.test_row_level_security import World, _one, _refused, world  # noqa: F401

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set")


def test_the_region_role_frees_a_place_for_a_department_on_the_server(
    world: World,  # noqa: F811 - the fixture imported above
    catalog: Any,
) -> None:
    from mss_desk.exchange.places import PlacesService

    url = world.region.url.render_as_string(hide_password=False)
    engine = open_store(url)
    try:
        hub = Services(engine, FixedClock(local_dt("2026-03-03 10:00")), catalog, department=0)
        hub.setup.init_department(0)
        head = hub.clerks.create(0, "bastyk", "Жұмабекова", "Гүлнәр", CLERK_PASSWORD, "head")
        got = PlacesService(hub).free_place(
            "elderly_general", institution="Көкшетау МӘМ", referral_no="R-1", head_id=head.id
        )
        assert (got.case_no, got.department_code, got.message_id) == (world.case_19, 19, None)
        assert [h.case_no for h in PlacesService(hub).history()] == [world.case_19]
    finally:
        engine.dispose()
    assert _one(world.owner, "SELECT count(*) FROM exchange_outbox") == 0
    assert _one(
        world.d19, "SELECT decision_no FROM cases WHERE case_no = :c", c=world.case_19
    ) == "R-1"  # Department 19 reads its referral at once
    assert "permission denied" in _refused(world.d19, "SELECT * FROM freed_places")
    with world.owner.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM freed_places")).scalar() == 1
