"""Issue 15, item 6: the audit chain anchored outside the database.

A chain cut at the end (the last 50 rows, or every row) or recomputed after an edit is a
valid chain on its own; only the head written down earlier (register, report, backup side
file) tells. ``audit verify --expect-head`` fails then; an append-only chain passes. And no
migration re-hashes a tampered table into a valid chain. SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from mss_desk.store import audit
from mss_desk.store.engine import migrate, open_store
from mss_desk.store.models import AuditEvent

T0 = datetime(2026, 3, 2, 5, 0, 0, 123456, tzinfo=UTC)


def _write(engine: sa.Engine, n: int, start: int = 0) -> None:
    with Session(engine) as s:
        for i in range(start, start + n):
            audit.record(
                s, T0 + timedelta(minutes=i), i % 3 or None, "ticket.issue", "ticket", i,
                f"A-{i:03d}",
            )
        s.commit()


def _drop_triggers(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_change ON audit_events")
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_truncate ON audit_events")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_delete")


def _recompute(engine: sa.Engine) -> None:
    """What a forger does after editing a row: re-hash every row from the genesis on."""
    with Session(engine) as s:
        prev = audit.GENESIS
        for row in s.exec(select(AuditEvent).order_by(AuditEvent.id)):  # type: ignore[arg-type]
            row.prev_hash = prev
            row.hash = audit.event_hash(row, prev)
            prev = row.hash
        s.commit()


def _edit_and_recompute(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_events SET detail = 'A-999' WHERE id = 10")
    _recompute(engine)


TAMPERS = {
    "the last 50 rows deleted": "DELETE FROM audit_events WHERE id > 30",
    "every row deleted": "DELETE FROM audit_events",
    "an edit, the chain recomputed": _edit_and_recompute,
}


def _tamper(engine: sa.Engine, how: Any) -> None:
    _drop_triggers(engine)
    if callable(how):
        how(engine)
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql(how)


@pytest.mark.parametrize("how", sorted(TAMPERS))
def test_a_cut_or_recomputed_chain_verifies_alone_but_loses_its_anchor(
    engine: sa.Engine, how: str
) -> None:
    _write(engine, 80)
    anchor = audit.anchor(engine)
    assert anchor is not None and anchor.events == 80
    _tamper(engine, TAMPERS[how])
    assert audit.verify(engine) is None  # on its own the chain still looks sound
    got = audit.check_anchor(engine, anchor.head)
    assert got.reached is False and got.at_events is None
    assert audit.check_anchor(engine, anchor.head, anchor.events).reached is False


def test_an_append_only_chain_reaches_an_older_anchor(engine: sa.Engine) -> None:
    _write(engine, 5)
    older = audit.anchor(engine)
    assert older is not None
    _write(engine, 7, start=5)
    got = audit.check_anchor(engine, older.head, older.events)
    assert got.reached is True and got.at_events == 5 and got.report.count == 12
    assert audit.check_anchor(engine, older.head, 6).reached is False  # the wrong count
    assert audit.check_anchor(engine, "f" * 64).reached is False


def test_the_anchor_of_an_empty_chain_is_the_genesis(engine: sa.Engine) -> None:
    assert audit.anchor(engine) == audit.Anchor(0, audit.GENESIS)
    _write(engine, 2)
    assert audit.check_anchor(engine, audit.GENESIS, 0).reached is True


def test_a_broken_chain_is_never_anchored(engine: sa.Engine) -> None:
    _write(engine, 4)
    _drop_triggers(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_events SET detail = 'x' WHERE id = 2")
    assert audit.anchor(engine) is None


def test_a_head_read_off_paper_is_normalised() -> None:
    head = "ab" * 32
    spaced = " ".join(head[i : i + 8].upper() for i in range(0, 64, 8))
    assert audit.normalise_head(spaced) == head
    assert audit.normalise_head(head[:63]) is None
    assert audit.normalise_head("g" * 64) is None
    assert audit.normalise_head("abcd…1234") is None


# --- migration 0004 never re-hashes existing rows ------------------------------------------


def _rerun_0004(engine: sa.Engine) -> None:
    """``alembic_version`` set back to 0003 by hand, then the upgrade through 0004 again
    (the later revisions create indexes and columns that are there already)."""
    from alembic import command

    from mss_desk.store.revisions import alembic_config

    with engine.begin() as conn:
        head = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0003'")
    command.upgrade(alembic_config(engine), "0004")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{head}'")
    migrate(engine)  # at the head: nothing more to do


def test_rerunning_migration_0004_does_not_launder_a_tampered_table(db_url: str) -> None:
    eng = open_store(db_url)
    try:
        _write(eng, 6)
        _drop_triggers(eng)
        with eng.begin() as conn:
            conn.exec_driver_sql("UPDATE audit_events SET detail = 'A-999' WHERE id = 3")
        with eng.begin() as conn:
            before = conn.exec_driver_sql(
                "SELECT id, prev_hash, hash FROM audit_events ORDER BY id"
            ).all()
        assert audit.verify(eng) == 3
        _rerun_0004(eng)
        assert audit.verify(eng) == 3  # still broken: nothing was re-hashed
        with eng.begin() as conn:
            after = conn.exec_driver_sql(
                "SELECT id, prev_hash, hash FROM audit_events ORDER BY id"
            ).all()
        assert after == before
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):  # the triggers are back
            with eng.begin() as conn:
                conn.exec_driver_sql("DELETE FROM audit_events")
    finally:
        eng.dispose()


def test_rerunning_migration_0004_on_a_sound_chain_changes_nothing(db_url: str) -> None:
    eng = open_store(db_url)
    try:
        _write(eng, 3)
        head = audit.anchor(eng)
        _drop_triggers(eng)
        _rerun_0004(eng)
        assert audit.anchor(eng) == head
    finally:
        eng.dispose()


# --- mss-desk audit verify --expect-head ----------------------------------------------------


@pytest.fixture
def cli_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, sa.Engine]:
    monkeypatch.setenv("MSS_DESK_NOW", "2026-03-02T10:00")
    eng = open_store(sqlite_url)
    return sqlite_url.removeprefix("sqlite:///"), eng


def _verify(capsys: pytest.CaptureFixture[str], db: str, *extra: str) -> tuple[int, Any]:
    from mss_desk.cli import main

    capsys.readouterr()
    code = main(["audit", "verify", "--db", db, *extra])
    out = capsys.readouterr()
    text = out.out or out.err
    try:
        return code, json.loads(text)
    except json.JSONDecodeError:
        return code, text


@pytest.mark.parametrize("how", sorted(TAMPERS))
def test_cli_fails_the_earlier_head_after_a_cut_or_a_recompute(
    cli_db: tuple[str, sa.Engine], capsys: pytest.CaptureFixture[str], how: str
) -> None:
    db, eng = cli_db
    _write(eng, 80)
    code, data = _verify(capsys, db, "--json")
    assert code == 0 and data["ok"] is True and data["events"] == 80
    head = data["head"]
    _tamper(eng, TAMPERS[how])
    eng.dispose()
    code, data = _verify(capsys, db, "--json")
    assert code == 0 and data["ok"] is True  # alone, the cut chain passes (the hole)
    code, data = _verify(capsys, db, "--expect-head", head, "--json")
    assert code == 1
    assert data["ok"] is False and data["reached"] is False and data["head"] != head
    assert data["events"] == {"the last 50 rows deleted": 30, "every row deleted": 0}.get(
        how, 80
    )
    code, out = _verify(capsys, db, "--expect-head", head, "--lang", "kk")
    assert code == 1 and head in out and "жетпейді" in out


def test_cli_passes_an_append_only_chain_against_an_older_head(
    cli_db: tuple[str, sa.Engine], capsys: pytest.CaptureFixture[str]
) -> None:
    db, eng = cli_db
    _write(eng, 5)
    code, data = _verify(capsys, db, "--json")
    head = data["head"]
    _write(eng, 3, start=5)
    eng.dispose()
    code, data = _verify(capsys, db, "--expect-head", head.upper(), "--expect-events", "5",
                         "--json")
    assert code == 0, data
    assert {k: data[k] for k in ("ok", "events", "reached", "reached_at_events")} == {
        "ok": True, "events": 8, "reached": True, "reached_at_events": 5,
    }
    assert data["head"] != head
    code, data = _verify(capsys, db, "--expect-head", head, "--expect-events", "4", "--json")
    assert code == 1 and data["ok"] is False
    code, out = _verify(capsys, db, "--expect-head", head, "--lang", "ru")
    assert code == 0 and "цела" in out and data["head"] in out


@pytest.mark.parametrize(
    "extra", [["--expect-head", "abcd…1234"], ["--expect-head", "0" * 63], ["--expect-events", "3"]]
)
def test_cli_refuses_a_malformed_anchor(
    cli_db: tuple[str, sa.Engine], capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    db, eng = cli_db
    eng.dispose()
    code, _ = _verify(capsys, db, *extra, "--json")
    assert code == 2


def test_anchor_messages_in_three_languages() -> None:
    from mss_desk.i18n import t

    for key in ("safety.audit_head", "safety.audit_anchor_lost"):
        said = {lang: t(key, lang, head="H", events=3) for lang in ("kk", "ru", "en")}
        assert len(set(said.values())) == 3 and all("H" in s for s in said.values()), said


# --- the anchor beside every backup ---------------------------------------------------------


def test_every_backup_has_its_anchor_beside_it(
    cli_db: tuple[str, sa.Engine], capsys: pytest.CaptureFixture[str]
) -> None:
    import stat
    from pathlib import Path

    from mss_desk.clock import FixedClock
    from mss_desk.store.backups import backup, rotate

    db, eng = cli_db
    _write(eng, 60)
    first = backup(f"sqlite:///{db}", kind="auto", clock=FixedClock(T0))
    side = audit.side_file(first)
    assert side.name == first.name + ".audit.json"
    assert stat.S_IMODE(side.stat().st_mode) == 0o600
    doc = json.loads(side.read_text(encoding="utf-8"))
    assert doc["ok"] is True and doc["events"] == 60 and doc["backup"] == first.name
    anchor = audit.read_backup_anchor(first)
    assert anchor == audit.anchor(eng)
    assert not list(Path(first.parent).glob(".*partial*"))
    # the live chain grows: the backup's head is still reached
    _write(eng, 5, start=60)
    code, data = _verify(capsys, db, "--expect-head", anchor.head, "--expect-events", "60",
                         "--json")
    assert code == 0 and data["events"] == 65
    # cut at the end: the backup's anchor catches it
    _tamper(eng, "DELETE FROM audit_events WHERE id > 20")
    eng.dispose()
    code, data = _verify(capsys, db, "--expect-head", anchor.head, "--json")
    assert code == 1 and data["ok"] is False
    # rotation takes the side file with its backup
    later = backup(f"sqlite:///{db}", kind="auto", clock=FixedClock(T0 + timedelta(days=1)))
    assert audit.read_backup_anchor(later) == audit.Anchor(20, data["head"])
    assert rotate(first.parent, 1) == [first]
    assert not side.exists() and audit.side_file(later).exists()


def test_a_broken_or_missing_side_file_is_no_anchor(tmp_path: Any) -> None:
    from pathlib import Path

    fake = Path(tmp_path) / "mss-desk-20260302T050000Z-manual.sqlite3"
    assert audit.read_backup_anchor(fake) is None
    for text in ("{", "[]", '{"ok": true, "events": 3, "head": "abc"}',
                 '{"ok": false, "events": 3, "head": "' + "a" * 64 + '"}'):
        audit.side_file(fake).write_text(text, encoding="utf-8")
        assert audit.read_backup_anchor(fake) is None, text
