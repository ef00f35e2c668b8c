"""Fixed paper data for the paper tests, and helpers that read PDFs back (pypdf)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mss_desk.paper.data import (
    ComplaintTalonData,
    DepartmentContact,
    MissingSlipData,
    PostalNoticeData,
    TalonData,
    TicketSlipData,
)

MM = 72 / 25.4
KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"

DEPT = DepartmentContact(
    name_kk="«Ақкөл ауданының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі» "
    "мемлекеттік мекемесі",
    name_ru="ГУ «Отдел занятости и социальных программ Аккольского района»",
    address="Ақкөл қ., Нұрмағамбетов к-сі, 81",
    phones=("8-(71638)-2-10-48",),
)

DOCS = (
    ("өтініш (белгіленген нысан бойынша)", "заявление (по установленной форме)"),
    ("уәкілетті органның жолдамасы", "направление уполномоченного органа"),
    ("жеке басы куәлігі", "удостоверение личности"),
    ("салық төлеушінің тіркеу нөмірі берілгені туралы куәлігі",
     "свидетельство о присвоении регистрационного номера налогоплательщика"),
    ("әлеуметтік жеке код беру туралы куәлік",
     "свидетельство о присвоении социального индивидуального кода"),
    ("медициналық карта", "медицинская карта"),
    ("амбулаторлық картадан үзінді көшірме", "выписка из амбулаторной карты"),
    ("зейнеткерлік куәлігі", "пенсионное удостоверение"),
    ("мүгедектігі туралы анықтамадан үзінді көшірме", "выписка из справки об инвалидности"),
    ("мүгедекті жеке оңалтудың бағдарламасынан үзінді көшірме",
     "выписка из индивидуальной программы реабилитации инвалида"),
)


def talon_data(**changes: object) -> TalonData:
    base: dict[str, object] = dict(
        case_no="01-2026-00042",
        # 05:07 UTC = 10:07 in Asia/Almaty (UTC+5)
        registered_at=datetime(2026, 11, 25, 5, 7, tzinfo=UTC),
        clerk_surname="Әбдіқадырова",
        clerk_name="Гүлнұр",
        result_due=date(2026, 12, 10),
        department=DEPT,
        applicant_name="Һәкімжанов Ғалымжан Өмірұлы",
        delivery_method="post",
        postal_address="020100, Ақкөл қ., Ұлықбек к-сі, 12-3",
        documents=DOCS,
    )
    base.update(changes)
    return TalonData(**base)  # type: ignore[arg-type]


def ticket_data(**changes: object) -> TicketSlipData:
    base: dict[str, object] = dict(
        number="A-007", purpose="submit",
        issued_at=datetime(2026, 11, 25, 4, 15, tzinfo=UTC), department=DEPT, ahead=3,
    )
    base.update(changes)
    return TicketSlipData(**base)  # type: ignore[arg-type]


def missing_data(**changes: object) -> MissingSlipData:
    base: dict[str, object] = dict(
        issued_at=datetime(2026, 11, 25, 6, 40, tzinfo=UTC),
        missing=(DOCS[4], DOCS[8]),
        department=DEPT,
        applicant_name="Һәкімжанов Ғалымжан Өмірұлы",
        institution=("Қарттар мен жалпы үлгідегі мүгедектерге арналған МӘМ",
                     "МСУ для престарелых и инвалидов общего типа"),
        clerk_surname="Әбдіқадырова",
        clerk_name="Гүлнұр",
    )
    base.update(changes)
    return MissingSlipData(**base)  # type: ignore[arg-type]


def complaint_data(**changes: object) -> ComplaintTalonData:
    base: dict[str, object] = dict(
        complaint_no="Ш-01-2026-0003",
        accepted_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        answer_due=date(2026, 12, 10),
        answer_place="Ақкөл қ., Нұрмағамбетов к-сі, 81, 12-кабинет",
        official_name="Жұмабекова Әлия Қайратқызы",
        official_position="бөлім бастығы / начальник отдела",
        official_phone="8-(71638)-2-10-48",
        department=DEPT,
        accepted_by="Әбдіқадырова Гүлнұр",
        applicant_name="Һәкімжанов Ғалымжан Өмірұлы",
        case_no="01-2026-00042",
    )
    base.update(changes)
    return ComplaintTalonData(**base)  # type: ignore[arg-type]


def notice_data(**changes: object) -> PostalNoticeData:
    base: dict[str, object] = dict(
        case_no="01-2026-00042",
        applicant_name="Һәкімжанов Ғалымжан Өмірұлы",
        postal_address="020100, Ақкөл қ., Ұлықбек к-сі, 12-3",
        notice_date=date(2026, 12, 8),
        department=DEPT,
        collect_until=date(2027, 1, 7),
        clerk_surname="Әбдіқадырова",
        clerk_name="Гүлнұр",
    )
    base.update(changes)
    return PostalNoticeData(**base)  # type: ignore[arg-type]


def pdf_text(pdf: bytes) -> str:
    """All pages' text, whitespace collapsed (wrapped lines break at spaces)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width) / MM, float(p.mediabox.height) / MM) for p in reader.pages]


def rasterize(pdf: bytes, tmp_path: Path, dpi: int = 300) -> list[Path]:
    """PNG pages via pdftoppm (poppler-utils); skips the test where it is not installed."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    src = tmp_path / "in.pdf"
    src.write_bytes(pdf)
    subprocess.run([exe, "-r", str(dpi), "-gray", "-png", str(src), str(tmp_path / "page")],
                   check=True, timeout=60)
    return sorted(tmp_path.glob("page*.png"))
