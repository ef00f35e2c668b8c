"""Issue 11 point 12 on the command line: ``mss-desk paper checklist`` and ``blank-form``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mss_desk.clock import FixedClock
from tests.conftest import DEPT, local_dt
from tests.paper.conftest import pdf_text


def _db(url: str, catalog: Any) -> Any:
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    services = Services(open_store(url), FixedClock(local_dt("2026-03-02 10:00")), catalog)
    services.setup.init_department(DEPT)
    return services


def test_paper_checklist_writes_the_documents_list(
    cli, sqlite_url: str, catalog: Any, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    _db(sqlite_url, catalog)
    out = tmp_path / "checklist.pdf"
    r = cli("paper", "checklist", "--institution", "elderly_general", "--category",
            "disabled", "--category", "pension_age", "--out", str(out), "--db", sqlite_url,
            "--json")
    assert r.code == 0, r.out + r.err
    assert r.json["file"] == str(out)
    assert r.json["categories"] == ["pension_age", "disabled"]  # the standard's order
    assert r.json["documents"][-3:] == [
        "pension_certificate", "disability_certificate_extract",
        "rehabilitation_program_extract",
    ]
    text = pdf_text(out.read_bytes())
    assert catalog.department(DEPT).phones[0] in text and "15 календарных дней" in text
    assert (out.stat().st_mode & 0o777) == 0o600


def test_paper_checklist_refuses_a_category_the_type_has_not(
    cli, sqlite_url: str, catalog: Any, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    _db(sqlite_url, catalog)
    out = tmp_path / "c.pdf"
    r = cli("paper", "checklist", "--institution", "children_psychoneuro", "--category",
            "wwii", "--out", str(out), "--db", sqlite_url, "--json")
    assert r.code == 1 and "error" in r.json and "wwii" in r.json["error"]
    assert not out.exists()
    r = cli("paper", "checklist", "--institution", "prison", "--out", str(out),
            "--db", sqlite_url)
    assert r.code == 2  # not one of the choices: a usage error


def test_paper_blank_form_writes_one_a4_page(
    cli, sqlite_url: str, catalog: Any, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    _db(sqlite_url, catalog)
    out = tmp_path / "form.pdf"
    r = cli("paper", "blank-form", "--out", str(out), "--db", sqlite_url, "--lang", "en")
    assert r.code == 0, r.out + r.err
    assert r.out.strip() == f"Saved to {out}"
    assert "ӨТІНІШ / ЗАЯВЛЕНИЕ" in pdf_text(out.read_bytes())
