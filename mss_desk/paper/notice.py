"""Item 16: the postal notice (A4) telling the applicant that the result is ready.

The notice says only that the result is ready and where to collect it — never the outcome
(referral or refusal): a postcard passes through many hands (item 18.5, confidentiality).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm

from mss_desk.i18n.dates import format_date
from mss_desk.paper import layout
from mss_desk.paper.data import PaperSettings, PostalNoticeData
from mss_desk.paper.fonts import get_fonts
from mss_desk.paper.labels import both, kk, ru
from mss_desk.paper.printing import PrintResult, Runner, deliver, safe_name


def notice_flow(data: PostalNoticeData, font_path: str | None = None) -> layout.Flow:
    f = layout.Flow(get_fonts(font_path), layout.column_width("a4"))
    dept = data.department
    # sender and recipient blocks, as on an envelope
    f.label(kk("notice.from"), ru("notice.from"), size=8)
    f.text(dept.name_kk, size=10, bold=True)
    f.text(dept.name_ru, size=9, gray=True)
    f.text(f"{dept.address} · {kk('phone')}: {dept.phone_text}", size=10)
    f.gap(6 * mm)
    f.label(kk("notice.to"), ru("notice.to"), size=8)
    f.text(data.applicant_name, size=13, bold=True)
    f.text(data.postal_address, size=12)
    f.gap(4 * mm)
    f.rule(space=2 * mm, weight=0.8)
    f.gap(6 * mm)
    f.text(f"{kk('notice.title')} / {ru('notice.title')}", size=18, bold=True,
           align="center")
    f.text(f"№ {data.case_no} · {format_date(data.notice_date)}", size=11, align="center")
    f.gap(6 * mm)
    f.text(kk("notice.body", case=data.case_no), size=13, bold=True)
    f.text(ru("notice.body", case=data.case_no), size=12, gray=True)
    f.gap(2 * mm)
    f.label(kk("service"), ru("service"), size=8)
    f.text(data.service_name[0], size=10)
    f.text(data.service_name[1], size=9.5, gray=True)
    f.gap(5 * mm)
    # item 16: the result is collected at the Department of the place of residence
    f.text(kk("notice.where"), size=12)
    f.text(ru("notice.where"), size=11, gray=True)
    f.gap(1.5 * mm)
    f.text(dept.name_kk, size=11, bold=True, indent=6 * mm)
    f.text(dept.name_ru, size=10, gray=True, indent=6 * mm)
    f.text(f"{both('address', sep=' / ')}: {dept.address}", size=11, indent=6 * mm)
    f.text(f"{kk('phone')}: {dept.phone_text}", size=11, indent=6 * mm)
    f.text(f"{both('reception', sep=' / ')}: {dept.reception}", size=11, indent=6 * mm)
    f.gap(4 * mm)
    f.text(kk("notice.bring"), size=11)
    f.text(ru("notice.bring"), size=10, gray=True)
    if data.collect_until is not None:
        # item 18.6: a result not collected in time goes to safekeeping
        until = format_date(data.collect_until)
        f.gap(2 * mm)
        f.text(kk("notice.until", date=until), size=11)
        f.text(ru("notice.until", date=until), size=10, gray=True)
    clerk = f"{data.clerk_surname} {data.clerk_name}".strip()
    if clerk:
        f.gap(12 * mm)
        f.text(f"{both('notice.signed', sep=' / ')}: {clerk}   ____________", size=11)
    return f


def render_postal_notice(data: PostalNoticeData, font_path: str | None = None) -> bytes:
    return layout.render(notice_flow(data, font_path), "a4",
                         title=f"Хабарлама {data.case_no}", subject="item 16 postal notice")


def notice_filename(data: PostalNoticeData) -> str:
    return f"notice-{safe_name(data.case_no)}-{data.notice_date:%Y%m%d}.pdf"


def print_postal_notice(data: PostalNoticeData, settings: PaperSettings, *,
                        out: Path | None = None, send: bool = True,
                        runner: Runner | None = None) -> PrintResult:
    pdf = render_postal_notice(data, settings.font_path)
    return deliver(pdf, notice_filename(data), settings, out=out, send=send, runner=runner)
