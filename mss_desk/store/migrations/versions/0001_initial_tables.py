"""Initial tables: departments, clerks, applicants, cases, documents, queue, counters,
complaints, audit events, settings.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applicants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iin", sa.String(length=12), nullable=False),
        sa.Column("surname", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("patronymic", sa.String(length=100), nullable=False),
        sa.Column("surname_fold", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=6), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicants")),
        sa.UniqueConstraint("iin", name=op.f("uq_applicants_iin")),
    )
    with op.batch_alter_table("applicants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_applicants_surname_fold"), ["surname_fold"], unique=False
        )

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=1000), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)

    op.create_table(
        "counters",
        sa.Column("department_code", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("department_code", "scope", "key", name=op.f("pk_counters")),
    )
    op.create_table(
        "departments",
        sa.Column("code", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name_kk", sa.String(length=300), nullable=False),
        sa.Column("name_ru", sa.String(length=300), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_departments")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=4000), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "clerks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("surname", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["departments.code"],
            name=op.f("fk_clerks_department_code_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clerks")),
        sa.UniqueConstraint("username", name=op.f("uq_clerks_username")),
    )
    with op.batch_alter_table("clerks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clerks_department_code"), ["department_code"], unique=False
        )

    op.create_table(
        "queue_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clerk_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["clerk_id"], ["clerks.id"], name=op.f("fk_queue_tickets_clerk_id_clerks")
        ),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["departments.code"],
            name=op.f("fk_queue_tickets_department_code_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_tickets")),
        sa.UniqueConstraint(
            "department_code",
            "day",
            "purpose",
            "seq",
            name=op.f("uq_queue_tickets_department_code_day_purpose_seq"),
        ),
    )
    with op.batch_alter_table("queue_tickets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_queue_tickets_day"), ["day"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_no", sa.String(length=16), nullable=True),
        sa.Column("department_code", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=32), nullable=False),
        sa.Column("ownership", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("disability_group", sa.Integer(), nullable=True),
        sa.Column("psychoneuro", sa.Boolean(), nullable=False),
        sa.Column("wwii", sa.Boolean(), nullable=False),
        sa.Column("needs_care", sa.Boolean(), nullable=False),
        sa.Column("relatives", sa.String(length=32), nullable=True),
        sa.Column("relatives_reason", sa.String(length=32), nullable=True),
        sa.Column("declared_incapable", sa.Boolean(), nullable=False),
        sa.Column("council_decision_no", sa.String(length=64), nullable=True),
        sa.Column("council_decision_date", sa.Date(), nullable=True),
        sa.Column("age_at_acceptance", sa.Integer(), nullable=True),
        sa.Column("pension_age", sa.Boolean(), nullable=False),
        sa.Column("missing", sa.String(length=2000), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("terms_from", sa.Date(), nullable=True),
        sa.Column("service_due", sa.Date(), nullable=True),
        sa.Column("forward_due", sa.Date(), nullable=True),
        sa.Column("decision_due", sa.Date(), nullable=True),
        sa.Column("binding_due", sa.Date(), nullable=True),
        sa.Column("binding", sa.String(length=16), nullable=True),
        sa.Column("forwarded_on", sa.Date(), nullable=True),
        sa.Column("returned_by_region_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decision_no", sa.String(length=64), nullable=True),
        sa.Column("decision_note", sa.String(length=2000), nullable=False),
        sa.Column("result_ready_on", sa.Date(), nullable=True),
        sa.Column("delivery_method", sa.String(length=16), nullable=False),
        sa.Column("postal_address", sa.String(length=300), nullable=False),
        sa.Column("postal_notice_on", sa.Date(), nullable=True),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("safekeeping_on", sa.Date(), nullable=True),
        sa.Column("safekeeping_location", sa.String(length=200), nullable=False),
        sa.Column("representative_name", sa.String(length=200), nullable=False),
        sa.Column("representative_iin", sa.String(length=12), nullable=False),
        sa.Column("representative_basis", sa.String(length=200), nullable=False),
        sa.Column("clerk_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("spouse_case_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["applicants.id"], name=op.f("fk_cases_applicant_id_applicants")
        ),
        sa.ForeignKeyConstraint(["clerk_id"], ["clerks.id"], name=op.f("fk_cases_clerk_id_clerks")),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["departments.code"],
            name=op.f("fk_cases_department_code_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["spouse_case_id"], ["cases.id"], name=op.f("fk_cases_spouse_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["queue_tickets.id"], name=op.f("fk_cases_ticket_id_queue_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("case_no", name=op.f("uq_cases_case_no")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_applicant_id"), ["applicant_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cases_department_code"), ["department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cases_status"), ["status"], unique=False)

    op.create_table(
        "case_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("received", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_documents_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_documents")),
        sa.UniqueConstraint("case_id", "code", name=op.f("uq_case_documents_case_id_code")),
    )
    with op.batch_alter_table("case_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_documents_case_id"), ["case_id"], unique=False)

    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_no", sa.String(length=24), nullable=True),
        sa.Column("department_code", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("complainant", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("about_clerk_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=10000), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.Integer(), nullable=True),
        sa.Column("answer_due", sa.Date(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answer_text", sa.String(length=10000), nullable=False),
        sa.Column("justified", sa.Boolean(), nullable=True),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["about_clerk_id"], ["clerks.id"], name=op.f("fk_complaints_about_clerk_id_clerks")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_complaints_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["departments.code"],
            name=op.f("fk_complaints_department_code_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["registered_by"], ["clerks.id"], name=op.f("fk_complaints_registered_by_clerks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("complaint_no", name=op.f("uq_complaints_complaint_no")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaints_department_code"), ["department_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaints_department_code"))

    op.drop_table("complaints")
    with op.batch_alter_table("case_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_documents_case_id"))

    op.drop_table("case_documents")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_status"))
        batch_op.drop_index(batch_op.f("ix_cases_department_code"))
        batch_op.drop_index(batch_op.f("ix_cases_applicant_id"))

    op.drop_table("cases")
    with op.batch_alter_table("queue_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_queue_tickets_day"))

    op.drop_table("queue_tickets")
    with op.batch_alter_table("clerks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clerks_department_code"))

    op.drop_table("clerks")
    op.drop_table("settings")
    op.drop_table("departments")
    op.drop_table("counters")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))

    op.drop_table("audit_events")
    with op.batch_alter_table("applicants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applicants_surname_fold"))

    op.drop_table("applicants")
