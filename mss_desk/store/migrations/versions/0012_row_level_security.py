"""PostgreSQL row-level security: a Department's role reads and writes only its own rows.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-03

Issue 14, point 4: when Departments work directly on the regional PostgreSQL, what a user
may see is enforced by the database itself, so a clerk with ``psql`` cannot read another
district's applicants either. Both backends get the ``desk_roles`` table (the model is the
same everywhere; SQLite leaves it empty). On PostgreSQL only:

- ``desk_roles`` maps a login role to the Department it serves (0: the Regional
  Department). ``mss_desk_department()`` (SQL, STABLE, not SECURITY DEFINER) gives the
  connected role's Department, or NULL for any other role. Its body names the table with
  its schema, so a ``desk_roles`` temp table made in a session cannot stand in for it.
- ENABLE and FORCE ROW LEVEL SECURITY on every table below. The tables' owner (the role
  that runs the migrations and ``mss-desk`` admin commands) has a policy of its own that
  lets it do everything, as before; a superuser is never subject to row security.
- Department-owned rows (``department_code`` column): a Department's role reads and writes
  its own Department's rows only (USING and WITH CHECK). The regional role (code 0) reads
  every Department's cases, documents, applicants, tickets, counters, complaints, surveys
  and applicant changes, writes rows of its own Department (code 0: its clerks, tickets,
  counters, drafts) and, on other Departments' cases, only its decision (the columns are
  limited by the GRANT that ``mss-desk db role add`` makes). It does not read other
  Departments' ``clerks`` (password hashes) or ``drafts`` (unfinished forms).
- ``case_documents`` follow their case.
- ``applicants`` (one row per IIN, shared): a Department reads and changes a person who has
  a case in its Department, or the person whose IIN its intake names in the transaction
  (``SELECT set_config('mss_desk.intake_iin', IIN, true)``, done by the intake before it
  looks the person up): the intake must find a person who has a file elsewhere, since the
  IIN is unique. A role can thus read one person by naming their exact IIN — never list or
  search them (documented in docs/operations.md §8). Nobody but the owner deletes a person.
- ``audit_events`` is one chain for the database: every desk role reads it (to chain its
  own event after the last one; ``detail`` holds no personal data) and appends to it;
  nobody changes or deletes a row (the triggers of 0004 still refuse it).
- ``departments``: a Department's role reads and writes its own row only (so its desk,
  which serves "the database's only Department" when it has no ``department`` setting,
  serves its own); the region reads every row. ``settings``: every desk role reads them
  and writes its own indicator values (``indicator:N:…``) and, from older desks, the
  ``department_code`` setting with its own code only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None

D = "(SELECT mss_desk_department())"  # an InitPlan: evaluated once per statement
INTAKE_IIN = "NULLIF(current_setting('mss_desk.intake_iin', true), '')"

# tables with a department_code column: (table, does the region read other Departments?)
OWNED = (
    ("cases", True),
    ("clerks", False),
    ("queue_tickets", True),
    ("counters", True),
    ("complaints", True),
    ("survey_responses", True),
    ("drafts", False),
    ("applicant_changes", True),
)
OTHERS = ("case_documents", "applicants", "audit_events", "departments", "settings")
TABLES = tuple(name for name, _ in OWNED) + OTHERS

_OWN_CASE = (
    "EXISTS (SELECT 1 FROM cases c WHERE c.applicant_id = applicants.id"
    f" AND c.department_code = {D})"
)
_DOC_CASE = (
    "EXISTS (SELECT 1 FROM cases c WHERE c.id = case_documents.case_id"
    f" AND c.department_code = {D})"
)
_SETTING_OWN = (
    f"(key LIKE 'indicator:' || {D} || ':%'"
    f" OR (key = 'department_code' AND value = {D}::text))"
)

# (table, policy, command, USING, WITH CHECK) for the desk roles
POLICIES: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    *(
        (name, "mss_desk_own", "ALL", f"department_code = {D}", f"department_code = {D}")
        for name, _ in OWNED
    ),
    *(
        (name, "mss_desk_region_reads", "SELECT", f"{D} = 0", None)
        for name, region_reads in OWNED
        if region_reads
    ),
    ("cases", "mss_desk_region_decides", "UPDATE", f"{D} = 0", f"{D} = 0"),
    ("case_documents", "mss_desk_own", "ALL", _DOC_CASE, _DOC_CASE),
    ("case_documents", "mss_desk_region_reads", "SELECT", f"{D} = 0", None),
    (
        "applicants",
        "mss_desk_reads",
        "SELECT",
        f"{D} = 0 OR iin = {INTAKE_IIN} OR {_OWN_CASE}",
        None,
    ),
    ("applicants", "mss_desk_intake", "INSERT", None, f"{D} > 0 AND iin = {INTAKE_IIN}"),
    (
        "applicants",
        "mss_desk_changes",
        "UPDATE",
        f"{D} > 0 AND (iin = {INTAKE_IIN} OR {_OWN_CASE})",
        f"{D} > 0 AND (iin = {INTAKE_IIN} OR {_OWN_CASE})",
    ),
    ("audit_events", "mss_desk_reads", "SELECT", f"{D} IS NOT NULL", None),
    ("audit_events", "mss_desk_appends", "INSERT", None, f"{D} IS NOT NULL"),
    # a Department's role sees its own row only: its desk needs no ``department`` setting
    # (the database's only Department it can see is its own); the region sees them all
    ("departments", "mss_desk_reads", "SELECT", f"{D} = 0 OR code = {D}", None),
    ("departments", "mss_desk_own_insert", "INSERT", None, f"code = {D}"),
    ("departments", "mss_desk_own_update", "UPDATE", f"code = {D}", f"code = {D}"),
    ("settings", "mss_desk_reads", "SELECT", f"{D} IS NOT NULL", None),
    ("settings", "mss_desk_own_insert", "INSERT", None, _SETTING_OWN),
    (
        "settings",
        "mss_desk_own_update",
        "UPDATE",
        f"(key LIKE 'indicator:' || {D} || ':%' OR key = 'department_code')",
        _SETTING_OWN,
    ),
)

ADMIN_POLICY = "mss_desk_owner"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_desk_roles() -> None:
    op.create_table(
        "desk_roles",
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("department_code", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("role_name", name=op.f("pk_desk_roles")),
    )


def upgrade() -> None:
    _create_desk_roles()
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite has no roles: a desk's file is its own (docs/operations.md §3)
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    owner = bind.execute(
        sa.text(
            "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()"
            " AND tablename = 'cases'"
        )
    ).scalar_one()
    op.execute(
        "CREATE OR REPLACE FUNCTION mss_desk_department() RETURNS integer"
        " LANGUAGE sql STABLE PARALLEL SAFE AS $$"
        f" SELECT department_code FROM {_quote(schema)}.desk_roles"
        " WHERE role_name = current_user $$"
    )
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {ADMIN_POLICY} ON {table} AS PERMISSIVE FOR ALL"
            f" TO {_quote(owner)} USING (true) WITH CHECK (true)"
        )
    for table, name, command, using, check in POLICIES:
        sql = f"CREATE POLICY {name} ON {table} AS PERMISSIVE FOR {command} TO PUBLIC"
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        op.execute(sql)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, name, _command, _using, _check in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {name} ON {table}")
        for table in TABLES:
            op.execute(f"DROP POLICY IF EXISTS {ADMIN_POLICY} ON {table}")
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP FUNCTION IF EXISTS mss_desk_department()")
    op.drop_table("desk_roles")
