"""Complaints from a script (items 21-23; item 22's second instance, issue 14.3 and 14.5).

- ``complaint add``: on a Department's desk, a complaint about it; on the regional desk,
  ``--department CODE`` names the Department it is about (registered at the region).
  ``--talon FILE.pdf`` writes its talon (item 23) — asked for by name, never by default.
- ``complaint list``: the desk's complaints (the region: its own and the second instance,
  with the days left).
- ``complaint escalate N``: the applicant disagrees with the Department's answer; the
  complaint goes to the region (the outbox, or at once on the shared server).
- ``complaint answer N --clerk HEAD``: the head answers; on the regional desk only the
  regional head, and the answer goes back to the Department.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mss_desk.cli.context import Context
from mss_desk.cli.errors import UsageError
from mss_desk.cli.tickets import _clerk_id
from mss_desk.cli.values import fmt_date, local_iso, parse_date_arg

REGION = 0


def _regional(ctx: Context) -> bool:
    from mss_desk.errors import ValidationError

    services = ctx.services()
    if not services.setup.is_initialised():
        raise ValidationError(key="cli.not_initialised")
    return bool(services.department_code() == REGION)


def _region(ctx: Context) -> Any:
    from mss_desk.exchange.region_complaints import RegionComplaintService

    return RegionComplaintService(ctx.services())


def _view(c: Any, ctx: Context) -> dict[str, Any]:
    def day(d: Any) -> str | None:
        return d.isoformat() if d is not None else None

    return {
        "complaint_no": c.complaint_no,
        "department_code": c.department_code,
        "case_no": c.case_no,
        "complainant": c.complainant,
        "registered_at": local_iso(c.registered_at, ctx),
        "answer_due": day(c.answer_due),
        "status": c.status,
        "answered_on": day(c.answered_on),
        "justified": c.justified,
        "satisfied": c.satisfied,
        "at_region": c.at_region,
        "escalated_on": day(c.escalated_on),
        "second_due": day(c.second_due),
        "second_instance": c.second_instance,
        "second_answered_on": day(c.second_answered_on),
        "second_justified": c.second_justified,
        "second_satisfied": c.second_satisfied,
    }


def _region_row(r: Any, ctx: Context) -> dict[str, Any]:
    return {**_view(r.complaint, ctx), "instance": r.instance, "due": r.due.isoformat(),
            "days_left": r.days_left, "answered": r.answered}  # fmt: skip


def cmd_complaint_add(ctx: Context) -> int:
    args = ctx.args
    regional = _regional(ctx)
    if regional and args.about is None:
        raise UsageError(ctx.t("region_complaints.cli.need_department"))
    if not regional and args.about is not None:
        raise UsageError(ctx.t("region_complaints.cli.not_regional_department"))
    clerk_id = _clerk_id(ctx, args.clerk)
    if regional:
        from mss_desk.cli.values import department_code

        code = department_code(ctx, args.about)
        c = _region(ctx).register(code, args.complainant, args.text, clerk_id,
                                  case_no=args.case, contact=args.contact or "")  # fmt: skip
    else:
        c = ctx.services().complaints.register(
            args.complainant, args.text, clerk_id, case_no=args.case, contact=args.contact or ""
        )
    data = _view(c, ctx)
    if args.talon:
        out = Path(args.talon)
        if regional:
            _region(ctx).print_talon(c.complaint_no, None, out=out, send=False)
        else:
            from mss_desk import paper
            from mss_desk.paper.reprint import paper_settings

            talon = ctx.services().complaints.talon(c.complaint_no)
            paper.print_complaint_talon(talon, paper_settings(None), out=out, send=False)
        data["talon"] = str(out)
    return ctx.emit(
        data,
        lambda: ctx.t("region_complaints.cli.registered", number=c.complaint_no,
                      code=c.department_code, date=fmt_date(c.answer_due)),
    )  # fmt: skip


def cmd_complaint_list(ctx: Context) -> int:
    if _regional(ctx):
        rows = [_region_row(r, ctx) for r in _region(ctx).list()]
    else:
        rows = [_view(c, ctx) for c in ctx.services().complaints.list()]

    def human() -> str:
        if not rows:
            return ctx.t("region_complaints.cli.none")
        lines = []
        for r in rows:
            due = r.get("due") or r["answer_due"]
            days = "" if r.get("days_left") is None else f" ({r['days_left']})"
            state = r["second_instance"] or r["status"]
            lines.append(f"{r['complaint_no']:<14} {r['department_code']:>2}  {due}{days}  "
                         f"{state}{'  [region]' if r['at_region'] else ''}")  # fmt: skip
        return "\n".join(lines)

    return ctx.emit(rows, human)


def cmd_complaint_escalate(ctx: Context) -> int:
    args = ctx.args
    _regional(ctx)
    on = parse_date_arg(args.date, "--date") if args.date else None
    c = ctx.services().complaints.escalate(args.complaint_no, _clerk_id(ctx, args.clerk), on=on)
    return ctx.emit(
        _view(c, ctx),
        lambda: ctx.t("region_complaints.cli.escalated", number=c.complaint_no,
                      date=fmt_date(c.second_due)),
    )  # fmt: skip


def cmd_complaint_answer(ctx: Context) -> int:
    args = ctx.args
    regional = _regional(ctx)
    head_id = _clerk_id(ctx, args.clerk)
    on = parse_date_arg(args.date, "--date") if args.date else None
    kw = {"justified": args.justified, "satisfied": args.satisfied,
          "answer_text": args.answer or "", "answered_on": on}  # fmt: skip
    if regional:
        row = _region(ctx).review(args.complaint_no, head_id, **kw)
        data, code = _region_row(row, ctx), row.department_code
    else:
        c = ctx.services().complaints.review(args.complaint_no, head_id, **kw)
        data, code = _view(c, ctx), c.department_code
    return ctx.emit(
        data,
        lambda: ctx.t("region_complaints.cli.answered", number=args.complaint_no, code=code),
    )
