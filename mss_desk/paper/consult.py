"""Paper for a consultation visitor (issue 11, point 12): nothing about the person.

* The information slip (A6 or an 80 mm roll, the ``slip_layout``): the documents required
  (item 12) for the institution type and applicant category the visitor asked about — the
  same checklist as intake — the service term (item 7.1) and the Department's contacts
  (Annex 1, item 21).
* The blank application form (item 13: the application is filled on the Department's own
  form): one A4 page with the fields of the intake form, to fill in at home.

Kazakh with Russian beside it, like the talon; saved 0600 like every paper.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm

from mss_desk.clock import local
from mss_desk.i18n.dates import format_datetime
from mss_desk.paper import layout
from mss_desk.paper.data import BlankFormData, ConsultSlipData, PaperSettings, TalonLayout
from mss_desk.paper.fonts import get_fonts
from mss_desk.paper.labels import both, kk, ru
from mss_desk.paper.printing import PrintResult, Runner, deliver
from mss_desk.paper.slips import _header

# -- the information slip (items 7.1, 12, 21) -------------------------------------------------


def consult_flow(data: ConsultSlipData, kind: TalonLayout, font_path: str | None = None
                 ) -> layout.Flow:
    f = layout.Flow(get_fonts(font_path), layout.column_width(kind))
    dept = data.department
    _header(f, dept)
    f.text(kk("consult.title"), size=9.5, bold=True, align="center")
    f.text(ru("consult.title"), size=7.5, gray=True, align="center")
    f.gap(0.8 * mm)
    f.label(kk("institution"), ru("institution"), size=6)
    f.text(data.institution[0], size=7, bold=True)
    f.text(data.institution[1], size=6.5, gray=True)
    f.gap(0.6 * mm)
    f.label(kk("consult.category"), ru("consult.category"), size=6)
    if data.categories:
        for cat_kk, cat_ru in data.categories:
            f.text(f"{cat_kk} / {cat_ru}", size=6.5)
    else:
        f.text(both("consult.category.none"), size=6.5)
    f.gap(0.8 * mm)
    f.text(kk("consult.intro"), size=7, bold=True)
    f.text(ru("consult.intro"), size=6.5, gray=True)
    f.gap(0.4 * mm)
    f.inline_bullets(data.documents, size=6.3)
    f.gap(0.6 * mm)
    # item 13: the application and the medical card are filled on the Department's forms
    f.text(kk("consult.forms"), size=6)
    f.text(ru("consult.forms"), size=5.5, gray=True)
    f.rule(space=1 * mm)
    # item 7.1: the term of the service
    f.text(kk("consult.term", n=data.service_days), size=7, bold=True)
    f.text(ru("consult.term", n=data.service_days), size=6.5, gray=True)
    f.gap(0.6 * mm)
    # item 21: where to submit, the Department's contacts
    f.label(kk("missing.where"), ru("missing.where"), size=6)
    f.text(f"{dept.address} · {kk('phone')}: {dept.phone_text}", size=7, bold=True)
    if dept.email:
        f.text(f"{both('email')}: {dept.email}", size=6.5)
    f.text(f"{both('reception')}: {dept.reception}", size=6.5)
    f.gap(0.6 * mm)
    issued = local(data.issued_at, data.tz_name)
    f.text(f"{both('date')}: {format_datetime(issued)}", size=6, gray=True)
    return f


def render_consult_slip(data: ConsultSlipData, kind: TalonLayout = "a6",
                        font_path: str | None = None) -> bytes:
    return layout.render(consult_flow(data, kind, font_path), kind,
                         title="Қажетті құжаттар / Необходимые документы",
                         subject="item 12 documents for a consultation visitor")


def consult_filename(data: ConsultSlipData) -> str:
    stamp = local(data.issued_at, data.tz_name).strftime("%Y%m%d-%H%M%S")
    return f"consult-{stamp}.pdf"


def print_consult_slip(data: ConsultSlipData, settings: PaperSettings, *,
                       out: Path | None = None, send: bool = True,
                       runner: Runner | None = None) -> PrintResult:
    pdf = render_consult_slip(data, settings.slips, settings.font_path)
    return deliver(pdf, consult_filename(data), settings, out=out, send=send, runner=runner)


# -- the blank application form (item 13) ------------------------------------------------------


def blank_form_flow(data: BlankFormData, font_path: str | None = None) -> layout.Flow:
    f = layout.Flow(get_fonts(font_path), layout.column_width("a4"))
    dept = data.department
    # addressed to the Department (Annex 1), top right as on an application
    f.text(kk("form.to"), size=8, align="right", gray=True)
    f.text(dept.name_kk, size=8.5, align="right")
    f.text(dept.name_ru, size=8, gray=True, align="right")
    f.gap(2 * mm)
    f.text(f"{kk('form.title')} / {ru('form.title')}", size=14, bold=True, align="center")
    f.text(data.service_name[0], size=7.5, align="center")
    f.text(data.service_name[1], size=7, gray=True, align="center")
    f.gap(1.5 * mm)
    f.text(kk("form.request"), size=8)
    f.text(ru("form.request"), size=7.5, gray=True)
    for section in data.sections:
        f.gap(1.5 * mm)
        f.text(f"{section.title[0]} / {section.title[1]}", size=8.5, bold=True,
               keep_with_next=True)
        f.rule(space=0.6 * mm, weight=0.4)
        for row in section.rows:
            lines: list[tuple[str, str]] = []  # lines to write on side by side, in order
            for fld in (*row, None):
                if fld is not None and not fld.options:
                    lines.append(fld.label)
                    continue
                if lines:
                    f.blanks(lines, line_height=5.2 * mm, label_size=6.5)
                    lines = []
                if fld is not None:
                    f.choices(fld.label[0], fld.label[1], fld.options, size=7, label_size=6.5)
    f.gap(3 * mm)
    f.text(kk("form.truth"), size=7)
    f.text(ru("form.truth"), size=6.5, gray=True)
    f.gap(1.5 * mm)
    f.blanks([(kk("date"), ru("date")), (kk("form.signature"), ru("form.signature")),
              (kk("form.accepted"), ru("form.accepted"))], line_height=6 * mm)
    return f


def render_blank_form(data: BlankFormData, font_path: str | None = None) -> bytes:
    return layout.render(blank_form_flow(data, font_path), "a4",
                         title="Өтініш / Заявление", subject="item 13 application form")


def blank_form_filename() -> str:
    return "application-form.pdf"


def print_blank_form(data: BlankFormData, settings: PaperSettings, *, out: Path | None = None,
                     send: bool = True, runner: Runner | None = None) -> PrintResult:
    pdf = render_blank_form(data, settings.font_path)
    return deliver(pdf, blank_form_filename(), settings, out=out, send=send, runner=runner)
