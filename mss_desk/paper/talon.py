"""Item 15: the registration talon, on A6 or on an 80 mm receipt roll.

It shows the date and time the complete set of documents was registered, the surname and
name of the clerk who accepted them, the date the result will be issued (the service
deadline, item 7.1), the service, the Department (Annex 1), the case number, the applicant,
the delivery method (item 16), the documents received (item 12) and a Code 128 barcode of
the case number (a keyboard-wedge scanner finds the case at pickup).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm

from mss_desk.clock import local
from mss_desk.i18n.dates import format_date, format_datetime
from mss_desk.paper import layout
from mss_desk.paper.barcode import Code128Bars
from mss_desk.paper.data import PaperSettings, TalonData, TalonLayout
from mss_desk.paper.fonts import get_fonts
from mss_desk.paper.labels import both, kk, ru
from mss_desk.paper.printing import PrintResult, Runner, deliver, safe_name

BAR_MODULE = 0.33 * mm  # Code 128 module; narrowed only if the column is too small
BAR_HEIGHT = 11 * mm
BAR_HEIGHT_A6 = 9 * mm


def talon_barcode(case_no: str, max_width: float = layout.column_width("roll80"),
                  height: float = BAR_HEIGHT) -> Code128Bars:
    """The Code 128 symbol of the case number (quiet zones included), fitted to the column."""
    bars = Code128Bars(case_no, BAR_MODULE, height)
    if bars.width > max_width:
        bars = Code128Bars(case_no, max_width / bars.modules, height)
    return bars


def talon_flow(data: TalonData, kind: TalonLayout, font_path: str | None = None
               ) -> layout.Flow:
    fonts = get_fonts(font_path)
    width = layout.column_width(kind)
    compact = kind == "a6"
    f = layout.Flow(fonts, width)
    dept = data.department
    # Annex 1: the Department's name, address and phone.
    f.text(dept.name_kk, size=6.5, bold=True, align="center")
    f.text(dept.name_ru, size=6, gray=True, align="center")
    f.text(f"{dept.address} · {kk('phone')}: {dept.phone_text}", size=6.5, align="center")
    f.rule(space=1.2 * mm)
    f.text(f"{kk('talon.title')} — {kk('talon.subtitle')}", size=9.5, bold=True,
           align="center")
    f.text(f"{ru('talon.title')} {ru('talon.subtitle')}", size=7.5, gray=True, align="center")
    f.gap(0.8 * mm)
    f.label(kk("service"), ru("service"), size=6)
    f.text(data.service_name[0], size=6.5)
    f.text(data.service_name[1], size=6, gray=True)
    f.gap(1 * mm)
    registered = local(data.registered_at, data.tz_name)
    clerk = f"{data.clerk_surname} {data.clerk_name}".strip()
    # item 15: date and time of registration, who accepted, the date the result is issued.
    f.row([(kk("case_no"), ru("case_no"), data.case_no, 11),
           (kk("result_due"), ru("result_due"), format_date(data.result_due), 11)])
    f.row([(kk("registered_at"), ru("registered_at"), format_datetime(registered), 8.5),
           (kk("accepted_by"), ru("accepted_by"), clerk, 8.5)])
    method = f"delivery.{data.delivery_method}"
    if compact:
        f.row([(kk("applicant"), ru("applicant"), data.applicant_name, 8.5),
               (kk("delivery"), ru("delivery"), both(method, sep=" / "), 7.5)])
    else:
        f.field(kk("applicant"), ru("applicant"), data.applicant_name, size=8.5,
                label_size=6)
        f.field(kk("delivery"), ru("delivery"), both(method), size=7.5, label_size=6)
    if data.spouse_case_no:  # item 6.1: married couples, one case each, linked
        f.field(kk("spouse_case"), ru("spouse_case"), data.spouse_case_no, size=7.5,
                bold=False, label_size=6)
    if data.delivery_method == "post" and data.postal_address:
        f.field(kk("postal_address"), ru("postal_address"), data.postal_address, size=7.5,
                bold=False, label_size=6)
    f.label(kk("documents"), ru("documents"), size=6)
    f.gap(0.4 * mm)
    if compact:
        f.inline_bullets(data.documents, size=6.3)
    else:
        f.bullets(data.documents, size=7)
    f.rule(space=1.2 * mm)
    f.barcode(talon_barcode(data.case_no, width, BAR_HEIGHT_A6 if compact else BAR_HEIGHT))
    f.text(data.case_no, size=7.5, align="center")
    f.gap(0.6 * mm)
    f.text(kk("talon.footer"), size=6)
    f.text(ru("talon.footer"), size=5.5, gray=True)
    return f


def render_talon(data: TalonData, kind: TalonLayout = "a6", font_path: str | None = None
                 ) -> bytes:
    """The talon as PDF bytes (A6 page, or an 80 mm roll page fitted to its content)."""
    flow = talon_flow(data, kind, font_path)
    return layout.render(flow, kind, title=f"Талон {data.case_no}",
                         subject="item 15 registration talon")


def talon_filename(case_no: str) -> str:
    return f"talon-{safe_name(case_no)}.pdf"


def print_talon(data: TalonData, settings: PaperSettings, *, out: Path | None = None,
                send: bool = True, runner: Runner | None = None) -> PrintResult:
    """Write the talon (to ``out`` or the paper folder, 0600) and send it to the printer.

    Reprint (``mss-desk talon CASE_NO --out FILE``): pass ``out`` and ``send=False``.
    """
    pdf = render_talon(data, settings.talon_layout, settings.font_path)
    return deliver(pdf, talon_filename(data.case_no), settings, out=out, send=send,
                   runner=runner)


def warm_up(font_path: str | None = None) -> None:
    """Import ReportLab, check and register the font, and lay out one talon, off-screen.

    The app calls this once in a worker thread after start-up: it is the start-time font
    check (raises :class:`FontError`) and it makes the clerk's first talon a warm one —
    ReportLab's import alone is most of a cold first talon.
    """
    from datetime import UTC, date, datetime

    from mss_desk.paper import notice, slips  # noqa: F401 (imported to warm them)
    from mss_desk.paper.data import DepartmentContact

    sample = TalonData(
        case_no="00-0000-00000", registered_at=datetime(2000, 1, 1, tzinfo=UTC),
        clerk_surname="Әә", clerk_name="Ғғ", result_due=date(2000, 1, 1),
        department=DepartmentContact(name_kk="Ққ", name_ru="Аа", address="Ңң"),
        applicant_name="ӨөҰұҮүҺһІі", delivery_method="in_person", documents=(("Әә", "Аа"),),
    )
    render_talon(sample, "a6", font_path)
