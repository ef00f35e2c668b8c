"""The command line's contract: exit codes 0/1/2, one JSON value, one line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.cli.conftest import ROOT

VALID_MAN = "450509300019"  # 9 May 1945, male
VALID_WOMAN = "500315400013"  # 15 March 1950, female


def test_iin_json_shape(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("iin", VALID_MAN, "--json")
    assert r.code == 0
    assert r.json == {"valid": True, "birth_date": "1945-05-09", "sex": "male"}
    r = cli("iin", VALID_WOMAN, "--json")
    assert r.json == {"valid": True, "birth_date": "1950-03-15", "sex": "female"}


def test_options_before_or_after_the_command(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("--json", "iin", VALID_MAN).json["sex"] == "male"
    assert cli("--json", "--lang", "ru", "iin", VALID_MAN).json["sex"] == "male"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("kk", ["ЖСН", "09.05.1945", "ер"]),
        ("ru", ["ИИН", "09.05.1945", "мужской"]),
        ("en", ["IIN", "09.05.1945", "male"]),
    ],
)
def test_iin_human_in_each_language(cli, lang: str, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = cli("--lang", lang, "iin", VALID_MAN)
    assert r.code == 0 and r.err == ""
    assert len(r.out.splitlines()) == 1
    for word in words:
        assert word in r.out


def test_default_language_comes_from_the_settings(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_LANGUAGE", "ru")
    assert "ИИН" in cli("iin", VALID_MAN).out
    monkeypatch.setenv("MSS_DESK_LANGUAGE", "kk")
    assert "ЖСН" in cli("iin", VALID_MAN).out


@pytest.mark.parametrize(
    ("iin", "fragment"),
    [
        ("123", "12"),  # length
        ("45050930001x", "digit"),  # not digits
        ("450509300018", "control"),  # checksum
        ("451309300019", "date"),  # month 13
        ("450509700019", "centur"),  # century digit 7
    ],
)
def test_invalid_iin_exit_1_json_error(cli, iin: str, fragment: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("iin", iin, "--json")
    assert r.code == 1
    body = r.json
    assert set(body) == {"error"}
    assert fragment in body["error"].lower()


def test_invalid_iin_human_is_one_line_on_stderr(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("--lang", "ru", "iin", "450509300018")
    assert r.code == 1 and r.out == ""
    assert len(r.err.splitlines()) == 1 and "ИИН" in r.err


@pytest.mark.parametrize(
    "argv",
    [
        ["iin"],  # missing argument
        ["iin", "1", "2"],  # extra argument
        ["bogus"],  # unknown command
        ["deadlines"],  # --accepted required
        ["ticket"],  # no action
        ["ticket", "issue", "--purpose", "lunch"],  # bad choice
        ["clerk"],
        ["--lang", "de", "iin", VALID_MAN],
        ["iin", VALID_MAN, "--frobnicate"],
    ],
)
def test_usage_errors_exit_2(cli, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = cli(*argv)
    assert r.code == 2 and r.out == ""
    assert len(r.err.splitlines()) == 1 and r.err.startswith("mss-desk")
    r = cli(*argv, "--json")
    assert r.code == 2
    assert set(r.json) == {"error"}


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("--version")
    assert r.code == 0 and r.out.startswith("mss-desk ")
    assert cli("--version", "--json").json["version"]


def test_help_exits_0(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("--help")
    assert r.code == 0 and "evaluate" in r.out and "deadlines" in r.out


def test_unexpected_exception_is_internal_error_not_traceback(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import mss_desk.rules.iin as iin_mod

    def boom(text: str) -> None:
        raise ZeroDivisionError("secret 450509300019")

    monkeypatch.setattr(iin_mod, "parse_iin", boom)
    r = cli("iin", VALID_MAN, "--json")
    assert r.code == 1
    assert "internal error" in r.json["error"]
    assert "450509300019" not in r.out + r.err
    r = cli("--lang", "en", "iin", VALID_MAN)
    assert r.code == 1 and "Traceback" not in r.err and len(r.err.splitlines()) == 1


def test_debug_log_only_when_asked(cli, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    from pathlib import Path

    import mss_desk.rules.iin as iin_mod

    def boom(text: str) -> None:
        raise ZeroDivisionError(f"boom {text}")

    monkeypatch.setattr(iin_mod, "parse_iin", boom)
    log = Path(os.environ["MSS_DESK_DATA_DIR"]) / "debug.log"
    monkeypatch.delenv("MSS_DESK_DEBUG", raising=False)
    cli("iin", VALID_MAN)
    assert not log.exists()
    monkeypatch.setenv("MSS_DESK_DEBUG", "1")
    cli("iin", VALID_MAN)
    text = log.read_text(encoding="utf-8")
    assert "ZeroDivisionError" in text
    assert VALID_MAN not in text  # no IIN in the log, even from an exception's message
    assert (log.stat().st_mode & 0o777) == 0o600


def test_real_process_exit_codes() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mss_desk", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )

    ok = run("iin", VALID_MAN, "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["birth_date"] == "1945-05-09"
    bad = run("iin", "450509300018", "--json")
    assert bad.returncode == 1 and "error" in json.loads(bad.stdout)
    usage = run("iin", "--json")
    assert usage.returncode == 2 and "error" in json.loads(usage.stdout)
    for done in (ok, bad, usage):
        assert "Traceback" not in done.stderr


HEAVY = ("sqlmodel", "sqlalchemy", "reportlab", "textual", "alembic", "holidays", "babel")


def test_importing_the_cli_stays_light() -> None:
    code = (
        "import sys, mss_desk.cli; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_iin_command_does_not_touch_the_database_layer() -> None:
    code = (
        "import sys; from mss_desk.cli import main; main(['iin', '450509300019', '--json']); "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_every_message_key_the_cli_uses_exists() -> None:
    import re

    from mss_desk.i18n import LANGS, has

    rooms = sorted((ROOT / "mss_desk" / "cli").glob("*.py"))  # the CLI package
    source = "".join(path.read_text(encoding="utf-8") for path in rooms)
    source += (ROOT / "mss_desk" / "demo.py").read_text(encoding="utf-8")
    source += (ROOT / "mss_desk" / "config.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'"(cli\.[a-z_.]+[a-z_])"', source))
    assert len(keys) > 15
    prefixes = {k for k in keys if not has(k, "en")}  # built as prefix + word
    for prefix in prefixes:
        assert prefix.endswith("."), prefix
    for lang in LANGS:
        assert all(has(k, lang) for k in keys - prefixes), lang
    for group, words in {
        "cli.purpose.": ("submit", "collect", "consult"),
        "cli.ticket_status.": ("waiting", "called", "served", "no_show"),
        "cli.sex.": ("male", "female"),
    }.items():
        for lang in LANGS:
            assert all(has(group + w, lang) for w in words)
    from mss_desk.cli.values import CASE_STATUSES

    for lang in LANGS:
        assert all(has("cli.case_status." + s, lang) for s in CASE_STATUSES)
