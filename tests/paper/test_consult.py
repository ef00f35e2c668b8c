"""Issue 11 point 12: paper for a consultation visitor — the documents list (item 12) and the
blank application form (item 13). Text read back from the PDF (pypdf); one page each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mss_desk.i18n import t
from mss_desk.paper.consult import render_blank_form, render_consult_slip
from mss_desk.paper.data import BlankFormData, ConsultSlipData
from mss_desk.paper.form_fields import blank_form_sections
from mss_desk.paper.labels import L
from tests.paper.conftest import DEPT, DOCS, KAZAKH, page_sizes_mm, pdf_text

ELDERLY = ("Қарттар мен жалпы үлгідегі мүгедектерге арналған медициналық-әлеуметтік мекеме",
           "Медико-социальное учреждение для престарелых и инвалидов общего типа")


def slip(**changes: object) -> ConsultSlipData:
    base: dict[str, object] = dict(
        issued_at=datetime(2026, 11, 25, 6, 10, tzinfo=UTC), department=DEPT,
        institution=ELDERLY, categories=(L["category.disabled"],), documents=DOCS,
    )
    base.update(changes)
    return ConsultSlipData(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["a6", "roll80"])
def test_consult_slip_lists_the_documents_the_term_and_the_department(kind: str) -> None:
    text = pdf_text(render_consult_slip(slip(), kind))  # type: ignore[arg-type]
    assert "Қажетті құжаттар тізімі" in text and "Перечень необходимых документов" in text
    assert ELDERLY[0] in text and ELDERLY[1] in text
    assert "мүгедек / инвалид" in text  # the category chosen
    for kk, ru in DOCS:
        assert kk in text and ru in text
    # item 7.1: the service term, in both languages
    assert "15 күнтізбелік күн" in text and "15 календарных дней" in text
    # the Department's contacts (Annex 1, item 21)
    assert DEPT.name_kk in text and DEPT.address in text and "8-(71638)-2-10-48" in text
    assert "09:00–18:00" in text
    assert "25.11.2026 11:10" in text  # printed in the Department's time (UTC+5)


def test_consult_slip_with_no_category_says_the_basic_list() -> None:
    text = pdf_text(render_consult_slip(slip(categories=()), "a6"))
    assert "негізгі тізім / основной перечень" in text


def test_consult_slip_is_one_a6_page_with_the_longest_list() -> None:
    """The elderly type with every category (12 documents) still fits one A6 page."""
    twelve = DOCS + (
        ("Ұлы Отан соғысының мүгедегі мәртебесі туралы куәлік",
         "удостоверение о статусе инвалида ВОВ"),
        ("Ардагерлер, мүгедектер істері жөніндегі кеңестің шешімі",
         "решение Совета по делам ветеранов и инвалидов"),
    )
    cats = tuple(L[f"category.{c}"] for c in
                 ("pension_age", "wwii", "disabled", "council_exception"))
    pdf = render_consult_slip(slip(documents=twelve, categories=cats), "a6")
    assert [(round(w), round(h)) for w, h in page_sizes_mm(pdf)] == [(105, 148)]


def test_consult_slip_prints_kazakh_letters_and_nothing_about_a_person() -> None:
    text = pdf_text(render_consult_slip(slip(institution=(KAZAKH, KAZAKH)), "a6"))
    assert KAZAKH in text and "?" not in text
    assert "Өтініш беруші /" not in text  # no applicant field: nothing about the person


def test_blank_form_is_one_a4_page_with_every_field_of_the_intake_form() -> None:
    from screens.intake.fields import RADIOS, TEXT_FIELDS

    pdf = render_blank_form(BlankFormData(DEPT, blank_form_sections()))
    assert [(round(w), round(h)) for w, h in page_sizes_mm(pdf)] == [(210, 297)]
    text = pdf_text(pdf)
    assert "ӨТІНІШ / ЗАЯВЛЕНИЕ" in text
    assert DEPT.name_kk in text and DEPT.name_ru in text
    # every text field and every choice of the intake screen, named as the screen names it
    for key in (*TEXT_FIELDS.values(), "intake.f.iin"):
        for lang in ("kk", "ru"):
            assert t(key, lang) in text, (key, lang)
    for key, (options, prefix) in RADIOS.items():
        label = {"delivery_method": "delivery"}.get(key, key)  # the screen's label key
        for lang in ("kk", "ru"):
            assert t(f"intake.f.{label}", lang) in text, (key, lang)
            for option in options:
                assert t(f"{prefix}.{option}", lang) in text, (prefix, option, lang)
    for key in ("disabled", "psychoneuro", "wwii", "needs_care", "declared_incapable"):
        assert t(f"intake.f.{key}", "kk") in text and t(f"intake.f.{key}", "ru") in text
    assert "Қолы / Подпись" in text
    assert "?" not in text
