"""Settings of one desk installation.

Three layers, later ones win:

1. the file ``config.toml`` in :func:`mss_desk.locations.config_dir` (or the file named by
   ``MSS_DESK_CONFIG``), a flat TOML table whose keys are the field names below;
2. environment variables ``MSS_DESK_<FIELD NAME IN CAPITALS>`` (e.g. ``MSS_DESK_DATABASE``,
   ``MSS_DESK_TIMEZONE``, ``MSS_DESK_IDLE_LOCK_MINUTES``, ``MSS_DESK_DEPARTMENT``);
3. the command line (``--db``, ``--lang``, ``--department``).

A broken file or value raises :class:`ConfigError` naming the file (or variable), the key and
the reason — the desk never starts on a half-understood configuration.

This module is imported at start-up: stdlib only, nothing heavy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from mss_desk.errors import DeskError

ENV_PREFIX = "MSS_DESK_"
LANGS = ("kk", "ru", "en")
TALON_LAYOUTS = ("a6", "roll80")


class ConfigError(DeskError):
    """The settings file or an ``MSS_DESK_*`` variable cannot be understood."""

    key = "cli.config_broken"

    def __init__(self, source: str, where: str, reason: str) -> None:
        super().__init__(f"{source}: {where}: {reason}", source=source, where=where, reason=reason)
        self.source, self.where, self.reason = source, where, reason


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True)
class Settings:
    """What one installation may change without touching the code.

    Every field is documented in its ``metadata["doc"]`` (``mss-desk config`` help and
    docs/operations.md are generated from it).
    """

    database: str | None = field(
        default=None,
        metadata=_doc(
            "Database URL (sqlite:///…, postgresql+psycopg://…) or a bare file path (SQLite). "
            "Empty: mss-desk.sqlite3 in the data directory. --db and MSS_DESK_DATABASE win."
        ),
    )
    department: int | None = field(
        default=None,
        metadata=_doc(
            "This desk's Department (Annex 1 code). Needed when the database holds several "
            "Departments (PostgreSQL); empty: the database's only Department. "
            "--department and MSS_DESK_DEPARTMENT win."
        ),
    )
    timezone: str = field(
        default="Asia/Almaty",
        metadata=_doc(
            "The Department's time zone (IANA name). Times are stored in UTC and shown, "
            "and office hours checked, in this zone."
        ),
    )
    language: str = field(
        default="kk",
        metadata=_doc("Language of screens and command-line messages: kk, ru or en."),
    )
    idle_lock_minutes: int = field(
        default=5,
        metadata=_doc("Minutes without a key press before the desk locks (0 = never)."),
    )
    talon_layout: str = field(
        default="a6",
        metadata=_doc("Paper of the talon and slips: a6 (sheet) or roll80 (80 mm receipt roll)."),
    )
    paper_dir: str | None = field(
        default=None,
        metadata=_doc("Folder for printed PDFs. Empty: 'paper' in the data directory."),
    )
    print_command: str | None = field(
        default=None,
        metadata=_doc(
            "Command that prints a PDF; {file} is replaced by its path (e.g. 'lp {file}'). "
            "Empty: PDFs are only saved."
        ),
    )
    font_path: str | None = field(
        default=None,
        metadata=_doc(
            "TrueType font for paper; must contain the Kazakh letters. Empty: the bundled "
            "Source Sans Pro."
        ),
    )
    safekeeping_days: int = field(
        default=30,
        metadata=_doc("Item 18.6: days after which an uncollected result moves to safekeeping."),
    )
    backup_keep: int = field(
        default=14,
        metadata=_doc("How many database backups to keep before the oldest is removed."),
    )

    def tzinfo(self) -> Any:
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)

    def resolved_paper_dir(self) -> Path:
        from mss_desk import locations

        return Path(self.paper_dir) if self.paper_dir else locations.paper_dir()


FIELD_DOCS: dict[str, str] = {f.name: f.metadata["doc"] for f in fields(Settings)}


def config_path() -> Path:
    """``MSS_DESK_CONFIG`` names the file; otherwise ``config.toml`` in the config dir."""
    override = os.environ.get(ENV_PREFIX + "CONFIG")
    if override:
        return Path(override)
    from mss_desk import locations

    return locations.config_dir() / "config.toml"


def _coerce(name: str, raw: Any, source: str, from_text: bool) -> Any:
    """Check one value against its field; ``from_text`` values come from the environment."""
    if name in ("idle_lock_minutes", "safekeeping_days", "backup_keep"):
        if from_text:
            try:
                raw = int(str(raw).strip())
            except ValueError:
                raise ConfigError(source, name, "expected a whole number") from None
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ConfigError(source, name, "expected a whole number")
        low = 0 if name == "idle_lock_minutes" else 1
        if raw < low:
            raise ConfigError(source, name, f"must be at least {low}")
        return raw
    if name == "department":
        return _department(raw, source, from_text)
    if not isinstance(raw, str):
        raise ConfigError(source, name, "expected a string")
    value = raw.strip()
    if name in ("database", "paper_dir", "print_command", "font_path"):
        return value or None
    if name == "timezone":
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(source, name, f"unknown time zone {value!r}") from None
        return value
    if name == "language":
        if value not in LANGS:
            raise ConfigError(source, name, f"expected one of {', '.join(LANGS)}")
        return value
    if name == "talon_layout":
        if value not in TALON_LAYOUTS:
            raise ConfigError(source, name, f"expected one of {', '.join(TALON_LAYOUTS)}")
        return value
    raise ConfigError(source, name, "unknown setting")  # pragma: no cover - guarded by caller


def _department(raw: Any, source: str, from_text: bool) -> int | None:
    """Issue 15, item 2: the desk's own Department, an Annex 1 code (whether the catalog and
    the database know it is checked when the desk opens its database). Empty text: none
    (the database's only Department)."""
    if from_text:
        text = str(raw).strip()
        if not text:
            return None
        try:
            raw = int(text)
        except ValueError:
            raise ConfigError(source, "department", "expected a whole number") from None
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ConfigError(source, "department", "expected a whole number")
    if raw < 0:
        # 0 is the regional desk (issue 14, item 24.2); 1-19 the Departments of Annex 1
        raise ConfigError(source, "department", "must be at least 0")
    return raw


def _read_file(path: Path) -> dict[str, Any]:
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(str(path), "-", f"cannot be read ({exc.strerror})") from None
    import tomllib  # only with a config file: start-up (issue 12 point 15)

    try:
        with fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "-", f"not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(str(path), "-", f"cannot be read ({exc.strerror})") from None
    known = {f.name for f in fields(Settings)}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(str(path), key, "unknown setting")
        out[key] = _coerce(key, value, str(path), from_text=False)
    return out


def load_settings(
    path: Path | None = None,
    *,
    env: dict[str, str] | None = None,
    database: str | None = None,
    language: str | None = None,
    department: str | None = None,
) -> Settings:
    """File, then ``MSS_DESK_*`` environment, then command-line values (``--db``, ``--lang``,
    ``--department``)."""
    environ = os.environ if env is None else env
    values: dict[str, Any] = _read_file(path or config_path())
    for f in fields(Settings):
        var = ENV_PREFIX + f.name.upper()
        if var in environ:
            values[f.name] = _coerce(f.name, environ[var], var, from_text=True)
    if database is not None:
        values["database"] = _coerce("database", database, "--db", from_text=False)
    if language is not None:
        values["language"] = _coerce("language", language, "--lang", from_text=False)
    if department is not None:
        values["department"] = _coerce("department", department, "--department", from_text=True)
    return replace(Settings(), **values)
