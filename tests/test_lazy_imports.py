"""Start-up stays light: the app and its login screen import no SQLModel, SQLAlchemy or
ReportLab (DESIGN trap: importing them at start-up doubled the start time, +0.34 s and
+35 MiB). Checked in a fresh interpreter, as ``mss-desk`` starts.

``benchmarks/bench_startup.py`` measures the time and memory this buys; this test keeps it
from regressing in the normal suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sqlmodel", "sqlalchemy", "reportlab")

PROBE = r"""
import json, sys
import mss_desk.app
import screens.login
from mss_desk.app import MssDeskApp
app = MssDeskApp(db_url=sys.argv[1])
{extra}
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2].split(",")))
print(json.dumps(heavy))
"""


def _heavy_after(tmp_path: Path, extra: str = "") -> list[str]:
    env = dict(os.environ)
    env["MSS_DESK_DATA_DIR"] = str(tmp_path / "data")
    env["MSS_DESK_CONFIG_DIR"] = str(tmp_path / "config")
    env.pop("MSS_DESK_DATABASE", None)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.replace("{extra}", extra),
            str(tmp_path / "desk.sqlite3"),
            ",".join(HEAVY),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_app_and_login_screen_import_no_orm_and_no_reportlab(tmp_path: Path) -> None:
    assert _heavy_after(tmp_path) == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("import mss_desk.store.models", ["sqlalchemy", "sqlmodel"]),
        ("import mss_desk.paper.talon", ["reportlab"]),
    ],
)
def test_the_probe_sees_a_heavy_import(tmp_path: Path, extra: str, expected: list[str]) -> None:
    """The check can fail: the same probe, after a module that does pull them in."""
    assert _heavy_after(tmp_path, extra) == expected


# issue 12 point 15: the desk started with no command (``mss-desk --db FILE``) builds no
# command-line parser (argparse, every command's module, the catalog's dataclasses)
DESK_START_PROBE = r"""
import json, sys
import mss_desk.cli
args = mss_desk.cli._parse(sys.argv[2:])
import mss_desk.app
import screens.login
from mss_desk.app import MssDeskApp
app = MssDeskApp(db_url=sys.argv[1])
light = ("argparse", "mss_desk.cli.parser", "mss_desk.catalog")
print(json.dumps(sorted(m for m in light if m in sys.modules)))
"""


def _start_imports(tmp_path: Path, *argv: str) -> list[str]:
    env = dict(os.environ)
    env["MSS_DESK_DATA_DIR"] = str(tmp_path / "data")
    env["MSS_DESK_CONFIG_DIR"] = str(tmp_path / "config")
    out = subprocess.run(
        [sys.executable, "-c", DESK_START_PROBE, str(tmp_path / "desk.sqlite3"), *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_desk_started_with_no_command_builds_no_parser(tmp_path: Path) -> None:
    assert _start_imports(tmp_path, "--db", str(tmp_path / "desk.sqlite3")) == []


def test_the_start_probe_sees_the_parser(tmp_path: Path) -> None:
    """The check can fail: a command line with a command builds the parser."""
    assert _start_imports(tmp_path, "run") == [
        "argparse",
        "mss_desk.catalog",
        "mss_desk.cli.parser",
    ]


# the desk as installed (bytecode and the parsed catalogs kept) with no config file reads
# no TOML on its way to the login: tomllib is pure Python and not imported at all
TOML_PROBE = r"""
import json, sys
import mss_desk.cli
from mss_desk.config import load_settings
from mss_desk.i18n import t
settings = load_settings(database=None, language=None, department=None)
t("ui.login.title", settings.language)
print(json.dumps("tomllib" in sys.modules))
"""


def _reads_toml(tmp_path: Path) -> bool:
    env = dict(os.environ)
    env["MSS_DESK_DATA_DIR"] = str(tmp_path / "data")
    env["MSS_DESK_CONFIG_DIR"] = str(tmp_path / "config")
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("MSS_DESK_CONFIG", None)
    out = subprocess.run(
        [sys.executable, "-c", TOML_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return bool(json.loads(out.stdout.strip().splitlines()[-1]))


def test_a_desk_with_its_catalogs_kept_imports_no_toml_parser(tmp_path: Path) -> None:
    assert _reads_toml(tmp_path) is True  # the first start parses and keeps the catalogs
    assert _reads_toml(tmp_path) is False  # every later one reads them back


def test_a_config_file_is_still_read(tmp_path: Path) -> None:
    """The check can fail: with a config file the parser is imported."""
    (tmp_path / "config").mkdir()
    _reads_toml(tmp_path)
    (tmp_path / "config" / "config.toml").write_text('language = "ru"\n', encoding="utf-8")
    assert _reads_toml(tmp_path) is True


# issue 12 point 15, as the clerk starts it: ``python -m mss_desk --db FILE`` on a real
# terminal, with bytecode (and so the kept CSS, ``screens.kept_css``) written by an earlier
# start. At the login's first frame nothing below is imported and no CSS was tokenized.
NOT_BEFORE_LOGIN = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "pydantic",
    "babel",
    "holidays",
    "reportlab",
    "pyrage",
    "cryptography",
    "tomllib",
    "argparse",
    "mss_desk.store",
    "mss_desk.services",
    "mss_desk.catalog",
    "mss_desk.rules",
    "screens.home",
    "screens.setup",
)

FIRST_FRAME_PROBE = r"""
import json, os, runpy, sys
out, marker = sys.argv[1], sys.argv[2]
{extra}
import textual.css.stylesheet as stylesheet
import textual.drivers.linux_driver as linux_driver
tokenized = []
real_parse = stylesheet.parse
def parse(scope, css, *args, **kwargs):
    tokenized.append(len(css))
    return real_parse(scope, css, *args, **kwargs)
stylesheet.parse = parse
real_write = linux_driver.LinuxDriver.write
def write(self, data):
    if marker in data and not os.path.exists(out):
        with open(out, "w") as fh:
            json.dump({"modules": sorted(sys.modules), "tokenized": len(tokenized)}, fh)
    return real_write(self, data)
linux_driver.LinuxDriver.write = write
sys.argv = ["mss_desk", *sys.argv[3:]]
runpy.run_module("mss_desk", run_name="__main__", alter_sys=True)
"""


def _at_first_frame(tmp_path: Path, extra: str = "") -> list[dict[str, object]]:
    """Two starts of the desk to its login screen (the first writes the bytecode): what
    each had imported, and how many CSS sources it tokenized, at the first frame."""
    from benchmarks.bench_startup import LOGIN_MARKER, desk_env, prepare_desk
    from benchmarks.ptyharness import spawn

    db = prepare_desk(tmp_path)
    env = desk_env(tmp_path) | {
        "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache"),
        "PYTHONDONTWRITEBYTECODE": "",
    }
    probe = tmp_path / "probe.py"
    probe.write_text(FIRST_FRAME_PROBE.replace("{extra}", extra), encoding="utf-8")
    seen = []
    for start in (1, 2):
        out = tmp_path / f"frame{start}.json"
        session = spawn(
            [sys.executable, str(probe), str(out), LOGIN_MARKER, "--db", str(db)], env=env
        )
        try:
            session.read_until(LOGIN_MARKER.encode(), timeout=60)
        finally:
            session.close()
        seen.append(json.loads(out.read_text(encoding="utf-8")))
    return seen


def _heavy(modules: object) -> list[str]:
    names = set(modules) if isinstance(modules, list) else set()
    return sorted(
        heavy
        for heavy in NOT_BEFORE_LOGIN
        if any(name == heavy or name.startswith(heavy + ".") for name in names)
    )


def test_the_login_first_frame_imports_nothing_heavy_and_tokenizes_no_css(
    tmp_path: Path,
) -> None:
    first, second = _at_first_frame(tmp_path)
    assert "screens.login" in second["modules"]  # type: ignore[operator]
    # the first start parses the message catalogs (TOML) and keeps them, as the CSS
    assert _heavy(first["modules"]) in ([], ["tomllib"])
    assert _heavy(second["modules"]) == []
    assert first["tokenized"] != 0  # the first start parses the CSS and keeps it
    assert second["tokenized"] == 0  # every later one takes it from the kept file


def test_the_first_frame_probe_sees_a_heavy_import(tmp_path: Path) -> None:
    """The check can fail: the same probe, with the ORM imported before the desk starts."""
    _, second = _at_first_frame(tmp_path, extra="import mss_desk.store.models")
    assert {"sqlalchemy", "sqlmodel", "mss_desk.store"} <= set(_heavy(second["modules"]))
