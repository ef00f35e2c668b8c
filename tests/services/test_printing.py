"""``services.printing``: every printout's data assembled in one place (issue 13, point 4).

The data is checked here, on a real store; the drawing is the paper room's (tests/paper).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from mss_desk.paper.reprint import department_contact, talon_data_for_case
from mss_desk.services import Services
from tests.conftest import DEPT, ELDERLY_DOCS
from tests.paper.conftest import pdf_text
from tests.services.test_intake import make_form

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def desk(tmp_path: Path) -> Any:
    """The desk's settings as the printing service reads them."""
    return SimpleNamespace(paper_dir=str(tmp_path / "paper"), timezone="Asia/Almaty",
                           talon_layout="a6", print_command=None, font_path=None)


def test_the_department_on_paper_is_annex_1_of_this_desk(services: Services) -> None:
    contact = services.printing.department_contact()
    spec = services.catalog.department(DEPT)
    assert contact == department_contact(spec)
    assert contact.name_kk == spec.name_kk and contact.phones == tuple(spec.phones)
    assert contact.reception == f"{spec.reception_kk} / {spec.reception_ru}"


def test_one_talon_for_intake_and_reprint(services: Services, clerk: Any) -> None:
    result = services.intake.submit(make_form(), set(ELDERLY_DOCS), clerk.id)
    assert result.case_no is not None
    data = services.printing.talon_data(result.case_no, tz="Asia/Almaty")
    detail = services.cases.get(result.case_no)
    assert data == talon_data_for_case(detail, services.catalog, "Asia/Almaty")
    assert data.result_due == date(2026, 3, 17)  # item 7.1: 2 March + 15 days
    assert (data.clerk_surname, data.clerk_name) == ("Сейітова", "Әйгерім")  # item 15
    labels = [services.catalog.document(code) for code in ELDERLY_DOCS]
    assert data.documents == tuple((d.label_kk, d.label_ru) for d in labels)
    assert data.department == services.printing.department_contact()


def test_intake_paper_is_the_talon_when_accepted(
    services: Services, clerk: Any, desk: Any
) -> None:
    result = services.intake.submit(make_form(), set(ELDERLY_DOCS), clerk.id)
    printed = services.printing.print_intake_paper(result, desk)
    assert printed.ok and printed.path == Path(desk.paper_dir) / f"talon-{result.case_no}.pdf"
    text = pdf_text(printed.path.read_bytes())
    assert str(result.case_no) in text and "17.03.2026" in text


def test_intake_paper_is_the_missing_slip_when_incomplete(
    services: Services, clerk: Any, desk: Any
) -> None:
    received = set(ELDERLY_DOCS) - {"medical_card", "pension_certificate"}
    result = services.intake.submit(make_form(), received, clerk.id)
    assert result.outcome == "returned_incomplete" and result.case_id is not None
    data = services.printing.missing_slip_data(result.case_id, result.missing)
    catalog = services.catalog
    assert data.missing == tuple(
        (catalog.document(c).label_kk, catalog.document(c).label_ru) for c in result.missing
    )
    assert set(result.missing) == {"medical_card", "pension_certificate"}
    inst = catalog.institution("elderly_general")
    assert data.institution == (inst.name_kk, inst.name_ru)
    assert data.issued_at == services.clock.now()
    assert data.applicant_name.startswith("Әлиева Гүлнар")
    printed = services.printing.print_intake_paper(result, desk)
    assert printed.ok and printed.path.parent == Path(desk.paper_dir)
    assert catalog.document("medical_card").label_kk in pdf_text(printed.path.read_bytes())


def test_the_ticket_promises_the_waiting_limit_in_force(services: Services) -> None:
    submit = services.queue.issue("submit")
    data = services.printing.ticket_data(submit, label="A-001", ahead=2)
    assert (data.number, data.purpose, data.ahead) == ("A-001", "submit", 2)
    terms = services.catalog.terms(date(2026, 3, 2))
    assert data.max_wait_minutes == terms.queue_max_minutes == 40  # item 7.3
    consult = services.queue.issue("consult")
    assert services.printing.ticket_data(consult).max_wait_minutes is None  # no limit
    assert data.issued_at == submit.issued_at


def test_register_notice_report_and_complaint_talon(
    services: Services, clerk: Any, desk: Any
) -> None:
    from tests.lifecycle.conftest import CaseFactory

    printing = services.printing
    head = services.clerks.create(DEPT, "bakyt", "Жұмабаев", "Бақыт", "secret pass 1", "head")
    no = CaseFactory(services).case("2026-03-02 09:00", postal_address="Ақкөл, Абай к. 1")
    assert no is not None
    lc = services.lifecycle
    register = lc.forward([no], head.id, date(2026, 3, 2))
    data = printing.register_data(register, clerk=head)
    assert data.sent_on == date(2026, 3, 2) and data.clerk_name == "Жұмабаев Бақыт"
    assert [r.case_no for r in data.rows] == [no]
    assert printing.print_register(register, desk, clerk=head).ok

    lc.decide(no, head.id, "refusal", reason="item 17")
    lc.result_ready(no, head.id)
    row = lc.send_notice(no, head.id)
    notice = printing.notice_data(row, clerk=clerk)
    assert (notice.case_no, notice.postal_address) == (no, "Ақкөл, Абай к. 1")
    assert notice.notice_date == date(2026, 3, 2)
    assert notice.collect_until == lc.collect_until(no)  # item 18.6
    assert (notice.clerk_surname, notice.clerk_name) == ("Сейітова", "Әйгерім")

    report = services.reports.indicators(date(2026, 3, 1), date(2026, 3, 31))
    rdata = printing.report_data(report)
    assert [ln.no for ln in rdata.lines] == [r.no for r in report.rows]
    assert rdata.department == printing.department_contact()
    pdf = printing.print_report(report, desk, send=False)
    assert pdf.printed is None and pdf.path.exists()
    csv = printing.save_report_csv(report, desk, "en")
    assert csv.parent == Path(desk.paper_dir) and csv.read_text(encoding="utf-8")

    complaint = services.complaints.register("Әлиев Марат", "Кезекте 2 сағат", clerk.id)
    talon = printing.complaint_talon_data(complaint.complaint_no)
    assert talon == services.complaints.talon(complaint.complaint_no)
    assert printing.print_complaint_talon(complaint.complaint_no, desk).ok


def test_printing_imports_no_reportlab_until_something_prints() -> None:
    code = (
        "import sys\n"
        "import mss_desk.services, mss_desk.services.printing\n"
        "assert 'reportlab' not in sys.modules, 'reportlab'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
