"""Annex 2: the indicators report as a PDF — a table and a bar chart (items 19-20).

Each indicator: its value for the period beside the normative value and the year's target;
"no data" said in words, never drawn as a zero bar. Kazakh with Russian beside it. Drawn
with the canvas only (no ``reportlab.graphics``: it is slow to import).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mss_desk.paper.data import AuditLine, DepartmentContact, PaperSettings
from mss_desk.paper.fonts import Fonts, get_fonts, one_pdf_at_a_time
from mss_desk.paper.printing import PrintResult, Runner, deliver
from mss_desk.paper.register import draw_audit_line

TITLE = (
    "Мемлекеттік қызмет сапасы мен қол жетімділігінің көрсеткіштері",
    "Показатели качества и доступности государственной услуги",
)
NO_DATA = ("деректер жоқ", "нет данных")


@dataclass(frozen=True)
class ReportLine:
    no: str
    title_kk: str
    title_ru: str
    value: float | None  # percent; None = no data
    normative: float
    target: float
    direction: str = "higher"  # Annex 2: "lower" when less is better (4.1)
    target_year: int | None = None  # item 20: whose year's target
    meets: bool | None = None  # on the good side of the target (None: no data)


DIRECTION = {
    "higher": ("көп болған сайын жақсы", "чем больше, тем лучше"),
    "lower": ("аз болған сайын жақсы", "чем меньше, тем лучше"),
}
MISSES = ("мақсатқа жетпеді", "цель не достигнута")


@dataclass(frozen=True)
class ReportData:
    department: DepartmentContact
    start: date
    end: date
    lines: tuple[ReportLine, ...]
    audit: AuditLine | None = None  # issue 15, item 6: the head anchored on the report


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _wrap(text: str, fonts: Fonts, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = "".join(ch if fonts.can_draw(ch) else "?" for ch in text)
    lines: list[str] = []
    cur = ""
    for word in text.split():
        probe = f"{cur} {word}".strip()
        if stringWidth(probe, fonts.regular, size) <= width or not cur:
            cur = probe
        else:
            lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    return lines


@one_pdf_at_a_time
def render_report(data: ReportData, font_path: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    fonts = get_fonts(font_path)
    font = fonts.regular
    page_w, page_h = A4
    margin = 14 * mm
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(f"{TITLE[0]} {data.start:%d.%m.%Y}–{data.end:%d.%m.%Y}")
    c.setSubject("Annex 2 indicators")

    def heading() -> float:
        y = page_h - margin
        c.setFont(font, 10)
        c.drawString(margin, y, data.department.name_kk[:110])
        y -= 4.5 * mm
        c.setFont(font, 9)
        c.drawString(margin, y, data.department.name_ru[:120])
        y -= 9 * mm
        c.setFont(font, 13)
        for part in TITLE:
            c.drawCentredString(page_w / 2, y, part)
            y -= 5.5 * mm
        c.setFont(font, 10)
        period = f"{data.start:%d.%m.%Y} – {data.end:%d.%m.%Y}"
        c.drawCentredString(page_w / 2, y, f"Кезең / Период: {period}")
        years = {ln.target_year for ln in data.lines if ln.target_year is not None}
        if years:  # item 20: whose year's targets are used
            y -= 4.5 * mm
            c.setFont(font, 8.5)
            year = max(years)
            c.drawCentredString(
                page_w / 2, y,
                f"Мақсатты мәндер: {year} жыл / Целевые значения: {year} год (20-тармақ / п. 20)",
            )
        return y - 8 * mm

    # --- the table
    y = heading()
    col_no, col_title, col_val = 12 * mm, 112 * mm, 22 * mm
    x_title = margin + col_no
    x_val = x_title + col_title
    x_norm = x_val + col_val
    x_target = x_norm + col_val
    c.setFont(font, 8)
    for x, (kk, ru) in (
        (margin, ("№", "№")),
        (x_title, ("Көрсеткіш", "Показатель")),
        (x_val, ("Мәні, %", "Значение, %")),
        (x_norm, ("Норматив", "Норматив")),
        (x_target, ("Мақсат", "Цель")),
    ):
        c.drawString(x + 1 * mm, y, kk)
        c.drawString(x + 1 * mm, y - 3.5 * mm, ru)
    y -= 5.5 * mm
    c.line(margin, y, page_w - margin, y)
    for line in data.lines:
        how_kk, how_ru = DIRECTION.get(line.direction, DIRECTION["higher"])
        kk_lines = _wrap(f"{line.title_kk} ({how_kk})", fonts, 8, col_title - 2 * mm)
        ru_lines = _wrap(f"{line.title_ru} ({how_ru})", fonts, 7.5, col_title - 2 * mm)
        need = (len(kk_lines) + len(ru_lines)) * 3.4 * mm + 2.5 * mm
        if y - need < margin:
            draw_audit_line(c, fonts, data.audit, margin)
            c.showPage()
            y = heading()
        top = y - 3.6 * mm
        c.setFont(font, 9)
        c.drawString(margin + 1 * mm, top, line.no)
        value = NO_DATA[0] if line.value is None else _num(line.value)
        if line.meets is False:  # judged by the indicator's direction (Annex 2)
            c.setFillColorRGB(0.75, 0, 0)
        c.drawString(x_val + 1 * mm, top, value)
        if line.value is None:
            c.setFont(font, 7.5)
            c.drawString(x_val + 1 * mm, top - 3.4 * mm, NO_DATA[1])
            c.setFont(font, 9)
        elif line.meets is False:
            c.setFont(font, 6.5)
            c.drawString(x_val + 1 * mm, top - 3.4 * mm, MISSES[0])
            c.drawString(x_val + 1 * mm, top - 6.4 * mm, MISSES[1])
            c.setFont(font, 9)
        c.setFillGray(0)
        c.drawString(x_norm + 1 * mm, top, _num(line.normative))
        c.drawString(x_target + 1 * mm, top, _num(line.target))
        ty = top
        c.setFont(font, 8)
        for part in kk_lines:
            c.drawString(x_title + 1 * mm, ty, part)
            ty -= 3.4 * mm
        c.setFillGray(0.35)
        c.setFont(font, 7.5)
        for part in ru_lines:
            c.drawString(x_title + 1 * mm, ty, part)
            ty -= 3.4 * mm
        c.setFillGray(0)
        y -= need
        c.setLineWidth(0.3)
        c.line(margin, y, page_w - margin, y)

    # --- the chart: one horizontal bar per indicator, normative and target as ticks
    draw_audit_line(c, fonts, data.audit, margin)
    c.showPage()
    y = heading()
    label_w = 14 * mm
    chart_x = margin + label_w
    chart_w = page_w - 2 * margin - label_w - 24 * mm
    bar_h = 5.5 * mm
    step = 12 * mm
    # legend: a bar is the value, a solid tick the normative value, a dashed tick the target
    c.setFont(font, 8)
    c.setFillGray(0.55)
    c.rect(margin, y - 0.5 * mm, 6 * mm, 3 * mm, stroke=0, fill=1)
    c.setFillGray(0)
    c.drawString(margin + 8 * mm, y, "мәні / значение")
    c.setLineWidth(1.2)
    c.line(margin + 50 * mm, y - 1 * mm, margin + 50 * mm, y + 3 * mm)
    c.drawString(margin + 52 * mm, y, "норматив")
    c.setDash(1.5, 1.5)
    c.line(margin + 80 * mm, y - 1 * mm, margin + 80 * mm, y + 3 * mm)
    c.setDash()
    c.setLineWidth(0.5)
    c.drawString(margin + 82 * mm, y, "мақсат / цель")
    y -= 10 * mm
    for pct in (0, 25, 50, 75, 100):
        x = chart_x + chart_w * pct / 100
        c.setStrokeGray(0.8)
        c.line(x, y + 2 * mm, x, y - step * len(data.lines))
        c.setFillGray(0.4)
        c.drawCentredString(x, y + 3 * mm, f"{pct}%")
    c.setFillGray(0)
    c.setStrokeGray(0)
    for line in data.lines:
        c.setFont(font, 9)
        c.drawString(margin, y - bar_h + 1.5 * mm, line.no)
        if line.value is None:
            c.setFont(font, 8)
            c.setFillGray(0.4)
            c.drawString(chart_x + 1 * mm, y - bar_h + 1.5 * mm, f"{NO_DATA[0]} / {NO_DATA[1]}")
            c.setFillGray(0)
        else:
            w = chart_w * max(0.0, min(100.0, line.value)) / 100
            c.setFillGray(0.55)
            c.rect(chart_x, y - bar_h, w, bar_h, stroke=0, fill=1)
            c.setFillGray(0)
            c.setFont(font, 8)
            c.drawString(chart_x + chart_w + 2 * mm, y - bar_h + 1.5 * mm, _num(line.value))
        for tick, dash in ((line.normative, None), (line.target, (1.5, 1.5))):
            x = chart_x + chart_w * max(0.0, min(100.0, tick)) / 100
            c.setLineWidth(1.2)
            if dash:
                c.setDash(*dash)
            c.line(x, y + 1 * mm, x, y - bar_h - 1 * mm)
            c.setDash()
        c.setLineWidth(0.5)
        y -= step
    draw_audit_line(c, fonts, data.audit, margin)
    c.showPage()
    c.save()
    return buf.getvalue()


def report_lines(rows: Sequence[object]) -> tuple[ReportLine, ...]:
    """From ``services.lifecycle_views.IndicatorRow`` objects."""
    return tuple(
        ReportLine(
            no=r.no,  # type: ignore[attr-defined]
            title_kk=r.title_kk,  # type: ignore[attr-defined]
            title_ru=r.title_ru,  # type: ignore[attr-defined]
            value=r.value,  # type: ignore[attr-defined]
            normative=r.normative,  # type: ignore[attr-defined]
            target=r.target,  # type: ignore[attr-defined]
            direction=getattr(r, "direction", "higher"),
            target_year=getattr(r, "target_year", None),
            meets=getattr(r, "meets", None),
        )
        for r in rows
    )


def report_filename(data: ReportData) -> str:
    return f"indicators-{data.start:%Y%m%d}-{data.end:%Y%m%d}.pdf"


def print_report(
    data: ReportData,
    settings: PaperSettings,
    *,
    out: Path | None = None,
    send: bool = True,
    runner: Runner | None = None,
) -> PrintResult:
    pdf = render_report(data, settings.font_path)
    return deliver(pdf, report_filename(data), settings, out=out, send=send, runner=runner)
