"""Annex 2 for the region on the shared PostgreSQL (issue 14, points 2 and 4): the regional
role counts the Departments that work there live from their rows, keeps the summaries of
an offline Department in ``region_summaries`` (migration 0014, granted by ``db role add``),
and a Department's role cannot read those summaries.

PostgreSQL only; the world (a schema and roles of its own) is ``test_row_level_security``'s
fixture, made afresh for this module."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlmodel import Session

from mss_desk.clock import FixedClock
from mss_desk.services import Services
from mss_desk.store.engine import open_store
from tests.conftest import PG_ENV, local_dt
from tests.store.test_row_level_security import (  # noqa: F401 - the fixture
    World,
    _refused,
    _url,
    world,
)

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set")


def test_the_regional_role_counts_live_and_keeps_summaries(
    world: World, catalog: Any  # noqa: F811
) -> None:
    from mss_desk.exchange.apply import apply_summary
    from mss_desk.exchange.summary import RegionReportService

    clock = FixedClock(local_dt("2026-03-02 10:00"))
    engine = open_store(_url(os.environ[PG_ENV], world.roles["region"], world.schema))
    try:
        hub = Services(engine, clock, catalog, department=None)
        hub.setup.init_department(0)  # the region's own row (its role may write code 0 only)
        region = Services(engine, clock, catalog, department=0)
        # an offline Department's summary, as an import applies it (the region's role)
        with Session(engine) as s, s.begin():
            apply_summary(s, region.reports, 7, {
                "id": "m1", "seq": 1, "created_at": "2026-03-01T10:00:00+00:00",
                "payload": {"month": "2026-03", "department_code": 7,
                            "indicators": {"3.2": {"numerator": 3, "denominator": 4}}},
            })  # fmt: skip
        annex = RegionReportService(region).annex2("2026-03")
        lines = {d.code: d for d in annex.departments}
        # 5 and 19 work on the shared server (roles of their own): counted live
        assert (lines[5].source, lines[19].source, lines[7].source) == ("live", "live", "summary")
        assert lines[5].value("3.2") == 100.0 and lines[19].value("3.2") == 100.0
        assert lines[1].source == "none"
        total = {r.no: r for r in annex.total}
        assert (total["3.2"].numerator, total["3.2"].denominator) == (3 + 2 + 2, 4 + 2 + 2)
    finally:
        engine.dispose()
    refused = _refused(world.d19, "SELECT * FROM region_summaries")
    assert "permission denied" in refused
