"""What the desk knows before the database is open: the first paint needs no SQLAlchemy.

- :func:`surely_new_database`: no SQLite file yet and no backups beside it — the first run
  starts at the setup screen.
- :func:`cached_department_names` / :func:`remember_department_names`: the Department's name
  as last seen in this database (a tiny file), so the login screen shows it on its first
  paint; the App's start-up worker keeps it up to date.

Standard library only (and ``mss_desk.locations``): imported at start-up.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


def surely_new_database(db_url: str | None) -> bool:
    """No SQLite file yet: the first run starts at the setup screen (no SQLAlchemy asked).

    Issue 15, item 5: a missing file with backups of a desk beside it (``backups/``, names
    ``mss-desk-….sqlite3``) is not new but damaged — kill -9 during a restore left no file
    and the desk offered first-run setup. Then the login screen opens the store, which
    refuses it and offers the newest good backup (``screens.restore``).
    """
    url = db_url or os.environ.get("MSS_DESK_DATABASE") or ""
    if "://" in url and not url.startswith("sqlite:///"):
        return False
    if url.startswith("sqlite:///"):
        raw = url[len("sqlite:///") :].split("?", 1)[0]
        if not raw or raw == ":memory:":
            return False
        path = Path(raw)
    elif url:
        path = Path(url).expanduser()
    else:
        from mss_desk.locations import default_db_path

        path = default_db_path()
    try:
        os.stat(path)
    except FileNotFoundError:
        return not _has_backups(path)
    except OSError:
        return False  # out of this user's reach (issue 15, item 10): the store says so
    return False


def _has_backups(db: Path) -> bool:
    """Backups of a desk in ``backups/`` beside the database file (as ``store.backups``
    names them; the store checks them when it opens)."""
    folder = Path(os.path.abspath(db)).parent / "backups"
    try:
        return any(
            e.name.startswith("mss-desk-") and e.name.endswith(".sqlite3")
            for e in folder.iterdir()
        )
    except OSError:
        return False


def _names_file(db_url: str | None) -> Path:
    from mss_desk.locations import data_dir

    where = db_url or os.environ.get("MSS_DESK_DATABASE") or ""
    key = hashlib.sha256(where.encode()).hexdigest()[:16]
    return data_dir() / f"department-name-{key}.json"


def cached_department_names(db_url: str | None) -> dict[str, str]:
    """The Department's names as last seen in this database ({lang: name}; maybe empty):
    a tiny file, so the login screen shows them on its first paint without SQLAlchemy."""
    try:
        data = json.loads(_names_file(db_url).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def remember_department_names(db_url: str | None, dept: Any) -> None:
    """Keep the Department's names for the next start (any thread; a failure is harmless)."""
    if dept is None:
        return
    names = {"kk": str(dept.name_kk or ""), "ru": str(dept.name_ru or "")}
    file = _names_file(db_url)
    try:
        private = file.stat().st_mode & 0o077 == 0
    except OSError:
        private = False
    if private and names == cached_department_names(db_url):
        return
    from mss_desk.locations import write_private_text

    try:  # the public name of the Department; still 0600 in a 0700 folder (issue 15, item 14)
        write_private_text(file, json.dumps(names, ensure_ascii=False))
    except OSError:
        pass


class StartJobs:
    """Jobs for the App's thread once its first screen is painted (safe from any thread):
    work that can wait until the clerk already sees the desk."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = False
        self._jobs: list[Callable[[], Any]] = []

    def keep(self, job: Callable[[], Any]) -> bool:
        """Keep ``job`` for later; False once started (the caller runs it now)."""
        with self._lock:
            if not self._started:
                self._jobs.append(job)
                return True
        return False

    def started(self) -> list[Callable[[], Any]]:
        """The first paint is done: the jobs kept so far (later ones run at once)."""
        with self._lock:
            self._started = True
            jobs, self._jobs = self._jobs, []
        return jobs
