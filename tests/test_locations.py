"""Issue 15, item 14: the data folder is 0700 and the desk's small files in it 0600.

The docs promise it (operations.md §2, §3); the data folder was created 0755 (as the
parent of the paper folder, or by ``mkdir`` without a mode) and ``department-name-*.json``
0644.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from mss_desk import locations


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    """The common umask (022): what makes a mode-less mkdir 0755 and a file 0644."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_every_folder_made_on_the_way_is_private(tmp_path: Path) -> None:
    target = tmp_path / "share" / "mss-desk" / "paper"
    assert locations.ensure_private_dir(target) == target
    for folder in (tmp_path / "share", tmp_path / "share" / "mss-desk", target):
        assert _mode(folder) == 0o700, folder


def test_an_existing_folder_is_left_alone(tmp_path: Path) -> None:
    shared = tmp_path / "srv"
    shared.mkdir(mode=0o770)
    os.chmod(shared, 0o2770)
    locations.ensure_private_dir(shared / "paper")
    assert _mode(shared) == 0o2770
    assert _mode(shared / "paper") & 0o777 == 0o700  # (setgid is inherited)


def test_the_first_pdf_makes_the_data_folder_private() -> None:
    """The paper folder lives in the data folder: printing first created it 0755."""
    from mss_desk.paper.printing import save_pdf

    data = locations.data_dir()
    assert not data.exists()  # tests/conftest.py: a fresh MSS_DESK_DATA_DIR
    path = save_pdf(b"%PDF-1.4", locations.paper_dir() / "talon.pdf")
    assert _mode(data) == 0o700
    assert _mode(path.parent) == 0o700 and _mode(path) == 0o600


def test_the_data_folder_is_made_private_and_narrowed() -> None:
    data = locations.ensure_data_dir()
    assert data == locations.data_dir() and _mode(data) == 0o700
    os.chmod(data, 0o755)  # left so by an older desk
    locations.ensure_data_dir()
    assert _mode(data) == 0o750  # "other" never reads it; group bits are the admin's


def test_a_private_text_file_is_0600_even_over_a_0644_one(tmp_path: Path) -> None:
    names = locations.data_dir() / "department-name-0123456789abcdef.json"
    locations.write_private_text(names, '{"kk": "Бөлім"}')
    assert _mode(names) == 0o600 and _mode(names.parent) == 0o700
    assert names.read_text(encoding="utf-8") == '{"kk": "Бөлім"}'
    os.chmod(names, 0o644)
    locations.write_private_text(names, '{"kk": "Ақкөл"}')
    assert _mode(names) == 0o600 and "Ақкөл" in names.read_text(encoding="utf-8")
    assert [p.name for p in names.parent.iterdir()] == [names.name]  # no leftovers


def test_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("x")
    with pytest.raises(OSError):
        locations.ensure_private_dir(blocker)


def test_the_desk_keeps_the_department_names_file_0600() -> None:
    """The login screen's cached Department name (screens/startup.py): written 0600, and a
    0644 file left by an older desk is narrowed even when the names are unchanged."""
    from types import SimpleNamespace

    from screens.startup import _names_file, cached_department_names, remember_department_names

    dept = SimpleNamespace(name_kk="Көкшетау қаласының бөлімі", name_ru="Отдел города Кокшетау")
    url = "sqlite:////tmp/names-test.sqlite3"
    remember_department_names(url, dept)
    file = _names_file(url)
    assert _mode(file) == 0o600 and _mode(file.parent) == 0o700
    assert cached_department_names(url)["kk"] == "Көкшетау қаласының бөлімі"
    os.chmod(file, 0o644)
    remember_department_names(url, dept)
    assert _mode(file) == 0o600
