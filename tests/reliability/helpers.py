"""Small helpers for the reliability tests: a desk database with cases, and ways to damage it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from mss_desk.store.models import Applicant, Case, Department, take_snapshot

T0 = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
DEPT = 19


def db_path(url: str) -> Path:
    return Path(sa.make_url(url).database or "")


def add_cases(engine: Engine, numbers: list[int], dept: int = DEPT) -> None:
    """Insert a Department (once) and one accepted case per number (case_no DD-YYYY-NNNNN)."""
    with Session(engine) as s:
        if s.get(Department, dept) is None:
            s.add(
                Department(code=dept, name_kk="Көкшетау қ.", name_ru="г. Кокшетау", created_at=T0)
            )
            s.flush()
        for n in numbers:
            a = Applicant(
                iin=f"{450101400000 + n:012d}",
                surname=f"Әлиев{n}",
                name="Қанат",
                surname_fold=f"әлиев{n}",
                birth_date=date(1945, 1, 1),
                sex="male",
                created_at=T0,
                updated_at=T0,
            )
            s.add(a)
            s.flush()
            case = Case(
                case_no=f"{dept:02d}-2026-{n:05d}",
                department_code=dept,
                applicant_id=a.id,
                institution="elderly_general",
                status="accepted",
                submitted_at=T0,
                accepted_at=T0,
                updated_at=T0,
            )
            take_snapshot(case, a)  # the applicant as accepted (issue 15, item 3)
            s.add(case)
        s.commit()


def case_numbers(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return sorted(c for c in s.exec(select(Case.case_no)).all() if c)


def case_numbers_in_file(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT case_no FROM cases WHERE case_no IS NOT NULL").fetchall()
    finally:
        conn.close()
    return sorted(r[0] for r in rows)


def damage_pages(path: Path, first: int = 2, count: int = 6) -> None:
    """Overwrite b-tree pages (not the header) with garbage: quick_check fails, header reads."""
    page = 4096
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as c:
        page = c.execute("PRAGMA page_size").fetchone()[0]
    size = path.stat().st_size
    with path.open("r+b") as fh:
        for p in range(first, first + count):
            if (p - 1) * page >= size:
                break
            fh.seek((p - 1) * page)
            fh.write(b"\xa5" * page)


def damage_header(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.write(b"this is not sqlite" * 6)


def damage_index(path: Path, index: str = "ix_cases_status", column: str = "case_no") -> str:
    """Make an index disagree with its table: ``quick_check`` passes, ``integrity_check``
    fails ("row N missing from index …"). The index's definition in ``sqlite_master`` is
    pointed at another column (whose values differ from the indexed one's); its b-tree,
    built for the old column, stays. Returns the index's name."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        (table,) = conn.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)
        ).fetchone()
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = ? WHERE name = ?",
            (f'CREATE INDEX "{index}" ON "{table}" ("{column}")', index),
        )
        conn.execute("PRAGMA writable_schema=OFF")
    finally:
        conn.close()
    return index
