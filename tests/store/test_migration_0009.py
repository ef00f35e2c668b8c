"""Migration 0009 (issue 15, item 3): the cases already there get their applicant snapshot
from the person's row; ``applicant_changes`` is made; and back to 0008 keeps the cases."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from mss_desk.store.engine import make_engine, open_store
from mss_desk.store.revisions import current_revision, head_revision, migrate

AT = datetime(2026, 3, 2, 5, 0)


def _fill_0008(conn: sa.Connection) -> None:
    """A Department, a clerk, two people and three cases, as a desk at 0008 holds them."""
    conn.execute(
        sa.text(
            "INSERT INTO departments (code, name_kk, name_ru, tz, created_at) "
            "VALUES (19, 'Көкшетау', 'Кокшетау', 'Asia/Almaty', :at)"
        ),
        {"at": AT},
    )
    conn.execute(
        sa.text(
            "INSERT INTO clerks (id, department_code, username, surname, name, role,"
            " password_hash, failed_attempts, active, created_at)"
            " VALUES (1, 19, 'aigerim', 'Сейітова', 'Әйгерім', 'clerk', 'x', 0, :yes, :at)"
        ),
        {"at": AT, "yes": True},
    )
    people = [
        (1, "500501400012", "Әлиева", "Гүлнар", "Серікқызы", "Көкшетау, Абай 12", "+7 701"),
        (2, "480301300011", "Иванов", "Пётр", "", "", ""),
    ]
    for pid, iin, surname, name, patronymic, address, phone in people:
        conn.execute(
            sa.text(
                "INSERT INTO applicants (id, iin, surname, name, patronymic, surname_fold,"
                " birth_date, sex, address, phone, created_at, updated_at) VALUES"
                " (:id, :iin, :s, :n, :p, :f, :born, 'female', :a, :ph, :at, :at)"
            ),
            {"id": pid, "iin": iin, "s": surname, "n": name, "p": patronymic,
             "f": surname.casefold(), "born": date(1950, 5, 1), "a": address, "ph": phone,
             "at": AT},
        )
    for cid, pid, no in ((1, 1, "19-2026-00001"), (2, 2, "19-2026-00002"), (3, 1, None)):
        conn.execute(
            sa.text(
                "INSERT INTO cases (id, case_no, department_code, applicant_id, institution,"
                " ownership, status, priority, disabled, psychoneuro, wwii, needs_care,"
                " declared_incapable, pension_age, missing, submitted_at, delivery_method,"
                " postal_address, representative_name, representative_iin,"
                " representative_basis, returned_by_region_note, referral_institution,"
                " decision_note, safekeeping_location, clerk_id, updated_at) VALUES"
                " (:id, :no, 19, :pid, 'elderly_general', 'state', 'accepted', :no_, :no_,"
                " :no_, :no_, :yes, :no_, :yes, '', :at, 'in_person', '', '', '', '', '', '',"
                " '', '', 1, :at)"
            ),
            {"id": cid, "no": no, "pid": pid, "at": AT, "yes": True, "no_": False},
        )


def test_migration_0009_fills_the_snapshot_of_every_case_and_goes_back(db_url: str) -> None:
    eng = make_engine(db_url)
    migrate(eng, "0008")
    with eng.begin() as conn:
        _fill_0008(conn)
    eng.dispose()

    eng = open_store(db_url)  # migrates forward at open
    try:
        assert current_revision(eng) == head_revision()
        assert "applicant_changes" in sa.inspect(eng).get_table_names()
        with eng.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT id, applicant_surname, applicant_name, applicant_patronymic,"
                    " applicant_surname_fold, applicant_address, applicant_phone"
                    " FROM cases ORDER BY id"
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            (1, "Әлиева", "Гүлнар", "Серікқызы", "әлиева", "Көкшетау, Абай 12", "+7 701"),
            (2, "Иванов", "Пётр", "", "иванов", "", ""),
            (3, "Әлиева", "Гүлнар", "Серікқызы", "әлиева", "Көкшетау, Абай 12", "+7 701"),
        ]
        indexes = {i["name"] for i in sa.inspect(eng).get_indexes("cases")}
        assert "ix_cases_applicant_surname_fold" in indexes

        from alembic import command

        from mss_desk.store.revisions import alembic_config

        command.downgrade(alembic_config(eng), "0008")  # drops the snapshot, keeps the cases
        columns = {c["name"] for c in sa.inspect(eng).get_columns("cases")}
        assert not {c for c in columns if c.startswith("applicant_") and c != "applicant_id"}
        assert "applicant_changes" not in sa.inspect(eng).get_table_names()
        with eng.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM cases")).scalar() == 3
    finally:
        eng.dispose()
