"""Exports are as private as the database (item 18.5): the indicator CSV is written 0600,
also over an existing world-readable file, and holds exactly the report."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path
from typing import Any

from mss_desk.services.reports import report_csv, write_csv


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_report_csv_is_created_0600(services: Any, tmp_path: Path) -> None:
    report = services.reports.indicators(date(2026, 3, 1), date(2026, 3, 31))
    old = os.umask(0)  # a permissive umask must not make the export world-readable
    try:
        out = write_csv(report, tmp_path / "report.csv", "kk")
    finally:
        os.umask(old)
    assert _mode(out) == 0o600
    assert out.read_text(encoding="utf-8") == report_csv(report, "kk")


def test_report_csv_narrows_an_existing_file(services: Any, tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old, longer content that must not survive\n" * 50, encoding="utf-8")
    target.chmod(0o644)
    report = services.reports.indicators(date(2026, 3, 1), date(2026, 3, 31))
    write_csv(report, target, "ru")
    assert _mode(target) == 0o600
    assert target.read_text(encoding="utf-8") == report_csv(report, "ru")
