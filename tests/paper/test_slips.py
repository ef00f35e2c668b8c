"""Queue ticket, missing-documents slip, complaint talon (item 23), postal notice (item 16)."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mss_desk.paper.data import PaperSettings
from mss_desk.paper.notice import print_postal_notice, render_postal_notice
from mss_desk.paper.slips import (
    print_complaint_talon,
    print_missing,
    print_ticket,
    render_complaint_talon,
    render_missing,
    render_ticket,
)
from tests.paper.conftest import (
    DEPT,
    DOCS,
    KAZAKH,
    complaint_data,
    missing_data,
    notice_data,
    page_sizes_mm,
    pdf_text,
    ticket_data,
)

SLIP_LAYOUTS = ("a6", "roll80")


def _check_page(pdf: bytes, kind: str) -> None:
    sizes = page_sizes_mm(pdf)
    if kind == "a6":
        assert sizes == [pytest.approx((105.0, 148.0), abs=0.01)]
    else:
        (w, h), = sizes
        assert w == pytest.approx(80.0, abs=0.01)
        assert 40 < h < 148  # fitted to a short slip, not a fixed page


# -- queue ticket --------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", SLIP_LAYOUTS)
def test_ticket_shows_number_purpose_time_and_the_40_minute_promise(kind: str) -> None:
    pdf = render_ticket(ticket_data(), kind)  # type: ignore[arg-type]
    _check_page(pdf, kind)
    text = pdf_text(pdf)
    assert "A-007" in text
    assert "Құжаттарды тапсыру" in text and "Сдача документов" in text
    assert "25.11.2026 09:15" in text  # 04:15 UTC in Asia/Almaty
    assert "Кезекте күтудің ең ұзақ уақыты — 40 минут" in text
    assert "Максимальное время ожидания в очереди — 40 минут" in text
    assert DEPT.name_kk in text


def test_ticket_for_collecting_the_result() -> None:
    text = pdf_text(render_ticket(ticket_data(number="B-001", purpose="collect")))
    assert "B-001" in text and "Нәтижені алу" in text and "Получение результата" in text
    assert "40 минут" in text


def test_consultation_ticket_makes_no_40_minute_promise() -> None:
    text = pdf_text(render_ticket(ticket_data(number="C-012", purpose="consult")))
    assert "C-012" in text and "Ақпарат, шағымдар" in text
    assert "40 минут" not in text
    assert "алдын ала жазылусыз" in text  # item 10: no appointments


def test_ticket_promise_follows_the_term_in_force() -> None:
    text = pdf_text(render_ticket(ticket_data(max_wait_minutes=30)))
    assert "30 минут" in text and "40 минут" not in text


def test_ticket_rejects_unknown_purpose_and_naive_time() -> None:
    with pytest.raises(ValueError):
        ticket_data(purpose="express")
    with pytest.raises(ValueError):
        ticket_data(issued_at=datetime(2026, 11, 25, 9, 15))


# -- missing documents ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", SLIP_LAYOUTS)
def test_missing_slip_lists_what_is_missing_and_where_to_bring_it(kind: str) -> None:
    pdf = render_missing(missing_data(), kind)  # type: ignore[arg-type]
    if kind == "a6":
        _check_page(pdf, kind)
    text = pdf_text(pdf)
    assert "Жетіспейтін құжаттар тізімі" in text and "Перечень недостающих документов" in text
    # in the standard's words (item 12), with the Russian beside
    for kk, ru in (DOCS[4], DOCS[8]):
        assert kk in text and ru in text
    for kk, _ru in (DOCS[0], DOCS[1]):
        assert kk not in text
    assert DEPT.address in text and "8-(71638)-2-10-48" in text
    assert "09:00–18:00 (үзіліс / перерыв 13:00–14:00)" in text  # reception hours (Annex 1)
    assert "Һәкімжанов Ғалымжан Өмірұлы" in text
    assert "25.11.2026 11:40" in text
    assert "17-тармақ" in text and "п. 17" in text
    assert "Әбдіқадырова Гүлнұр" in text


def test_missing_slip_without_optional_fields() -> None:
    data = missing_data(applicant_name=None, institution=None, clerk_surname="", clerk_name="")
    text = pdf_text(render_missing(data))
    assert DOCS[4][0] in text
    assert "Өтініш беруші" not in text and "Берген маман" not in text


# -- complaint talon -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", SLIP_LAYOUTS)
def test_complaint_talon_shows_acceptance_answer_deadline_place_and_official(kind: str) -> None:
    pdf = render_complaint_talon(complaint_data(), kind)  # type: ignore[arg-type]
    _check_page(pdf, kind)
    text = pdf_text(pdf)
    assert "Шағымның қабылданғаны туралы талон" in text and "Талон о приёме жалобы" in text
    assert "Ш-01-2026-0003" in text
    assert "25.11.2026 14:30" in text  # accepted (09:30 UTC, Asia/Almaty)
    assert "10.12.2026" in text  # the answer's deadline
    assert "Жауап берілетін мерзім / Срок ответа" in text
    assert "Ақкөл қ., Нұрмағамбетов к-сі, 81, 12-кабинет" in text  # place of the answer
    assert "Жұмабекова Әлия Қайратқызы" in text and "8-(71638)-2-10-48" in text
    assert "Әбдіқадырова Гүлнұр" in text and "01-2026-00042" in text


def test_complaint_without_a_case() -> None:
    text = pdf_text(render_complaint_talon(complaint_data(case_no=None, applicant_name=None,
                                                          official_position=None)))
    assert "Ш-01-2026-0003" in text and "По делу" not in text


# -- postal notice -------------------------------------------------------------------------------

def test_postal_notice_is_a4_and_says_the_result_is_ready() -> None:
    pdf = render_postal_notice(notice_data())
    assert page_sizes_mm(pdf) == [pytest.approx((210.0, 297.0), abs=0.01)]
    text = pdf_text(pdf)
    assert "ХАБАРЛАМА" in text and "ИЗВЕЩЕНИЕ" in text
    assert "№ 01-2026-00042 іс бойынша мемлекеттік қызмет нәтижесі дайын" in text
    assert "Результат государственной услуги по делу № 01-2026-00042 готов" in text
    assert "Һәкімжанов Ғалымжан Өмірұлы" in text
    assert "020100, Ақкөл қ., Ұлықбек к-сі, 12-3" in text
    assert DEPT.address in text and "8-(71638)-2-10-48" in text
    assert "08.12.2026" in text and "07.01.2027" in text
    assert "Әбдіқадырова Гүлнұр" in text


def test_postal_notice_never_tells_the_outcome() -> None:
    text = pdf_text(render_postal_notice(notice_data())).lower()
    for word in ("жолдама", "бас тарт", "направлен", "отказ"):
        assert word not in text


def test_postal_notice_without_a_safekeeping_date() -> None:
    text = pdf_text(render_postal_notice(notice_data(collect_until=None)))
    assert "сақтауға" not in text and "хранение" not in text


# -- every document ------------------------------------------------------------------------------

def _all_docs(kind: str) -> dict[str, bytes]:
    return {
        "ticket": render_ticket(ticket_data(), kind),  # type: ignore[arg-type]
        "missing": render_missing(missing_data(), kind),  # type: ignore[arg-type]
        "complaint": render_complaint_talon(complaint_data(), kind),  # type: ignore[arg-type]
        "notice": render_postal_notice(notice_data()),
    }


@pytest.mark.parametrize("kind", SLIP_LAYOUTS)
def test_user_text_with_every_kazakh_letter_prints_on_every_slip(kind: str) -> None:
    name = f"{KAZAKH} <i>x</i>"
    docs = {
        "ticket": render_ticket(ticket_data(number=KAZAKH[:4]), kind),  # type: ignore[arg-type]
        "missing": render_missing(missing_data(applicant_name=name), kind),  # type: ignore[arg-type]
        "complaint": render_complaint_talon(complaint_data(applicant_name=name), kind),  # type: ignore[arg-type]
        "notice": render_postal_notice(notice_data(applicant_name=name)),
    }
    for label, pdf in docs.items():
        expected = KAZAKH[:4] if label == "ticket" else name
        assert expected in pdf_text(pdf), label


def test_print_functions_write_0600_files_with_distinct_names(tmp_path: Path) -> None:
    settings = PaperSettings(out_dir=tmp_path, talon_layout="roll80")
    results = [
        print_ticket(ticket_data(), settings),
        print_missing(missing_data(), settings),
        print_complaint_talon(complaint_data(), settings),
        print_postal_notice(notice_data(), settings),
    ]
    names = [r.path.name for r in results]
    assert names == ["ticket-20261125-A-007.pdf", "missing-20261125-114000.pdf",
                     "complaint-Ш-01-2026-0003.pdf",
                     "notice-01-2026-00042-20261208.pdf"]
    assert len(set(names)) == 4
    for r in results:
        assert stat.S_IMODE(r.path.stat().st_mode) == 0o600 and r.ok
    # slips follow the talon printer unless slip_layout says otherwise
    (w, _h), = page_sizes_mm(results[0].path.read_bytes())
    assert round(w) == 80
    a6 = print_ticket(ticket_data(), PaperSettings(out_dir=tmp_path, talon_layout="roll80",
                                                   slip_layout="a6"))
    assert page_sizes_mm(a6.path.read_bytes()) == [pytest.approx((105.0, 148.0), abs=0.01)]


def test_complaint_file_name_has_no_unsafe_characters(tmp_path: Path) -> None:
    r = print_complaint_talon(complaint_data(complaint_no="Ш/01 2026"),
                              PaperSettings(out_dir=tmp_path))
    assert r.path.parent == tmp_path and "/" not in r.path.name and " " not in r.path.name


def test_dates_on_slips_are_dd_mm_yyyy() -> None:
    text = pdf_text(render_complaint_talon(complaint_data(answer_due=date(2027, 3, 9))))
    assert "09.03.2027" in text
    late = ticket_data(issued_at=datetime(2026, 12, 31, 19, 5, tzinfo=UTC))
    assert "01.01.2027 00:05" in pdf_text(render_ticket(late))


def test_samples_render_every_document(tmp_path: Path) -> None:
    from mss_desk.paper import samples

    assert samples.main([str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{n}.pdf" for n in samples.render_all())
    for p in tmp_path.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
        assert "19-2026-00042" in pdf_text(p.read_bytes()) or p.name.startswith(
            ("ticket", "missing", "consult", "blank-form"))  # no case: nothing of a person


def test_samples_make_small_pngs_for_the_readme(tmp_path: Path) -> None:
    import shutil

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image

    from mss_desk.paper import samples

    assert samples.main([str(tmp_path), "--png"]) == 0
    pngs = sorted(tmp_path.glob("paper-*.png"))
    assert len(pngs) == len(samples.render_all())
    for p in pngs:
        assert p.stat().st_size < 60_000
        with Image.open(p) as im:
            assert 300 <= im.size[0] <= 900  # ~100 dpi: 80 mm ≈ 315 px, A4 ≈ 827 px
