"""Issue 15 item 13: each mistake gets its own clear words, never "internal error" and never
"the database is damaged" for a database that is not damaged.

Deeply nested JSON, a 5,000-digit number, year 9999 in ``deadlines``, a path under /proc,
``mysql://`` URLs and a database without its audit table were "internal error"; a directory
and a sound database in a read-only folder were "the database is damaged"; ``evaluate`` with
``on: 9999-12-31`` answered "eligible, age 8054". Dates are accepted from 1900 to 2100.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path
from string import Formatter
from typing import Any

import pytest

from mss_desk.i18n import t
from mss_desk.rules.iin import make_iin

ROOT = Path(__file__).resolve().parents[2]
MONDAY = "2026-03-02T10:00"
NEW_KEYS = (
    "date_out_of_range",
    "facts_too_large",
    "json_too_deep",
    "json_number_too_long",
    "db_unsupported",
    "db_bad_url",
    "db_system_path",
    "db_is_directory",
    "db_not_a_file",
    "db_unreadable",
    "db_not_sqlite",
    "db_folder_read_only",
    "db_no_audit",
    "db_table_missing",
)
NOT_THESE = ("internal error", "damaged", "ішкі қате", "внутренняя ошибка")


def words(key: str, lang: str = "en", **params: Any) -> str:
    return " ".join(t(f"cli.{key}", lang, **params).split())


def refused(r: Any, key: str, **params: Any) -> None:
    """Exit 1 with exactly the message of ``cli.<key>`` (``--json``, English)."""
    assert r.code == 1, r.out + r.err
    message = r.json["error"]
    assert not any(bad in message.lower() for bad in NOT_THESE), message
    assert message == words(key, **params)


def facts(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "institution": "elderly_general",
        "iin": make_iin(date(1945, 5, 9), "male"),
        "on": "2026-03-02",
        "needs_care": True,
        "relatives": "no_relatives",
    }
    base.update(over)
    return base


# --------------------------------------------------------------------------- the facts file


def test_deeply_nested_json(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "deep.json"
    path.write_text("[" * 20_000 + "]" * 20_000, encoding="utf-8")
    refused(cli("evaluate", str(path), "--json"), "json_too_deep", file=str(path))


def test_deeply_nested_json_on_stdin(cli) -> None:  # type: ignore[no-untyped-def]
    deep = '{"a":' * 5_000 + "1" + "}" * 5_000
    refused(cli("evaluate", "-", "--json", stdin=deep), "json_too_deep", file="stdin")


def test_a_5000_digit_number(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.json"
    path.write_text('{"institution": "elderly_general", "disability_group": ' + "9" * 5000 + "}")
    refused(
        cli("evaluate", str(path), "--json"),
        "json_number_too_long",
        file=str(path),
        limit=sys.get_int_max_str_digits(),
    )


def test_a_huge_facts_file(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(facts(relatives_reason="x" * 200_000)), encoding="utf-8")
    refused(cli("evaluate", str(path), "--json"), "facts_too_large", file=str(path), limit=64)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("on", "9999-12-31"),
        ("on", "1899-12-31"),
        ("on", "2101-01-01"),
        ("birth_date", "9999-01-01"),
    ],
)
def test_evaluate_dates_outside_1900_2100(cli, facts_file, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("evaluate", facts_file(facts(**{field: value})), "--json")
    refused(r, "date_out_of_range", what=field, value=value, first=1900, last=2100)
    human = cli("evaluate", facts_file(facts(**{field: value})), "--lang", "en")
    assert "8054" not in human.out + human.err and human.out == ""


def test_evaluate_a_birth_date_from_the_1800s(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    iin = make_iin(date(1890, 1, 1), "male")
    r = cli("evaluate", facts_file(facts(iin=iin)), "--json")
    refused(
        r, "date_out_of_range", what="birth date (IIN)", value="1890-01-01", first=1900, last=2100
    )


@pytest.mark.parametrize("on", ["1900-01-01", "2100-12-31"])
def test_evaluate_at_the_edges_of_the_range(cli, facts_file, on: str) -> None:  # type: ignore[no-untyped-def]
    iin = make_iin(date(1900, 1, 1), "female")
    r = cli("evaluate", facts_file(facts(iin=iin, on=on)), "--json")
    assert r.code == 0, r.out
    assert r.json["age"] == int(on[:4]) - 1900


# --------------------------------------------------------------------------- date arguments


@pytest.mark.parametrize(
    ("args", "what", "value"),
    [
        (["--accepted", "9999-12-31T10:00"], "--accepted", "9999-12-31"),
        (["--accepted", "1899-12-31T10:00"], "--accepted", "1899-12-31"),
        (
            ["--accepted", "2026-03-02T10:00", "--forwarded", "9999-12-31"],
            "--forwarded",
            "9999-12-31",
        ),
    ],
)
def test_deadlines_year_9999(cli, args: list[str], what: str, value: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("deadlines", *args, "--json")
    refused(r, "date_out_of_range", what=what, value=value, first=1900, last=2100)


@pytest.mark.parametrize("accepted", ["1900-01-01T10:00", "2100-12-31T10:00"])
def test_deadlines_at_the_edges(cli, accepted: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("deadlines", "--accepted", accepted, "--json")
    assert r.code == 0, r.out
    assert r.json["service_due"] > accepted[:10]


def test_every_date_argument_and_the_training_clock(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    db = str(tmp_path / "desk.sqlite3")
    assert cli("init", "--department", "19", "--db", db, "--json").code == 0
    r = cli("ticket", "list", "--date", "9999-12-31", "--db", db, "--json")
    refused(r, "date_out_of_range", what="--date", value="9999-12-31", first=1900, last=2100)
    r = cli("report", "--from", "1800-01-01", "--to", "2026-03-02", "--db", db, "--json")
    refused(r, "date_out_of_range", what="--from", value="1800-01-01", first=1900, last=2100)
    monkeypatch.setenv("MSS_DESK_NOW", "9999-12-31T10:00")
    r = cli("ticket", "issue", "--purpose", "submit", "--db", db, "--json")
    refused(r, "date_out_of_range", what="MSS_DESK_NOW", value="9999-12-31", first=1900, last=2100)


# --------------------------------------------------------------------------- the database


@pytest.fixture
def desk(tmp_path: Path, cli, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    path = tmp_path / "desk" / "desk.sqlite3"
    assert cli("init", "--department", "19", "--db", str(path), "--json").code == 0
    return path


@pytest.mark.parametrize("url", ["mysql://clerk:secret@db.local/desk", "mysql+pymysql://h/d",
                                 "foo://x", "postgresql+asyncpg://u@h/d", "sqlite+foo:///x.db"])
@pytest.mark.parametrize("command", [["cases"], ["init", "--department", "19"], ["backup"]])
def test_unsupported_database_urls(cli, url: str, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = cli("--db", url, *command, "--json")
    refused(r, "db_unsupported", url=url.replace(":secret@", ":***@"))
    assert "secret" not in r.out + r.err
    assert "only SQLite files and PostgreSQL URLs" in r.json["error"]


def test_unsupported_url_before_the_desk_starts(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("--db", "mysql://h/d", "run", "--lang", "en")
    assert r.code == 1 and "only SQLite files and PostgreSQL URLs" in r.err


@pytest.mark.parametrize("path", ["/proc/self/status", "/proc/1/desk.sqlite3", "/dev/null",
                                  "/sys/desk.sqlite3"])
@pytest.mark.parametrize(
    "command", [["cases"], ["init", "--department", "19"], ["audit", "verify"]]
)
def test_paths_under_proc(cli, monkeypatch, path: str, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    refused(cli("--db", path, *command, "--json"), "db_system_path", path=path)


@pytest.mark.parametrize("command", [["cases"], ["init", "--department", "19"], ["backup"]])
def test_a_directory(tmp_path: Path, cli, monkeypatch, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    refused(cli("--db", str(tmp_path), *command, "--json"), "db_is_directory", path=str(tmp_path))


@pytest.mark.parametrize(
    "content", [b"RIFF\x24\x08\x00\x00WAVEfmt ", b"%PDF-1.7\n", b"not a database at all", b"SQLite"]
)
def test_a_file_that_is_no_sqlite_database(tmp_path: Path, cli, content: bytes) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(content * 50)
    refused(cli("--db", str(path), "cases", "--json"), "db_not_sqlite", path=str(path))
    assert path.read_bytes() == content * 50  # nothing was written to it


def test_a_fifo(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "desk.sqlite3"
    os.mkfifo(path)
    refused(cli("--db", str(path), "cases", "--json"), "db_not_a_file", path=str(path))


@pytest.mark.parametrize(
    "command",
    [["cases"], ["audit", "verify"], ["ticket", "issue", "--purpose", "submit"]],
)
def test_a_database_without_its_audit_table(  # type: ignore[no-untyped-def]
    db_url: str, cli, monkeypatch, command: list[str]
) -> None:
    """SQLite and (with MSS_DESK_TEST_POSTGRES) PostgreSQL."""
    import sqlalchemy as sa

    from mss_desk.cli.context import safe_url, sqlite_path
    from mss_desk.store.engine import resolve_url

    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    assert cli("init", "--department", "19", "--db", db_url, "--json").code == 0
    engine = sa.create_engine(resolve_url(db_url))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "DROP TABLE audit_events" + ("" if db_url.startswith("sqlite") else " CASCADE")
            )
    finally:
        engine.dispose()
    url = resolve_url(db_url)
    where = sqlite_path(url) or safe_url(url)
    r = cli("--db", db_url, *command, "--json")
    refused(r, "db_no_audit", db=where, table="audit_events")


def test_a_missing_table_found_late_is_named(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A query that meets a missing table after the store opened: still no "internal error"."""
    import mss_desk.cli.parser as parser

    def broken(ctx: Any) -> int:
        raise RuntimeError("boom") from sqlite3.OperationalError("no such table: cases")

    monkeypatch.setattr(parser, "cmd_iin", broken)
    refused(cli("iin", "1", "--json"), "db_table_missing", table="cases")


def _drop_write_access() -> list[str] | None:
    """A command prefix that runs without the right to write a 0555 folder (root: drop
    CAP_DAC_OVERRIDE with setpriv), or None when this machine cannot do it."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_a_sound_database_in_a_read_only_folder(desk: Path) -> None:
    prefix = _drop_write_access()
    if prefix is None:
        pytest.skip("cannot drop write access here")
    folder = desk.parent
    folder.chmod(0o555)
    try:
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", f"open({str(folder / 'probe')!r}, 'w')"],
            capture_output=True,
        )
        if probe.returncode == 0:
            pytest.skip("the folder stays writable here")
        env = dict(os.environ, MSS_DESK_NOW=MONDAY)
        env.pop("MSS_DESK_DEBUG", None)
        for lang in ("en", "kk"):
            done = subprocess.run(
                [*prefix, sys.executable, "-m", "mss_desk", "--db", str(desk), "cases",
                 "--lang", lang],
                capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
            )
            assert done.returncode == 1
            assert "Traceback" not in done.stderr
            expected = words("db_folder_read_only", lang, path=str(desk), folder=str(folder))
            assert done.stderr == f"mss-desk: {expected}\n"
            assert not any(bad in done.stderr.lower() for bad in NOT_THESE)
    finally:
        folder.chmod(0o700)
    with sqlite3.connect(desk) as conn:  # the database is sound
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_unreadable_database_file(desk: Path) -> None:
    prefix = _drop_write_access()
    if prefix is None:
        pytest.skip("cannot drop read access here")
    desk.chmod(0o000)
    try:
        env = dict(os.environ, MSS_DESK_NOW=MONDAY)
        env.pop("MSS_DESK_DEBUG", None)
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "mss_desk", "--db", str(desk), "cases", "--json"],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
        )
        if done.returncode == 0:
            pytest.skip("the file stays readable here")
        assert done.returncode == 1 and "Traceback" not in done.stderr
        message = json.loads(done.stdout)["error"]
        assert message == words("db_unreadable", path=str(desk), reason="Permission denied")
    finally:
        desk.chmod(0o600)


def test_real_process_words_never_a_traceback(tmp_path: Path, proc) -> None:  # type: ignore[no-untyped-def]
    for args in (
        ["--db", "mysql://h/d", "cases"],
        ["--db", "/proc/1/x.db", "init", "--department", "19"],
        ["--db", str(tmp_path), "cases"],
        ["deadlines", "--accepted", "9999-12-31T10:00"],
    ):
        r = proc(*args, "--lang", "en", env={"MSS_DESK_NOW": MONDAY})
        assert r.code == 1, args
        assert "internal error" not in r.err and "damaged" not in r.err


# --------------------------------------------------------------------------- the catalogs

KAZAKH_LETTERS = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")


def _catalog(lang: str) -> dict[str, str]:
    """Each message as one text (a countable one: its forms joined)."""
    path = ROOT / "mss_desk" / "i18n" / lang / "cli.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8"))["cli"]
    return {
        key: " ".join(v for k, v in value.items() if k != "by")
        if isinstance(value, dict) and "by" in value
        else value
        for key, value in table.items()
    }


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_the_new_words_exist_in_every_language_with_the_same_fields() -> None:
    en, ru, kk = _catalog("en"), _catalog("ru"), _catalog("kk")
    for key in NEW_KEYS:
        assert _fields(ru[key]) == _fields(en[key]) == _fields(kk[key]), key
        assert ru[key] != en[key] and kk[key] != en[key] and kk[key] != ru[key], key


def test_kazakh_uses_real_kazakh_letters_not_look_alikes() -> None:
    kk = _catalog("kk")
    assert any(set(kk[key]) & KAZAKH_LETTERS for key in NEW_KEYS)
    for key in NEW_KEYS:
        for word in re.findall(r"\w+", re.sub(r"\{[^}]*\}", "", kk[key])):
            mixed = re.search("[A-Za-z]", word) and re.search("[\u0400-\u04ff]", word)
            assert not mixed, (key, word)
