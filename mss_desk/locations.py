"""Every directory the desk uses, resolved in one place (platformdirs)."""

from __future__ import annotations

import os
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
    """Create a directory readable by its owner only (personal data lives there)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
