"""Issue 15, item 10: the desk runs as its own system user; clerks never touch its files.

docs/operations.md §3: a system user (``mssdesk``) owns the data folder (0700) and the
database and backups (0600); a clerk's SSH login runs only
``sudo -u mssdesk /opt/mss-desk/bin/mss-desk`` (``ForceCommand`` and one sudoers line). In
the old group setup every clerk could write the database file, so ``clerk add --role
admin``, ``restore`` and ``cases --json`` worked for anyone at a shell.

This test does it for real with two throwaway system users (removed afterwards): a desk
user that owns a fresh desk, and a clerk user at a shell. The clerk can neither read nor
write the files nor run the administrator's commands against them — the command line
answers in words, exit 1, no traceback — while the same commands run through the desk
user (``runuser -u``, the stand-in for ``sudo -u``) work. Root only (CI runs as root);
skipped with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mss_desk.i18n import t

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-03-02T10:00"
PASSWORD = "steppe wind 2026"
NOT_THESE = ("traceback", "internal error", "damaged", "ішкі қате", "внутренняя ошибка")

RUNUSER = shutil.which("runuser")
USERADD = shutil.which("useradd")
USERDEL = shutil.which("userdel")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not hasattr(os, "geteuid") or os.geteuid() != 0,
        reason="needs root: it creates throwaway system users (CI runs the tests as root)",
    ),
    pytest.mark.skipif(
        None in (RUNUSER, USERADD, USERDEL),
        reason="needs useradd, userdel and runuser (util-linux) to run the desk as its own user",
    ),
]


@dataclass
class Setup:
    base: Path  # 0755, root's: both users can reach what is inside
    data: Path  # the desk user's data folder, 0700
    db: Path
    desk: str
    clerk: str
    python: str
    pythonpath: str

    def env(self, user: str) -> list[str]:
        home = self.base / f"home-{user}"
        return [
            "env", "-i",
            "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
            f"HOME={home}",
            f"PYTHONPATH={self.pythonpath}",
            "PYTHONDONTWRITEBYTECODE=1",
            f"MSS_DESK_NOW={NOW}",
            f"MSS_DESK_CONFIG_DIR={home}/config",
            f"MSS_DESK_DATA_DIR={home}/data",
            "LANG=C.UTF-8",
        ]

    def mss(self, user: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        """``mss-desk ARGS`` as the Unix user ``user`` (root → runuser: no password, like
        the sudoers line of operations.md §3 for the desk user)."""
        cmd = [
            str(RUNUSER), "-u", user, "--", *self.env(user),
            self.python, "-m", "mss_desk", "--db", str(self.db), *args,
        ]
        return subprocess.run(
            cmd, input=stdin, capture_output=True, text=True, timeout=120, cwd=self.base
        )


def _reachable_by(user: str, path: Path) -> bool:
    done = subprocess.run(
        [str(RUNUSER), "-u", user, "--", "test", "-r", str(path), "-a", "-x", str(path)],
        capture_output=True,
    )
    return done.returncode == 0


def _python_for(user: str, pythonpath: str) -> str | None:
    """An interpreter the user can run that imports the desk from ``pythonpath``: this one,
    or the system's of the same version (this one may live under root's 0700 home)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [sys.executable, getattr(sys, "_base_executable", "")]
    candidates += [f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    probe = (
        "import sys, sqlalchemy, sqlmodel, alembic, mss_desk.cli; "
        f"assert sys.version_info[:2] == {sys.version_info[:2]!r}"
    )
    for python in dict.fromkeys(c for c in candidates if c and os.path.exists(c)):
        done = subprocess.run(
            [str(RUNUSER), "-u", user, "--", "env", "-i", f"PYTHONPATH={pythonpath}",
             python, "-c", probe],
            capture_output=True, timeout=60,
        )
        if done.returncode == 0:
            return python
    return None


def _source_for(user: str, base: Path) -> str:
    """The desk's source, where the user can read it: the checkout itself, or a copy."""
    if _reachable_by(user, ROOT / "mss_desk") and _reachable_by(user, ROOT / "data"):
        return str(ROOT)
    copy = base / "src"
    for part in ("mss_desk", "screens", "widgets", "data"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(["chmod", "-R", "a+rX", str(copy)], check=True)
    return str(copy)


@pytest.fixture(scope="module")
def setup() -> Iterator[Setup]:
    tag = f"{os.getpid() % 100_000}"
    desk, clerk = f"mssdt-desk{tag}", f"mssdt-clerk{tag}"
    made: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="mss-desk-user-"))
    try:
        base.chmod(0o755)
        for user in (desk, clerk):
            subprocess.run(
                [str(USERADD), "--system", "--no-create-home", "--home-dir", "/nonexistent",
                 "--shell", "/usr/sbin/nologin", "--user-group", user],
                check=True, capture_output=True,
            )
            made.append(user)
            home = base / f"home-{user}"
            home.mkdir(mode=0o700)
            shutil.chown(home, user, user)
        data = base / "desk"
        data.mkdir(mode=0o700)
        shutil.chown(data, desk, desk)
        site = sysconfig.get_paths()["purelib"]
        platsite = sysconfig.get_paths()["platlib"]
        if not (_reachable_by(desk, Path(site)) and _reachable_by(desk, Path(platsite))):
            pytest.skip(f"the desk user cannot read the installed packages in {site}")
        pythonpath = os.pathsep.join(dict.fromkeys([_source_for(desk, base), site, platsite]))
        python = _python_for(desk, pythonpath)
        if python is None:
            pytest.skip(
                f"no Python {sys.version_info.major}.{sys.version_info.minor} that a system "
                f"user can run (this one, {sys.executable}, lies in a folder closed to others)"
            )
        yield Setup(base, data, data / "desk.sqlite3", desk, clerk, python, pythonpath)
    finally:
        for user in made:
            subprocess.run([str(USERDEL), user], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def desk(setup: Setup) -> Setup:
    """A desk initialised by the desk user, with a head and a backup."""
    r = setup.mss(setup.desk, "init", "--department", "19", "--json")
    assert r.returncode == 0, r.stderr
    r = setup.mss(setup.desk, "clerk", "add", "--username", "aigerim", "--surname", "Сейітова",
                  "--name", "Әйгерім", "--role", "head", "--password-stdin", "--json",
                  stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    r = setup.mss(setup.desk, "backup", "--json")
    assert r.returncode == 0, r.stderr
    return setup


def _backup(s: Setup) -> Path:
    (found,) = [p for p in (s.data / "backups").glob("mss-desk-*-manual.sqlite3")]
    return found


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_the_desk_users_files_are_its_own(desk: Setup) -> None:
    """0700 folders, 0600 files, all owned by the desk user: nothing for group or others."""
    import pwd

    uid = pwd.getpwnam(desk.desk).pw_uid
    backups = desk.data / "backups"
    assert _mode(desk.data) == 0o700 and _mode(backups) == 0o700
    files = [p for p in desk.data.rglob("*") if p.is_file()]
    assert desk.db in files and _backup(desk) in files
    for path in [desk.data, backups, *files]:
        assert path.stat().st_uid == uid, path
        assert path.stat().st_mode & 0o077 == 0, (path, oct(_mode(path)))


def test_the_clerk_cannot_touch_the_files(desk: Setup) -> None:
    for path in (desk.db, _backup(desk)):
        for check in ("-r", "-w"):
            done = subprocess.run(
                [str(RUNUSER), "-u", desk.clerk, "--", "test", check, str(path)],
                capture_output=True,
            )
            assert done.returncode != 0, (check, path)
        done = subprocess.run(
            [str(RUNUSER), "-u", desk.clerk, "--", "cp", str(path), str(desk.base / "stolen")],
            capture_output=True,
        )
        assert done.returncode != 0 and not (desk.base / "stolen").exists()


def _refused_in_words(r: subprocess.CompletedProcess[str], s: Setup) -> str:
    """Exit 1, one clear message that the file cannot be read (never a traceback, never
    "internal error" or "damaged"): the message."""
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    text = r.stdout + r.stderr
    assert not any(bad in text.lower() for bad in NOT_THESE), text
    return text


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["cases", "--json"], ""),
        (["clerk", "add", "--username", "eve", "--surname", "Ева", "--name", "Ева",
          "--role", "admin", "--password-stdin", "--json"], PASSWORD + "\n"),
        (["audit", "verify", "--json"], ""),
        (["backup", "--json"], ""),
    ],
    ids=["cases", "clerk-add-admin", "audit-verify", "backup"],
)
def test_the_clerk_is_refused_at_the_command_line(
    desk: Setup, args: list[str], stdin: str
) -> None:
    before = desk.db.read_bytes()
    r = desk.mss(desk.clerk, *args, stdin=stdin)
    _refused_in_words(r, desk)
    message = json.loads(r.stdout)["error"]
    expected = t("cli.db_unreadable", "en", path=str(desk.db), reason="Permission denied")
    assert message == " ".join(expected.split())
    assert desk.db.read_bytes() == before


def test_the_clerk_cannot_restore(desk: Setup) -> None:
    before = desk.db.read_bytes()
    r = desk.mss(desk.clerk, "restore", str(_backup(desk)), "--force", "x", "--json")
    _refused_in_words(r, desk)
    assert "Permission denied" in json.loads(r.stdout)["error"]
    # nor with a file of their own: the database itself is out of reach
    own = desk.base / f"home-{desk.clerk}" / "mine.sqlite3"
    shutil.copy(_backup(desk), own)
    shutil.chown(own, desk.clerk, desk.clerk)
    r = desk.mss(desk.clerk, "restore", str(own), "--force", "x", "--json")
    _refused_in_words(r, desk)
    assert desk.db.read_bytes() == before


def test_the_clerk_sees_words_in_kazakh_too(desk: Setup) -> None:
    r = desk.mss(desk.clerk, "cases", "--lang", "kk")
    text = _refused_in_words(r, desk)
    assert text.startswith("mss-desk: ") and str(desk.db) in text
    assert text.strip() == "mss-desk: " + " ".join(
        t("cli.db_unreadable", "kk", path=str(desk.db), reason="Permission denied").split()
    )


def test_through_the_desk_user_everything_works(desk: Setup) -> None:
    """The one door: the same commands as the desk's own user (``sudo -u mssdesk``)."""
    r = desk.mss(desk.desk, "cases", "--json")
    assert r.returncode == 0, r.stderr
    r = desk.mss(desk.desk, "audit", "verify", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["ok"], r.stdout
    r = desk.mss(desk.desk, "clerk", "add", "--username", "nurlan", "--surname", "Оспанов",
                 "--name", "Нұрлан", "--password-stdin", "--json", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["username"] == "nurlan"
    r = desk.mss(desk.desk, "restore", str(_backup(desk)), "--force", "test: back to the start",
                 "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    # what the desk user made stays its own (the pre-restore backup too)
    for path in desk.data.rglob("*"):
        assert path.stat().st_mode & 0o077 == 0, (path, oct(_mode(path)))
