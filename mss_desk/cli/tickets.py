"""The queue from a script: ``ticket issue``, ``ticket call``, ``ticket list``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mss_desk.cli.context import Context
from mss_desk.cli.errors import safe_t
from mss_desk.cli.values import first_attr, fmt_date, local_iso, parse_date_arg
from mss_desk.errors import NotFound


def _ticket_dict(tv: Any, ctx: Context) -> dict[str, Any]:
    return {
        "number": tv.number,
        "purpose": tv.purpose,
        "status": tv.status,
        "issued_at": local_iso(tv.issued_at, ctx),
        "called_at": local_iso(first_attr(tv, "called_at"), ctx),
        "wait_minutes": first_attr(tv, "wait_minutes"),
    }


def _emit_ticket(
    ctx: Context, tv: Any, key: str, more: Callable[[dict[str, Any]], dict[str, Any]]
) -> int:
    """One ticket: its JSON, or the line ``key`` says with its number, purpose and ``more``."""
    data = _ticket_dict(tv, ctx)
    return ctx.emit(
        data,
        lambda: ctx.t(
            key, number=tv.number, purpose=ctx.t(f"cli.purpose.{tv.purpose}"), **more(data)
        ),
    )


def cmd_ticket_issue(ctx: Context) -> int:
    from mss_desk.errors import OutsideHours

    try:
        tv = ctx.services().queue.issue(ctx.args.purpose)
    except OutsideHours as exc:
        # item 10: no tickets outside 09:00-18:00, in the lunch break, on days off
        lang = ctx.json_lang if ctx.json else ctx.lang
        reason = str(exc.params.get("reason") or "")
        why = safe_t(f"rules.office.{reason}", lang, reason, name=exc.params.get("holiday", ""))
        local = ctx.local(ctx.clock().now()).strftime("%Y-%m-%d %H:%M")
        raise OutsideHours(
            str(exc), key="cli.ticket.outside_hours", reason=why, now=local
        ) from None
    return _emit_ticket(
        ctx, tv, "cli.ticket.issued", lambda _: {"time": ctx.local(tv.issued_at).strftime("%H:%M")}
    )


def _clerk_id(ctx: Context, username: str | None) -> Any:
    if not username:
        return None
    wanted = username.strip().casefold()
    for view in ctx.services().clerks.list():
        if view.username == wanted:
            return view.id
    raise NotFound(key="cli.clerk_not_found", username=username)


def cmd_ticket_call(ctx: Context) -> int:
    services = ctx.services()
    tv = services.queue.call_next(ctx.args.purpose, _clerk_id(ctx, ctx.args.clerk))
    if tv is None:
        raise NotFound(key="cli.ticket.none_waiting", purpose=ctx.args.purpose)
    return _emit_ticket(ctx, tv, "cli.ticket.called", lambda data: {"wait": data["wait_minutes"]})


def cmd_ticket_list(ctx: Context) -> int:
    day = parse_date_arg(ctx.args.date, "--date") if ctx.args.date else ctx.today()
    rows = ctx.services(read_only=True).queue.day(day)
    data = [{k: v for k, v in _ticket_dict(tv, ctx).items() if k != "wait_minutes"} for tv in rows]

    def human() -> str:
        if not data:
            return ctx.t("cli.ticket.none_today", date=fmt_date(day))
        lines = []
        for row in data:
            issued = row["issued_at"][11:16] if row["issued_at"] else ""
            called = row["called_at"][11:16] if row["called_at"] else "—"
            lines.append(
                f"{row['number']:<7} {ctx.t('cli.purpose.' + row['purpose']):<18} "
                f"{ctx.t('cli.ticket_status.' + row['status']):<14} {issued}  {called}"
            )
        return "\n".join(lines)

    return ctx.emit(data, human)
