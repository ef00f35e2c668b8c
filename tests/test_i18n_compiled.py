"""The parsed catalogs are kept like bytecode (issue 12 point 15: parsing the TOML files
was a tenth of the start-up): written where Python writes bytecode, read back while every
file is unchanged, parsed again after any change, never written with
PYTHONDONTWRITEBYTECODE."""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

import mss_desk.i18n as i18n


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the Kazakh catalog, and a bytecode folder of its own."""
    here = tmp_path / "i18n"
    shutil.copytree(Path(i18n.__file__).parent / "kk", here / "kk")
    monkeypatch.setattr(i18n, "_HERE", here)
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "pycache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return here / "kk"


def _tables(folder: Path) -> list[dict[str, Any]]:
    return i18n._compiled("kk", sorted(folder.glob("*.toml")))


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("parsed the TOML files again")

    monkeypatch.setattr(tomllib, "load", refuse)


def test_a_second_start_reads_the_parsed_tables(
    catalogs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _tables(catalogs)
    cached = i18n._compiled_path("kk")
    assert cached.is_file()
    assert oct(cached.stat().st_mode & 0o777) == oct(0o600)
    _no_parsing(monkeypatch)
    assert _tables(catalogs) == first


def test_a_changed_file_is_parsed_again(catalogs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tables(catalogs)
    ui = catalogs / "ui.toml"
    ui.write_text(ui.read_text(encoding="utf-8") + '\n[bench]\nnew = "Жаңа"\n', "utf-8")
    assert any(table.get("bench") == {"new": "Жаңа"} for table in _tables(catalogs))
    _no_parsing(monkeypatch)  # and that is kept in turn
    assert any(table.get("bench") == {"new": "Жаңа"} for table in _tables(catalogs))


def test_nothing_is_written_without_bytecode(
    catalogs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _tables(catalogs)
    assert not i18n._compiled_path("kk").exists()


def test_a_damaged_file_is_parsed_again(catalogs: Path) -> None:
    first = _tables(catalogs)
    i18n._compiled_path("kk").write_bytes(b"not marshal")
    assert _tables(catalogs) == first


def test_a_folder_that_cannot_be_written_only_costs_the_parsing(
    catalogs: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would be")
    monkeypatch.setattr(sys, "pycache_prefix", str(blocked))
    assert _tables(catalogs)
    assert not any(name.endswith(".tmp") for name in os.listdir(tmp_path))
