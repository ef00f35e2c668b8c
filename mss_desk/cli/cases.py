"""Cases from a script: ``cases`` (list and find) and ``talon`` (print a case's talon again,
through ``services.printing`` like the intake)."""

from __future__ import annotations

from datetime import date
from typing import Any

from mss_desk.cli.context import Context
from mss_desk.cli.values import first_attr, fmt_date, iso_date


def _case_dict(row: Any, service_due: dict[str, Any]) -> dict[str, Any]:
    applicant = first_attr(row, "applicant", "applicant_name", "full_name")
    if applicant is None:
        surname = first_attr(row, "surname", default="")
        name = first_attr(row, "name", default="")
        applicant = f"{surname} {name}".strip()
    due = first_attr(row, "service_due")
    if due is None and row.case_no:
        due = service_due.get(row.case_no)
    return {
        "case_no": row.case_no,
        "status": row.status,
        "applicant": applicant,
        "service_due": iso_date(due),
    }


def _service_dues(ctx: Context) -> dict[str, Any]:
    """case_no → service deadline (item 7.1), from the lifecycle rows (one query)."""
    from mss_desk.vocabulary import CASE_STATUSES

    rows = ctx.services(read_only=True).lifecycle.in_status(*CASE_STATUSES)
    return {r.case_no: r.service_due for r in rows if r.case_no}


def _region_cases(ctx: Context) -> int:
    """Issue 14: on the regional desk, every file received, with its Department."""
    from mss_desk.exchange.region import RegionService

    rows = RegionService(ctx.services(read_only=True)).cases()
    data = [
        {"department_code": d, "case_no": n, "status": s}
        for d, n, s in rows
        if not ctx.args.status or s == ctx.args.status
    ]

    def human() -> str:
        if not data:
            return ctx.t("cli.cases.none")
        return "\n".join(
            f"{d:>2} {n:<14} {ctx.t('cli.case_status.' + s)}"
            for d, n, s in rows
            if not ctx.args.status or s == ctx.args.status
        )

    return ctx.emit(data, human)


def cmd_cases(ctx: Context) -> int:
    if ctx.services(read_only=True).department_code() == 0:  # item 24.2: the region
        return _region_cases(ctx)
    svc = ctx.services(read_only=True).cases
    if ctx.args.find:
        rows = svc.find(ctx.args.find)
        if ctx.args.status:
            rows = [r for r in rows if r.status == ctx.args.status]
    else:
        rows = svc.list(status=ctx.args.status) if ctx.args.status else svc.list()
    dues = _service_dues(ctx) if rows and first_attr(rows[0], "service_due") is None else {}
    data = [_case_dict(r, dues) for r in rows]

    def human() -> str:
        if not data:
            return ctx.t("cli.cases.none")
        lines = []
        for c in data:
            due = fmt_date(date.fromisoformat(c["service_due"])) if c["service_due"] else "—"
            status = ctx.t("cli.case_status." + c["status"])
            lines.append(f"{c['case_no'] or '—':<14} {status:<26} {due:<10}  {c['applicant']}")
        return "\n".join(lines)

    return ctx.emit(data, human)


def cmd_talon(ctx: Context) -> int:
    """Item 15: the talon of an accepted case again, as a PDF (never sent to the printer).

    The same function as at intake (``services.printing.print_talon``): one talon,
    whoever prints it (issue 11, point 13).
    """
    from pathlib import Path

    result = ctx.services(read_only=True).printing.print_talon(
        ctx.args.case_no, ctx.settings, out=Path(ctx.args.out), send=False
    )
    out = result.path
    data = {"case_no": ctx.args.case_no, "file": str(out)}
    return ctx.emit(data, lambda: ctx.t("cli.talon.done", file=str(out)))
