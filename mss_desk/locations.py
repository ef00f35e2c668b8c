"""Every directory the desk uses, resolved in one place (platformdirs)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import platformdirs

APP = "mss-desk"


def data_dir() -> Path:
    """Per-user data dir: the SQLite file, backups, printed PDFs."""
    override = os.environ.get("MSS_DESK_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    override = os.environ.get("MSS_DESK_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "mss-desk.sqlite3"


def backups_dir() -> Path:
    return data_dir() / "backups"


def keys_dir() -> Path:
    """The desk's private exchange keys (issue 14, ``exchange.keys``): 0700, files 0600."""
    return data_dir() / "keys"


def paper_dir() -> Path:
    """Where printed PDFs go unless the settings name another folder."""
    return data_dir() / "paper"


def reference_data_dir() -> Path:
    """The TOML reference data: in an installed wheel (mss_desk/data) or the checkout's data/."""
    here = Path(__file__).resolve().parent
    installed = here / "data"
    if installed.is_dir():
        return installed
    return here.parent / "data"


def ensure_private_dir(path: Path) -> Path:
    """Create a directory readable by its owner only (personal data lives there).

    Every missing folder on the way is created 0700 too (issue 15, item 14): ``mkdir(parents=
    True, mode=0o700)`` gives the mode to the last folder only, so the paper folder made
    first created the data folder 0755. (The XDG base-directory rules ask for 0700 for a
    folder the application creates.) A folder that exists is left as it is.
    """
    path = Path(path)
    missing: list[Path] = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)  # the umask may narrow it, never widen it
        except FileExistsError:  # another desk made it meanwhile
            pass
    if not path.is_dir():
        raise NotADirectoryError(f"not a folder: {path}")
    return path


def ensure_data_dir() -> Path:
    """The data folder, created 0700; an existing one loses any "other" permission bits.

    Issue 15, item 14: the docs promise 0700 (operations.md §2, §3). A group-shared folder
    (2770, several clerks) keeps its group bits; nobody else ever reads personal data.
    """
    path = ensure_private_dir(data_dir())
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o007:
            os.chmod(path, mode & ~0o007)
    except OSError:  # not ours (root's shared folder): its owner decides
        pass
    return path


def write_private_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` as a 0600 file, atomically; the folder is created
    0700 (:func:`ensure_private_dir`). An existing file is replaced, so a file left 0644 by
    an older desk becomes 0600.

    For the desk's small files in the data folder (``department-name-*.json``: issue 15,
    item 14 — it was written 0644 with ``Path.write_text``).
    """
    import tempfile

    path = Path(path)
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp creates the file 0600
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
