"""``mss-desk backup``, ``mss-desk restore FILE``, ``mss-desk audit verify`` (in-process)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mss_desk.cli import main

from .conftest import NOW
from .helpers import damage_pages


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database per module (the demo takes seconds); each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "desk.sqlite3"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MSS_DESK_NOW", NOW)
        mp.setenv("MSS_DESK_DATA_DIR", str(path.parent / "data"))
        mp.setenv("MSS_DESK_CONFIG_DIR", str(path.parent / "config"))
        mp.delenv("MSS_DESK_DATABASE", raising=False)
        assert main(["demo", "--db", str(path), "--department", "19", "--json"]) == 0
    return path


@pytest.fixture
def db(tmp_path: Path, demo_template: Path) -> str:
    path = tmp_path / "office" / "desk.sqlite3"
    path.parent.mkdir()
    src = sqlite3.connect(demo_template)
    dst = sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return str(path)


def _cases(run, db: str) -> list[str]:  # type: ignore[no-untyped-def]
    code, data = run("cases", "--db", db, "--json")
    assert code == 0
    rows = data["cases"] if isinstance(data, dict) else data
    return sorted(str(r.get("case_no")) for r in rows)


def test_backup_damage_restore_from_the_command_line(db: str, run) -> None:  # type: ignore[no-untyped-def]
    before = _cases(run, db)
    assert before
    code, data = run("backup", "--db", db, "--json")
    assert code == 0
    backup = Path(data["backup"])
    assert backup.parent == Path(db).parent / "backups"
    assert backup.name == "mss-desk-20260302T050000Z-manual.sqlite3"  # 10:00 Almaty = 05:00Z
    damage_pages(Path(db))
    code, data = run("cases", "--db", db, "--json")
    assert code == 1 and data["error"]  # refused: damaged, never written
    code, data = run("restore", str(backup), "--db", db, "--json")
    assert code == 0
    assert data["restored_from"] == str(backup) and data["moved_aside"]
    assert _cases(run, db) == before


def test_restore_refuses_a_bad_file_with_one_line(db: str, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"x" * 5000)
    code, out = run("restore", str(junk), "--db", db, "--lang", "en")
    assert code == 1
    assert "is damaged" in out and "nothing was restored" in out and len(out.splitlines()) == 1
    code, data = run("restore", str(tmp_path / "none.sqlite3"), "--db", db, "--json")
    assert code == 1 and "No such backup file" in data["error"]


def test_audit_verify_ok_then_tampered(db: str, run) -> None:  # type: ignore[no-untyped-def]
    code, data = run("audit", "verify", "--db", db, "--json")
    assert code == 0 and data["ok"] is True and data["count"] > 0
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER audit_events_no_update")
        conn.execute("UPDATE audit_events SET detail = 'forged' WHERE id = 3")
    code, data = run("audit", "verify", "--db", db, "--json")
    assert code == 1
    assert (data["ok"], data["first_broken"], data["reason"]) == (False, 3, "hash")
    code, out = run("audit", "verify", "--db", db, "--lang", "ru")
    assert code == 1 and "3" in out and "нарушена" in out


def test_audit_without_an_action_is_a_usage_error(db: str, run) -> None:  # type: ignore[no-untyped-def]
    code, _ = run("audit", "--db", db)
    assert code == 2


def test_the_desk_start_takes_the_daily_backup_in_the_background(db: str) -> None:
    from types import SimpleNamespace

    from mss_desk.cli import tui
    from mss_desk.clock import FixedClock, parse_local
    from mss_desk.config import Settings
    from mss_desk.store.backups import list_backups

    clock = FixedClock(parse_local(NOW, __import__("zoneinfo").ZoneInfo("Asia/Almaty")))
    ctx = SimpleNamespace(
        db_url=lambda: f"sqlite:///{db}", settings=Settings(backup_keep=3), clock=lambda: clock
    )
    tui.auto_backup_in_background(ctx).join()  # type: ignore[arg-type]
    tui.auto_backup_in_background(ctx).join()  # type: ignore[arg-type]  # same day: no second
    got = list_backups(Path(db).parent / "backups")
    assert [(b.kind, b.path.name) for b in got] == [
        ("auto", "mss-desk-20260302T050000Z-auto.sqlite3")
    ]
