"""The Annex 2 indicators report for the Department and a period (items 19-20).

Reads the Department's rows, turns them into plain records and lets the pure
``rules.indicators`` count. Each value stands beside its normative value and the year's
target (data/indicators.toml; targets are set yearly, item 20). ``None`` means no data.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from mss_desk.errors import RuleViolation, StorageError, ValidationError
from mss_desk.rules import indicators as ind
from mss_desk.services import audit
from mss_desk.services.base import ServiceBase
from mss_desk.services.lifecycle_views import IndicatorReport, IndicatorRow
from mss_desk.store.models import Case, Clerk, Complaint, QueueTicket, Setting, SurveyResponse

ENTERED: tuple[str, ...] = ("3.3",)  # Annex 2: entered by the head of Department


def _entered_key(no: str, year: int, department_code: int) -> str:
    return f"indicator:{department_code}:{no}:{year}"


def _closed_at(
    closes: datetime, status: str, called_at: datetime | None, now: datetime
) -> datetime | None:
    """When a ticket stopped waiting uncalled: closing time (item 10), if it has come."""
    if called_at is not None or status in ("called", "served", "no_show"):
        return None
    return closes if status == "not_served" or closes <= now else None


class ReportService(ServiceBase):
    def enter_value(self, no: str, year: int, value: float, head_id: int) -> None:
        """3.3 (services with information online) is entered by the head, per year."""
        if no not in ENTERED:
            raise ValidationError(no, key="lifecycle.error.indicator_not_entered")
        if not 0 <= value <= 100:
            raise ValidationError(str(value), key="lifecycle.error.entered_value")
        dept = self.department_code()
        now = self.now()

        def _enter(session: Session) -> None:
            self.require_active_clerk(head_id, session)  # item 11: not a disabled head
            head = session.get(Clerk, head_id)
            if head is None or head.role != "head" or not self.owns(head.department_code):
                raise RuleViolation("head only", key="lifecycle.error.head_only")
            key = _entered_key(no, year, dept)
            row = session.get(Setting, key)
            if row is None:
                row = Setting(key=key, value=str(float(value)))
            else:
                row.value = str(float(value))
            session.add(row)
            session.flush()
            audit.record(session, now, head_id, "indicator.enter", "indicator", no, "")

        self.write(_enter)  # a busy write is run again whole: one value, one audit event

    def inputs(self, start: date, end: date, *, close_day: bool = True) -> ind.IndicatorInputs:
        """The records the indicators count, for this Department (all history needed).

        ``close_day=False``: only reads (the regional desk counting a Department's rows on
        the shared server closes none of its tickets; ``closed_at`` below counts them)."""
        dept = self.department_code()
        queue = self.hub.queue
        try:
            if close_day:
                queue.close_unserved()  # item 10: tickets never called by closing are closed
        except StorageError:
            pass  # a read-only or busy database still reports: closed_at below counts them
        now = self.now()
        with self.read_session() as session:
            mine = self.in_department(Case.department_code)
            cases = session.exec(select(Case).where(mine)).all()
            tickets = session.exec(
                select(QueueTicket).where(
                    self.in_department(QueueTicket.department_code),
                    col(QueueTicket.day) >= start,
                    col(QueueTicket.day) <= end,
                )
            ).all()
            complaints = session.exec(
                select(Complaint).where(self.in_department(Complaint.department_code))
            ).all()
            surveys = session.exec(
                select(SurveyResponse).where(
                    self.in_department(SurveyResponse.department_code),
                    col(SurveyResponse.day) >= start,
                    col(SurveyResponse.day) <= end,
                )
            ).all()
            entered: dict[str, float] = {}
            for no in ENTERED:
                row = session.get(Setting, _entered_key(no, end.year, dept))
                if row is not None and row.value:
                    entered[no] = float(row.value)

            case_records = tuple(
                ind.CaseRecord(
                    accepted_on=self.local_date(c.accepted_at) if c.accepted_at else None,
                    service_due=c.service_due,
                    result_ready_on=c.result_ready_on,
                    first_forwarded_on=c.first_forwarded_on,
                    returned_by_region_on=c.returned_by_region_on,
                )
                for c in cases
                if c.accepted_at is not None
            )
            submissions = tuple(
                ind.SubmissionRecord(
                    applicant_id=c.applicant_id,
                    institution=c.institution,
                    submitted_at=c.accepted_at or c.submitted_at,
                    accepted=c.accepted_at is not None,
                    # completed later on the same case: not at the first visit (intake)
                    first_visit=c.accepted_at is None or c.accepted_at == c.submitted_at,
                )
                for c in cases
                if c.accepted_at is not None or c.status == "returned_incomplete"
            )
            ticket_records = tuple(
                ind.TicketRecord(
                    day=tk.day,
                    purpose=tk.purpose,
                    issued_at=tk.issued_at,
                    called_at=tk.called_at,
                    max_minutes=self.catalog.terms(tk.day).queue_max_minutes,
                    # never called: waited until closing (issue 11.6) — not_served, or a
                    # day already closed whose ticket was not yet marked
                    closed_at=_closed_at(queue.closes_at(tk.day), tk.status, tk.called_at, now),
                )
                for tk in tickets
            )
            complaint_records = tuple(
                ind.ComplaintRecord(
                    registered_on=self.local_date(c.registered_at),
                    justified=c.justified,
                    satisfied=c.satisfied,
                    answered_on=c.answered_on,
                    answer_due=c.answer_due,
                )
                for c in complaints
            )
            survey_records = tuple(
                ind.SurveyRecord(
                    on=s.day,
                    answers={
                        "2.1": s.q_2_1,
                        "3.1": s.q_3_1,
                        "4.3": s.q_4_3,
                        "4.4": s.q_4_4,
                        "5.1": s.q_5_1,
                    },
                )
                for s in surveys
            )
        return ind.IndicatorInputs(
            cases=case_records,
            tickets=ticket_records,
            submissions=submissions,
            complaints=complaint_records,
            surveys=survey_records,
            entered=entered,
        )

    def indicators(self, start: date, end: date) -> IndicatorReport:
        """Every Annex 2 indicator for the period (inclusive), in percent; None = no data."""
        if end < start:
            raise ValidationError("period", key="lifecycle.error.period")
        period = ind.Period(start, end)
        today = self.today()
        ratios = ind.compute_indicators(self.inputs(start, end), period, today, self.local_date)
        rows = indicator_rows(self.catalog, ratios, end.year)
        return IndicatorReport(
            department_code=self.department_code(),
            start=start,
            end=end,
            today=today,
            rows=tuple(rows),
        )


def indicator_rows(catalog: object, ratios: dict[str, ind.Ratio], year: int) -> list[IndicatorRow]:
    """Annex 2's rows for counted ``ratios``: each value beside its normative value and the
    target of ``year`` (item 20: that year's, or the latest before it), judged."""
    rows = []
    for spec in catalog.indicators:  # type: ignore[attr-defined]
        r = ratios.get(spec.no, ind.Ratio(0, 0))
        pct = r.percent
        value = None if pct is None else round(pct, 2)
        target_year, target = spec.target_for(year)
        rows.append(
            IndicatorRow(
                no=spec.no,
                group=spec.group,
                title_kk=spec.title_kk,
                title_ru=spec.title_ru,
                title_en=spec.title_en,
                source=spec.source,
                value=value,
                normative=float(spec.normative),
                target=float(target),
                numerator=r.numerator,
                denominator=r.denominator,
                direction=spec.direction,
                target_year=target_year,
                meets=ind.meets_target(value, float(target), spec.direction),
            )
        )
    return rows


def format_value(value: float | None, lang: str) -> str:
    """A percentage as the screen, the CSV and the PDF show it; "no data" said in words."""
    if value is None:
        from mss_desk.i18n import t

        return t("lifecycle.report.no_data", lang)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang in ("kk", "ru") else text


def report_csv(report: IndicatorReport, lang: str = "kk") -> str:
    """The report as CSV (UTF-8; numbers with a dot so spreadsheets read them)."""
    from mss_desk.i18n import t

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        [
            "no",
            t("lifecycle.report.indicator", lang),
            t("lifecycle.report.value", lang),
            t("lifecycle.report.normative", lang),
            t("lifecycle.report.target", lang),
            "numerator",
            "denominator",
            "direction",
            "target_year",
            "meets",
        ]
    )
    for r in report.rows:
        w.writerow(
            [
                r.no,
                r.title(lang),
                t("lifecycle.report.no_data", lang) if r.value is None else f"{r.value:g}",
                f"{r.normative:g}",
                f"{r.target:g}",
                r.numerator,
                r.denominator,
                r.direction,  # Annex 2: higher or lower is better (4.1 lower)
                r.target_year if r.target_year is not None else "",
                "" if r.meets is None else ("yes" if r.meets else "no"),
            ]
        )
    return out.getvalue()


def write_csv(report: IndicatorReport, path: Path, lang: str = "kk") -> Path:
    """The report as CSV, saved 0600 at ``path`` (item 18.5: exports are as private as the
    database; an existing file is narrowed to 0600 before it is written)."""
    import os

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        os.fchmod(fh.fileno(), 0o600)
        fh.write(report_csv(report, lang))
    return path


def report_text(report: IndicatorReport, lang: str = "kk", width: int = 20) -> str:
    """Plain text for the terminal: value, a bar, normative and target; no data in words."""
    from mss_desk.i18n import t

    lines = [
        t("lifecycle.report.title", lang),
        t(
            "lifecycle.report.period",
            lang,
            start=report.start.strftime("%d.%m.%Y"),
            end=report.end.strftime("%d.%m.%Y"),
        ),
    ]
    years = {r.target_year for r in report.rows if r.target_year is not None}
    if years:  # item 20: say whose year's targets these are
        lines.append(t("indicators.target_year", lang, year=max(years)))
    lines.append("")
    for r in report.rows:
        value = format_value(r.value, lang)
        bar = bar_text(r.value, width)
        judged = ""
        if r.meets is not None:
            judged = f" — {t('indicators.meets' if r.meets else 'indicators.misses', lang)}"
        lines.append(
            f"{r.no:<4} {value:>14} {bar}  "
            f"{t('lifecycle.report.normative_short', lang)} {format_value(r.normative, lang)}, "
            f"{t('lifecycle.report.target_short', lang)} {format_value(r.target, lang)} "
            f"({t('indicators.' + r.direction, lang)}){judged}"
        )
    return "\n".join(lines)


def bar_text(value: float | None, width: int = 20) -> str:
    """A text bar for a percentage (blank when there is no data)."""
    if value is None:
        return " " * width
    filled = round(max(0.0, min(100.0, value)) / 100 * width)
    return "█" * filled + "░" * (width - filled)


def write_pdf(
    report: IndicatorReport, catalog: object, path: Path, font_path: str | None = None
) -> Path:
    """The report as a PDF with a chart (``paper/report.py``), saved 0600 at ``path``."""
    from mss_desk.paper.printing import save_pdf
    from mss_desk.paper.report import ReportData, render_report, report_lines
    from mss_desk.paper.reprint import department_contact

    data = ReportData(
        department=department_contact(catalog.department(report.department_code)),  # type: ignore[attr-defined]
        start=report.start,
        end=report.end,
        lines=report_lines(report.rows),
    )
    return save_pdf(render_report(data, font_path), path)
