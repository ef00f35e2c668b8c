"""A regional desk with files from two Departments, for the regional screens (issue 14.2).

The Department desks and the bundles are ``tests/exchange/conftest.py``'s: each Department
accepts and forwards its files, exports a bundle, the region imports it. The region's
database is the TUI's ``sqlite_url`` (``make_app`` opens it), its clerk ``REGION_USER``.

Files, on the FixedClock (Monday 2 March 2026): forwarded today (10 working days left),
forwarded on 16 and 17 February (decision due today and within three days), on
10 February (overdue), and one from Department 7 with the WWII path (item 6.1); the one
forwarded today is for an adults' psychoneurological institution (item 6.3).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import CLERK_PASSWORD, DEPT
from tests.exchange.conftest import OTHER, Desk, desk_factory, introduce  # noqa: F401

REGION_USER = "region"
REGION_PASSWORD = CLERK_PASSWORD
FILES = {  # case number → (Department, accepted, forwarded on, WWII path)
    "19-2026-00101": (DEPT, "2026-03-02 09:00", date(2026, 3, 2), False),
    "19-2026-00102": (DEPT, "2026-02-16 10:00", date(2026, 2, 16), False),
    "19-2026-00103": (DEPT, "2026-02-16 11:00", date(2026, 2, 17), False),
    "19-2026-00104": (DEPT, "2026-02-09 10:00", date(2026, 2, 10), False),
    "07-2026-00201": (OTHER, "2026-02-26 10:00", date(2026, 2, 27), True),
}
# the waiting list's second institution type (item 6.3); the others are item 6.1's
INSTITUTION = {"19-2026-00101": "adult_psychoneuro"}


@pytest.fixture
def regional_db(
    desk_factory: Callable[..., Desk],  # noqa: F811 - the exchange tests' fixture
    sqlite_url: str,
    tmp_path: Path,
) -> Desk:
    """The regional desk at ``sqlite_url`` with ``FILES`` imported from two Departments."""
    region = desk_factory(0, sqlite_url)
    region.clerk = region.services.clerks.create(
        0, REGION_USER, "Оспанова", "Гүлнар", REGION_PASSWORD, "clerk"
    )
    for code in (DEPT, OTHER):
        desk = desk_factory(code)
        introduce(desk, region)
        assert desk.make is not None
        for case_no, (dept, accepted, sent, wwii) in FILES.items():
            if dept != code:
                continue
            desk.make.case(
                accepted, case_no=case_no, priority=wwii, wwii=wwii,
                institution=INSTITUTION.get(case_no, "elderly_general"),
            )
            desk.services.lifecycle.forward([case_no], desk.clerk.id, sent)
        path = tmp_path / f"{code}-up.mssx"
        desk.exchange.export(0, path)
        got = region.exchange.import_bundle(path)
        # the files, and February's Annex 2 summary (issue 14.5: a finished month)
        assert (got.applied, got.problems) == (
            len([f for f in FILES.values() if f[0] == code]) + 1, []
        )
    return region
