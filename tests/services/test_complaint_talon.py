"""Item 23 (issue 11 point 11): the complaint talon is complete, in Kazakh and Russian.

Date and time of registration, the surname and position of the official who took it, the
answer due date, where and how the answer is given, the Department's phone and e-mail, and
the Regional Department as the next instance (items 22, 24.2).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mss_desk.paper.labels import kk, ru
from tests.conftest import CLERK_PASSWORD, DEPT
from tests.paper.conftest import pdf_text


def _register(services: Any, clerk: Any) -> Any:
    services.clerks.create(DEPT, "head", "Нұрланова", "Гүлнар", CLERK_PASSWORD, "head")
    return services.complaints.register("Әлиев Марат", "Кезекте 2 сағат", clerk.id)


def test_item_23_complaint_talon_data_is_complete(services: Any, clerk: Any) -> None:
    complaint = _register(services, clerk)
    data = services.printing.complaint_talon_data(complaint.complaint_no)
    dept = services.catalog.department(DEPT)
    regional = services.catalog.regional
    assert data.accepted_by == "Сейітова Әйгерім"
    assert data.accepted_by_position == "маман / специалист"
    assert data.official_position == "бөлім бастығы / начальник отдела"
    assert data.answer_due == date(2026, 3, 17)
    assert dept.address_ru in (data.answer_place_ru or "")
    assert data.answer_how == (kk("answer_how.text"), ru("answer_how.text"))
    assert data.department.phones == dept.phones and data.department.email == dept.email
    assert data.regional is not None
    assert data.regional.name_kk == regional.name_kk and data.regional.name_ru == regional.name_ru
    assert data.regional.phones == ("8(7162)763690",)
    assert data.regional.email == "akmout@mail.online.kz"


def test_item_23_complaint_talon_pdf_says_it_all(
    services: Any, clerk: Any, tmp_path: Path
) -> None:
    complaint = _register(services, clerk)
    desk = SimpleNamespace(paper_dir=str(tmp_path / "paper"), timezone="Asia/Almaty",
                           talon_layout="a6", print_command=None, font_path=None)
    printed = services.printing.print_complaint_talon(complaint.complaint_no, desk)
    text = pdf_text(printed.path.read_bytes())
    dept = services.catalog.department(DEPT)
    for needle in (
        "02.03.2026 10:00",  # date and time of registration
        "Сейітова Әйгерім, маман / специалист",  # who took it, and the position
        "17.03.2026",  # the answer due date
        dept.address_kk, dept.address_ru,  # where the answer is given
        "Жазбаша жауап", "Письменный ответ",  # how
        dept.email, dept.phones[0],  # the Department's phone and e-mail
        "вышестоящий орган", "8(7162)763690", "akmout@mail.online.kz",  # the next instance
        "Пушкин",
    ):
        assert needle in text, needle
