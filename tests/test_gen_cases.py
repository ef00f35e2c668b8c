"""The bulk generator (``benchmarks/gen_cases.py``) hands over a file the desk accepts.

No timing here (the speed target is the script's own PASS/FAIL): the file a small run
makes passes the start-up checks (quick_check, the pragmas read back, the newest Alembic
revision, mode 0600), keeps exactly the indexes the migrations define although the load
drops and rebuilds them, holds valid IINs and gap-free case numbers whose counters the
services continue, and is the same row for row whether one process or two made it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from benchmarks import gen_cases
from mss_desk.catalog import load_catalog
from mss_desk.clock import FixedClock
from mss_desk.errors import DepartmentNotChosen
from mss_desk.rules.iin import parse_iin
from mss_desk.services import Services
from mss_desk.services.intake import format_case_no
from mss_desk.store import safety, sqlite_file
from mss_desk.store.engine import open_store
from mss_desk.store.revisions import current_revision, head_revision
from mss_desk.vocabulary import CASE_STATUSES, DELIVERY_METHODS, OWNERSHIP

CASES = 3_000


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("gen")
    one = base / "one.sqlite3"
    two = base / "two.sqlite3"
    stats = gen_cases.generate(one, CASES, processes=1)
    gen_cases.generate(two, CASES, processes=2)
    return {"one": one, "two": two, "stats": stats}


def digest(path: Path) -> dict[str, str]:
    out = {}
    with sqlite3.connect(path) as conn:
        for table in ("applicants", "cases", "counters"):
            h = hashlib.sha256()
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
                h.update(repr(row).encode())
            out[table] = h.hexdigest()
    return out


def indexes(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).fetchall()


def test_one_or_two_processes_make_the_same_file(made: dict[str, Any]) -> None:
    assert digest(made["one"]) == digest(made["two"])
    assert made["stats"]["cases"] == CASES
    assert sum(made["stats"]["statuses"].values()) == CASES


def test_the_file_passes_the_desks_start_up_checks(made: dict[str, Any]) -> None:
    path = made["one"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sqlite_file.integrity_problems(path) == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    engine = open_store(str(path))
    try:
        safety.verify_pragmas(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_the_indexes_are_the_migrations_own(made: dict[str, Any], tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.sqlite3"
    open_store(str(fresh)).dispose()
    assert indexes(made["one"]) == indexes(fresh)


def test_applicants_and_case_numbers(made: dict[str, Any]) -> None:
    with sqlite3.connect(made["one"]) as conn:
        people = conn.execute("SELECT id, iin, birth_date, sex FROM applicants").fetchall()
        numbers = conn.execute(
            "SELECT department_code, case_no FROM cases WHERE case_no IS NOT NULL"
        ).fetchall()
        counters = {
            (d, k): v
            for d, k, v in conn.execute(
                "SELECT department_code, key, value FROM counters WHERE scope = 'case'"
            )
        }
        without_case = conn.execute(
            "SELECT count(*) FROM applicants WHERE id NOT IN (SELECT applicant_id FROM cases)"
        ).fetchone()[0]
        ages = dict(
            conn.execute(
                "SELECT institution, min(age_at_acceptance) || '-' || max(age_at_acceptance)"
                " FROM cases GROUP BY institution"
            ).fetchall()
        )
    assert len(people) == made["stats"]["applicants"] == int(CASES * 0.92)
    for _id, iin, born, sex in people:
        info = parse_iin(iin)  # the state checksum holds
        assert (info.birth_date.isoformat(), info.sex) == (born, sex)
    assert without_case == 0
    # item 6: a child 4 to 17, an adult from 18; nobody far past a first case at 94
    low, high = map(int, ages["children_psychoneuro"].split("-"))
    assert 4 <= low and high < 18
    low, high = map(int, ages["adult_psychoneuro"].split("-"))
    assert 18 <= low and high <= 98
    low, high = map(int, ages["elderly_general"].split("-"))
    assert 18 <= low and high <= 98
    per_series: dict[tuple[int, str], list[int]] = {}
    for dept, no in numbers:
        dd, year, seq = no.split("-")
        assert no == format_case_no(dept, int(year), int(seq))  # the services' own format
        per_series.setdefault((dept, year), []).append(int(seq))
    for key, seqs in per_series.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))  # gap-free
        assert counters[key] == len(seqs)  # the services go on from here
    assert len(numbers) == len({no for _d, no in numbers})


def test_the_services_read_the_file(made: dict[str, Any]) -> None:
    engine = open_store(str(made["one"]))
    try:
        clock = FixedClock(gen_cases.DEFAULT_NOW)
        # the file holds the region's Departments: a desk names its own (issue 15, item 2)
        with pytest.raises(DepartmentNotChosen):
            Services(engine, clock, load_catalog()).department_code()
        services = Services(engine, clock, load_catalog(), department=gen_cases.DESK)
        assert services.department_code() == gen_cases.DESK
        with sqlite3.connect(made["one"]) as conn:
            iin, n = conn.execute(
                "SELECT iin, count(*) FROM cases JOIN applicants ON applicants.id = applicant_id"
                " WHERE department_code = ? GROUP BY iin ORDER BY count(*) DESC, iin LIMIT 1",
                (gen_cases.DESK,),
            ).fetchone()
        assert len(services.cases.find(iin)) == n
        found = [frozenset(r.id for r in services.cases.find(q)) for q in ("Әли", "әли", "ӘЛИ")]
        assert found[0] == found[1] == found[2]
        # the cases carry their applicant's snapshot (migration 0009): the search finds them
        with sqlite3.connect(made["one"]) as conn:
            case_id, surname = conn.execute(
                "SELECT id, applicant_surname FROM cases WHERE department_code = ?"
                " ORDER BY id LIMIT 1",
                (gen_cases.DESK,),
            ).fetchone()
        assert case_id in {r.id for r in services.cases.find(surname)}
        services.lifecycle.dashboard()
    finally:
        engine.dispose()


def test_the_words_in_the_rows_are_the_models_own(made: dict[str, Any]) -> None:
    """The schema has no CHECK constraints: a word the generator spells its own way (a
    status, an institution type, a document) would go in silently."""
    with sqlite3.connect(made["one"]) as conn:

        def distinct(column: str) -> set[str]:
            return {v for (v,) in conn.execute(f"SELECT DISTINCT {column} FROM cases")}

        statuses, institutions = distinct("status"), distinct("institution")
        ownership, delivery = distinct("ownership"), distinct("delivery_method")
        missing = distinct("missing") - {""}
    assert statuses == set(made["stats"]["statuses"]) and statuses <= set(CASE_STATUSES)
    assert institutions <= set(load_catalog().institutions)
    assert ownership <= set(OWNERSHIP) and delivery <= set(DELIVERY_METHODS)
    assert missing <= set(load_catalog().documents)


def test_the_generators_terms_are_the_catalogs() -> None:
    """The row loop writes the edition's start and its day counts as constants (speed)."""
    terms = load_catalog().terms(gen_cases.DEFAULT_NOW.date())
    assert gen_cases.TERMS_FROM == terms.effective_from.isoformat()
    assert (gen_cases.SERVICE_DAYS, gen_cases.FORWARD_DAYS) == (
        terms.service_days,
        terms.forward_days,
    )


def test_a_schema_the_generator_does_not_fill_stops_it() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL)")
    with pytest.raises(SystemExit, match=r"not filled \['b'\]"):
        gen_cases.insert_sql(conn, "t", {"id": "?1", "a": "?2"})
    with pytest.raises(SystemExit, match=r"unknown columns \['c'\]"):
        gen_cases.insert_sql(conn, "t", {"id": "?1", "a": "?2", "b": "?3", "c": "?4"})
    assert gen_cases.insert_sql(conn, "t", {"id": "?1", "a": "?2", "b": "''"}) == (
        "INSERT INTO t (id, a, b) VALUES (?1, ?2, '')"
    )


@pytest.mark.parametrize("processes", [1, 2])
def test_a_failed_load_leaves_no_file(
    processes: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = gen_cases.make_rows

    def failing(plan: gen_cases.Plan, seen: set[str]) -> Any:
        for message in real(plan, seen):
            yield message
            raise ValueError("the row maker broke")

    monkeypatch.setattr(gen_cases, "make_rows", failing)
    spools = set(Path(gen_cases.tempfile.gettempdir()).glob("gen_cases-*"))
    path = tmp_path / "broken.sqlite3"
    with pytest.raises((ValueError, RuntimeError), match="the row maker broke"):
        gen_cases.generate(path, 500, processes=processes)
    assert list(tmp_path.iterdir()) == []
    assert set(Path(gen_cases.tempfile.gettempdir()).glob("gen_cases-*")) == spools


def test_an_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(b"not mine")
    assert gen_cases.main([str(path), "--cases", "10"]) == 2
    assert path.read_bytes() == b"not mine"
