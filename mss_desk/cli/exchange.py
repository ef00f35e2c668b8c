"""The offline exchange from the command line (issue 14): ``exchange key show|make|add``,
``exchange export``, ``exchange import``, ``exchange status`` and, on the regional desk,
``decide``.

The private keys live in ``keys/`` in the data dir (``MSS_DESK_DATA_DIR``), 0600; nothing
here ever prints them. A refused bundle is a DeskError: one line, exit 1, nothing applied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mss_desk.cli.context import Context
from mss_desk.cli.values import department_code


def key_folder() -> Path:
    """Where the desk's private keys live: ``keys/`` in the data dir."""
    from mss_desk.locations import keys_dir

    return keys_dir()


def desk_code(ctx: Context, text: str) -> int:
    """A desk's code: 0 for the Regional Department (item 24.2), else an Annex 1 code
    (anything else: "no desk with code …", not the Department list's "expected 1-19")."""
    from mss_desk.errors import ValidationError

    if text.strip() == "0":
        return 0
    try:
        return department_code(ctx, text)
    except ValidationError:
        raise ValidationError(key="exchange.unknown_code", code=text) from None


def _file_argument(command: str, option: str, text: str) -> Path:
    """A bundle's path; an empty one is a usage error (``Path("")`` is the current folder)."""
    from mss_desk.cli.errors import UsageError

    if not text.strip():
        raise UsageError(f"mss-desk exchange {command}: {option} needs a file name")
    return Path(text)


def exchange_service(
    ctx: Context, *, create: bool = False, department: int | None = None
) -> Any:
    """The exchange of this desk; ``department`` names the desk when ``init`` has just
    added it to a database that holds others (the desk's setting may not name it yet)."""
    from mss_desk.errors import ValidationError
    from mss_desk.exchange.service import ExchangeService

    services = ctx.services(create=create)
    if department is not None:
        from mss_desk.services import Services

        services = Services(services.engine, ctx.clock(), ctx.catalog(), department=department)
    if not services.setup.is_initialised():
        raise ValidationError(key="cli.not_initialised")
    return ExchangeService(services, key_folder())


def cmd_key_show(ctx: Context) -> int:
    svc = exchange_service(ctx)
    public = svc.keys().public
    data = {"code": svc.department_code(), "public_key": public.text,
            "fingerprint": public.fingerprint}  # fmt: skip
    return ctx.emit(data, lambda: ctx.t("exchange.cli.key_show", **data))


def cmd_key_make(ctx: Context) -> int:
    """For a desk set up before the exchange existed (``init`` makes the keys now)."""
    svc = exchange_service(ctx)
    public, made = svc.make_keys()
    data = {"code": svc.department_code(), "fingerprint": public.fingerprint, "made": made}
    key = "exchange.cli.key_made" if made else "exchange.cli.key_exists"
    return ctx.emit(data, lambda: ctx.t(key, **data))


def cmd_key_add(ctx: Context) -> int:
    code = desk_code(ctx, ctx.args.code)
    public = exchange_service(ctx).trust(code, ctx.args.public_key)
    data = {"code": code, "fingerprint": public.fingerprint}
    return ctx.emit(data, lambda: ctx.t("exchange.cli.key_added", **data))


def cmd_export(ctx: Context) -> int:
    to = desk_code(ctx, ctx.args.to)
    out = _file_argument("export", "--out", ctx.args.out)
    result = exchange_service(ctx).export(to, out)
    data = {"messages": result.messages, "bytes": result.bytes}
    return ctx.emit(data, lambda: ctx.t("exchange.cli.exported", **data))


def cmd_import(ctx: Context) -> int:
    from mss_desk.i18n import t

    path = _file_argument("import", "FILE", ctx.args.file)
    result = exchange_service(ctx).import_bundle(path)
    lang = ctx.json_lang if ctx.json else ctx.lang
    problems = [{**p, "text": t(p["problem"], lang)} for p in result.problems]
    data = {"applied": result.applied, "already_had": result.already_had, "problems": problems}

    def human() -> str:
        lines = [ctx.t("exchange.cli.imported", applied=result.applied,
                       already_had=result.already_had, problems=len(problems))]  # fmt: skip
        lines += [f"  {p['case_no'] or '—'}: {p['text']}" for p in problems]
        return "\n".join(lines)

    return ctx.emit(data, human)


def cmd_status(ctx: Context) -> int:
    """The totals, and the same per partner desk (what the exchange screen shows)."""
    overview = exchange_service(ctx).overview()
    counts = overview.counts
    totals = {"unacknowledged": counts.unacknowledged, "received": counts.received,
              "problems": counts.problems}  # fmt: skip
    desks = [
        {"code": p.code, "unacknowledged": p.unacknowledged, "received": p.received,
         "problems": p.problems, "trusted": p.trusted}
        for p in overview.partners
    ]  # fmt: skip
    # point 6: the problems listed on this desk, received or reported by the other desk,
    # each with what to do (``exchange resolve ID`` marks one dealt with)
    from mss_desk.i18n import t

    lang = ctx.json_lang if ctx.json else ctx.lang
    listed = [
        {"id": p.id, "desk": p.from_code, "case_no": p.case_no, "kind": p.about_kind or p.kind,
         "problem": p.problem, "reported": p.reported,
         "received_at": p.received_at.isoformat(), "text": t(problem_text_key(p), lang)}
        for p in overview.problems
    ]  # fmt: skip
    data = {**totals, "desks": desks, "problem_list": listed}

    def human() -> str:
        lines = [ctx.t("exchange.cli.status", **totals)]
        lines += [f"  {d['code']:>2}: " + ctx.t("exchange.ui.counts", sent=d["unacknowledged"],
                  received=d["received"], problems=d["problems"]) for d in desks]  # fmt: skip
        lines += [f"  {p['id']} {p['case_no'] or '—'}: {p['text']}" for p in listed]
        return "\n".join(lines)

    return ctx.emit(data, human)


def problem_text_key(problem: Any) -> str:
    """What happened and what to do: this desk's own problem (``exchange.problem.*``), or
    the sender's side of one the other desk reports (``exchange.reported.*``)."""
    from mss_desk.exchange.service import problem_text_key as key

    return key(problem)


def cmd_resolve(ctx: Context) -> int:
    """Point 6: an exchange problem dealt with leaves the list (the audit keeps it)."""
    view = exchange_service(ctx).resolve(ctx.args.id)
    data = {"id": view.id, "case_no": view.case_no, "problem": view.problem}
    return ctx.emit(data, lambda: ctx.t("exchange.problems.cli_resolved", id=view.id))


def cmd_decide(ctx: Context) -> int:
    """Item 5 on the regional desk: referral, refusal (item 17 / 6) or return."""
    from mss_desk.cli.errors import UsageError
    from mss_desk.exchange.region import RegionService

    args = ctx.args
    if args.referral is not None and not args.institution:
        raise UsageError("mss-desk decide: --referral needs --institution NAME")
    if args.refusal is None and args.reason is not None:
        raise UsageError("mss-desk decide: --reason goes with --refusal")
    if args.return_note is not None and not args.return_note.strip():
        # else an empty note fell through to "a refusal needs its ground"
        raise UsageError("mss-desk decide: --return needs the text of what to correct")
    from mss_desk.errors import NotFound

    svc = exchange_service(ctx)
    try:
        result = RegionService(svc.hub).decide(
            args.case_no,
            referral_no=args.referral or "",
            institution=args.institution or "",
            ownership=args.ownership,
            refusal=args.refusal or "",
            reason=args.reason or "",
            return_note=args.return_note or "",
        )
    except NotFound:  # say which file ("No case 19-2026-00001"), not only "Not found"
        raise NotFound("case", key="cases.error.not_found", case_no=args.case_no) from None
    data = {"case_no": result.case_no, "department_code": result.department_code,
            "status": result.status, "message": result.message_id}  # fmt: skip
    return ctx.emit(
        data,
        lambda: ctx.t("exchange.cli.decided", case_no=result.case_no,
                      status=ctx.t("cli.case_status." + result.status),
                      code=result.department_code),
    )  # fmt: skip
