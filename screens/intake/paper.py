"""The intake's paper: the talon (accepted, item 15) or the missing-documents slip (item 17).

Made in a worker thread after the case is saved; a failure is told, never raised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mss_desk.i18n import t

if TYPE_CHECKING:
    from mss_desk.services.views import IntakeResult


def make_paper(app: Any, result: IntakeResult, lang: str) -> str:
    """Print the talon or the slip; returns the line the screen shows. Any failure is the
    caller's to turn into a notification — the case is already saved."""
    from mss_desk import paper

    services = app.services
    detail = services.cases.get_by_id(result.case_id)
    catalog = services.catalog
    contact = app._department_contact(paper)
    settings = paper.paper_settings(app.settings)
    tz = getattr(app, "tz", None) or "Asia/Almaty"

    def labels(code: str) -> tuple[str, str]:
        doc = catalog.document(code)
        return (doc.label_kk, doc.label_ru)

    if result.outcome == "accepted":
        assert result.deadlines is not None and detail.accepted_at is not None
        data = paper.TalonData(
            case_no=str(detail.case_no),
            registered_at=detail.accepted_at,
            clerk_surname=detail.clerk_surname,
            clerk_name=detail.clerk_name,
            result_due=result.deadlines.service_due,
            department=contact,
            applicant_name=detail.full_name,
            delivery_method=detail.delivery_method,  # type: ignore[arg-type]
            documents=tuple(labels(d.code) for d in detail.documents if d.received),
            postal_address=detail.postal_address or None,
            tz_name=tz,
        )
        printed = paper.print_talon(data, settings)
        key = "intake.result.talon"
    else:
        inst = catalog.institution(detail.institution)
        slip = paper.MissingSlipData(
            issued_at=app.clock.now(),
            missing=tuple(labels(c) for c in result.missing),
            department=contact,
            applicant_name=detail.full_name,
            institution=(inst.name_kk, inst.name_ru),
            clerk_surname=detail.clerk_surname,
            clerk_name=detail.clerk_name,
            tz_name=tz,
        )
        printed = paper.print_missing(slip, settings)
        key = "intake.result.slip"
    if not printed.ok:
        return t("intake.err.print_failed", lang, message=printed.message(lang))
    return t(key, lang, path=str(printed.path))
