"""Item 5: the forwarding register — one line per file sent to the Regional Department.

Printed on A4 landscape when the clerk marks files as sent; it goes with the paper files
and comes back signed by whoever received them. Kazakh with Russian beside it, the desk's
embedded font (``paper.fonts``), saved 0600 (``paper.printing``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from mss_desk.paper.data import AuditLine, DepartmentContact, PaperSettings
from mss_desk.paper.fonts import Fonts, get_fonts, one_pdf_at_a_time
from mss_desk.paper.printing import PrintResult, Runner, deliver
from mss_desk.text import clean_line

TITLE = (
    "Басқармаға жіберілген істердің тізілімі",
    "Реестр дел, направленных в Управление",
)
COLUMNS = (
    ("№", "№"),
    ("Іс нөмірі", "Номер дела"),
    ("Өтініш беруші", "Заявитель"),
    ("МӘМ түрі", "Тип МСУ"),
    ("Қабылданды", "Принято"),
    ("Кезек", "Очерёдность"),
    ("Құжат саны", "Кол-во док."),
    ("Шешім мерзімі", "Срок решения"),
    ("Кеңес шешімі (6.1)", "Решение Совета (п. 6.1)"),
)
WIDTHS_MM = (10, 32, 58, 45, 24, 22, 20, 26, 36)  # 273 mm: A4 landscape less the margins


@dataclass(frozen=True)
class RegisterRow:
    no: int
    case_no: str
    applicant_name: str
    institution: tuple[str, str]  # (kk, ru) name of the institution type
    accepted_on: date
    priority: bool  # item 6.1: WWII first priority
    documents: int
    decision_due: date | None
    # item 6.1: the Council's decision (number, date) on the council-exception path
    council_decision_no: str | None = None
    council_decision_date: date | None = None

    @property
    def council_text(self) -> str:
        """The decision as printed: its date first (never cut), then its number."""
        if not self.council_decision_no and self.council_decision_date is None:
            return ""
        day = _d(self.council_decision_date) if self.council_decision_date else ""
        number = f"№ {clean_line(self.council_decision_no)}" if self.council_decision_no else ""
        return " ".join(p for p in (day, number) if p)


@dataclass(frozen=True)
class RegisterData:
    department: DepartmentContact
    sent_on: date
    rows: tuple[RegisterRow, ...]
    clerk_name: str = ""
    regional_name: tuple[str, str] = ("Басқарма", "Управление")
    audit: AuditLine | None = None  # issue 15, item 6: the head anchored on the day's paper


def _d(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def _fit(text: str, fonts: Fonts, size: float, width: float) -> str:
    """One line that fits ``width`` (ellipsis), with glyphs the font lacks replaced.

    Linear in the text (issue 15, item 7): the longest prefix that fits beside the ellipsis
    is found in one pass (``layout.break_word``), not by cutting one character at a time
    and measuring the whole rest again.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from mss_desk.paper.layout import MAX_FIELD_CHARS, break_word

    text = "".join(ch if fonts.can_draw(ch) else "?" for ch in clean_line(text))
    if len(text) <= MAX_FIELD_CHARS and stringWidth(text, fonts.regular, size) <= width:
        return text
    room = width - stringWidth("…", fonts.regular, size)
    if room <= 0:
        return "…"
    head = break_word(text[: MAX_FIELD_CHARS], fonts.regular, size, room)[0]
    if stringWidth(head, fonts.regular, size) > room:  # one character wider than the room
        return "…"
    return head + "…"


def draw_audit_line(c: Any, fonts: Fonts, audit: AuditLine | None, x: float) -> None:
    """The audit head at the foot of a page (issue 15, item 6), small and grey, below the
    content's bottom margin; nothing when the paper has no audit line."""
    if audit is None:
        return
    from reportlab.lib.units import mm

    c.saveState()
    c.setFillGray(0.3)
    c.setFont(fonts.regular, 6.5)
    first, second = audit.lines()
    c.drawString(x, 8.5 * mm, first)
    c.drawString(x, 5.5 * mm, second)
    c.restoreState()


@one_pdf_at_a_time
def render_register(data: RegisterData, font_path: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    fonts = get_fonts(font_path)
    font = fonts.regular
    page_w, page_h = landscape(A4)
    margin = 12 * mm
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(page_w, page_h), pageCompression=1)
    c.setTitle(f"{TITLE[0]} {_d(data.sent_on)}")
    c.setSubject("item 5 forwarding register")
    widths = [w * mm for w in WIDTHS_MM]
    row_h = 7 * mm

    def header(page: int) -> float:
        y = page_h - margin
        c.setFont(font, 10)
        c.drawString(margin, y, _fit(data.department.name_kk, fonts, 10, page_w - 2 * margin))
        y -= 4.5 * mm
        c.setFont(font, 9)
        c.drawString(margin, y, _fit(data.department.name_ru, fonts, 9, page_w - 2 * margin))
        y -= 8 * mm
        c.setFont(font, 14)
        c.drawCentredString(page_w / 2, y, f"{TITLE[0]} / {TITLE[1]}")
        y -= 6 * mm
        c.setFont(font, 10)
        sent = _d(data.sent_on)
        c.drawCentredString(
            page_w / 2,
            y,
            f"Жіберілген күні / Дата отправки: {sent}   ·   {page}-бет / стр. {page}",
        )
        y -= 8 * mm
        x = margin
        c.setFont(font, 8)
        for (kk, ru), w in zip(COLUMNS, widths, strict=True):
            c.rect(x, y - 2 * row_h + 2 * mm, w, 2 * row_h - 0 * mm, stroke=1, fill=0)
            c.drawString(x + 1.2 * mm, y - 2.5 * mm, _fit(kk, fonts, 8, w - 2.4 * mm))
            c.drawString(x + 1.2 * mm, y - 6.5 * mm, _fit(ru, fonts, 8, w - 2.4 * mm))
            x += w
        return y - 2 * row_h + 2 * mm

    page = 1
    y = header(page)
    for row in data.rows:
        if y - row_h < margin + 30 * mm:
            draw_audit_line(c, fonts, data.audit, margin)
            c.showPage()
            page += 1
            y = header(page)
        cells = (
            str(row.no),
            row.case_no,
            row.applicant_name,
            row.institution[0],
            _d(row.accepted_on),
            "ҰОС / ВОВ" if row.priority else "",
            str(row.documents),
            _d(row.decision_due),
            row.council_text,
        )
        x = margin
        c.setFont(font, 9)
        for text, w in zip(cells, widths, strict=True):
            c.rect(x, y - row_h, w, row_h, stroke=1, fill=0)
            c.drawString(x + 1.2 * mm, y - row_h + 2.2 * mm, _fit(text, fonts, 9, w - 2.4 * mm))
            x += w
        y -= row_h
    y -= 8 * mm
    c.setFont(font, 10)
    c.drawString(margin, y, f"Барлығы / Всего: {len(data.rows)}")
    y -= 10 * mm
    sender = clean_line(data.clerk_name)
    c.drawString(
        margin, y, _fit(f"Жіберген / Отправил: {sender}   ____________", fonts, 10, 130 * mm)
    )
    c.drawString(
        margin + 140 * mm,
        y,
        f"Қабылдаған ({data.regional_name[0]}) / Принял ({data.regional_name[1]}): ____________",
    )
    draw_audit_line(c, fonts, data.audit, margin)
    c.showPage()
    c.save()
    return buf.getvalue()


def register_filename(data: RegisterData) -> str:
    return f"register-{data.sent_on:%Y%m%d}-{len(data.rows)}.pdf"


def print_register(
    data: RegisterData,
    settings: PaperSettings,
    *,
    out: Path | None = None,
    send: bool = True,
    runner: Runner | None = None,
) -> PrintResult:
    pdf = render_register(data, settings.font_path)
    return deliver(pdf, register_filename(data), settings, out=out, send=send, runner=runner)


def register_rows(lines: Sequence[object], catalog: object) -> tuple[RegisterRow, ...]:
    """Rows from ``services.lifecycle_views.RegisterLine`` objects and the catalog."""
    out = []
    for ln in lines:
        inst = catalog.institution(ln.institution)  # type: ignore[attr-defined]
        out.append(
            RegisterRow(
                no=ln.no,  # type: ignore[attr-defined]
                case_no=ln.case_no,  # type: ignore[attr-defined]
                applicant_name=ln.applicant_name,  # type: ignore[attr-defined]
                institution=(inst.name_kk, inst.name_ru),
                accepted_on=ln.accepted_on,  # type: ignore[attr-defined]
                priority=ln.priority,  # type: ignore[attr-defined]
                documents=ln.documents,  # type: ignore[attr-defined]
                decision_due=ln.decision_due,  # type: ignore[attr-defined]
                council_decision_no=getattr(ln, "council_decision_no", None),
                council_decision_date=getattr(ln, "council_decision_date", None),
            )
        )
    return tuple(out)
