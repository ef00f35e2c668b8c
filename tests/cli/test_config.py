"""Settings: defaults, file, MSS_DESK_* variables, --db/--lang; broken input names the culprit."""

from __future__ import annotations

from pathlib import Path

import pytest

from mss_desk.config import FIELD_DOCS, ConfigError, Settings, config_path, load_settings


def test_defaults() -> None:
    s = load_settings(Path("/nonexistent/config.toml"), env={})
    assert s == Settings()
    assert s.timezone == "Asia/Almaty"
    assert s.language == "kk"
    assert s.idle_lock_minutes == 5
    assert s.talon_layout == "a6"
    assert s.safekeeping_days == 30
    assert s.database is None


def test_every_field_is_documented() -> None:
    assert set(FIELD_DOCS) == set(Settings.__dataclass_fields__)
    assert all(len(doc) > 20 for doc in FIELD_DOCS.values())


def test_file_then_env_then_command_line(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        'database = "/srv/desk.sqlite3"\nlanguage = "ru"\nidle_lock_minutes = 10\n'
        'talon_layout = "roll80"\ntimezone = "Asia/Aqtobe"\nprint_command = "lp {file}"\n',
        encoding="utf-8",
    )
    s = load_settings(cfg, env={})
    assert (s.database, s.language, s.idle_lock_minutes, s.talon_layout, s.timezone) == (
        "/srv/desk.sqlite3",
        "ru",
        10,
        "roll80",
        "Asia/Aqtobe",
    )
    assert s.print_command == "lp {file}"
    env = {"MSS_DESK_DATABASE": "/env.sqlite3", "MSS_DESK_IDLE_LOCK_MINUTES": "7"}
    s = load_settings(cfg, env=env)
    assert s.database == "/env.sqlite3" and s.idle_lock_minutes == 7
    s = load_settings(cfg, env=env, database="/arg.sqlite3", language="en")
    assert s.database == "/arg.sqlite3" and s.language == "en"


def test_config_path_follows_the_config_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MSS_DESK_CONFIG_DIR", str(tmp_path))
    monkeypatch.delenv("MSS_DESK_CONFIG", raising=False)
    assert config_path() == tmp_path / "config.toml"
    monkeypatch.setenv("MSS_DESK_CONFIG", str(tmp_path / "other.toml"))
    assert config_path() == tmp_path / "other.toml"


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        ("language = ", "-", "not valid TOML"),
        ('colour = "red"', "colour", "unknown setting"),
        ('language = "de"', "language", "expected one of kk, ru, en"),
        ("idle_lock_minutes = -1", "idle_lock_minutes", "at least 0"),
        ('idle_lock_minutes = "5"', "idle_lock_minutes", "whole number"),
        ("safekeeping_days = 0", "safekeeping_days", "at least 1"),
        ("backup_keep = true", "backup_keep", "whole number"),
        ('timezone = "Mars/Olympus"', "timezone", "unknown time zone"),
        ('talon_layout = "a4"', "talon_layout", "a6, roll80"),
        ("database = 5", "database", "expected a string"),
    ],
)
def test_broken_file_names_file_key_and_reason(
    tmp_path: Path, text: str, where: str, reason: str
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(cfg, env={})
    assert info.value.source == str(cfg)
    assert info.value.where == where
    assert reason in info.value.reason


def test_broken_environment_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "none.toml", env={"MSS_DESK_SAFEKEEPING_DAYS": "thirty"})
    assert info.value.source == "MSS_DESK_SAFEKEEPING_DAYS"
    assert info.value.where == "safekeeping_days"


def test_empty_strings_mean_default(tmp_path: Path) -> None:
    s = load_settings(
        tmp_path / "none.toml", env={"MSS_DESK_DATABASE": "", "MSS_DESK_PAPER_DIR": " "}
    )
    assert s.database is None and s.paper_dir is None


def test_broken_config_is_one_line_exit_1(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    import os

    cfg = Path(os.environ["MSS_DESK_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "config.toml").write_text('language = "xx"\n', encoding="utf-8")
    r = cli("iin", "450509300019", "--json")
    assert r.code == 1
    assert "language" in r.json["error"] and "config.toml" in r.json["error"]
