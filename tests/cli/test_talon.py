"""Item 15 (issue 11 point 13): one talon, whoever prints it.

The talon printed at intake and the one reprinted later (``mss-desk talon``) come from one
function, ``services.printing.print_talon``, and say the same: the text of both PDFs
(pypdf) is compared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mss_desk.clock import FixedClock
from mss_desk.config import Settings
from mss_desk.services.printing import PrintingService
from tests.conftest import DEPT, ELDERLY_DOCS, local_dt
from tests.paper.conftest import pdf_text
from tests.services.test_intake import make_form


def _accepted_case(url: str, catalog: Any) -> tuple[Any, Any]:
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    services = Services(open_store(url), FixedClock(local_dt("2026-03-02 10:00")), catalog)
    services.setup.init_department(DEPT)
    clerk = services.clerks.create(DEPT, "aigerim", "Сейітова", "Әйгерім", "x" * 12, "clerk")
    result = services.intake.submit(make_form(), set(ELDERLY_DOCS), clerk.id)
    assert result.accepted and result.case_no
    return services, result


def test_item_15_intake_talon_and_reprint_are_one_talon(
    cli, sqlite_url: str, catalog: Any, tmp_path: Path, monkeypatch: Any  # type: ignore[no-untyped-def]
) -> None:
    services, result = _accepted_case(sqlite_url, catalog)
    settings = Settings(paper_dir=str(tmp_path / "paper"), print_command="true")
    first = services.printing.print_intake_paper(result, settings)  # at intake
    assert first.path is not None

    calls: list[str] = []
    original = PrintingService.print_talon

    def spy(self: PrintingService, case_no: str, *args: Any, **kw: Any) -> Any:
        calls.append(case_no)
        return original(self, case_no, *args, **kw)

    monkeypatch.setattr(PrintingService, "print_talon", spy)
    again = tmp_path / "again.pdf"
    r = cli("talon", result.case_no, "--out", str(again), "--db", sqlite_url, "--json")
    assert r.code == 0, r.out + r.err
    assert r.json == {"case_no": result.case_no, "file": str(again)}
    assert calls == [result.case_no]  # the reprint is the intake's own function

    printed, reprinted = pdf_text(first.path.read_bytes()), pdf_text(again.read_bytes())
    assert printed == reprinted
    for needle in (result.case_no, "02.03.2026 10:00", "Сейітова Әйгерім", "17.03.2026"):
        assert needle in printed
    assert catalog.department(DEPT).phones[0] in printed  # Annex 1, on both


def test_the_reprinted_talon_names_the_person_as_accepted(
    cli, sqlite_url: str, catalog: Any, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """Issue 15, item 3: a later intake with the same IIN and a new surname and address
    leaves case 1's talon as it was (the case keeps its own applicant data)."""
    services, result = _accepted_case(sqlite_url, catalog)
    clerk_id = services.cases.get(result.case_no).clerk_id
    later = make_form(surname="Нұрланова", address="Астана, Мәңгілік Ел 8")
    services.intake.submit(later, set(ELDERLY_DOCS), clerk_id)
    again = tmp_path / "again.pdf"
    r = cli("talon", result.case_no, "--out", str(again), "--db", sqlite_url, "--json")
    assert r.code == 0, r.out + r.err
    text = pdf_text(again.read_bytes())
    assert "Әлиева Гүлнар Серікқызы" in text and "Нұрланова" not in text
