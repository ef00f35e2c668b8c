"""Small slips on the talon printer: the queue ticket, the missing-documents list and the
complaint talon (A6 or 80 mm roll, the ``slip_layout`` setting, else ``talon_layout``)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm

from mss_desk.clock import local
from mss_desk.i18n.dates import format_date, format_datetime
from mss_desk.paper import layout
from mss_desk.paper.data import (
    ComplaintTalonData,
    DepartmentContact,
    MissingSlipData,
    PaperSettings,
    TalonLayout,
    TicketSlipData,
)
from mss_desk.paper.fonts import get_fonts
from mss_desk.paper.labels import both, kk, ru
from mss_desk.paper.printing import PrintResult, Runner, deliver, safe_name


def _header(f: layout.Flow, dept: DepartmentContact) -> None:
    """Annex 1: the Department's name, address and phone at the top of every slip."""
    f.text(dept.name_kk, size=6.5, bold=True, align="center")
    f.text(dept.name_ru, size=6, gray=True, align="center")
    f.text(f"{dept.address} · {kk('phone')}: {dept.phone_text}", size=6.5, align="center")
    f.rule(space=1.2 * mm)


def _title(f: layout.Flow, key: str, size: float = 10) -> None:
    f.text(kk(key), size=size, bold=True, align="center")
    f.text(ru(key), size=size - 2, gray=True, align="center")
    f.gap(1 * mm)


# -- queue ticket (items 7.2, 7.3, 10) ---------------------------------------------------------

def ticket_flow(data: TicketSlipData, kind: TalonLayout, font_path: str | None = None
                ) -> layout.Flow:
    f = layout.Flow(get_fonts(font_path), layout.column_width(kind))
    _header(f, data.department)
    _title(f, "ticket.title")
    f.text(data.number, size=30, bold=True, align="center", leading=34)
    f.gap(1 * mm)
    purpose = f"purpose.{data.purpose}"
    f.text(kk(purpose), size=10, bold=True, align="center")
    f.text(ru(purpose), size=8.5, gray=True, align="center")
    f.gap(1.5 * mm)
    issued = local(data.issued_at, data.tz_name)
    f.row([(kk("issued_at"), ru("issued_at"), format_datetime(issued), 9),
           (kk("ticket.ahead"), ru("ticket.ahead"),
            "—" if data.ahead is None else str(data.ahead), 9)])
    f.rule(space=1 * mm)
    if data.max_wait_minutes is not None and data.purpose != "consult":
        # items 7.2, 7.3: at most 40 minutes in the queue to submit or to collect (not for
        # information and complaints, which have no limit)
        f.text(kk("ticket.promise", n=data.max_wait_minutes), size=8, bold=True)
        f.text(ru("ticket.promise", n=data.max_wait_minutes), size=7.5, gray=True)
    # item 10: first come, first served, no appointments, no express service
    f.text(kk("ticket.rule"), size=6.5)
    f.text(ru("ticket.rule"), size=6, gray=True)
    return f


def render_ticket(data: TicketSlipData, kind: TalonLayout = "roll80",
                  font_path: str | None = None) -> bytes:
    return layout.render(ticket_flow(data, kind, font_path), kind,
                         title=f"Кезек талоны {data.number}", subject="queue ticket")


def ticket_filename(data: TicketSlipData) -> str:
    day = local(data.issued_at, data.tz_name).strftime("%Y%m%d")
    return f"ticket-{day}-{safe_name(data.number)}.pdf"


def print_ticket(data: TicketSlipData, settings: PaperSettings, *, out: Path | None = None,
                 send: bool = True, runner: Runner | None = None) -> PrintResult:
    pdf = render_ticket(data, settings.slips, settings.font_path)
    return deliver(pdf, ticket_filename(data), settings, out=out, send=send, runner=runner)


# -- missing documents (item 12 words, item 17) -------------------------------------------------

def missing_flow(data: MissingSlipData, kind: TalonLayout, font_path: str | None = None
                 ) -> layout.Flow:
    f = layout.Flow(get_fonts(font_path), layout.column_width(kind))
    dept = data.department
    _header(f, dept)
    _title(f, "missing.title", size=9.5)
    issued = local(data.issued_at, data.tz_name)
    cells = [(kk("date"), ru("date"), format_datetime(issued), 8.5)]
    if data.applicant_name:
        cells.append((kk("applicant"), ru("applicant"), data.applicant_name, 8.5))
    f.row(cells)
    if data.institution:
        f.label(kk("institution"), ru("institution"), size=6)
        f.text(data.institution[0], size=7)
        f.text(data.institution[1], size=6.5, gray=True)
        f.gap(1 * mm)
    f.text(kk("missing.intro"), size=7.5, bold=True)
    f.text(ru("missing.intro"), size=7, gray=True)
    f.gap(1 * mm)
    f.bullets(data.missing, size=8)
    f.rule(space=1 * mm)
    # item 14: documents are brought to the Department at the place of residence (Annex 1)
    f.label(kk("missing.where"), ru("missing.where"), size=6)
    f.text(dept.name_kk, size=7)
    f.text(f"{dept.address} · {kk('phone')}: {dept.phone_text}", size=7.5, bold=True)
    f.text(f"{both('reception')}: {dept.reception}", size=7)
    f.gap(1 * mm)
    f.text(kk("missing.note"), size=6.5)
    f.text(ru("missing.note"), size=6, gray=True)
    clerk = f"{data.clerk_surname} {data.clerk_name}".strip()
    if clerk:
        f.gap(1 * mm)
        f.text(f"{both('issued_by')}: {clerk}", size=7)
    return f


def render_missing(data: MissingSlipData, kind: TalonLayout = "a6",
                   font_path: str | None = None) -> bytes:
    return layout.render(missing_flow(data, kind, font_path), kind,
                         title="Жетіспейтін құжаттар", subject="missing documents")


def missing_filename(data: MissingSlipData) -> str:
    stamp = local(data.issued_at, data.tz_name).strftime("%Y%m%d-%H%M%S")
    return f"missing-{stamp}.pdf"


def print_missing(data: MissingSlipData, settings: PaperSettings, *, out: Path | None = None,
                  send: bool = True, runner: Runner | None = None) -> PrintResult:
    pdf = render_missing(data, settings.slips, settings.font_path)
    return deliver(pdf, missing_filename(data), settings, out=out, send=send, runner=runner)


# -- complaint talon (item 23) ------------------------------------------------------------------

def complaint_flow(data: ComplaintTalonData, kind: TalonLayout, font_path: str | None = None
                   ) -> layout.Flow:
    f = layout.Flow(get_fonts(font_path), layout.column_width(kind))
    _header(f, data.department)
    _title(f, "complaint.title", size=9.5)
    accepted = local(data.accepted_at, data.tz_name)
    f.row([(kk("complaint_no"), ru("complaint_no"), data.complaint_no, 10),
           (kk("accepted_at"), ru("accepted_at"), format_datetime(accepted), 9)])
    if data.case_no or data.applicant_name:
        f.row([(kk("applicant"), ru("applicant"), data.applicant_name or "—", 8.5),
               (kk("related_case"), ru("related_case"), data.case_no or "—", 8.5)])
    if data.accepted_by:  # item 23: the surname and position of who took it
        who = data.accepted_by
        if data.accepted_by_position:
            who = f"{who}, {data.accepted_by_position}"
        f.field(kk("complaint.accepted_by"), ru("complaint.accepted_by"), who,
                size=8.5, label_size=6)
    f.rule(space=1 * mm)
    # item 23: the time and place for receiving the answer, and how it is given
    f.field(kk("answer_due"), ru("answer_due"), format_date(data.answer_due), size=12,
            label_size=6)
    f.label(kk("answer_place"), ru("answer_place"), size=6)
    f.text(data.answer_place, size=8.5, bold=True)
    if data.answer_place_ru:
        f.text(data.answer_place_ru, size=7.5, gray=True)
    f.gap(1.2 * mm)
    if data.answer_how:
        f.label(kk("answer_how"), ru("answer_how"), size=6)
        f.text(data.answer_how[0], size=7)
        f.text(data.answer_how[1], size=6.5, gray=True)
        f.gap(1.2 * mm)
    # item 23: the official from whom the progress can be learned
    f.label(kk("official"), ru("official"), size=6)
    f.text(data.official_name, size=8.5, bold=True)
    if data.official_position:
        f.text(data.official_position, size=7)
    f.text(f"{kk('phone')}: {data.official_phone}", size=8.5)
    dept = data.department
    if dept.email:  # item 21: the Department's phone and e-mail (Annex 1)
        f.field(kk("dept_contacts"), ru("dept_contacts"),
                f"{dept.phone_text} · {dept.email}", size=8, label_size=6)
    if data.regional is not None:  # items 22, 24.2: the next instance
        reg = data.regional
        f.rule(space=1 * mm)
        f.label(kk("next_instance"), ru("next_instance"), size=6)
        f.text(reg.name_kk, size=7, bold=True)
        f.text(reg.name_ru, size=6.5, gray=True)
        f.text(reg.address, size=7)  # Kazakh, as the Department's own in the header
        contacts = f"{kk('phone')}: {reg.phone_text}"
        if reg.email:
            contacts += f" · {kk('email')}: {reg.email}"
        f.text(contacts, size=7.5)
    return f


def render_complaint_talon(data: ComplaintTalonData, kind: TalonLayout = "a6",
                           font_path: str | None = None) -> bytes:
    return layout.render(complaint_flow(data, kind, font_path), kind,
                         title=f"Шағым {data.complaint_no}", subject="item 23 complaint talon")


def complaint_filename(data: ComplaintTalonData) -> str:
    return f"complaint-{safe_name(data.complaint_no)}.pdf"


def print_complaint_talon(data: ComplaintTalonData, settings: PaperSettings, *,
                          out: Path | None = None, send: bool = True,
                          runner: Runner | None = None) -> PrintResult:
    pdf = render_complaint_talon(data, settings.slips, settings.font_path)
    return deliver(pdf, complaint_filename(data), settings, out=out, send=send, runner=runner)
