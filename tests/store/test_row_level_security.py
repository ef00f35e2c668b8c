"""PostgreSQL row-level security (issue 14, point 4; migration 0012).

A Department's role reads and writes only its own Department's rows, whatever SQL it runs
(a clerk with ``psql``); the regional role reads every Department and writes only its
decision on their cases; the tables' owner is unaffected; the desk works end to end when
connected as a Department's role.

PostgreSQL only (skipped unless ``MSS_DESK_TEST_POSTGRES`` is set). The module has a schema
of its own, owned by a login role made for it (not a superuser, so the owner's own policy
is what lets it through), and its own desk roles; all are dropped afterwards. Roles are
per cluster, so their names carry a random part.

The data (made once, in the fixture; the tests only read, or roll back what they try):
Department 5 accepts two cases (the owner's connection, as a desk without roles does),
issues a ticket, registers a complaint; Department 19, connected as its role, is set up,
adds its head, issues a ticket, accepts a case, forwards it, registers a complaint and
accepts a person who already has a file in Department 5 (``IIN_BOTH``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from mss_desk.clock import FixedClock
from mss_desk.rules.iin import make_iin
from mss_desk.services import Services
from mss_desk.services.views import IntakeForm
from mss_desk.store import audit as store_audit
from mss_desk.store.engine import make_engine, open_store
from mss_desk.store.roles import DECISION_COLUMNS, add_role
from tests.conftest import CLERK_PASSWORD, ELDERLY_DOCS, PG_ENV, local_dt

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set")

BORN = date(1950, 5, 1)
IIN_5 = make_iin(BORN, "female", 501)
IIN_19 = make_iin(BORN, "female", 1901)
IIN_BOTH = make_iin(BORN, "female", 777)  # a person with a file in both Departments
OWNED_TABLES = (
    "cases", "clerks", "queue_tickets", "counters", "complaints", "survey_responses",
    "drafts", "applicant_changes", "case_documents", "applicants", "audit_events",
    "departments", "settings",
)  # fmt: skip


def _form(iin: str, surname: str, **kw: Any) -> IntakeForm:
    base: dict[str, Any] = {
        "iin": iin,
        "surname": surname,
        "name": "Гүлнар",
        "patronymic": "Серікқызы",
        "birth_date": BORN,
        "sex": "female",
        "institution": "elderly_general",
        "relatives": "no_relatives",
        "address": f"{surname} үйі",
    }
    base.update(kw)
    return IntakeForm(**base)


def _url(base: str, user: str, schema: str) -> str:
    url = make_url(base).set(username=user, password=None)
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@dataclass
class World:
    schema: str
    owner: sa.Engine
    d5: sa.Engine  # Department 5's role
    d19: sa.Engine  # Department 19's role
    region: sa.Engine
    roles: dict[str, str]
    case_5: str
    case_19: str
    case_19_both: str  # Department 19's case of IIN_BOTH
    ids: dict[str, int]  # ids of Department 5's rows


def _one(engine: sa.Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        value = conn.execute(sa.text(sql), params).scalar()
        conn.rollback()
    return value


@pytest.fixture(scope="module")
def world(catalog: Any) -> Iterator[World]:
    base = os.environ[PG_ENV]
    tag = uuid.uuid4().hex[:8]
    schema = f"rls_{tag}"
    roles = {
        "owner": f"mss_t{tag}_owner",
        "d5": f"mss_t{tag}_d05",
        "d19": f"mss_t{tag}_d19",
        "region": f"mss_t{tag}_region",
        "stray": f"mss_t{tag}_stray",  # never made (a Department's role may not make roles)
    }
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{roles["owner"]}" LOGIN CREATEROLE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}" AUTHORIZATION "{roles["owner"]}"')
    engines: list[sa.Engine] = []
    try:
        clock = FixedClock(local_dt("2026-03-02 10:00"))
        owner = open_store(_url(base, roles["owner"], schema))
        engines.append(owner)
        now = clock.now()
        for key, code in (("d5", 5), ("d19", 19), ("region", 0)):
            add_role(owner, roles[key], code, now)

        # Department 5's desk (as the owner: a desk that has no role of its own)
        s5 = Services(owner, clock, catalog, department=5)  # the desk's own setting
        s5.setup.init_department(5)
        clerk5 = s5.clerks.create(5, "aigul5", "Сейітова", "Айгүл", CLERK_PASSWORD, "clerk")
        case_5 = s5.intake.submit(_form(IIN_5, "Бесінші"), set(ELDERLY_DOCS), clerk5.id).case_no
        assert case_5 is not None
        s5.intake.submit(_form(IIN_BOTH, "Екеуі"), set(ELDERLY_DOCS), clerk5.id)
        s5.queue.issue("submit")
        s5.complaints.register("Әлиев Марат", "Кезекте 2 сағат", clerk5.id)
        with owner.connect() as conn:
            ids = {
                "case": conn.execute(
                    sa.text("SELECT id FROM cases WHERE case_no = :n"), {"n": case_5}
                ).scalar_one(),
                "applicant": conn.execute(
                    sa.text("SELECT id FROM applicants WHERE iin = :i"), {"i": IIN_5}
                ).scalar_one(),
                "ticket": conn.execute(
                    sa.text("SELECT id FROM queue_tickets WHERE department_code = 5")
                ).scalar_one(),
                "complaint": conn.execute(
                    sa.text("SELECT id FROM complaints WHERE department_code = 5")
                ).scalar_one(),
                "clerk": clerk5.id,
            }

        # Department 19's desk, connected as its role (issue 14.4: the desk works so)
        d19 = make_engine(_url(base, roles["d19"], schema))
        engines.append(d19)
        # no ``department`` setting: the only Department its role can see is its own
        s19 = Services(open_store(_url(base, roles["d19"], schema)), clock, catalog)
        engines.append(s19.engine)
        s19.setup.init_department(19)
        clerk19 = s19.clerks.create(19, "aigerim", "Әлиева", "Әйгерім", CLERK_PASSWORD, "head")
        s19.queue.issue("submit")
        result = s19.intake.submit(_form(IIN_19, "Онтоғызыншы"), set(ELDERLY_DOCS), clerk19.id)
        assert result.case_no == "19-2026-00001"
        s19.lifecycle.forward([result.case_no], clerk19.id)
        s19.complaints.register("Серіков Асқар", "Жауап жоқ", clerk19.id)
        # the intake names the IIN: it finds the person although their file is elsewhere
        both = s19.intake.submit(
            _form(IIN_BOTH, "Екеуі", address="Көкшетау, Абай 1"), set(ELDERLY_DOCS), clerk19.id
        )
        assert both.case_no == "19-2026-00002"

        world = World(
            schema=schema,
            owner=owner,
            d5=make_engine(_url(base, roles["d5"], schema)),
            d19=d19,
            region=make_engine(_url(base, roles["region"], schema)),
            roles=roles,
            case_5=case_5,
            case_19=result.case_no,
            case_19_both=both.case_no,
            ids=ids,
        )
        engines += [world.d5, world.region]
        yield world
    finally:
        for eng in engines:
            eng.dispose()
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            for name in roles.values():
                conn.exec_driver_sql(
                    f'DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \'{name}\')'
                    f' THEN EXECUTE \'DROP OWNED BY "{name}"\'; EXECUTE \'DROP ROLE "{name}"\';'
                    " END IF; END $$"
                )
        admin.dispose()


def _rows(engine: sa.Engine, sql: str, **params: Any) -> list[Any]:
    """What a clerk with ``psql`` gets: a plain connection as the role, any SQL."""
    with engine.connect() as conn:
        rows = list(conn.execute(sa.text(sql), params).all())
        conn.rollback()
    return rows


def _changed(engine: sa.Engine, sql: str, **params: Any) -> int:
    with engine.begin() as conn:
        return conn.execute(sa.text(sql), params).rowcount


def _refused(engine: sa.Engine, sql: str, **params: Any) -> str:
    with pytest.raises(sa.exc.ProgrammingError) as info, engine.begin() as conn:
        conn.execute(sa.text(sql), params)
    return str(info.value.orig)


# --- the policies are there ------------------------------------------------------------------


def test_row_security_is_enabled_and_forced_on_every_department_table(world: World) -> None:
    rows = _rows(
        world.owner,
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s",
        s=world.schema,
    )
    got = {r[0]: (r[1], r[2]) for r in rows}
    assert {t: got[t] for t in OWNED_TABLES} == {t: (True, True) for t in OWNED_TABLES}


def test_each_role_maps_to_its_department(world: World) -> None:
    assert _one(world.d19, "SELECT mss_desk_department()") == 19
    assert _one(world.d5, "SELECT mss_desk_department()") == 5
    assert _one(world.region, "SELECT mss_desk_department()") == 0
    assert _one(world.owner, "SELECT mss_desk_department()") is None


# --- a Department's role: nothing of another Department -------------------------------------


def test_department_19_cannot_select_department_5s_rows(world: World) -> None:
    ids, d19 = world.ids, world.d19
    assert _rows(d19, "SELECT * FROM cases WHERE id = :i", i=ids["case"]) == []
    assert _rows(d19, "SELECT * FROM cases WHERE case_no = :n", n=world.case_5) == []
    assert _rows(d19, "SELECT * FROM applicants WHERE id = :i", i=ids["applicant"]) == []
    assert _rows(d19, "SELECT * FROM case_documents WHERE case_id = :i", i=ids["case"]) == []
    assert _rows(d19, "SELECT * FROM queue_tickets WHERE id = :i", i=ids["ticket"]) == []
    assert _rows(d19, "SELECT * FROM complaints WHERE id = :i", i=ids["complaint"]) == []
    assert _rows(d19, "SELECT * FROM clerks WHERE id = :i", i=ids["clerk"]) == []
    # everything it sees is its own (a clerk with psql: SELECT * and nothing else)
    for table in ("cases", "queue_tickets", "complaints", "clerks", "counters"):
        codes = {r[0] for r in _rows(d19, f"SELECT DISTINCT department_code FROM {table}")}
        assert codes == {19}, table
    assert sorted(r[0] for r in _rows(d19, "SELECT iin FROM applicants")) == sorted(
        [IIN_19, IIN_BOTH]
    )
    assert _one(d19, "SELECT count(*) FROM case_documents") == 2 * len(ELDERLY_DOCS)


def test_department_19_cannot_update_or_delete_department_5s_rows(world: World) -> None:
    ids, d19 = world.ids, world.d19
    attempts = (
        ("UPDATE cases SET status = 'refused' WHERE id = :i", ids["case"]),
        ("UPDATE cases SET status = 'refused' WHERE department_code = 5", None),
        ("UPDATE applicants SET surname = 'X' WHERE id = :i", ids["applicant"]),
        ("UPDATE case_documents SET received = false WHERE case_id = :i", ids["case"]),
        ("UPDATE queue_tickets SET status = 'served' WHERE id = :i", ids["ticket"]),
        ("UPDATE complaints SET text = 'X' WHERE id = :i", ids["complaint"]),
        ("UPDATE counters SET value = 0 WHERE department_code = 5", None),
        ("DELETE FROM case_documents WHERE case_id = :i", ids["case"]),
        ("DELETE FROM queue_tickets WHERE id = :i", ids["ticket"]),
        ("DELETE FROM complaints WHERE id = :i", ids["complaint"]),
        ("DELETE FROM cases WHERE id = :i", ids["case"]),
    )
    for sql, row_id in attempts:
        assert _changed(d19, sql, i=row_id) == 0, sql
    # nobody but the owner deletes a person (shared by every Department)
    assert "permission denied" in _refused(
        d19, "DELETE FROM applicants WHERE id = :i", i=ids["applicant"]
    )
    # the owner still sees Department 5's rows as they were
    owner = world.owner
    assert _one(owner, "SELECT status FROM cases WHERE id = :i", i=ids["case"]) == "accepted"
    assert _one(owner, "SELECT surname FROM applicants WHERE id = :i", i=ids["applicant"]) == (
        "Бесінші"
    )
    assert _one(owner, "SELECT count(*) FROM case_documents WHERE case_id = :i", i=ids["case"])
    assert _one(owner, "SELECT status FROM queue_tickets WHERE id = :i", i=ids["ticket"]) == (
        "waiting"
    )
    assert _one(owner, "SELECT text FROM complaints WHERE id = :i", i=ids["complaint"]) != "X"


def test_department_19_cannot_insert_a_row_for_department_5(world: World) -> None:
    d19, ids = world.d19, world.ids
    at = local_dt("2026-03-02 11:00")
    refusals = [
        _refused(
            d19,
            "INSERT INTO queue_tickets (department_code, day, purpose, seq, number, status,"
            " issued_at) VALUES (5, :d, 'submit', 99, 'A-099', 'waiting', :at)",
            d=date(2026, 3, 2),
            at=at,
        ),
        _refused(
            d19,
            "INSERT INTO complaints (department_code, complainant, contact, text,"
            " registered_at, answer_text, status) VALUES (5, 'X', '', 'X', :at, '', 'registered')",
            at=at,
        ),
        _refused(
            d19, "INSERT INTO counters (department_code, scope, key, value) VALUES (5, 'x', 'y', 1)"
        ),
        _refused(
            d19,
            "INSERT INTO case_documents (case_id, code, required, received)"
            " VALUES (:i, 'extra', false, true)",
            i=ids["case"],
        ),
        _refused(
            d19,
            "INSERT INTO cases (department_code, applicant_id, institution, ownership, status,"
            " priority, disabled, psychoneuro, wwii, needs_care, declared_incapable,"
            " pension_age, missing, submitted_at, delivery_method, postal_address,"
            " representative_name, representative_iin, representative_basis,"
            " returned_by_region_note, referral_institution, decision_note,"
            " safekeeping_location, updated_at) SELECT 5, id, 'elderly_general', 'state',"
            " 'accepted', false, false, false, false, true, false, true, '', :at, 'in_person',"
            " '', '', '', '', '', '', '', '', :at FROM applicants",
            at=at,
        ),
        # its own case moved to Department 5: refused by WITH CHECK
        _refused(d19, "UPDATE cases SET department_code = 5 WHERE case_no = :n", n=world.case_19),
        # a person not named by an intake
        _refused(
            d19,
            "INSERT INTO applicants (iin, surname, name, patronymic, surname_fold, birth_date,"
            " sex, address, phone, created_at, updated_at) VALUES ('500501499999', 'X', 'X',"
            " '', 'x', :b, 'female', '', '', :at, :at)",
            b=BORN,
            at=at,
        ),
    ]
    assert all("row-level security" in text for text in refusals), refusals
    assert _one(world.owner, "SELECT count(*) FROM queue_tickets WHERE department_code = 5") == 1


def test_department_19_can_read_and_change_its_own_rows(world: World) -> None:
    d19 = world.d19
    assert _rows(d19, "SELECT status FROM cases WHERE case_no = :n", n=world.case_19)
    with d19.begin() as conn:
        changed = conn.execute(
            sa.text("UPDATE cases SET postal_address = 'Көкшетау' WHERE case_no = :n"),
            {"n": world.case_19},
        ).rowcount
        conn.rollback()
    assert changed == 1


def test_a_temp_table_cannot_stand_in_for_desk_roles(world: World) -> None:
    """The function names its table with the schema: a session's own ``desk_roles`` (temp
    tables come first on the search path) does not make Department 19 into Department 5."""
    with world.d19.connect() as conn:
        conn.exec_driver_sql(
            "CREATE TEMP TABLE desk_roles (role_name text, department_code int, created_at"
            " timestamptz)"
        )
        conn.exec_driver_sql(
            f"INSERT INTO pg_temp.desk_roles VALUES ('{world.roles['d19']}', 5, now())"
        )
        assert conn.execute(sa.text("SELECT mss_desk_department()")).scalar() == 19
        others = sa.text("SELECT count(*) FROM cases WHERE department_code = 5")
        assert conn.execute(others).scalar() == 0
        conn.rollback()


def test_a_role_cannot_change_its_department(world: World) -> None:
    assert "permission denied" in _refused(
        world.d19, "UPDATE desk_roles SET department_code = 5"
    )
    assert "permission denied" in _refused(
        world.d19,
        "INSERT INTO desk_roles VALUES ('someone', 5, now())",
    )


def test_naming_an_iin_shows_that_person_only_not_their_file(world: World) -> None:
    """The intake's way to a person who has a file elsewhere: their row, by exact IIN."""
    with world.d19.connect() as conn:
        conn.execute(sa.text("SELECT set_config('mss_desk.intake_iin', :i, true)"), {"i": IIN_5})
        iins = conn.execute(sa.text("SELECT iin FROM applicants ORDER BY iin")).scalars().all()
        cases = conn.execute(sa.text("SELECT count(*) FROM cases WHERE department_code = 5"))
        assert sorted(iins) == sorted([IIN_5, IIN_19, IIN_BOTH])
        assert cases.scalar() == 0
        conn.rollback()


@pytest.mark.skipif(shutil.which("psql") is None, reason="no psql here")
def test_a_clerk_with_psql_sees_nothing_of_the_other_district(world: World) -> None:
    """The real ``psql``, logged in as Department 19's role."""
    url = world.d19.url
    conninfo = (
        f"host={url.host} port={url.port or 5432} dbname={url.database}"
        f" user={url.username} options=-csearch_path={world.schema}"
    )

    def psql(sql: str) -> str:
        done = subprocess.run(
            ["psql", conninfo, "-X", "-A", "-t", "-c", sql],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return done.stdout.strip()

    assert psql("SELECT count(*) FROM cases WHERE department_code = 5") == "0"
    assert psql("SELECT iin FROM applicants ORDER BY iin") == "\n".join(
        sorted([IIN_19, IIN_BOTH])
    )
    assert psql(f"SELECT count(*) FROM applicants WHERE iin = '{IIN_5}'") == "0"
    assert psql("SELECT count(*) FROM complaints WHERE department_code <> 19") == "0"


# --- the region ------------------------------------------------------------------------------


def test_the_regional_role_reads_every_department(world: World) -> None:
    region = world.region
    codes = {r[0] for r in _rows(region, "SELECT department_code FROM cases")}
    assert codes == {5, 19}
    assert sorted(r[0] for r in _rows(region, "SELECT iin FROM applicants")) == sorted(
        [IIN_5, IIN_19, IIN_BOTH]
    )
    assert _one(region, "SELECT count(*) FROM case_documents") == 4 * len(ELDERLY_DOCS)
    assert {r[0] for r in _rows(region, "SELECT department_code FROM complaints")} == {5, 19}
    assert {r[0] for r in _rows(region, "SELECT department_code FROM queue_tickets")} == {5, 19}
    # but not the Departments' accounts (password hashes) or unfinished forms
    assert _rows(region, "SELECT * FROM clerks") == []


def test_the_regional_role_writes_only_the_decision(world: World) -> None:
    region = world.region
    with region.begin() as conn:
        changed = conn.execute(
            sa.text("UPDATE cases SET decision_note = 'тексерілді' WHERE case_no = :n"),
            {"n": world.case_19},
        ).rowcount
        conn.rollback()
    assert changed == 1 and "decision_note" in DECISION_COLUMNS
    assert "permission denied" in _refused(
        region, "UPDATE cases SET applicant_surname = 'X' WHERE case_no = :n", n=world.case_19
    )
    assert "permission denied" in _refused(region, "DELETE FROM cases")
    assert "permission denied" in _refused(region, "UPDATE applicants SET surname = 'X'")


# --- the owner, the audit chain, the desk itself ----------------------------------------------


def test_a_department_role_sees_only_its_own_department_row(world: World) -> None:
    assert [r[0] for r in _rows(world.d19, "SELECT code FROM departments")] == [19]
    assert [r[0] for r in _rows(world.d5, "SELECT code FROM departments")] == [5]
    codes = [r[0] for r in _rows(world.region, "SELECT code FROM departments ORDER BY code")]
    assert codes == [5, 19]


def test_the_owner_is_unaffected(world: World) -> None:
    assert {r[0] for r in _rows(world.owner, "SELECT department_code FROM cases")} == {5, 19}
    assert {r[0] for r in _rows(world.owner, "SELECT department_code FROM clerks")} == {5, 19}


def test_the_audit_chain_holds_every_departments_events_and_stays_append_only(
    world: World,
) -> None:
    assert store_audit.verify(world.owner) is None  # one chain, both Departments' events
    assert store_audit.verify(world.d19) is None  # a Department can check it too
    assert "permission denied" in _refused(world.d19, "UPDATE audit_events SET detail = ''")
    assert "permission denied" in _refused(world.d19, "DELETE FROM audit_events")


def test_the_desk_works_as_department_19s_role(world: World, catalog: Any) -> None:
    """init, a clerk, a ticket, two intakes, forwarding: done in the fixture as the role;
    here the desk's own reads, as the role, see its Department's work and only that."""
    svc = Services(world.d19, FixedClock(local_dt("2026-03-02 11:00")), catalog, department=19)
    assert [row.case_no for row in svc.cases.list()] == [world.case_19_both, world.case_19]
    assert svc.cases.get(world.case_19).status == "forwarded"
    assert [t.number for t in svc.queue.waiting()] == ["A-001"]
    # the person with a file in both: Department 19 changed their address; Department 5's
    # case keeps the data it was accepted with (issue 15.3), and stays out of sight
    assert _one(world.d19, "SELECT count(*) FROM cases WHERE department_code = 5") == 0
    assert _one(
        world.d19, "SELECT count(*) FROM applicant_changes WHERE field_name = 'address'"
    ) == 1
    assert _one(
        world.owner,
        "SELECT c.applicant_address FROM cases c JOIN applicants a ON a.id = c.applicant_id"
        " WHERE a.iin = :i AND c.department_code = 5",
        i=IIN_BOTH,
    ) == "Екеуі үйі"
    assert _one(world.owner, "SELECT count(*) FROM applicants WHERE iin = :i", i=IIN_BOTH) == 1
    assert store_audit.verify(world.owner) is None
    # issue 14: on the shared server the region reads the forwarded file at once; nothing
    # went into the offline exchange's outbox (a Department's role has no grant on it)
    assert _one(world.owner, "SELECT count(*) FROM exchange_outbox") == 0
    assert _one(
        world.owner, "SELECT status FROM cases WHERE case_no = :c", c=world.case_19
    ) == "forwarded"


def test_a_department_role_does_not_upgrade_the_schema_but_says_who_may(world: World) -> None:
    """A desk of a newer version connected as a Department's role: the schema is the
    owner's to change; the desk says so (no traceback, nothing half-done)."""
    from mss_desk.errors import StorageError

    with world.owner.begin() as conn:
        head = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0009'"))
    try:
        url = world.d19.url.render_as_string(hide_password=False)
        with pytest.raises(StorageError) as info:
            open_store(url)
        assert info.value.key == "safety.upgrade_by_owner"
        assert _one(world.owner, "SELECT version_num FROM alembic_version") == "0009"
    finally:
        with world.owner.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = :h"), {"h": head})


def test_a_department_role_cannot_make_desk_roles(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """``mss-desk db role add`` connected as a Department's role: PostgreSQL refuses, the
    command says so in one line (exit 1), and no role or ``desk_roles`` row is made."""
    import json

    from mss_desk.cli import main

    url = world.d19.url.render_as_string(hide_password=False)
    stray = world.roles["stray"]
    capsys.readouterr()
    code = main(["--db", url, "db", "role", "add", "--department", "5", "--name", stray, "--json"])
    out = capsys.readouterr().out
    assert code == 1 and "PostgreSQL refused" in json.loads(out)["error"]
    assert _one(world.owner, "SELECT count(*) FROM pg_roles WHERE rolname = :r", r=stray) == 0
    assert _one(world.owner, "SELECT count(*) FROM desk_roles WHERE role_name = :r", r=stray) == 0
