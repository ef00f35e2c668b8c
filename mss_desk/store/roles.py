"""PostgreSQL roles for the desks that share one regional database (issue 14, point 4).

Migration 0012 puts row-level security on the tables; here the admin makes a Department's
login role (or the region's, code 0): the role itself if it does not exist yet, the GRANTs
a desk needs, and its ``desk_roles`` row, which the policies read. Run as the tables' owner
(the role that ran ``mss-desk init``), by ``mss-desk db role add``; running it again is
harmless and re-grants what a newer schema added.

A Department's role may read, write and delete the rows of its own Department (the policies
keep it there); the audit chain it may only read and append to. The regional role reads
every Department and writes, on their cases, only the decision's columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from mss_desk.errors import ValidationError

REGION = 0
INTAKE_IIN = "mss_desk.intake_iin"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

# every desk role: read the schema's version and the role map
_READ_ONLY = ("alembic_version", "desk_roles")
_READ_WRITE = ("departments", "settings")  # the policies allow own rows only
_APPEND_ONLY = ("audit_events",)
# a Department's own rows (the policies of 0012)
_DEPARTMENT_OWNED = (
    "cases",
    "case_documents",
    "clerks",
    "queue_tickets",
    "counters",
    "complaints",
    "survey_responses",
    "drafts",
    "applicant_changes",
)
# the region: its own rows (code 0) in these; the others it reads
_REGION_OWNED = ("clerks", "queue_tickets", "counters", "complaints", "drafts")
_REGION_READS = ("case_documents", "applicants", "survey_responses", "applicant_changes")
# issue 14: the offline exchange is the region's (bundles to and from Departments without a
# link); a Department on the shared server needs none (``connected_as_desk_role``)
# (and the Departments' monthly Annex 2 summaries it receives: migration 0014)
_REGION_EXCHANGE = ("exchange_outbox", "exchange_inbox", "exchange_peers", "region_summaries")
# item 6.1: the places that came free and the referrals they became (migration 0016): the
# regional head's record, appended to and read by the region only
_REGION_PLACES = ("freed_places",)
# the region's decision on a Department's case (services.lifecycle.decide / return)
DECISION_COLUMNS = (
    "status",
    "decision",
    "decided_on",
    "decision_no",
    "decision_note",
    "referral_institution",
    "ownership",
    "returned_by_region_on",
    "returned_by_region_note",
    "updated_at",
)


@dataclass(frozen=True)
class RoleAdded:
    name: str
    department_code: int
    created: bool  # False: the role existed (its password and attributes are left alone)
    grants: tuple[str, ...]


def check_role_name(name: str) -> str:
    """A plain lower-case PostgreSQL name (no quoting surprises in ``psql``)."""
    if not ROLE_NAME.fullmatch(name) or name.startswith("pg_"):
        raise ValidationError(name, key="cli.db_role.bad_name", name=name)
    return name


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def grant_statements(schema: str, role: str, department_code: int) -> list[str]:
    """The GRANTs a desk connected as ``role`` needs (the policies narrow them to rows)."""
    s, r = _q(schema), _q(role)

    def on(tables: tuple[str, ...]) -> str:
        return ", ".join(f"{s}.{t}" for t in tables)

    grants = [
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT SELECT ON {on(_READ_ONLY)} TO {r}",
        f"GRANT SELECT, INSERT, UPDATE ON {on(_READ_WRITE)} TO {r}",
        f"GRANT SELECT, INSERT ON {on(_APPEND_ONLY)} TO {r}",
    ]
    if department_code == REGION:
        columns = ", ".join(DECISION_COLUMNS)
        grants += [
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON {on(_REGION_OWNED)} TO {r}",
            f"GRANT SELECT ON {on(_REGION_READS)} TO {r}",
            f"GRANT SELECT, UPDATE ({columns}) ON {s}.cases TO {r}",
            f"GRANT SELECT, INSERT, UPDATE ON {on(_REGION_EXCHANGE)} TO {r}",
            f"GRANT SELECT, INSERT ON {on(_REGION_PLACES)} TO {r}",
        ]
    else:
        grants += [
            f"GRANT SELECT, INSERT, UPDATE ON {s}.applicants TO {r}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON {on(_DEPARTMENT_OWNED)} TO {r}",
        ]
    grants.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}")
    return grants


def add_role(engine: sa.Engine, name: str, department_code: int, now: datetime) -> RoleAdded:
    """Make ``name`` a desk role of ``department_code`` (PostgreSQL; run as the owner).

    The role is created ``LOGIN`` without a password when missing (the admin sets one with
    ``\\password NAME`` in ``psql``); an existing role keeps its password. One transaction:
    all of it or nothing.
    """
    check_role_name(name)
    if not 0 <= department_code <= 99:
        raise ValidationError(
            str(department_code), key="cli.db_role.bad_department", code=department_code
        )
    with engine.begin() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}
        ).first()
        if exists is None:
            conn.exec_driver_sql(f"CREATE ROLE {_q(name)} LOGIN")
        grants = grant_statements(schema, name, department_code)
        for stmt in grants:
            conn.exec_driver_sql(stmt)
        conn.execute(
            sa.text(
                "INSERT INTO desk_roles (role_name, department_code, created_at)"
                " VALUES (:n, :d, :at) ON CONFLICT (role_name)"
                " DO UPDATE SET department_code = EXCLUDED.department_code"
            ),
            {"n": name, "d": department_code, "at": now},
        )
    return RoleAdded(name, department_code, exists is None, tuple(grants))


def desk_roles(engine: sa.Engine) -> list[tuple[str, int]]:
    """(role, Department) of every desk role, by name."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT role_name, department_code FROM desk_roles ORDER BY role_name")
        ).all()
        conn.rollback()
    return [(str(r[0]), int(r[1])) for r in rows]


def name_intake_iin(session: Any, iin: str) -> None:
    """Tell PostgreSQL's row security which person this intake is about (migration 0012).

    For the rest of the transaction the desk's role may read and change that one person's
    row, and insert it, even when their other files are in another Department (the IIN is
    unique: the intake must find them). A no-op on SQLite.
    """
    bind = session if isinstance(session, sa.Connection) else session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(
            sa.text("SELECT set_config(:k, :v, true)"), {"k": INTAKE_IIN, "v": iin}
        )


def connected_as_desk_role(session: Any) -> bool:
    """The desk works on the regional server as a Department's (or the region's) database
    role (migration 0012): the region sees its files at once, so nothing goes into the
    offline exchange's outbox. False on SQLite and for the tables' owner."""
    bind = session if isinstance(session, sa.Connection) else session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return session.execute(sa.text("SELECT mss_desk_department() IS NOT NULL")).scalar() is True
