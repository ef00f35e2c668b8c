"""Fill a desk database with a region's decades of cases (default 1,000,000), fast.

The schema is the real one: the file is created by ``open_store`` (Alembic migrations) and
the Departments by the setup service; only the bulk rows go in with raw ``sqlite3``
``executemany`` in one transaction (the ORM would take an hour). Target: ≥ 30,000 case
rows a second, counted honestly: the wall time from no file to a ready one — schema and
Departments, applicants (~0.92 per case), cases, counters, every index built, the file
back in WAL mode — and printed with the CPU time and the load average around the run.

How (each step measured at 1 M cases; issue 7):

- the bulk load runs with ``journal_mode=OFF``, ``synchronous=OFF`` and a 1 GiB page cache,
  then the file goes back to WAL (the desk sets ``synchronous=FULL`` on each connection);
  it passes the desk's start-up checks (quick_check, pragmas, newest Alembic revision, 0600);
- secondary indexes are dropped and rebuilt after the load from the SQL the migrations
  left in ``sqlite_master`` (~4 s of sorted builds against ~8 s more of B-tree inserts);
- a row is bound as a short tuple of ints and strings: a ``None`` or ``bool`` parameter
  costs ~6× an int in the sqlite3 module (~300 ns), so constants live in the SQL, a missing
  date is ``''`` made NULL by ``nullif()``, a value used twice is bound once (``?N``)
  (53 bound columns cost 11 µs a row, these 22 about 4 µs);
- dates, times, IIN digits and checksums come from tables built once, not ``datetime``;
- with two cores, a child process makes the rows (Python, ~10 µs a case) while this one
  writes them (SQLite), starting while the schema is being made; one process or two give
  the same file, row for row.

What the rows look like (so the benchmarks meet realistic shapes, not uniform noise):

- cases spread over the region's 19 Departments and ``--years`` years up to "now"
  (``MSS_DESK_NOW`` or Monday 2 March 2026 10:00 Almaty, the tests' clock);
- surnames Kazakh (Ә Ө Қ Ұ Ү І Ғ Ң …) and Russian, male and female forms, Zipf-weighted
  (a few very common, a long tail), so a prefix can match tens of thousands of people;
- applicants appear with their first case (ids in time order, as on a real desk), of an
  age that fits the institution type (children 4–17, adults 18–69, elderly 58–94) and a
  valid IIN for that birth date and sex; ~8 % of applicants have a second case within ~2
  years;
- ~4 % of cases were returned incomplete (no number);
- old cases are closed (delivered, in safekeeping); the last ~3 months are open
  (accepted / forwarded / decided / result ready), some past their deadlines, so the
  overdue dashboard has real work to do;
- case numbers ``DD-YYYY-NNNNN`` gap-free per Department and year, with the counters set so
  the services continue the series.

    uv run python benchmarks/gen_cases.py PATH [--cases 1000000] [--seed 2026] [--processes 1|2]

Prints the rows written, the time of each step and the rate with PASS/FAIL against the
target (exit 1 on FAIL).
"""

from __future__ import annotations

import argparse
import gc
import marshal
import multiprocessing
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from bisect import bisect_right
from collections.abc import Generator
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mss_desk.rules.iin import WEIGHTS_1, WEIGHTS_2  # noqa: E402

ROWS_PER_S = 30_000
DESK = 19  # the desk's own Department (as in the tests)
DEPARTMENTS = tuple(range(1, 20))  # Annex 1
ALMATY = ZoneInfo("Asia/Almaty")
DEFAULT_NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ALMATY)
CHUNK = 20_000  # cases a message: small enough that the writer rarely waits
# data/terms.toml, the edition the generated cases keep (tests/test_gen_cases.py checks
# these against the catalog): its start, item 7.1's 15 days, item 5's 10 days to forward
TERMS_FROM = "2008-09-04"
SERVICE_DAYS, FORWARD_DAYS = 15, 10

# Kazakh surname roots (stem, Kazakh patronymic-style forms get -ұлы/-қызы).
KK_ROOTS = (
    "Әли",
    "Әбдірахман",
    "Әбіл",
    "Әуез",
    "Әміржан",
    "Өмірбек",
    "Өтеген",
    "Өскенбай",
    "Қасым",
    "Құрман",
    "Қайрат",
    "Қожахмет",
    "Қуаныш",
    "Ұлықбек",
    "Ұзақ",
    "Үсен",
    "Үмбет",
    "Ілияс",
    "Ісмағұл",
    "Ғабдулл",
    "Ғалым",
    "Нұрлан",
    "Нұрғали",
    "Жұмабай",
    "Жақып",
    "Сейітқали",
    "Серікбай",
    "Сәрсенбай",
    "Тоқтар",
    "Төлеу",
    "Бекмұхамбет",
    "Байжан",
    "Есен",
    "Ержан",
    "Шәріп",
    "Мұхамед",
    "Исабек",
    "Оспан",
    "Кенжебай",
    "Досмұхамбет",
    "Ысқақ",
    "Ахмет",
    "Смағұл",
    "Тұрсын",
    "Дәулет",
    "Жаңабай",
    "Рахым",
    "Һашим",
)
RU_SURNAMES = (
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Комаров",
    "Давыдов",
    "Беляев",
    "Герасимов",
    "Богданов",
    "Осипов",
    "Сидоров",
    "Матвеев",
    "Титов",
    "Марков",
    "Миронов",
    "Крылов",
    "Куликов",
    "Карпов",
    "Власов",
    "Мельников",
    "Денисов",
    "Эльдаров",
    "Юсупов",
    "Ярошенко",
    "Щербаков",
    "Чернышёв",
    "Цветков",
    "Хохлов",
)
KK_MALE = (
    "Айдар",
    "Бауыржан",
    "Ғалымжан",
    "Дәулет",
    "Ерлан",
    "Жандос",
    "Қанат",
    "Мұрат",
    "Нұрсұлтан",
    "Серік",
    "Талғат",
    "Өмірзақ",
    "Ұлан",
    "Әбдіхалық",
    "Ілияс",
    "Шәкен",
)
KK_FEMALE = (
    "Айгерім",
    "Әсем",
    "Гүлнар",
    "Динара",
    "Жанар",
    "Күләш",
    "Мәдина",
    "Нұргүл",
    "Сәуле",
    "Ұлжан",
    "Үміт",
    "Балжан",
    "Ақмарал",
    "Зәуре",
    "Іңкәр",
    "Өркен",
)
RU_MALE = (
    "Александр",
    "Сергей",
    "Владимир",
    "Николай",
    "Иван",
    "Пётр",
    "Юрий",
    "Виктор",
    "Геннадий",
    "Анатолий",
    "Михаил",
    "Эдуард",
)
RU_FEMALE = (
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Татьяна",
    "Наталья",
    "Людмила",
    "Галина",
    "Валентина",
    "Зинаида",
    "Нина",
    "Эльвира",
)
RU_PATRONYMICS_M = tuple(m + "ович" for m in RU_MALE)
RU_PATRONYMICS_F = tuple(m + "овна" for m in RU_MALE)
STREETS = (
    "Абай даңғылы",
    "Ауэзова к-сі",
    "Локомотивная к-сі",
    "Сәтпаев к-сі",
    "ул. Ленина",
    "Наурызбай батыр к-сі",
    "ул. Гагарина",
)
INSTITUTIONS = ("elderly_general",) * 7 + ("adult_psychoneuro",) * 2 + ("children_psychoneuro",)
EPOCH_ORD = date(1970, 1, 1).toordinal()
ALMATY_S = 5 * 3600  # Asia/Almaty has kept UTC+5 since 2024 (local days)
DAYS_PER_YEAR = 365.2425
DAYS_PER_10K_YEARS = 3_652_425
CHILD, ADULT, ELDERLY = "children_psychoneuro", "adult_psychoneuro", "elderly_general"
# age in years at the first case: (lowest, span) per institution type (item 6)
AGES = {CHILD: (4.0, 14.0), ADULT: (18.0, 52.0), ELDERLY: (58.0, 37.0)}


def surnames() -> list[tuple[str, str, str]]:
    """(male form, female form, language) for every surname the generator uses."""
    out: list[tuple[str, str, str]] = []
    for root in KK_ROOTS:
        out.append(
            (
                root + "ов" if root[-1] not in "аеыіоұү" else root + "в",
                root + "ова" if root[-1] not in "аеыіоұү" else root + "ва",
                "kk",
            )
        )
        out.append((root + "ұлы", root + "қызы", "kk"))
        out.append((root + "бекұлы", root + "бекқызы", "kk"))
    for s in RU_SURNAMES:
        if s.endswith(("ов", "ев", "ёв", "ин")):
            out.append((s, s + "а", "ru"))
        else:
            out.append((s, s, "ru"))
    return out


def prepare(path: Path, now: datetime, desk: int = DESK) -> None:
    """Create the file with the real schema and the region's Departments (services).

    The file holds every Department: a desk on it names its own (``Services(...,
    department=desk)``, ``MSS_DESK_DEPARTMENT``; issue 15, item 2), whatever order they
    were set up in."""
    from mss_desk.catalog import load_catalog
    from mss_desk.clock import FixedClock
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    engine = open_store(str(path))
    try:
        services = Services(engine, FixedClock(now), load_catalog())
        for code in DEPARTMENTS:
            if code != desk:
                services.setup.init_department(code)
        services.setup.init_department(desk)
    finally:
        engine.dispose()


# --- the bulk statements ---------------------------------------------------------------------
# Each row is bound as a short tuple of ints and strings. Binding is most of an insert's cost
# in the sqlite3 module, and a None or a bool costs ~6× an int (it goes through the adapter
# look-up): so constants are written in the SQL, booleans go in as 0/1 (what SQLAlchemy
# stores), a missing date as '' turned into NULL by nullif(), and a value used twice is
# bound once (?N). Columns left out get their default (NULL for the nullable ones).

APPLICANT_COLUMNS = {
    "id": "?1",
    "iin": "?2",
    "surname": "?3",
    "name": "?4",
    "patronymic": "?5",
    "surname_fold": "?6",
    "birth_date": "?7",
    "sex": "?8",
    "address": "?9",
    "phone": "?10",
    "created_at": "?11",
    "updated_at": "?11",
}
_RETURNED = "?2 = ''"  # returned incomplete: no case number (item 17)
_DISABLED = f"?5 <> '{ELDERLY}'"
CASE_COLUMNS = {
    "id": "?1",
    "case_no": "nullif(?2, '')",
    "department_code": "?3",
    "applicant_id": "?4",
    "institution": "?5",
    "ownership": "'state'",
    "status": "?6",
    "priority": "?7",
    "disabled": f"({_DISABLED})",
    "disability_group": f"CASE WHEN {_DISABLED} THEN 2 END",
    "psychoneuro": f"({_DISABLED})",
    "wwii": "?7",
    "needs_care": "1",
    "declared_incapable": "0",
    "age_at_acceptance": "?8",
    "pension_age": "?9",
    "missing": f"CASE WHEN {_RETURNED} THEN 'medical_card' ELSE '' END",
    "submitted_at": "?10",
    "accepted_at": f"CASE WHEN NOT {_RETURNED} THEN ?10 END",
    "terms_from": f"CASE WHEN NOT {_RETURNED} THEN '{TERMS_FROM}' END",
    "service_due": "nullif(?11, '')",
    "forward_due": "nullif(?12, '')",
    "decision_due": "nullif(?13, '')",
    "binding_due": "CASE ?14 WHEN 1 THEN ?11 WHEN 2 THEN ?13 END",
    "binding": "CASE ?14 WHEN 1 THEN 'service' WHEN 2 THEN 'decision' END",
    "forwarded_on": "nullif(?15, '')",
    "first_forwarded_on": "nullif(?15, '')",
    "decided_on": "nullif(?16, '')",
    "decision": "nullif(?17, '')",
    "decision_no": "nullif(?22, '')",
    "decision_note": "''",
    "result_ready_on": "nullif(?18, '')",
    "delivery_method": "'in_person'",
    "postal_address": "''",
    "delivered_on": "nullif(?19, '')",
    "safekeeping_on": "nullif(?20, '')",
    "safekeeping_location": "?21",
    "representative_name": "''",
    "representative_iin": "''",
    "representative_basis": "''",
    "updated_at": "?10",
    "returned_by_region_note": "''",
    "referral_institution": "''",
}


def insert_sql(conn: sqlite3.Connection, table: str, columns: dict[str, str]) -> str:
    """``INSERT INTO table (…) VALUES (…)``, checked against the migrated schema: a NOT NULL
    column without a default that the generator does not fill (a new migration) stops it
    here, by name, rather than half-way through a million rows."""
    info = conn.execute(f"PRAGMA table_info({table})").fetchall()
    have = {row[1] for row in info}
    unknown = sorted(set(columns) - have)
    unfilled = sorted(
        row[1] for row in info if row[3] and row[4] is None and not row[5] and row[1] not in columns
    )
    if unknown or unfilled:
        raise SystemExit(
            f"gen_cases: the {table} table does not match the generator "
            f"(unknown columns {unknown}, NOT NULL columns not filled {unfilled})"
        )
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(columns.values())})"


# --- tables the row loop reads instead of calling datetime ----------------------------------


class Days:
    """Per-day facts for every day the rows can name (births ~100 years back to deadlines
    past "now"), indexed by ``ordinal - first``: ISO text, year, and the IIN's first six
    digits with their checksum terms (the same arithmetic as ``rules.iin``, in tables)."""

    def __init__(self, first: int, last: int) -> None:
        self.first = first
        self.text: list[str] = []
        self.year: list[int] = []
        self.iin6: list[str] = []
        self.w1: list[int] = []
        self.w2: list[int] = []
        for ordinal in range(first, last + 1):
            d = date.fromordinal(ordinal)
            six = f"{d.year % 100:02d}{d.month:02d}{d.day:02d}"
            digits = [int(c) for c in six]
            self.text.append(d.isoformat())
            self.year.append(d.year)
            self.iin6.append(six)
            self.w1.append(sum(w * x for w, x in zip(WEIGHTS_1, digits, strict=False)))
            self.w2.append(sum(w * x for w, x in zip(WEIGHTS_2, digits, strict=False)))


def serial_tables() -> tuple[list[str], list[int], list[int]]:
    """The IIN's serial (digits 8–11) as text and its two checksum terms, for 0–9999."""
    text, w1, w2 = [], [], []
    for s in range(10_000):
        digits = (s // 1000, s // 100 % 10, s // 10 % 10, s % 10)
        text.append(f"{s:04d}")
        w1.append(sum(w * x for w, x in zip(WEIGHTS_1[7:], digits, strict=True)))
        w2.append(sum(w * x for w, x in zip(WEIGHTS_2[7:], digits, strict=True)))
    return text, w1, w2


def time_of_day() -> list[str]:
    """' HH:MM:SS.000000' for each second of a day (SQLAlchemy's SQLite datetime text)."""
    two = [f"{n:02d}" for n in range(60)]
    return [f" {h}:{m}:{s}.000000" for h in two[:24] for m in two for s in two]


# --- the generator ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What the row maker needs: plain values (they cross into the row maker's process)."""

    cases: int
    seed: int
    years: int
    now: datetime
    desk: int
    first_app_id: int = 1
    first_case_id: int = 1
    chunk: int = CHUNK


def generate(
    path: Path,
    cases: int = 1_000_000,
    seed: int = 2026,
    years: int = 27,
    now: datetime = DEFAULT_NOW,
    desk: int = DESK,
    processes: int | None = None,
) -> dict[str, Any]:
    """Fill ``path`` (created if missing) and return counts and timings.

    ``seconds`` is the whole wall time from an empty file to a ready one: the schema and
    Departments, the rows, the index build, the switch back to WAL. With ``processes=2``
    (the default on a machine with two cores or more) a child process makes the rows while
    this one writes them; the file is the same, row for row, with ``processes=1``.
    """
    if processes is None:
        processes = 2 if (os.cpu_count() or 1) > 1 else 1
    t0 = time.perf_counter()
    c0 = time.process_time()
    children0 = _children_cpu()
    load_before = os.getloadavg()[0]
    messages = None
    fresh = not path.exists() or path.stat().st_size == 0
    if fresh:  # the row maker starts at once and works while the schema is made
        messages = _messages(Plan(cases, seed, years, now, desk), set(), processes)
    try:
        prepare(path, now, desk)
        t_schema = time.perf_counter() - t0
        with closing(sqlite3.connect(path)) as conn:  # what is there already
            first_app_id, first_case_id = conn.execute(
                "SELECT (SELECT coalesce(max(id), 0) + 1 FROM applicants),"
                " (SELECT coalesce(max(id), 0) + 1 FROM cases)"
            ).fetchone()
            seen = {r[0] for r in conn.execute("SELECT iin FROM applicants")}
        if messages is None:
            plan = Plan(cases, seed, years, now, desk, first_app_id, first_case_id)
            messages = _messages(plan, seen, processes)
        elif (first_app_id, first_case_id) != (1, 1) or seen:
            raise SystemExit("gen_cases: the new file has applicants or cases before the load")
        del seen
        collecting = gc.isenabled()
        gc.disable()  # millions of short-lived tuples, no cycles: the collector only costs
        try:
            totals, t_rows, t_indexes = _load(path, messages)
        finally:
            if collecting:
                gc.enable()
    except BaseException:
        if fresh:  # loaded without a journal: half a file must not pass for a generated one
            remove_database(path)
        raise
    finally:
        if messages is not None:
            messages.close()  # after a failure: the row maker is stopped and joined
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0 + _children_cpu() - children0
    return {
        **totals,
        "cases": cases,
        "processes": processes,
        "seconds": elapsed,
        "schema_seconds": t_schema,
        "rows_seconds": t_rows,
        "index_seconds": t_indexes,
        "rows_per_s": cases / elapsed,
        "cpu_seconds": cpu,
        "cpu_rows_per_s": cases / cpu,
        "size_mb": path.stat().st_size / 1e6,
        "load": (load_before, os.getloadavg()[0]),
    }


def _load(
    path: Path, messages: Generator[Message, None, None]
) -> tuple[dict[str, Any], float, float]:
    """Write the row maker's rows and the counters, rebuild the indexes, hand the file back
    in WAL mode. Returns the maker's totals and the seconds of rows and of indexes."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # The bulk load runs without a journal: a generator that fails removes the new file
        # (make it again). WAL is the file's mode again before it is handed over, and
        # the desk sets synchronous=FULL on every connection it opens.
        mode = conn.execute("PRAGMA journal_mode=OFF").fetchone()[0]
        if mode != "off":
            raise SystemExit(f"gen_cases: cannot leave WAL for the load (journal_mode={mode})")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-1048576")  # 1 GiB: the whole file stays in memory
        conn.execute("PRAGMA foreign_keys=OFF")
        app_sql = insert_sql(conn, "applicants", APPLICANT_COLUMNS)
        case_sql = insert_sql(conn, "cases", CASE_COLUMNS)
        t1 = time.perf_counter()
        conn.execute("BEGIN")
        # Secondary indexes are dropped for the load and rebuilt after it from their own SQL
        # as the migrations wrote it in sqlite_master (one sorted build each: ~4 s at 1 M
        # rows, against ~8 s more of B-tree inserts); the unique ones (IIN, case number) are
        # part of their tables, stay, and keep checking.
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN ('applicants', 'cases') ORDER BY name"
        ).fetchall()
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        counters: list[Any] = []
        totals: dict[str, Any] = {}
        for message in messages:
            if message[0] == "rows":
                conn.executemany(app_sql, message[1])
                conn.executemany(case_sql, message[2])
            else:  # "done": the counters, so the services continue each series
                _, counters, totals = message
        conn.executemany(
            "INSERT INTO counters (department_code, scope, key, value) VALUES (?, 'case', ?, ?)"
            " ON CONFLICT DO UPDATE SET value = max(value, excluded.value)",
            counters,
        )
        # issue 15, item 3 (migration 0009): each case keeps its applicant's data as
        # accepted; the generated person never changed, so the snapshot is their row
        conn.execute(
            "UPDATE cases SET applicant_surname = a.surname, applicant_name = a.name,"
            " applicant_patronymic = a.patronymic, applicant_surname_fold = a.surname_fold,"
            " applicant_address = a.address, applicant_phone = a.phone"
            " FROM applicants a WHERE a.id = cases.applicant_id"
            " AND cases.applicant_surname_fold = ''"
        )
        t_rows = time.perf_counter() - t1
        t2 = time.perf_counter()
        for _name, index_sql in indexes:
            conn.execute(index_sql)
        conn.execute("COMMIT")
        t_indexes = time.perf_counter() - t2
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":
            raise SystemExit(f"gen_cases: the file did not go back to WAL (journal_mode={mode})")
    finally:
        conn.close()
    return totals, t_rows, t_indexes


def remove_database(path: Path) -> None:
    """The SQLite file and the files SQLite (and the desk's writers' turn) keep beside it."""
    for suffix in ("", "-wal", "-shm", "-journal", "-turn"):  # -turn: store.engine.TURN_SUFFIX
        Path(str(path) + suffix).unlink(missing_ok=True)


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (the row maker's, once it is joined)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


Message = tuple[Any, ...]
Kind = tuple[str, str, tuple[str, ...], tuple[str, ...]]  # surname, casefold, names, patronymics


def _messages(plan: Plan, seen: set[str], processes: int) -> Generator[Message, None, None]:
    """The row maker's messages, made here (``processes=1``) or by a child process.

    The child writes each chunk marshalled to a spool file and says so through a pipe
    (marshal: ~0.4 µs a row to write, ~1.4 µs to read, where pickle takes ~3.6 µs to
    write), so making the rows (Python) and writing them (mostly SQLite) run on two cores,
    and the maker never waits for the writer (it runs ahead while the schema is made).
    Threads would not do: every row's insert gives up the GIL and must win it back.
    """
    if processes <= 1:
        return make_rows(plan, seen)
    ctx = multiprocessing.get_context()
    spool = tempfile.mkdtemp(prefix="gen_cases-")
    reader, writer = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_row_maker, args=(plan, seen, writer, spool), name="gen_cases rows", daemon=True
    )
    child.start()
    writer.close()
    return _received(reader, child, spool)


def _received(reader: Any, child: Any, spool: str) -> Generator[Message, None, None]:
    try:
        while True:
            try:
                message = marshal.loads(reader.recv_bytes())
            except EOFError:
                raise RuntimeError("gen_cases: the row maker stopped without a word") from None
            if message[0] == "file":
                with open(message[1], "rb") as f:
                    data = f.read()
                os.unlink(message[1])
                message = marshal.loads(data)
            elif message[0] == "error":
                raise RuntimeError(f"gen_cases: the row maker failed: {message[1]}")
            yield message
            if message[0] == "done":
                return
    finally:
        reader.close()  # a writer that failed half-way: the maker's next word ends it
        child.join(timeout=30)
        if child.is_alive():
            child.terminate()  # our own child, by its handle
            child.join()
        shutil.rmtree(spool, ignore_errors=True)


def _row_maker(plan: Plan, seen: set[str], out: Any, spool: str) -> None:
    """The child process: make the rows, spool them chunk by chunk, say so."""
    gc.disable()  # millions of short-lived tuples, no cycles: the collector only costs time
    try:
        for n, message in enumerate(make_rows(plan, seen)):
            if message[0] == "rows":
                name = os.path.join(spool, f"{n:06d}")
                with open(name, "wb") as f:
                    f.write(marshal.dumps(message, 4))
                message = ("file", name)
            out.send_bytes(marshal.dumps(message, 4))
    except BaseException as exc:
        with suppress(OSError):
            error = "".join(traceback.format_exception(exc))
            out.send_bytes(marshal.dumps(("error", error), 4))
        raise
    finally:
        out.close()


def make_rows(plan: Plan, seen: set[str]) -> Generator[Message, None, None]:
    """``("rows", applicant rows, case rows)`` chunk by chunk, then
    ``("done", counters, totals)``: the case-number counters ``(department, year, last)``
    and ``{"applicants": n, "statuses": {status: n}}``.

    Applicants come into being with their first case, so their ids follow the cases' time
    order as on a real desk (and the index on ``cases.applicant_id`` is built from nearly
    sorted keys); about 8 % come back with another case within ~2 years. The same plan and ``seen``
    give the same rows.
    """
    rnd = random.Random(plan.seed)
    rand = rnd.random  # a local name: called ~15 million times
    names = surnames()
    rnd.shuffle(names)  # so Kazakh and Russian are both among the common ones
    cumulative: list[float] = []
    total = 0.0
    for i in range(len(names)):
        total += 1.0 / (i + 1) ** 0.9  # Zipf-ish: a few very common, a long tail
        cumulative.append(total)
    # per surname, per sex (female, male): the surname, its casefold, first names, patronymics
    kinds: list[tuple[Kind, Kind]] = []
    for male_form, female_form, lang in names:
        her: Kind
        his: Kind
        if lang == "kk":
            her = (female_form, female_form.casefold(), KK_FEMALE, ("",))
            his = (male_form, male_form.casefold(), KK_MALE, ("",))
        else:
            her = (female_form, female_form.casefold(), RU_FEMALE, RU_PATRONYMICS_F)
            his = (male_form, male_form.casefold(), RU_MALE, RU_PATRONYMICS_M)
        kinds.append((her, his))
    kinds.append(kinds[-1])  # rand() * total may round up to total itself
    addresses = [f"{street}, {n}" for street in STREETS for n in range(1, 200)]
    n_addresses = len(addresses)
    n_app = max(1, int(plan.cases * 0.92))
    recent = max(1, n_app * 2 // plan.years)  # applicants of ~2 years

    now_s = int(plan.now.timestamp())
    span_s = plan.years * 365 * 86400
    start_s = now_s - span_s
    today_ord = plan.now.date().toordinal()
    first_ord = (start_s + ALMATY_S) // 86400 + EPOCH_ORD - int(100 * DAYS_PER_YEAR)
    days = Days(first_ord, today_ord + 400)
    day_text, day_year, iin6, iin_w1, iin_w2 = days.text, days.year, days.iin6, days.w1, days.w2
    serial_text, serial_w1, serial_w2 = serial_tables()
    clock = time_of_day()
    seq_text = [f"{n:05d}" for n in range(100_000)]
    phone_head = [f"8-701-{n:03d}" for n in range(1000)]  # + 4 digits: a 7-digit number
    serials: dict[int, int] = {}  # birth day * 8 + IIN century digit -> last serial
    base = EPOCH_ORD - first_ord  # a day number since 1970 + base = index into the tables
    today = today_ord - first_ord

    desk = plan.desk
    chunk = plan.chunk
    cid = plan.first_case_id
    first_app_id = plan.first_app_id
    app_born: list[int] = []  # per applicant (id - first_app_id): birth day index
    app_male: list[bool] = []
    counters: dict[int, list[Any]] = {}  # department * 10000 + year -> [prefix, last number]
    statuses: dict[str, int] = {}
    app_rows: list[tuple[Any, ...]] = []
    case_rows: list[tuple[Any, ...]] = []
    new_left, left = n_app, plan.cases
    n_depts = len(DEPARTMENTS)
    n_inst = len(INSTITUTIONS)
    digit = "0123456789"

    offsets = [int(rand() * span_s) for _ in range(plan.cases)]
    offsets.sort()  # oldest first
    for offset in offsets:
        sub_s = start_s + offset
        sub = day_text[sub_s // 86400 + base] + clock[sub_s % 86400]  # naive UTC text
        d0 = (sub_s + ALMATY_S) // 86400 + base  # the local day
        r = rand()  # 6 % the desk's own Department, the rest spread over all 19
        dept = desk if r < 0.06 else DEPARTMENTS[int((r - 0.06) * n_depts / 0.94)]
        institution = INSTITUTIONS[int(rand() * n_inst)]
        # --- whose case: a new applicant (with this case) or one who came before
        if rand() * left < new_left or not app_born:
            new_left -= 1
            male = rand() < 0.45
            low, span = AGES[institution]
            born = d0 - int((low + rand() * span) * DAYS_PER_YEAR)
            surname, fold, firsts, patronymics = kinds[bisect_right(cumulative, rand() * total)][
                male
            ]
            century = (5 if day_year[born] >= 2000 else 3) + (not male)
            w1 = iin_w1[born] + 7 * century
            w2 = iin_w2[born] + 9 * century
            prefix = iin6[born] + digit[century]
            # serials go up from a random start per birth day and sex (so IINs are unique
            # without a set of a million strings to look them up in)
            key = born * 8 + century
            serial = serials.get(key) or int(rand() * 5000)
            while True:
                serial += 1
                check = (w1 + serial_w1[serial]) % 11
                if check == 10:
                    check = (w2 + serial_w2[serial]) % 11
                    if check == 10:
                        continue  # no control digit for this serial
                iin = prefix + serial_text[serial] + digit[check]
                if not seen or iin not in seen:  # seen: an existing file's applicants
                    break
            serials[key] = serial
            owner = first_app_id + len(app_born)
            phone = int(rand() * 10_000_000)
            app_born.append(born)
            app_male.append(male)
            app_rows.append(
                (
                    owner,
                    iin,
                    surname,
                    firsts[int(rand() * len(firsts))],
                    patronymics[int(rand() * len(patronymics))],
                    fold,
                    day_text[born],
                    "male" if male else "female",
                    addresses[int(rand() * n_addresses)],
                    phone_head[phone // 10_000] + serial_text[phone % 10_000],
                    sub,
                )
            )
        else:
            n = len(app_born)  # someone who came in the last ~2 years
            j = n - 1 - int(rand() * (n if n < recent else recent))
            owner = first_app_id + j
            born = app_born[j]
            male = app_male[j]
        left -= 1
        age = (d0 - born) * 10_000 // DAYS_PER_10K_YEARS
        if age < 18:
            institution = CHILD
        elif institution is CHILD:
            institution = ADULT
        wwii = 1 if day_year[born] < 1928 and rand() < 0.3 else 0
        pension = 1 if age >= (63 if male else 58) else 0
        # --- where the case stands now
        elapsed = today - d0
        case_no = decision_no = location = ""
        s_due = f_due = d_due = fwd = decided = decision = ready = delivered = kept = ""
        binding = 0
        if rand() < 0.04:
            status = "returned_incomplete"
        else:
            year = day_year[d0]
            counter = counters.get(dept * 10000 + year)
            if counter is None:
                counter = counters[dept * 10000 + year] = [f"{dept:02d}-{year:04d}-", 0]
            seq = counter[1] = counter[1] + 1
            case_no = counter[0] + (seq_text[seq] if seq < 100_000 else str(seq))
            # item 7.1: 15 calendar days; item 5: 10 to forward (generator: calendar days)
            s_due, f_due = day_text[d0 + SERVICE_DAYS], day_text[d0 + FORWARD_DAYS]
            binding = 1
            late = rand() < 0.15  # some files run late: the dashboard's overdue
            fwd_after = 3 + int(rand() * 8) + (12 if late else 0)
            dec_after = fwd_after + 5 + int(rand() * 10) + (10 if late else 0)
            ready_after = dec_after + 1 + int(rand() * 3)
            done_after = ready_after + 1 + int(rand() * 25)
            if elapsed < fwd_after:
                status = "accepted"
            else:
                fwd = day_text[d0 + fwd_after]
                d_due = day_text[d0 + fwd_after + 14]
                if fwd_after + 14 > 15:
                    binding = 2
                if elapsed < dec_after:
                    status = "forwarded"
                else:
                    decided = day_text[d0 + dec_after]
                    decision = "referral" if rand() < 0.9 else "refusal"
                    decision_no = f"R-{seq}"
                    if elapsed < ready_after:
                        status = "decided"
                    else:
                        ready = day_text[d0 + ready_after]
                        if elapsed < done_after:
                            status = "result_ready"
                        elif rand() < 0.08 and elapsed > ready_after + 31:
                            status = "in_safekeeping"
                            kept = day_text[d0 + ready_after + 31]
                            location = f"шкаф {1 + int(rand() * 39)}"
                        else:
                            status = "delivered"
                            delivered = day_text[d0 + done_after]
        statuses[status] = statuses.get(status, 0) + 1
        case_rows.append(
            (
                cid,
                case_no,
                dept,
                owner,
                institution,
                status,
                wwii,
                age,
                pension,
                sub,
                s_due,
                f_due,
                d_due,
                binding,
                fwd,
                decided,
                decision,
                ready,
                delivered,
                kept,
                location,
                decision_no,
            )
        )
        cid += 1
        if len(case_rows) >= chunk:
            yield ("rows", app_rows, case_rows)
            app_rows, case_rows = [], []
    yield ("rows", app_rows, case_rows)
    counter_rows = [(key // 10000, str(key % 10000), c[1]) for key, c in counters.items()]
    yield ("done", counter_rows, {"applicants": len(app_born), "statuses": statuses})


def now_from_env() -> datetime:
    text = os.environ.get("MSS_DESK_NOW")
    if not text:
        return DEFAULT_NOW
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=ALMATY)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--years", type=int, default=27)
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument(
        "--processes",
        type=int,
        choices=(1, 2),
        help="2: a child process makes the rows while this one writes (default with 2+ cores)",
    )
    args = parser.parse_args(argv)
    if args.path.exists():
        if not args.force:
            print(f"{args.path} exists (use --force to replace it)", file=sys.stderr)
            return 2
        remove_database(args.path)
    bare = baseline_rows_per_s(args.path.parent)
    stats = generate(
        args.path, args.cases, args.seed, args.years, now_from_env(), processes=args.processes
    )
    stats["baseline_rows_per_s"] = bare
    report(stats)
    return 0 if stats["rows_per_s"] >= ROWS_PER_S else 1


BASELINE_ROWS = 200_000


def baseline_rows_per_s(folder: Path, rows: int = BASELINE_ROWS) -> float:
    """The machine's pace, measured in the same run: plain sqlite3 ``executemany`` of short
    five-column rows into a fresh file in the same folder (same disk), one transaction, no
    index. The target is an absolute rate; this says how much of it the machine allows."""
    with tempfile.TemporaryDirectory(dir=folder, prefix=".gen-baseline-") as name:
        con = sqlite3.connect(Path(name) / "bare.sqlite3", isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            con.execute(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT, d INTEGER)"
            )
            started = time.perf_counter()
            con.execute("BEGIN")
            con.executemany(
                "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                ((i, "Сейітова", i % 19, "2026-03-02", i * 7) for i in range(1, rows + 1)),
            )
            con.execute("COMMIT")
            seconds = time.perf_counter() - started
        finally:
            con.close()
    return rows / seconds


def report(stats: dict[str, Any]) -> None:
    print(
        f"{stats['cases']:,} cases, {stats['applicants']:,} applicants in "
        f"{stats['seconds']:.1f} s wall from an empty file to a ready one "
        f"({stats['size_mb']:.0f} MB): schema and Departments {stats['schema_seconds']:.1f} s, "
        f"rows {stats['rows_seconds']:.1f} s, indexes {stats['index_seconds']:.1f} s; "
        f"{stats['cpu_seconds']:.1f} s CPU in {stats['processes']} process(es)"
    )
    print("statuses:", ", ".join(f"{k} {v:,}" for k, v in sorted(stats["statuses"].items())))
    ok = stats["rows_per_s"] >= ROWS_PER_S
    # CPU-time rate: what the generator needs when the machine is not shared
    load = stats["load"]
    print(
        f"{'PASS' if ok else 'FAIL'}  generator: {stats['rows_per_s']:,.0f} case rows/s "
        f"(target ≥ {ROWS_PER_S:,}/s; {stats['cpu_rows_per_s']:,.0f}/s of CPU time; "
        f"load average {load[0]:.2f} before, {load[1]:.2f} after)"
    )
    bare = stats.get("baseline_rows_per_s")
    if bare:
        print(
            f"baseline, same run: plain sqlite3 inserts {bare:,.0f} five-column rows/s here "
            f"(no index, one transaction); the generator makes whole cases at "
            f"{stats['rows_per_s'] / bare:.2f}× that pace"
        )


if __name__ == "__main__":
    sys.exit(main())
