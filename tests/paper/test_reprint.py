"""Reprint (``mss-desk talon CASE_NO --out FILE``): talon data built from a case + catalog."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from mss_desk.errors import DeskError
from mss_desk.paper import reprint_talon, talon_data_for_case
from mss_desk.paper.data import PaperSettings
from mss_desk.paper.reprint import department_contact, paper_settings
from tests.paper.conftest import pdf_text

DOC_LABELS = {
    "application": ("өтініш (белгіленген нысан бойынша)", "заявление (по установленной форме)"),
    "identity_card": ("жеке басы куәлігі", "удостоверение личности"),
    "medical_card": ("медициналық карта", "медицинская карта"),
}


def _catalog_dept() -> Any:
    return SimpleNamespace(
        code=19, name_kk="«Көкшетау қаласының ... бөлімі» мемлекеттік мекемесі",
        name_ru="ГУ «Отдел ... города Кокшетау»", address_kk="Көкшетау қ., Локомотивная к-сі, 9а",
        address="Көкшетау қ., Локомотивная к-сі, 9а", phones=("8-(7162)-31-92-76", "31-92-81"),
        reception_kk="күн сайын 09.00-ден 18.00-ге дейін",
    )


class FakeCatalog:
    def department(self, code: int) -> Any:
        assert code == 19
        return _catalog_dept()

    def document(self, code: str) -> Any:
        kk, ru = DOC_LABELS[code]
        return SimpleNamespace(code=code, label_kk=kk, label_ru=ru)


def _detail(**changes: Any) -> Any:
    line = SimpleNamespace
    base: dict[str, Any] = dict(
        id=7, case_no="19-2026-00007", department_code=19,
        accepted_at=datetime(2026, 3, 2, 5, 0, tzinfo=UTC), service_due=date(2026, 3, 17),
        clerk_surname="Сейітова", clerk_name="Әйгерім", full_name="Әлиев Марат Қанатұлы",
        delivery_method="in_person", postal_address="",
        documents=(line(code="application", received=True),
                   line(code="identity_card", received=True),
                   line(code="medical_card", received=False)),
    )
    base.update(changes)
    return SimpleNamespace(**base)


def test_talon_data_from_a_case_uses_catalog_labels_and_the_service_deadline() -> None:
    data = talon_data_for_case(_detail(), FakeCatalog(), "Asia/Almaty")
    assert data.case_no == "19-2026-00007"
    assert data.result_due == date(2026, 3, 17)
    assert data.documents == (DOC_LABELS["application"], DOC_LABELS["identity_card"])
    assert data.department.phones == ("8-(7162)-31-92-76", "31-92-81")
    assert data.department.reception == "күн сайын 09.00-ден 18.00-ге дейін"
    assert data.delivery_method == "in_person" and data.postal_address is None


def test_a_case_that_was_not_accepted_has_no_talon() -> None:
    with pytest.raises(DeskError) as info:
        talon_data_for_case(_detail(case_no=None, accepted_at=None, service_due=None),
                            FakeCatalog())
    assert info.value.key == "paper.talon_not_accepted"


def test_reprint_writes_the_file_and_never_prints(tmp_path: Path) -> None:
    marker = tmp_path / "printed"
    services = SimpleNamespace(
        cases=SimpleNamespace(get=lambda no: _detail(case_no=no, delivery_method="post",
                                                     postal_address="Көкшетау, Абай 1")),
        catalog=FakeCatalog(),
    )
    settings = SimpleNamespace(talon_layout="roll80", paper_dir=str(tmp_path / "paper"),
                               print_command=f"touch {marker}", font_path=None,
                               timezone="Asia/Almaty")
    out = reprint_talon(services, "19-2026-00007", str(tmp_path / "copy.pdf"), settings)
    assert out == tmp_path / "copy.pdf"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not marker.exists()
    text = pdf_text(out.read_bytes())
    for needle in ("19-2026-00007", "02.03.2026 10:00", "Сейітова Әйгерім", "17.03.2026",
                   "Әлиев Марат Қанатұлы", "Көкшетау, Абай 1", DOC_LABELS["application"][0]):
        assert needle in text
    assert DOC_LABELS["medical_card"][0] not in text


def test_paper_settings_from_the_desk_settings(tmp_path: Path) -> None:
    s = SimpleNamespace(talon_layout="roll80", paper_dir=str(tmp_path), print_command="lp",
                        font_path="")
    got = paper_settings(s)
    assert got == PaperSettings(talon_layout="roll80", out_dir=tmp_path, print_command="lp")
    assert paper_settings(None) == PaperSettings()
    assert paper_settings(got) is got


def test_department_contact_from_the_real_catalog() -> None:
    from mss_desk.catalog import load_catalog

    dept = load_catalog().department(1)
    contact = department_contact(dept)
    assert contact.name_kk.startswith("«Ақкөл ауданының")
    assert "Нұрмағамбетов" in contact.address
    assert contact.phones == ("8-(71638)-2-10-48",)
    assert contact.reception == f"{dept.reception_kk} / {dept.reception_ru}"


def test_reprint_from_the_real_store(services: Any, clerk: Any, tmp_path: Path) -> None:
    """An accepted case in the database comes back as the same talon."""
    from sqlmodel import Session

    from mss_desk.store.models import CaseDocument
    from tests.lifecycle.conftest import CaseFactory

    case_no = CaseFactory(services).case("2026-03-02 10:00", documents=0, clerk_id=clerk.id)
    assert case_no is not None
    detail = services.cases.get(case_no)
    with Session(services.engine) as s:
        for code in ("application", "identity_card"):
            s.add(CaseDocument(case_id=detail.id, code=code, received=True,
                               received_at=detail.accepted_at))
        s.add(CaseDocument(case_id=detail.id, code="medical_card", received=False))
        s.commit()
    out = reprint_talon(services, case_no, tmp_path / "t.pdf",
                        SimpleNamespace(timezone="Asia/Almaty"))
    text = pdf_text(out.read_bytes())
    catalog = services.catalog
    assert case_no in text and "02.03.2026 10:00" in text
    assert "Сейітова Әйгерім" in text
    assert detail.service_due.strftime("%d.%m.%Y") in text
    assert catalog.document("application").label_kk in text
    assert catalog.document("medical_card").label_kk not in text
    assert catalog.department(detail.department_code).name_kk in text
