"""EXPLAIN QUERY PLAN of every hot query, as the services actually send it (issue 7).

The SQL is captured with SQLAlchemy's ``before_cursor_execute`` event while the services
run: lookup by IIN, by case number, surname prefix (Kazakh and Russian, upper and lower
case), the case lists, the deadline dashboard and the queue's waiting list. Each SELECT is
then explained on the same file. A full scan of a big table fails the test — the DESIGN
trap is ``.startswith()``, which SQLAlchemy compiles to ``LIKE ? || '%'`` and SQLite cannot
index (85 ms at a million rows instead of 0.1 ms); ``test_the_check_catches_startswith``
shows the check failing on exactly that query. A search that walks every case of the
Department (``ix_cases_department_code…`` driving an IIN or surname lookup) fails too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from mss_desk.catalog import Catalog
from mss_desk.clock import FixedClock
from tests.conftest import DEPT

BIG_TABLES = ("cases", "applicants", "queue_tickets", "case_documents", "audit_events")
# "SCAN t" and "SCAN t USING [COVERING] INDEX i" both read every row (or index entry)
FULL_SCAN = re.compile(rf"\bSCAN ({'|'.join(BIG_TABLES)})\b")
DEPARTMENT_WALK = re.compile(
    r"SEARCH cases USING INDEX ix_cases_department_code\w* \(department_code=\?\)$"
)


def plan(engine: Any, statement: str, parameters: Any) -> list[str]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        conn.rollback()
    return [str(r[-1]) for r in rows]


def full_scans(lines: list[str]) -> list[str]:
    return [line for line in lines if FULL_SCAN.search(line)]


@pytest.fixture
def captured(sqlite_url: str, catalog: Catalog, clock: FixedClock) -> Iterator[Any]:
    """A migrated desk on SQLite; yields (engine, services, run) where ``run(fn)`` returns
    the SELECTs ``fn`` sent. (The planner needs the schema, not rows: no ANALYZE statistics
    exist on a clerk's file either.)"""
    import sqlalchemy as sa

    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    engine = open_store(sqlite_url)
    services = Services(engine, clock, catalog)
    services.setup.init_department(DEPT)
    sent: list[tuple[str, Any]] = []

    def listener(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", listener)

    def run(fn: Any) -> list[tuple[str, Any]]:
        sent.clear()
        fn()
        return list(sent)

    yield engine, services, run
    sa.event.remove(engine, "before_cursor_execute", listener)
    engine.dispose()


HOT_CALLS = {
    "find by IIN": lambda s: s.cases.find("500501400012"),
    "find by case number": lambda s: s.cases.find("19-2026-00001"),
    "surname prefix, Kazakh capital": lambda s: s.cases.find("ӘЛИ"),
    "surname prefix, Kazakh lower": lambda s: s.cases.find("әли"),
    "surname prefix, Kazakh title": lambda s: s.cases.find("Өмірзақ"),
    "surname prefix, Russian": lambda s: s.cases.find("иванов"),
    "case list": lambda s: s.cases.list(limit=50),
    "case list by status": lambda s: s.cases.list(status="accepted", limit=50),
    "deadline dashboard": lambda s: s.lifecycle.dashboard(),
    "queue waiting": lambda s: s.queue.waiting(),
    "queue waiting, submit": lambda s: s.queue.waiting("submit"),
}
SEARCHES = {name for name in HOT_CALLS if name.startswith(("find", "surname"))}


@pytest.mark.parametrize("name", sorted(HOT_CALLS))
def test_hot_query_is_an_index_search(captured: Any, name: str) -> None:
    engine, services, run = captured
    statements = run(lambda: HOT_CALLS[name](services))
    assert statements, f"{name}: no SELECT captured"
    for statement, parameters in statements:
        lines = plan(engine, statement, parameters)
        assert not full_scans(lines), f"{name}: full scan\n{statement}\n" + "\n".join(lines)
        if name in SEARCHES and " cases" in statement:
            walks = [line for line in lines if DEPARTMENT_WALK.search(line)]
            assert not walks, f"{name}: reads every case of the Department\n" + "\n".join(lines)


def test_surname_search_has_the_casefolded_range(captured: Any) -> None:
    """Kazakh letters fold in Python (NOCASE would fold ASCII only): the parameters sent
    for ӘЛИ and әли are the same casefolded prefix, compared with >= / <, never LIKE."""
    _engine, services, run = captured
    upper = run(lambda: services.cases.find("ӘЛИ"))
    lower = run(lambda: services.cases.find("әли"))
    assert upper[-1] == lower[-1]
    statement, parameters = upper[-1]
    assert "LIKE" not in statement.upper()
    assert "surname_fold >=" in statement and "surname_fold <" in statement
    assert "әли" in parameters


def test_the_check_catches_startswith(captured: Any) -> None:
    """The trap this test exists for: ``.startswith()`` is LIKE ? || '%', a full scan."""
    from sqlmodel import Session, col, select

    from mss_desk.store.models import Applicant, Case

    engine, _services, run = captured
    stmt = (
        select(Case.id, Applicant.surname)
        .join(Applicant, col(Case.applicant_id) == col(Applicant.id))
        .where(col(Applicant.surname_fold).startswith("әли"))
    )

    def query() -> None:
        with Session(engine) as session:
            session.exec(stmt).all()

    statements = run(query)
    statement, parameters = statements[0]
    assert "LIKE" in statement.upper()
    assert full_scans(plan(engine, statement, parameters))


def test_the_check_reads_scan_lines() -> None:
    assert full_scans(["SCAN cases"]) == ["SCAN cases"]
    assert full_scans(["SCAN applicants"]) == ["SCAN applicants"]
    covering = "SCAN cases USING COVERING INDEX ix_cases_status"
    assert full_scans([covering]) == [covering]
    assert full_scans(["SEARCH cases USING INDEX ix_cases_status (status=?)"]) == []
    assert full_scans(["SCAN departments"]) == []  # a handful of rows
    walk = "SEARCH cases USING INDEX ix_cases_department_code_submitted_at (department_code=?)"
    assert DEPARTMENT_WALK.search(walk)
    assert not DEPARTMENT_WALK.search(
        "SEARCH cases USING INDEX ix_cases_department_code_status (department_code=? AND status=?)"
    )


def test_the_dashboard_searches_the_four_statuses_only(captured: Any) -> None:
    """The deadline dashboard reads the Department's cases in the four statuses it shows
    (a few hundred at a million cases, whatever the history) through (department_code,
    status) and filters their deadlines there: one search, no other table, no sort."""
    engine, services, run = captured
    statements = [s for s in run(services.lifecycle.dashboard) if " cases" in s[0]]
    assert len(statements) == 1
    statement, parameters = statements[0]
    assert plan(engine, statement, parameters) == [
        "SEARCH cases USING INDEX ix_cases_department_code_status (department_code=? AND status=?)"
    ]
    # the deadlines are compared in SQL (the rows the rules would drop stay there)
    for column in ("service_due <=", "forward_due <=", "decision_due <=", "result_ready_on <="):
        assert column in statement
