"""Sample documents with made-up data: ``python -m mss_desk.paper.samples OUT_DIR [--png]``.

Renders one of each paper document (for the README pictures, for trying a printer, and for
training) without touching a database. The people are invented.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mss_desk.paper.data import (
    BlankFormData,
    ComplaintTalonData,
    ConsultSlipData,
    DepartmentContact,
    MissingSlipData,
    PostalNoticeData,
    TalonData,
    TicketSlipData,
)
from mss_desk.paper.labels import L, both, kk, ru

if TYPE_CHECKING:
    from mss_desk.paper.register import RegisterData

DEPARTMENT = DepartmentContact(
    name_kk="«Көкшетау қаласының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі» "
    "мемлекеттік мекемесі",
    name_ru="ГУ «Отдел занятости и социальных программ города Кокшетау»",
    address="Көкшетау қ., Локомотивная к-сі, 9а",
    phones=("8-(7162)-31-92-76", "31-92-81"),
    email="Sobes_kokshe@kokshetau.online.kz",
    address_ru="г. Кокшетау, ул. Локомотивная, 9а",
)
REGIONAL = DepartmentContact(  # item 24.2, as printed
    name_kk="«Ақмола облысының жұмыспен қамтуды және әлеуметтік бағдарламаларды үйлестіру "
    "басқармасы» мемлекеттік мекемесі",
    name_ru="Государственное учреждение «Управление координации занятости и социальных "
    "программ Акмолинской области»",
    address="020000, Қазақстан Республикасы, Ақмола облысы, Көкшетау қаласы, А.С.Пушкин "
    "атындағы көше, 23, 301-кабинет",
    address_ru="020000, Республика Казахстан, Акмолинская область, г. Кокшетау, ул. им. "
    "А.С. Пушкина, 23, каб. 301",
    phones=("8(7162)763690",),
    email="akmout@mail.online.kz",
)
DOCUMENTS = (
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
)
CLERK = ("Әбдіқадырова", "Гүлнұр")
APPLICANT = "Һәкімжанов Ғалымжан Өмірұлы"
ADDRESS = "020000, Көкшетау қ., Ұлықбек к-сі, 12-3"


def talon() -> TalonData:
    return TalonData(
        case_no="19-2026-00042", registered_at=datetime(2026, 11, 25, 5, 7, tzinfo=UTC),
        clerk_surname=CLERK[0], clerk_name=CLERK[1], result_due=date(2026, 12, 10),
        department=DEPARTMENT, applicant_name=APPLICANT, delivery_method="post",
        postal_address=ADDRESS, documents=DOCUMENTS,
    )


def talon_couple() -> TalonData:
    """Item 6.1: the talon of a married applicant, naming the spouse's linked case."""
    from dataclasses import replace

    return replace(talon(), spouse_case_no="19-2026-00041")


def consult_slip() -> ConsultSlipData:
    """Issue 11.12: what a consultation visitor is told to bring (nothing about them)."""
    return ConsultSlipData(
        issued_at=datetime(2026, 11, 25, 6, 10, tzinfo=UTC), department=DEPARTMENT,
        institution=("Қарттар мен жалпы үлгідегі мүгедектерге арналған медициналық-әлеуметтік "
                     "мекеме", "Медико-социальное учреждение для престарелых и инвалидов "
                     "общего типа"),
        categories=(L["category.pension_age"], L["category.disabled"]),
        documents=(*DOCUMENTS, ("мүгедектігі туралы анықтамадан үзінді көшірме",
                                "выписка из справки об инвалидности"),
                   ("мүгедекті жеке оңалтудың бағдарламасынан үзінді көшірме",
                    "выписка из индивидуальной программы реабилитации инвалида")),
    )


def blank_form() -> BlankFormData:
    from mss_desk.paper.form_fields import blank_form_sections

    return BlankFormData(department=DEPARTMENT, sections=blank_form_sections())


def register() -> RegisterData:
    """Item 5: the forwarding register, one line on the council-exception path (item 6.1)."""
    from mss_desk.paper.register import RegisterData, RegisterRow

    inst = ("Қарттар мен жалпы үлгідегі мүгедектерге арналған МӘМ",
            "МСУ для престарелых и инвалидов общего типа")
    rows = (
        RegisterRow(1, "19-2026-00041", "Һәкімжанова Әлия Қайратқызы", inst,
                    date(2026, 11, 24), False, 8, date(2026, 12, 9)),
        RegisterRow(2, "19-2026-00042", APPLICANT, inst, date(2026, 11, 25), False, 9,
                    date(2026, 12, 10), council_decision_no="12/2026",
                    council_decision_date=date(2026, 11, 20)),
        RegisterRow(3, "19-2026-00043", "Ғабдуллин Ерлан Нұрланұлы", inst,
                    date(2026, 11, 25), True, 9, date(2026, 12, 10)),
    )
    return RegisterData(DEPARTMENT, date(2026, 12, 1), rows, clerk_name=" ".join(CLERK))


def ticket() -> TicketSlipData:
    return TicketSlipData(number="A-007", purpose="submit",
                          issued_at=datetime(2026, 11, 25, 4, 15, tzinfo=UTC),
                          department=DEPARTMENT, ahead=3)


def missing() -> MissingSlipData:
    return MissingSlipData(
        issued_at=datetime(2026, 11, 25, 6, 40, tzinfo=UTC),
        missing=(DOCUMENTS[4], ("мүгедектігі туралы анықтамадан үзінді көшірме",
                                "выписка из справки об инвалидности")),
        department=DEPARTMENT, applicant_name=APPLICANT,
        institution=("Қарттар мен жалпы үлгідегі мүгедектерге арналған МӘМ",
                     "МСУ для престарелых и инвалидов общего типа"),
        clerk_surname=CLERK[0], clerk_name=CLERK[1],
    )


def complaint() -> ComplaintTalonData:
    return ComplaintTalonData(
        complaint_no="Ш-19-2026-0003", accepted_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        answer_due=date(2026, 12, 10),
        answer_place="Көкшетау қ., Локомотивная к-сі, 9а, 12-кабинет",
        answer_place_ru="г. Кокшетау, ул. Локомотивная, 9а, каб. 12",
        answer_how=(kk("answer_how.text"), ru("answer_how.text")),
        official_name="Жұмабекова Әлия Қайратқызы",
        official_position=both("position.head"),
        official_phone="8-(7162)-31-92-76", department=DEPARTMENT,
        accepted_by=" ".join(CLERK), accepted_by_position=both("position.clerk"),
        applicant_name=APPLICANT, case_no="19-2026-00042", regional=REGIONAL,
    )


def notice() -> PostalNoticeData:
    return PostalNoticeData(
        case_no="19-2026-00042", applicant_name=APPLICANT, postal_address=ADDRESS,
        notice_date=date(2026, 12, 8), department=DEPARTMENT, collect_until=date(2027, 1, 7),
        clerk_surname=CLERK[0], clerk_name=CLERK[1],
    )


def render_all() -> dict[str, bytes]:
    from mss_desk.paper.consult import render_blank_form, render_consult_slip
    from mss_desk.paper.notice import render_postal_notice
    from mss_desk.paper.register import render_register
    from mss_desk.paper.slips import render_complaint_talon, render_missing, render_ticket
    from mss_desk.paper.talon import render_talon

    return {
        "talon-a6": render_talon(talon(), "a6"),
        "talon-roll80": render_talon(talon(), "roll80"),
        "ticket-roll80": render_ticket(ticket(), "roll80"),
        "missing-a6": render_missing(missing(), "a6"),
        "complaint-talon": render_complaint_talon(complaint(), "a6"),
        "notice-a4": render_postal_notice(notice()),
        "talon-couple-a6": render_talon(talon_couple(), "a6"),
        "consult-slip": render_consult_slip(consult_slip(), "a6"),
        "blank-form": render_blank_form(blank_form()),
        "register-council": render_register(register()),
    }


def to_png(pdf_path: Path, png_path: Path, dpi: int = 100) -> Path:
    """First page as a small grey PNG (pdftoppm from poppler-utils, then 8 grey levels)."""
    import shutil
    import subprocess
    import tempfile

    from PIL import Image

    exe = shutil.which("pdftoppm")
    if exe is None:
        raise RuntimeError("pdftoppm not found: apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "page"
        subprocess.run([exe, "-r", str(dpi), "-gray", "-singlefile", "-png", str(pdf_path),
                        str(base)], check=True, timeout=60)
        with Image.open(f"{base}.png") as im:
            im.convert("L").quantize(colors=8).save(png_path, optimize=True, bits=3)
    return png_path


def main(argv: list[str] | None = None) -> int:
    """``samples OUT_DIR [--png]``: write every sample PDF (and a PNG of each for docs/img)."""
    from mss_desk.paper.printing import save_pdf

    args = sys.argv[1:] if argv is None else argv
    png = "--png" in args
    rest = [a for a in args if a != "--png"]
    out = Path(rest[0]) if rest else Path(".")
    for name, pdf in render_all().items():
        path = save_pdf(pdf, out / f"{name}.pdf")
        print(path)
        if png:  # A4 landscape (the register) at 75 dpi: the README's pictures stay < 900 px
            dpi = 75 if name.startswith("register") else 100
            print(to_png(path, out / f"paper-{name}.png", dpi=dpi))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
