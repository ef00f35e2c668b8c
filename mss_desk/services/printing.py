"""Paper assembled in one place: what every printout says, and the print itself.

Screens ask for a print and show the result; they never put paper data together. Each
paper has a ``*_data`` method (what it says: plain ``mss_desk.paper`` dataclasses, tested
without ReportLab) and a ``print_*`` method (the PDF saved 0600 in the paper folder and sent
to the print command) returning a ``PrintResult``. The Department on every paper comes from
here (:meth:`PrintingService.department_contact`: Annex 1 as the catalog gives it).

``settings`` is the desk's ``Settings`` (or a ``PaperSettings``): the paper folder, the
layout, the print command; its ``timezone``, when it has one, is the time printed (as the
screen shows it), else the Department's own.

ReportLab is imported only when something is printed: the renderers are reached through
``mss_desk.paper``'s lazy attributes at call time (which is also where tests replace them).
Every method reads the database: call it off the UI thread (a screen's worker).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mss_desk import paper
from mss_desk.paper.data import (
    AuditLine,
    BlankFormData,
    ComplaintTalonData,
    ConsultSlipData,
    DepartmentContact,
    MissingSlipData,
    PostalNoticeData,
    TalonData,
    TicketSlipData,
)
from mss_desk.paper.reprint import department_contact, paper_settings, talon_data_for_case
from mss_desk.services.base import ServiceBase

if TYPE_CHECKING:
    from mss_desk.paper.printing import PrintResult
    from mss_desk.paper.register import RegisterData
    from mss_desk.paper.report import ReportData
    from mss_desk.services.lifecycle_views import (
        ForwardingRegister,
        IndicatorReport,
        LifecycleRow,
    )
    from mss_desk.services.views import ClerkView, IntakeResult, TicketView


def _names(clerk: ClerkView | None) -> tuple[str, str]:
    """(surname, name) of the clerk who prints, or blanks."""
    if clerk is None:
        return "", ""
    return clerk.surname, clerk.name


class PrintingService(ServiceBase):
    """``services.printing``: every printout's data and its print (items 5, 7.2, 15-17, 23,
    Annex 2)."""

    # ------------------------------------------------------------------ the Department

    def department_contact(self, code: int | None = None) -> DepartmentContact:
        """The Department (this desk's, or ``code``) as printed: Annex 1 name, address,
        phones, reception hours."""
        return department_contact(self.catalog.department(code or self.department_code()))

    def audit_line(self) -> AuditLine:
        """Issue 15, item 6: the audit chain's verified head, anchored on the day's paper
        (the register, the indicators report). A broken chain is printed as broken."""
        from mss_desk.store.audit import anchor

        got = anchor(self.engine)
        return AuditLine(0, None) if got is None else AuditLine(got.events, got.head)

    def _tz(self, settings: Any | None) -> str:
        return getattr(settings, "timezone", None) or self.hub.department_tz()

    # ------------------------------------------------------------------ what paper says

    def talon_data(self, case_no: str, *, tz: str | None = None) -> TalonData:
        """Item 15: the talon of an accepted case — the one builder for intake and reprint."""
        detail = self.hub.cases.get(case_no)  # NotFound for an unknown case
        return talon_data_for_case(detail, self.catalog, tz or self.hub.department_tz())

    def missing_slip_data(
        self, case_id: int, missing: Sequence[str], *, tz: str | None = None
    ) -> MissingSlipData:
        """Item 17: the documents still missing (codes, in the standard's order)."""
        detail = self.hub.cases.get_by_id(case_id)
        inst = self.catalog.institution(detail.institution)
        labels = (self.catalog.document(code) for code in missing)
        return MissingSlipData(
            issued_at=self.now(),
            missing=tuple((doc.label_kk, doc.label_ru) for doc in labels),
            department=self.department_contact(detail.department_code),
            applicant_name=detail.full_name,
            institution=(inst.name_kk, inst.name_ru),
            clerk_surname=detail.clerk_surname,
            clerk_name=detail.clerk_name,
            tz_name=tz or self.hub.department_tz(),
        )

    def ticket_data(
        self,
        ticket: TicketView,
        *,
        label: str | None = None,
        ahead: int | None = None,
        tz: str | None = None,
    ) -> TicketSlipData:
        """Items 7.2, 7.3, 10: the queue ticket with the waiting promise in force today."""
        max_wait: int | None = None
        if ticket.purpose != "consult":  # item 7.3: a consultation has no waiting limit
            max_wait = self.catalog.terms(self.today()).queue_max_minutes
        return TicketSlipData(
            number=label or ticket.number,
            purpose=ticket.purpose,  # type: ignore[arg-type]
            issued_at=ticket.issued_at,
            department=self.department_contact(),
            max_wait_minutes=max_wait,
            ahead=ahead,
            tz_name=tz or self.hub.department_tz(),
        )

    def register_data(
        self, register: ForwardingRegister, *, clerk: ClerkView | None = None
    ) -> RegisterData:
        """Item 5: the forwarding register that goes with the paper files."""
        from mss_desk.paper.register import RegisterData, register_rows

        surname, name = _names(clerk)
        return RegisterData(
            department=self.department_contact(),
            sent_on=register.sent_on,
            rows=register_rows(register.lines, self.catalog),
            clerk_name=f"{surname} {name}".strip(),
            audit=self.audit_line(),
        )

    def notice_data(
        self, row: LifecycleRow, *, clerk: ClerkView | None = None
    ) -> PostalNoticeData:
        """Item 16: the postal notice of a result ready (``row`` as ``send_notice`` gave it)."""
        if row.postal_notice_on is None:
            raise ValueError(f"case {row.case_no}: no postal notice recorded")
        surname, name = _names(clerk)
        return PostalNoticeData(
            case_no=row.case_no,
            applicant_name=row.applicant_name,
            postal_address=row.postal_address,
            notice_date=row.postal_notice_on,
            department=self.department_contact(),
            collect_until=self.hub.lifecycle.collect_until(row.case_no),  # item 18.6
            clerk_surname=surname,
            clerk_name=name,
        )

    def report_data(self, report: IndicatorReport) -> ReportData:
        """Annex 2: the indicators of a period (as ``reports.indicators`` computed them)."""
        from mss_desk.paper.report import ReportData, report_lines

        return ReportData(
            department=self.department_contact(report.department_code),
            start=report.start,
            end=report.end,
            lines=report_lines(report.rows),
            audit=self.audit_line(),
        )

    def consult_categories(self, institution: str) -> tuple[str, ...]:
        """The applicant categories that add documents to ``institution``'s checklist."""
        from mss_desk.rules.eligibility import categories_of

        self._check_institution(institution)
        return categories_of(institution, self.catalog)

    def _check_institution(self, institution: str) -> None:
        from mss_desk.errors import ValidationError

        if institution not in self.catalog.institutions:
            raise ValidationError(
                "institution", key="paper.unknown_institution", institution=institution,
                choices=", ".join(self.catalog.institutions),
            )

    def consult_slip_data(
        self, institution: str, categories: Sequence[str] = (), *, tz: str | None = None
    ) -> ConsultSlipData:
        """Issue 11.12: the documents a consultation visitor is told to bring (item 12: the
        same checklist as intake), the term (item 7.1) and the Department's contacts.
        Reads only the catalog: nothing about the person is asked for, nothing is stored."""
        from mss_desk.errors import ValidationError
        from mss_desk.paper.labels import L
        from mss_desk.rules.eligibility import documents_for

        allowed = self.consult_categories(institution)
        chosen = list(dict.fromkeys(categories))
        for category in chosen:
            if category not in allowed:
                raise ValidationError(
                    "category", key="paper.unknown_category", institution=institution,
                    category=category, choices=", ".join(allowed) or "—",
                )
        ordered = [c for c in allowed if c in chosen]  # the standard's order
        inst = self.catalog.institution(institution)
        docs = (self.catalog.document(code) for code in
                documents_for(institution, ordered, self.catalog))
        return ConsultSlipData(
            issued_at=self.now(),
            department=self.department_contact(),
            institution=(inst.name_kk, inst.name_ru),
            categories=tuple(L[f"category.{c}"] for c in ordered),
            documents=tuple((d.label_kk, d.label_ru) for d in docs),
            service_days=self.catalog.terms(self.today()).service_days,
            tz_name=tz or self.hub.department_tz(),
        )

    def blank_form_data(self) -> BlankFormData:
        """Item 13: the Department's application form, blank, with the intake form's fields
        (their names as the intake screen says them, in Kazakh and Russian)."""
        from mss_desk.paper.form_fields import blank_form_sections

        return BlankFormData(department=self.department_contact(), sections=blank_form_sections())

    def complaint_talon_data(self, complaint_no: str) -> ComplaintTalonData:
        """Item 23: the complaint talon (the complaints service reads who answers, by when)."""
        return self.hub.complaints.talon(complaint_no)

    # ------------------------------------------------------------------ printing

    def print_talon(
        self, case_no: str, settings: Any, *, out: Path | None = None, send: bool = True
    ) -> PrintResult:
        """Item 15: print (or, ``send=False``, only save) the talon of ``case_no``."""
        data = self.talon_data(case_no, tz=self._tz(settings))
        return paper.print_talon(data, paper_settings(settings), out=out, send=send)

    def print_missing_slip(
        self, case_id: int, missing: Sequence[str], settings: Any
    ) -> PrintResult:
        """Item 17: print the missing-documents slip of a case returned incomplete."""
        data = self.missing_slip_data(case_id, missing, tz=self._tz(settings))
        return paper.print_missing(data, paper_settings(settings))

    def print_intake_paper(self, result: IntakeResult, settings: Any) -> PrintResult:
        """What intake hands over: the talon when accepted (item 15), else the slip of the
        missing documents (item 17). The case is already saved; this only prints."""
        if result.accepted and result.case_no:
            return self.print_talon(result.case_no, settings)
        if result.case_id is None:
            raise ValueError(f"intake result {result.outcome!r} has no case to print")
        return self.print_missing_slip(result.case_id, result.missing, settings)

    def print_ticket(
        self,
        ticket: TicketView,
        settings: Any,
        *,
        label: str | None = None,
        ahead: int | None = None,
    ) -> PrintResult:
        """Items 7.2, 7.3: print the queue ticket just issued."""
        data = self.ticket_data(ticket, label=label, ahead=ahead, tz=self._tz(settings))
        return paper.print_ticket(data, paper_settings(settings))

    def print_register(
        self, register: ForwardingRegister, settings: Any, *, clerk: ClerkView | None = None
    ) -> PrintResult:
        """Item 5: print the forwarding register of the files just sent."""
        from mss_desk.paper.register import print_register

        return print_register(self.register_data(register, clerk=clerk), paper_settings(settings))

    def print_notice(
        self, row: LifecycleRow, settings: Any, *, clerk: ClerkView | None = None
    ) -> PrintResult:
        """Item 16: print the postal notice that the result is ready."""
        data = self.notice_data(row, clerk=clerk)
        return paper.print_postal_notice(data, paper_settings(settings))

    def print_report(
        self, report: IndicatorReport, settings: Any, *, send: bool = True
    ) -> PrintResult:
        """Annex 2: the indicators report as a PDF with its chart (printed when ``send``)."""
        from mss_desk.paper.report import print_report

        return print_report(self.report_data(report), paper_settings(settings), send=send)

    def print_consult_slip(
        self, institution: str, categories: Sequence[str], settings: Any, *,
        out: Path | None = None, send: bool = True,
    ) -> PrintResult:
        """Issue 11.12: print the documents list for a consultation visitor."""
        from mss_desk.paper.consult import print_consult_slip

        data = self.consult_slip_data(institution, categories, tz=self._tz(settings))
        return print_consult_slip(data, paper_settings(settings), out=out, send=send)

    def print_blank_form(
        self, settings: Any, *, out: Path | None = None, send: bool = True
    ) -> PrintResult:
        """Item 13: print the blank application form (one A4 page)."""
        from mss_desk.paper.consult import print_blank_form

        return print_blank_form(self.blank_form_data(), paper_settings(settings), out=out,
                                send=send)

    def print_complaint_talon(self, complaint_no: str, settings: Any) -> PrintResult:
        """Item 23: print the complaint talon."""
        data = self.complaint_talon_data(complaint_no)
        return paper.print_complaint_talon(data, paper_settings(settings))

    # ------------------------------------------------------------------ files beside paper

    def paper_folder(self, settings: Any) -> Path:
        """Where paper (and exports beside it) is saved: the settings' folder or the default."""
        from mss_desk.paper.printing import out_dir

        return out_dir(paper_settings(settings))

    def save_report_csv(self, report: IndicatorReport, settings: Any, lang: str) -> Path:
        """Annex 2 as CSV in the paper folder (0600; the folder 0700). No database: an
        ``OSError`` (disk full, no permission) is the caller's to say."""
        from mss_desk import locations
        from mss_desk.services.reports import write_csv

        folder = self.paper_folder(settings)
        locations.ensure_private_dir(folder)
        name = f"indicators-{report.start:%Y%m%d}-{report.end:%Y%m%d}.csv"
        return write_csv(report, folder / name, lang)


__all__ = ["PrintingService"]
