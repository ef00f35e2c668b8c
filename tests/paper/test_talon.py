"""Item 15: the registration talon — every required field, page sizes, barcode, safety."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest

from mss_desk.paper import layout
from mss_desk.paper.data import SERVICE_NAME_KK, SERVICE_NAME_RU, TalonData
from mss_desk.paper.talon import render_talon, talon_barcode, talon_flow
from tests.paper.conftest import DEPT, DOCS, KAZAKH, page_sizes_mm, pdf_text, rasterize, talon_data

LAYOUTS = ("a6", "roll80")


@pytest.mark.parametrize("kind", LAYOUTS)
def test_talon_shows_every_field_of_item_15(kind: str) -> None:
    text = pdf_text(render_talon(talon_data(), kind))  # type: ignore[arg-type]
    # item 15: date and time of registration (Asia/Almaty), clerk's surname and name,
    # the date the result is issued
    assert "25.11.2026 10:07" in text
    assert "Әбдіқадырова Гүлнұр" in text
    assert "10.12.2026" in text
    # the rest of the talon
    assert "01-2026-00042" in text
    assert SERVICE_NAME_KK in text
    assert SERVICE_NAME_RU in text
    assert DEPT.name_kk in text and DEPT.name_ru in text
    assert DEPT.address in text and "8-(71638)-2-10-48" in text
    assert "Һәкімжанов Ғалымжан Өмірұлы" in text
    assert "Пошта хабарламасы арқылы" in text and "Почтовым извещением" in text
    assert "020100, Ақкөл қ., Ұлықбек к-сі, 12-3" in text
    for kk, ru in DOCS:
        assert kk in text and ru in text
    # labels: Kazakh with Russian beside it
    assert "Нәтиже берілетін күн / Дата выдачи результата" in text
    assert "Құжаттарды қабылдаған адамның тегі мен аты / Фамилия и имя принявшего документы" in text


@pytest.mark.parametrize("kind", LAYOUTS)
def test_every_kazakh_letter_prints_as_itself(kind: str) -> None:
    data = talon_data(applicant_name=f"{KAZAKH} Тестов", clerk_name="ҢңҺһ")
    text = pdf_text(render_talon(data, kind))  # type: ignore[arg-type]
    assert f"{KAZAKH} Тестов" in text
    assert "Әбдіқадырова ҢңҺһ" in text
    assert "?" not in text


def test_in_person_delivery_has_no_postal_address() -> None:
    data = talon_data(delivery_method="in_person", postal_address="should not print")
    text = pdf_text(render_talon(data, "a6"))
    assert "Бөлімге келіп алады" in text and "Лично в отделе" in text
    assert "should not print" not in text
    assert "Пошта хабарламасы" not in text


def test_registration_time_is_shown_in_the_department_time_zone() -> None:
    # 20:30 UTC on 25 Nov is 01:30 on 26 Nov in Asia/Almaty: the local date is printed.
    late = talon_data(registered_at=datetime(2026, 11, 25, 20, 30, tzinfo=UTC))
    assert "26.11.2026 01:30" in pdf_text(render_talon(late, "a6"))
    moscow = talon_data(tz_name="Europe/Moscow")
    assert "25.11.2026 08:07" in pdf_text(render_talon(moscow, "a6"))


def test_dates_have_four_digit_years() -> None:
    data = talon_data(result_due=date(2027, 1, 5))
    text = pdf_text(render_talon(data, "a6"))
    assert "05.01.2027" in text
    assert " 05.01.27" not in text


def test_naive_registration_time_is_refused() -> None:
    with pytest.raises(ValueError):
        talon_data(registered_at=datetime(2026, 11, 25, 10, 7))
    with pytest.raises(ValueError):
        talon_data(delivery_method="pigeon")


def test_a6_page_is_105_by_148_mm() -> None:
    sizes = page_sizes_mm(render_talon(talon_data(), "a6"))
    assert sizes == [pytest.approx((105.0, 148.0), abs=0.01)]


def test_a6_with_a_long_list_breaks_onto_more_a6_pages() -> None:
    many = tuple((f"{kk} {i}", ru) for i in range(3) for kk, ru in DOCS)
    pdf = render_talon(talon_data(documents=many), "a6")
    sizes = page_sizes_mm(pdf)
    assert len(sizes) >= 2
    assert all(s == pytest.approx((105.0, 148.0), abs=0.01) for s in sizes)
    text = pdf_text(pdf)
    assert f"{DOCS[-1][0]} 2" in text and "01-2026-00042" in text


def test_roll_is_80_mm_wide_and_as_tall_as_its_content() -> None:
    short = talon_data(documents=DOCS[:2])
    long = talon_data(documents=DOCS)
    (w1, h1), = page_sizes_mm(render_talon(short, "roll80"))
    (w2, h2), = page_sizes_mm(render_talon(long, "roll80"))
    assert w1 == pytest.approx(80.0, abs=0.01) and w2 == pytest.approx(80.0, abs=0.01)
    assert h2 > h1
    flow = talon_flow(long, "roll80")
    margin = layout.PAGES["roll80"][3]
    assert h2 == pytest.approx((flow.height + 2 * margin) / layout.mm, abs=0.01)


@pytest.mark.parametrize("kind", LAYOUTS)
def test_everything_fits_the_column(kind: str) -> None:
    """No line is wider than the column (long names and words are wrapped or broken)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    name = "Әбдіқадыроваүлықбекқызыжанмұхаммедқожахметова " * 3
    flow = talon_flow(talon_data(applicant_name=name), kind)  # type: ignore[arg-type]
    for line in flow.wrap(name, flow.fonts.regular, 12, flow.width):
        assert stringWidth(line, flow.fonts.regular, 12) <= flow.width
    assert talon_barcode("01-2026-00042", flow.width).width <= flow.width


@pytest.mark.parametrize("case_no", ["01-2026-00042", "19-2027-12345", "07-2026-00311",
                                     "12-2026-00907", "A-001"])
def test_barcode_is_code128_of_the_case_number_as_reportlab_encodes_it(case_no: str) -> None:
    from reportlab.graphics.barcode.code128 import Code128

    reference = Code128(case_no)
    reference.validate()
    reference.encode()
    reference.decompose()
    bars = talon_barcode(case_no)
    assert bars.value == case_no
    assert bars.symbols == reference.encoded
    assert bars.widths == [ord(ch.upper()) - ord("A") + 1 for ch in reference.decomposed]


def test_code128_checksum_and_code_sets() -> None:
    from mss_desk.paper.barcode import PATTERNS, encode

    assert len(PATTERNS) == 107
    assert all(sum(map(int, p)) == 11 for p in PATTERNS[:106])
    assert encode("1234") == [105, 12, 34, 82, 106]  # starts in code set C
    assert encode("A-001")[:2] == [104, 33]  # starts in code set B
    # a run of 5 digits inside stays in B (a switch pays off only from 6)
    assert 99 not in encode("A-12345-B")
    assert 99 in encode("A-123456-B")
    with pytest.raises(ValueError):
        encode("Ә-1")
    with pytest.raises(ValueError):
        encode("")


def test_barcode_fits_and_keeps_quiet_zones() -> None:
    from mss_desk.paper.barcode import QUIET

    narrow = talon_barcode("01-2026-00042", max_width=30 * layout.mm)
    assert narrow.width == pytest.approx(30 * layout.mm)
    assert narrow.modules == sum(narrow.widths) + 2 * QUIET


def _bars_to_image(bars: object, module_px: int = 4, height: int = 80) -> object:
    """Draw the bars with Pillow, straight from the widths the talon prints."""
    from PIL import Image, ImageDraw

    widths: list[int] = bars.widths  # type: ignore[attr-defined]
    quiet = 12 * module_px
    img = Image.new("L", (quiet * 2 + sum(widths) * module_px, height + 20), 255)
    draw = ImageDraw.Draw(img)
    x = quiet
    for k, w in enumerate(widths):
        if k % 2 == 0:
            draw.rectangle([x, 10, x + w * module_px - 1, 10 + height], fill=0)
        x += w * module_px
    return img


@pytest.mark.parametrize("case_no", ["01-2026-00042", "19-2027-12345", "07-2026-00311"])
def test_barcode_bars_decode_to_the_case_number(case_no: str) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    results = zxingcpp.read_barcodes(_bars_to_image(talon_barcode(case_no)))
    assert [(r.text, r.format.name) for r in results] == [(case_no, "Code128")]


@pytest.mark.parametrize("kind", LAYOUTS)
def test_printed_barcode_decodes_from_the_pdf_page(kind: str, tmp_path: object) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    pages = rasterize(render_talon(talon_data(case_no="12-2026-00907"), kind), tmp_path)  # type: ignore[arg-type]
    found = [r.text for p in pages for r in zxingcpp.read_barcodes(Image.open(p))
             if r.format.name == "Code128"]
    assert found == ["12-2026-00907"]


def test_user_text_is_plain_text_never_markup_and_never_control() -> None:
    data = talon_data(
        applicant_name='<b>Әли</b> &amp; <font size="40">x</font>\x1b[31m\u202eЖан',
        postal_address="Ақкөл\n\tкөшесі\x00 5",
    )
    text = pdf_text(render_talon(data, "a6"))
    assert '<b>Әли</b> &amp; <font size="40">x</font>[31mЖан' in text
    assert "\x1b" not in text and "\u202e" not in text
    assert "Ақкөл көшесі 5" in text


def test_a_character_the_font_lacks_is_never_a_box() -> None:
    text = pdf_text(render_talon(talon_data(applicant_name="Әли 李 Жан"), "a6"))
    assert "Әли ? Жан" in text


def test_same_data_gives_the_same_bytes() -> None:
    assert render_talon(talon_data(), "a6") == render_talon(talon_data(), "a6")


def test_pdf_embeds_the_font() -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_talon(talon_data(), "roll80")))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in desc["/FontDescriptor"].get_object()


def test_talon_data_is_frozen() -> None:
    data = talon_data()
    with pytest.raises(AttributeError):
        data.case_no = "x"  # type: ignore[misc]
    assert isinstance(data, TalonData)


def test_renders_in_worker_threads_do_not_interfere() -> None:
    """The app prints from worker threads: concurrent talons come out whole and identical.

    ReportLab keeps a font's subset state in the shared TTFont, so without
    ``fonts.one_pdf_at_a_time`` this fails (wrong bytes or an IndexError in the subsetter);
    a tiny thread switch interval makes the interleaving happen on every run."""
    import sys
    from concurrent.futures import ThreadPoolExecutor

    expected = {kind: render_talon(talon_data(), kind) for kind in LAYOUTS}  # type: ignore[arg-type]
    kinds = [LAYOUTS[i % 2] for i in range(64)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _round in range(4):
            with ThreadPoolExecutor(max_workers=8) as pool:
                got = list(pool.map(lambda k: render_talon(talon_data(), k), kinds))  # type: ignore[arg-type]
            assert all(pdf == expected[k] for pdf, k in zip(got, kinds, strict=True))
    finally:
        sys.setswitchinterval(interval)


@pytest.mark.parametrize("kind", LAYOUTS)
def test_item_6_1_talon_prints_the_spouses_linked_case(kind: str) -> None:
    """Married couples (item 6.1): the talon names the spouse's case; a single person's none."""
    text = pdf_text(render_talon(talon_data(spouse_case_no="01-2026-00041"), kind))  # type: ignore[arg-type]
    assert "Жұбайының іс нөмірі (6.1-тармақ) / Номер дела супруга(-и) (п. 6.1)" in text
    assert "01-2026-00041" in text
    alone = pdf_text(render_talon(talon_data(), kind))  # type: ignore[arg-type]
    assert "Жұбайының" not in alone
