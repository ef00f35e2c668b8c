"""The forwarding register and the indicators report on paper: text, Kazakh letters, 0600."""

from __future__ import annotations

import io
import stat
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from mss_desk.paper.data import DepartmentContact, PaperSettings
from mss_desk.paper.register import RegisterData, RegisterRow, print_register, render_register
from mss_desk.paper.report import ReportData, ReportLine, print_report, render_report

DEPT = DepartmentContact(
    name_kk="«Көкшетау қаласының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі» ММ",
    name_ru="ГУ «Отдел занятости и социальных программ города Кокшетау»",
    address="Көкшетау қ., Локомотивная к. 9а",
    phones=("8-(7162)-31-92-76",),
)


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def _register(n: int) -> RegisterData:
    rows = tuple(
        RegisterRow(
            no=i,
            case_no=f"19-2026-{i:05d}",
            applicant_name=f"Әбілқасымова Гүлжан {i}",
            institution=("Психоневрологиялық МӘМ", "Психоневрологическое МСУ"),
            accepted_on=date(2026, 3, 2),
            priority=i == 1,
            documents=11,
            decision_due=date(2026, 3, 17),
        )
        for i in range(1, n + 1)
    )
    return RegisterData(DEPT, date(2026, 3, 3), rows, clerk_name="Сейітова Әйгерім")


def test_register_lists_every_case_with_kazakh_letters() -> None:
    text = _text(render_register(_register(3)))
    for i in range(1, 4):
        assert f"19-2026-{i:05d}" in text
    assert "Әбілқасымова Гүлжан" in text
    assert "Басқармаға жіберілген істердің тізілімі" in text
    assert "03.03.2026" in text and "17.03.2026" in text
    assert "Барлығы / Всего: 3" in text


def test_a_long_register_runs_onto_more_pages() -> None:
    reader = PdfReader(io.BytesIO(render_register(_register(40))))
    assert len(reader.pages) >= 2
    assert "19-2026-00040" in _text(render_register(_register(40)))


def _report(value: float | None) -> ReportData:
    lines = (
        ReportLine("1.1", "Мерзімінде қызмет көрсету", "Услуга в срок", 45.45, 100, 96.2),
        ReportLine("4.4", "Шағымдану мерзімі", "Сроки обжалования", value, 90, 88.1),
    )
    return ReportData(DEPT, date(2026, 3, 1), date(2026, 3, 31), lines)


def test_report_pdf_shows_values_norms_and_no_data_in_words() -> None:
    pdf = render_report(_report(None))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2  # the table, then the chart
    text = _text(pdf)
    assert "45,45" in text and "96,2" in text and "88,1" in text
    assert "деректер жоқ" in text and "нет данных" in text
    assert "01.03.2026 – 31.03.2026" in text
    assert "деректер жоқ" not in _text(render_report(_report(80.0)))


def test_printed_files_are_private(tmp_path: Path) -> None:
    settings = PaperSettings(out_dir=tmp_path)
    for result in (
        print_register(_register(1), settings),
        print_report(_report(None), settings),
    ):
        assert result.printed is None  # no print command: saved only
        assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
        assert result.path.read_bytes().startswith(b"%PDF")


def test_item_6_1_register_prints_the_councils_decision() -> None:
    """Item 6.1 (issue 11.5): the council-exception path's decision, number and date, is
    printed in the forwarding register; a case without one leaves the column empty."""
    from dataclasses import replace

    data = _register(2)
    council = replace(data.rows[0], council_decision_no="12/2026",
                      council_decision_date=date(2026, 2, 20))
    text = _text(render_register(replace(data, rows=(council, data.rows[1]))))
    assert "Кеңес шешімі (6.1)" in text and "Решение Совета (п. 6.1)" in text
    assert "20.02.2026 № 12/2026" in text
    assert text.count("№ 12/2026") == 1


def test_item_6_1_forwarding_carries_the_councils_decision_to_the_register(
    services: object, clerk: object
) -> None:
    from typing import Any

    from tests.lifecycle.conftest import CaseFactory

    s: Any = services
    make = CaseFactory(s)
    council = make.case(relatives="council_exception", council_decision_no="7/2026",
                        council_decision_date=date(2026, 2, 20))
    plain = make.case()
    register = s.lifecycle.forward([council, plain], clerk.id)  # type: ignore[attr-defined]
    rows = s.printing.register_data(register).rows
    assert (rows[0].council_decision_no, rows[0].council_decision_date) == (
        "7/2026", date(2026, 2, 20))
    assert rows[1].council_text == ""
    assert "20.02.2026 № 7/2026" in _text(render_register(s.printing.register_data(register)))
