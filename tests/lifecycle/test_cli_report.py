"""``mss-desk report --from --to --json`` prints the same numbers as the report service."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mss_desk.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def test_report_json_matches_the_service(
    march: dict[str, str],
    reports: Any,
    db_arg: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MSS_DESK_NOW", "2026-04-10T10:00")
    code, out = _run(
        capsys, "report", "--db", db_arg, "--from", "2026-03-01", "--to", "2026-03-31", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data == reports.indicators(date(2026, 3, 1), date(2026, 3, 31)).as_json()
    assert data["indicators"]["1.1"] == {
        "value": 50.0, "normative": 100.0, "target": 96.2, "target_year": 2008,
        "direction": "higher", "meets": False,
    }
    assert data["indicators"]["4.4"]["value"] is None


def test_report_text_and_csv(
    march: dict[str, str],
    db_arg: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("MSS_DESK_NOW", "2026-04-10T10:00")
    out_csv = tmp_path / "r.csv"
    out_pdf = tmp_path / "r.pdf"
    code, out = _run(
        capsys,
        "report",
        "--db",
        db_arg,
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--lang",
        "ru",
        "--csv",
        str(out_csv),
        "--pdf",
        str(out_pdf),
    )
    assert code == 0
    assert "01.03.2026 – 31.03.2026" in out
    line44 = next(ln for ln in out.splitlines() if ln.startswith("4.4"))
    assert "Нет данных" in line44
    assert out_csv.read_text(encoding="utf-8").splitlines()[1].startswith("1.1,")
    from pypdf import PdfReader

    text = "".join(p.extract_text() or "" for p in PdfReader(out_pdf).pages)
    assert "Көкшетау" in text and "66,67" in text and "деректер жоқ" in text


def test_report_rejects_a_bad_period(
    services: Any, db_arg: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(
        capsys, "report", "--db", db_arg, "--from", "2026-03-31", "--to", "2026-03-01", "--json"
    )
    assert code == 1
    assert "error" in json.loads(out)
