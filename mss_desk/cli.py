"""``mss-desk``: the desk itself and its command line for scripts.

With ``--json`` every command prints exactly one JSON value on stdout. Exit codes:
0 success, 1 invalid input (``{"error": "..."}``), 2 usage error. Never a traceback: a
:class:`DeskError` becomes one line in the chosen language; anything else becomes
"internal error" (the traceback goes to ``debug.log`` in the data dir only when
``MSS_DESK_DEBUG=1``).

Start-up time matters (the desk runs over slow SSH links): this module imports only the
stdlib and the light core modules. SQLModel/SQLAlchemy, ReportLab and Textual are imported
inside the commands that need them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, NoReturn

from mss_desk.config import Settings, load_settings
from mss_desk.errors import DeskError, NotFound, ValidationError
from mss_desk.i18n import LANGS, t, tn

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

PURPOSES = ("submit", "collect", "consult")
ROLES = ("clerk", "head", "admin")
# mss_desk.rules.lifecycle.STATUSES (not imported here: start-up stays light; a test compares)
CASE_STATUSES = (
    "draft",
    "accepted",
    "returned_incomplete",
    "forwarded",
    "decided",
    "result_ready",
    "delivered",
    "in_safekeeping",
)


# --------------------------------------------------------------------------- parser


class UsageError(Exception):
    """Wrong command line: one line, exit 2."""


class DeskArgumentParser(argparse.ArgumentParser):
    """argparse that never prints usage blocks or exits by itself on a mistake."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--db/--json/--lang are accepted before and after the subcommand.

    On subcommands the default is SUPPRESS, so an option given before the subcommand is
    not overwritten by the subparser's default.
    """
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        metavar="URL_OR_PATH",
        default=default,
        help="database URL or SQLite file (beats MSS_DESK_DATABASE and the config file)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="print one JSON value on stdout",
    )
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=default,
        help="language of the human-readable output (default: the settings' language, kk)",
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mss-desk")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def build_parser() -> DeskArgumentParser:
    parser = DeskArgumentParser(
        prog="mss-desk",
        description="MSS Desk: front-desk intake for medical-social institutions.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=DeskArgumentParser)

    def add(name: str, help_: str, func: Callable[[Context], int]) -> DeskArgumentParser:
        p: DeskArgumentParser = sub.add_parser(name, help=help_, description=help_)
        _common(p, top=False)
        p.set_defaults(func=func)
        return p

    add("run", "start the desk (the default)", cmd_run)
    add("board", "start the read-only wall board of the queue", cmd_board)

    p = add("iin", "check an IIN and show the birth date and sex it holds", cmd_iin)
    p.add_argument("iin", metavar="IIN")

    p = add("evaluate", "evaluate an applicant's facts (a JSON file, - for stdin)", cmd_evaluate)
    p.add_argument("file", metavar="FILE.json")

    p = add(
        "deadlines", "deadlines of a case accepted (and forwarded) on given dates", cmd_deadlines
    )
    p.add_argument("--accepted", required=True, metavar="YYYY-MM-DDTHH:MM")
    p.add_argument("--forwarded", metavar="YYYY-MM-DD")

    ticket = add("ticket", "the queue: issue, call and list tickets", _ticket_usage)
    tsub = ticket.add_subparsers(
        dest="ticket_command", metavar="ACTION", parser_class=DeskArgumentParser
    )
    for name, help_, func in (
        ("issue", "issue a queue ticket", cmd_ticket_issue),
        ("call", "call the oldest waiting ticket of a purpose", cmd_ticket_call),
        ("list", "the tickets of a day", cmd_ticket_list),
    ):
        tp: DeskArgumentParser = tsub.add_parser(name, help=help_, description=help_)
        _common(tp, top=False)
        tp.set_defaults(func=func)
        if name in ("issue", "call"):
            tp.add_argument("--purpose", required=True, choices=PURPOSES)
        if name == "call":
            tp.add_argument(
                "--clerk", metavar="USERNAME", help="the clerk who calls (default: none)"
            )
        if name == "list":
            tp.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")

    p = add("cases", "list cases", cmd_cases)
    p.add_argument("--status", choices=CASE_STATUSES, help="only cases in this state")
    p.add_argument("--find", metavar="QUERY", help="IIN, case number or surname prefix")

    p = add("init", "create the database and its Department", cmd_init)
    p.add_argument("--department", required=True, metavar="N", help="Annex 1 code (1-19)")

    clerk = add("clerk", "manage clerks", _clerk_usage)
    csub = clerk.add_subparsers(
        dest="clerk_command", metavar="ACTION", parser_class=DeskArgumentParser
    )
    cp: DeskArgumentParser = csub.add_parser("add", help="add a clerk", description="add a clerk")
    _common(cp, top=False)
    cp.set_defaults(func=cmd_clerk_add)
    cp.add_argument("--username", required=True)
    cp.add_argument("--surname", required=True)
    cp.add_argument("--name", required=True)
    cp.add_argument("--role", choices=ROLES, default="clerk")
    cp.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (else it is asked for)",
    )

    p = add(
        "demo", "fill a new database with a made-up Department, clerks, tickets and cases", cmd_demo
    )
    p.add_argument("--department", default="1", metavar="N", help="Annex 1 code (default 1)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")

    p = add("report", "the quality indicators (Annex 2) for a period", cmd_report)
    p.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--csv", metavar="FILE.csv", help="also write the report as CSV")
    p.add_argument("--pdf", metavar="FILE.pdf", help="also write the report as a PDF with a chart")

    p = add("talon", "print a case's talon again (PDF)", cmd_talon)
    p.add_argument("case_no", metavar="CASE_NO")
    p.add_argument("--out", required=True, metavar="FILE.pdf")

    # reliability room (mss_desk/store/backup.py, audit.py): backup, restore, audit verify
    p = add("backup", "write a checked backup of the SQLite database", cmd_backup)
    p.add_argument("--dir", metavar="DIR", help="default: backups/ beside the database")
    p = add("restore", "check a backup file, then put it in place of the database", cmd_restore)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dir", metavar="DIR", help="where the pre-restore backup goes")
    audit_p = add("audit", "the audit trail", _audit_usage)
    asub = audit_p.add_subparsers(
        dest="audit_command", metavar="ACTION", parser_class=DeskArgumentParser
    )
    ap: DeskArgumentParser = asub.add_parser(
        "verify", help="check the audit hash chain", description="check the audit hash chain"
    )
    _common(ap, top=False)
    ap.set_defaults(func=cmd_audit_verify)

    return parser


def _ticket_usage(ctx: Context) -> int:
    raise UsageError("mss-desk ticket: choose an action: issue, call or list")


def _clerk_usage(ctx: Context) -> int:
    raise UsageError("mss-desk clerk: choose an action: add")


def _audit_usage(ctx: Context) -> int:
    raise UsageError("mss-desk audit: choose an action: verify")


def cmd_backup(ctx: Context) -> int:
    from pathlib import Path

    from mss_desk.store.backup import backup

    directory = Path(ctx.args.dir).expanduser() if ctx.args.dir else None
    path = backup(ctx.db_url(), clock=ctx.clock(), directory=directory, kind="manual")
    return ctx.emit({"backup": str(path)}, lambda: ctx.t("safety.backup_done", path=str(path)))


def cmd_restore(ctx: Context) -> int:
    """No engine is opened first: a damaged database must not be written to (preflight)."""
    from pathlib import Path

    from mss_desk.store.backup import restore

    directory = Path(ctx.args.dir).expanduser() if ctx.args.dir else None
    result = restore(
        ctx.db_url(),
        Path(ctx.args.file).expanduser(),
        clock=ctx.clock(),
        directory=directory,
        keep=ctx.settings.backup_keep,
    )
    data = {
        "restored_from": str(result.restored_from),
        "revision": result.revision,
        "pre_restore_backup": str(result.pre_restore_backup or "") or None,
        "moved_aside": [str(p) for p in result.moved_aside],
    }
    return ctx.emit(data, lambda: ctx.t("safety.restore_done", path=str(result.restored_from)))


def cmd_audit_verify(ctx: Context) -> int:
    from mss_desk.store.audit import check_chain

    report = check_chain(ctx.engine())
    data = {
        "ok": report.first_broken is None,
        "count": report.count,
        "first_broken": report.first_broken,
        "reason": report.reason or None,
        "head": report.head,
    }
    if report.first_broken is None:
        ctx.emit(data, lambda: tn("safety.audit_ok", report.count, ctx.lang))
        return EXIT_OK
    ctx.emit(data, lambda: ctx.t("safety.audit_broken", id=report.first_broken))
    return EXIT_INVALID


def _auto_backup_in_background(ctx: Context, app: Any = None) -> Any:
    """First start of the day: an automatic backup (store/backup.py) beside the starting desk.

    A thread, so the login screen is not delayed; not a daemon, so a backup is never cut off
    half-way at exit (it writes under a temporary name anyway). A failure is not the clerk's
    problem at the login screen: it goes to debug.log (MSS_DESK_DEBUG=1), nothing personal,
    and the App shows the clerk a warning (``app.report_backup_failure``) — work goes on.
    """
    import threading

    settings, clock = ctx.settings, ctx.clock()

    def work() -> None:
        try:
            from mss_desk.store.backup import auto_backup_if_due

            url = ctx.db_url()  # imports SQLAlchemy: here, not before the first screen

            auto_backup_if_due(url, settings, clock)
        except Exception as exc:  # noqa: BLE001 - the desk works on without it
            _log_internal(exc)
            report = getattr(app, "report_backup_failure", None)
            if report is not None:
                report(exc)

    thread = threading.Thread(target=work, name="mss-desk-auto-backup")
    thread.start()
    return thread


# --------------------------------------------------------------------------- context


@dataclass
class Context:
    """What a command needs; the heavy parts are built on first use."""

    args: argparse.Namespace
    settings: Settings
    lang: str
    json: bool
    json_lang: str = "en"  # words inside JSON (reasons, errors): English unless --lang is given
    out: IO[str] = field(default_factory=lambda: sys.stdout)
    _catalog: Any = None
    _services: Any = None
    _engine: Any = None
    _clock: Any = None

    # -- pieces
    def clock(self) -> Any:
        if self._clock is None:
            from mss_desk.clock import clock_from_env

            try:
                self._clock = clock_from_env(self.settings.timezone)
            except ValueError:
                raise ValidationError(
                    key="cli.bad_now", value=os.environ.get("MSS_DESK_NOW", "")
                ) from None
        return self._clock

    def today(self) -> date:
        return self.local(self.clock().now()).date()

    def local(self, dt: datetime) -> datetime:
        return dt.astimezone(self.settings.tzinfo())

    def catalog(self) -> Any:
        if self._catalog is None:
            from mss_desk.catalog import load_catalog

            self._catalog = load_catalog()
        return self._catalog

    def db_url(self) -> str:
        from mss_desk.store.engine import resolve_url

        return resolve_url(self.settings.database)

    def engine(self, *, create: bool = False) -> Any:
        """The migrated store; only ``init`` and ``demo`` may create a missing SQLite file."""
        if self._engine is None:
            from mss_desk.store.engine import open_store

            url = self.db_url()
            path = _sqlite_path(url)
            if not create and path is not None and not os.path.exists(path):
                raise ValidationError(key="cli.no_database", path=path)
            self._engine = open_store(url)
        return self._engine

    def services(self, *, create: bool = False) -> Any:
        if self._services is None:
            from mss_desk.services import Services

            self._services = Services(self.engine(create=create), self.clock(), self.catalog())
        return self._services

    def close(self) -> None:
        if self._engine is not None:
            try:
                self._engine.dispose()
            except Exception:  # noqa: BLE001 - closing must never hide the real result
                pass

    # -- output
    def t(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def emit(self, data: Any, human: str | Callable[[], str]) -> int:
        if self.json:
            self.out.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            text = human() if callable(human) else human
            if text:
                self.out.write(text.rstrip("\n") + "\n")
        return EXIT_OK


# --------------------------------------------------------------------------- helpers


def parse_date_arg(text: str, what: str) -> date:
    """``YYYY-MM-DD`` exactly; anything else is invalid input (exit 1), not a usage error."""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            key="cli.bad_date", what=what, value=text, format="YYYY-MM-DD"
        ) from None


def parse_local_arg(text: str, what: str, tz: Any) -> datetime:
    """``YYYY-MM-DDTHH:MM`` in the Department's zone → aware local datetime."""
    try:
        if len(text) != 16 or text[10] not in "T ":
            raise ValueError
        naive = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            key="cli.bad_date", what=what, value=text, format="YYYY-MM-DDTHH:MM"
        ) from None
    return naive.replace(tzinfo=tz)


def _iso(dt: datetime | None, ctx: Context) -> str | None:
    """Stored UTC → the Department's local time, ISO 8601 with offset, to the minute."""
    if dt is None:
        return None
    return ctx.local(dt).isoformat(timespec="minutes")


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _fmt_date(value: date | None) -> str:
    from mss_desk.i18n.dates import format_date

    return format_date(value) if value is not None else "—"


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    """Read the first attribute (or mapping key) that exists: views may grow or rename."""
    for name in names:
        if isinstance(obj, dict):
            if name in obj:
                return obj[name]
        elif hasattr(obj, name):
            return getattr(obj, name)
    return default


# --------------------------------------------------------------------------- commands: rules


def cmd_iin(ctx: Context) -> int:
    from mss_desk.rules.iin import parse_iin

    info = parse_iin(ctx.args.iin)
    data = {"valid": True, "birth_date": info.birth_date.isoformat(), "sex": info.sex}
    return ctx.emit(
        data,
        lambda: ctx.t(
            "cli.iin.valid",
            birth_date=_fmt_date(info.birth_date),
            sex=ctx.t(f"cli.sex.{info.sex}"),
        ),
    )


def _read_json_file(name: str) -> Any:
    if name == "-":
        text = sys.stdin.read()
        shown = "stdin"
    else:
        try:
            with open(name, encoding="utf-8") as fh:
                text = fh.read()
        except FileNotFoundError:
            raise ValidationError(key="cli.file_missing", file=name) from None
        except IsADirectoryError:
            raise ValidationError(
                key="cli.file_unreadable", file=name, reason="a directory"
            ) from None
        except UnicodeDecodeError:
            raise ValidationError(
                key="cli.file_unreadable", file=name, reason="not UTF-8"
            ) from None
        except OSError as exc:
            raise ValidationError(
                key="cli.file_unreadable", file=name, reason=exc.strerror or "error"
            ) from None
        shown = name
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            key="cli.bad_json", file=shown, line=exc.lineno, column=exc.colno, reason=exc.msg
        ) from None


def cmd_evaluate(ctx: Context) -> int:
    from mss_desk.rules.eligibility import evaluate, evaluation_to_dict, facts_from_dict

    raw = _read_json_file(ctx.args.file)
    if not isinstance(raw, dict):
        raise ValidationError(key="cli.facts_not_object", file=ctx.args.file)
    catalog = ctx.catalog()
    code = raw.get("institution")
    if isinstance(code, str) and code and code not in catalog.institutions:
        raise ValidationError(
            key="cli.unknown_institution",
            code=str(code),
            known=", ".join(sorted(catalog.institutions)),
        )
    facts = facts_from_dict(raw, catalog)
    ev = evaluate(facts, catalog)
    full = evaluation_to_dict(ev, ctx.lang if not ctx.json else ctx.json_lang)
    data = {k: full[k] for k in ("eligible", "priority", "age", "reasons", "documents")}

    def human() -> str:
        head = ctx.t(
            "cli.evaluate.eligible" if ev.eligible else "cli.evaluate.not_eligible", age=ev.age
        )
        lines = [head]
        if ev.priority:
            lines.append(ctx.t("cli.evaluate.priority"))
        lines.extend(f"  - {r}" for r in data["reasons"])
        if ev.eligible:
            lines.append(ctx.t("cli.evaluate.documents"))
            for i, doc in enumerate(data["documents"], 1):
                lines.append(f"  {i}. {_doc_label(catalog, doc, ctx.lang)}")
        return "\n".join(lines)

    return ctx.emit(data, human)


def _doc_label(catalog: Any, code: str, lang: str) -> str:
    try:
        spec = catalog.document(code)
    except Exception:  # noqa: BLE001 - a label is a nicety; the code is always right
        return code
    label = spec.label_ru if lang == "ru" else spec.label_kk
    return f"{label} ({code})" if lang == "en" else label


def cmd_deadlines(ctx: Context) -> int:
    from mss_desk.rules.calendar import BusinessCalendar
    from mss_desk.rules.deadlines import compute_deadlines

    tz = ctx.settings.tzinfo()
    accepted = parse_local_arg(ctx.args.accepted, "--accepted", tz)
    forwarded = (
        parse_date_arg(ctx.args.forwarded, "--forwarded")
        if ctx.args.forwarded is not None
        else None
    )
    if forwarded is not None and forwarded < accepted.date():
        raise ValidationError(
            key="cli.forwarded_before_accepted",
            forwarded=forwarded.isoformat(),
            accepted=accepted.date().isoformat(),
        )
    catalog = ctx.catalog()
    calendar = BusinessCalendar(catalog.calendar_overrides)
    dl = compute_deadlines(accepted.date(), forwarded, calendar, catalog.terms(accepted.date()))
    data = {
        "service_due": _d(dl.service_due),
        "forward_due": _d(dl.forward_due),
        "decision_due": _d(dl.decision_due),
        "binding_due": _d(dl.binding_due),
    }

    def human() -> str:
        lines = [
            ctx.t("cli.deadlines.service", date=_fmt_date(dl.service_due)),
            ctx.t("cli.deadlines.forward", date=_fmt_date(dl.forward_due)),
            ctx.t("cli.deadlines.decision", date=_fmt_date(dl.decision_due))
            if dl.decision_due is not None
            else ctx.t("cli.deadlines.decision_not_forwarded"),
            ctx.t("cli.deadlines.binding", date=_fmt_date(dl.binding_due)),
        ]
        return "\n".join(lines)

    return ctx.emit(data, human)


# --------------------------------------------------------------------------- commands: desk


def _ticket_dict(tv: Any, ctx: Context) -> dict[str, Any]:
    return {
        "number": tv.number,
        "purpose": tv.purpose,
        "status": tv.status,
        "issued_at": _iso(tv.issued_at, ctx),
        "called_at": _iso(_get(tv, "called_at"), ctx),
        "wait_minutes": _get(tv, "wait_minutes"),
    }


def cmd_ticket_issue(ctx: Context) -> int:
    from mss_desk.errors import OutsideHours

    try:
        tv = ctx.services().queue.issue(ctx.args.purpose)
    except OutsideHours as exc:
        # item 10: no tickets outside 09:00-18:00, in the lunch break, on days off
        lang = ctx.json_lang if ctx.json else ctx.lang
        reason = str(exc.params.get("reason") or "")
        why = _safe_t(f"rules.office.{reason}", lang, reason, name=exc.params.get("holiday", ""))
        local = ctx.local(ctx.clock().now()).strftime("%Y-%m-%d %H:%M")
        raise OutsideHours(
            str(exc), key="cli.ticket.outside_hours", reason=why, now=local
        ) from None
    data = _ticket_dict(tv, ctx)
    return ctx.emit(
        data,
        lambda: ctx.t(
            "cli.ticket.issued",
            number=tv.number,
            purpose=ctx.t(f"cli.purpose.{tv.purpose}"),
            time=ctx.local(tv.issued_at).strftime("%H:%M"),
        ),
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
    data = _ticket_dict(tv, ctx)
    return ctx.emit(
        data,
        lambda: ctx.t(
            "cli.ticket.called",
            number=tv.number,
            purpose=ctx.t(f"cli.purpose.{tv.purpose}"),
            wait=data["wait_minutes"],
        ),
    )


def cmd_ticket_list(ctx: Context) -> int:
    day = parse_date_arg(ctx.args.date, "--date") if ctx.args.date else ctx.today()
    rows = ctx.services().queue.day(day)
    data = [{k: v for k, v in _ticket_dict(tv, ctx).items() if k != "wait_minutes"} for tv in rows]

    def human() -> str:
        if not data:
            return ctx.t("cli.ticket.none_today", date=_fmt_date(day))
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


def _case_dict(row: Any, service_due: dict[str, Any]) -> dict[str, Any]:
    applicant = _get(row, "applicant", "applicant_name", "full_name")
    if applicant is None:
        surname, name = _get(row, "surname", default=""), _get(row, "name", default="")
        applicant = f"{surname} {name}".strip()
    due = _get(row, "service_due")
    if due is None and row.case_no:
        due = service_due.get(row.case_no)
    return {
        "case_no": row.case_no,
        "status": row.status,
        "applicant": applicant,
        "service_due": _d(due),
    }


def _service_dues(ctx: Context) -> dict[str, Any]:
    """case_no → service deadline (item 7.1), from the lifecycle rows (one query)."""
    services = ctx.services()
    lifecycle = getattr(services, "lifecycle", None)
    if lifecycle is None:
        try:
            from mss_desk.services.lifecycle import LifecycleService
        except ImportError:  # pragma: no cover - before the lifecycle room lands
            return {}
        lifecycle = LifecycleService(services)
    from mss_desk.rules.lifecycle import STATUSES

    return {r.case_no: r.service_due for r in lifecycle.in_status(*STATUSES) if r.case_no}


def cmd_cases(ctx: Context) -> int:
    svc = ctx.services().cases
    if ctx.args.find:
        rows = svc.find(ctx.args.find)
        if ctx.args.status:
            rows = [r for r in rows if r.status == ctx.args.status]
    else:
        rows = svc.list(status=ctx.args.status) if ctx.args.status else svc.list()
    dues = _service_dues(ctx) if rows and _get(rows[0], "service_due") is None else {}
    data = [_case_dict(r, dues) for r in rows]

    def human() -> str:
        if not data:
            return ctx.t("cli.cases.none")
        lines = []
        for c in data:
            due = _fmt_date(date.fromisoformat(c["service_due"])) if c["service_due"] else "—"
            status = ctx.t("cli.case_status." + c["status"])
            lines.append(f"{c['case_no'] or '—':<14} {status:<26} {due:<10}  {c['applicant']}")
        return "\n".join(lines)

    return ctx.emit(data, human)


def _department_code(ctx: Context, text: str) -> int:
    try:
        code = int(text)
    except ValueError:
        code = -1
    known = ctx.catalog().departments
    if code not in known:
        raise ValidationError(
            key="cli.unknown_department", code=text, known=f"{min(known)}-{max(known)}"
        )
    return code


def cmd_init(ctx: Context) -> int:
    code = _department_code(ctx, ctx.args.department)
    ctx.services(create=True).setup.init_department(code, tz=ctx.settings.timezone)
    name = ctx.catalog().department(code).name(ctx.lang)
    data = {"department": code, "name": name, "database": _safe_url(ctx.db_url())}
    return ctx.emit(data, lambda: ctx.t("cli.init.done", code=code, name=name, db=data["database"]))


def _sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    db = parsed.database or ""
    if not db or db == ":memory:" or "mode=memory" in url:
        return None
    return db


def _safe_url(url: str) -> str:
    """A URL without its password (never print credentials)."""
    if "://" in url and "@" in url:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    return url


def _read_password(ctx: Context) -> str:
    if ctx.args.password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise ValidationError(key="cli.password_empty")
        return password
    if not sys.stdin.isatty():
        raise UsageError(
            "mss-desk clerk add: no terminal to ask for the password; use --password-stdin"
        )
    import getpass

    first = getpass.getpass(ctx.t("cli.password.prompt"))
    second = getpass.getpass(ctx.t("cli.password.again"))
    if first != second:
        raise ValidationError(key="cli.password_mismatch")
    if not first:
        raise ValidationError(key="cli.password_empty")
    return first


def cmd_clerk_add(ctx: Context) -> int:
    from mss_desk.text import clean_line

    args = ctx.args
    services = ctx.services()
    if not services.setup.is_initialised():
        raise ValidationError(key="cli.not_initialised")
    password = _read_password(ctx)
    view = services.clerks.create(
        services.department_code(),
        clean_line(args.username),
        clean_line(args.surname),
        clean_line(args.name),
        password,
        args.role,
    )
    data = {
        "id": _get(view, "id"),
        "username": _get(view, "username", default=args.username),
        "role": _get(view, "role", default=args.role),
    }
    return ctx.emit(
        data, lambda: ctx.t("cli.clerk.added", username=data["username"], role=data["role"])
    )


def cmd_demo(ctx: Context) -> int:
    from mss_desk.demo import fill_demo

    code = _department_code(ctx, ctx.args.department)
    report = fill_demo(
        ctx.engine(create=True),
        ctx.catalog(),
        ctx.clock(),
        department=code,
        seed=ctx.args.seed,
        tz=ctx.settings.timezone,
    )
    data = dict(report)
    data["database"] = _safe_url(ctx.db_url())
    return ctx.emit(data, lambda: ctx.t("cli.demo.done", **_demo_params(ctx, data)))


def _demo_params(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    cases = data.get("cases_by_status", {})
    order = {s: i for i, s in enumerate(CASE_STATUSES)}
    states = sorted(cases.items(), key=lambda kv: order.get(kv[0], 99))
    return {
        "db": data["database"],
        "clerks": tn("cli.demo.clerks", data.get("clerks", 0), ctx.lang),
        "tickets": tn("cli.demo.tickets", data.get("tickets", 0), ctx.lang),
        "cases": tn("cli.demo.cases", sum(cases.values()), ctx.lang),
        "states": ", ".join(f"{ctx.t('cli.case_status.' + k)} — {v}" for k, v in states),
    }


def cmd_report(ctx: Context) -> int:
    """Issue 5: the Annex 2 indicators; JSON {"indicators": {"1.1": {"value", ...}}}."""
    from pathlib import Path

    from mss_desk.services.reports import report_text, write_csv, write_pdf

    start = parse_date_arg(ctx.args.date_from, "--from")
    end = parse_date_arg(ctx.args.date_to, "--to")
    report = ctx.services().reports.indicators(start, end)
    if ctx.args.csv:
        write_csv(report, Path(ctx.args.csv), ctx.lang)
    if ctx.args.pdf:
        write_pdf(report, ctx.catalog(), Path(ctx.args.pdf), ctx.settings.font_path)
    return ctx.emit(report.as_json(), lambda: report_text(report, ctx.lang))


def cmd_talon(ctx: Context) -> int:
    try:
        from mss_desk import paper
    except ImportError:  # pragma: no cover
        raise DeskError(key="cli.talon_unavailable") from None
    reprint = getattr(paper, "reprint_talon", None)
    if reprint is None:
        raise DeskError(key="cli.talon_unavailable")
    out = reprint(ctx.services(), ctx.args.case_no, ctx.args.out, ctx.settings)
    data = {"case_no": ctx.args.case_no, "file": str(out)}
    return ctx.emit(data, lambda: ctx.t("cli.talon.done", file=str(out)))


# --------------------------------------------------------------------------- commands: TUI


def _import_app(name: str) -> Any:
    try:
        import mss_desk.app as app_module
    except ModuleNotFoundError as exc:
        if exc.name in ("mss_desk.app", "textual"):
            raise DeskError(key="cli.app_missing") from None
        raise
    found = getattr(app_module, name, None)
    if found is None:
        raise DeskError(key="cli.app_missing")
    return found


def cmd_run(ctx: Context) -> int:
    if ctx.json:
        raise UsageError("mss-desk run: --json is for script commands, not the desk")
    app_cls = _import_app("MssDeskApp")
    app = _build_app(app_cls, ctx)
    when_started = getattr(app, "when_started", None)  # after the first screen is painted
    if callable(when_started):
        when_started(lambda: _auto_backup_in_background(ctx, app))
    else:
        _auto_backup_in_background(ctx, app)
    app.run()
    return EXIT_OK


def cmd_board(ctx: Context) -> int:
    if ctx.json:
        raise UsageError("mss-desk board: --json is for script commands, not the board")
    factory = None
    for name in ("BoardApp", "MssBoardApp", "QueueBoardApp"):
        try:
            factory = _import_app(name)
            break
        except DeskError:
            continue
    if factory is None:
        app_cls = _import_app("MssDeskApp")
        app = _build_app(app_cls, ctx, board=True)
    else:
        app = _build_app(factory, ctx)
    app.run()
    return EXIT_OK


def _build_app(app_cls: Any, ctx: Context, **extra: Any) -> Any:
    """Hand the App what it accepts (db_url, clock, lang, settings); it builds its services."""
    import inspect

    params = inspect.signature(app_cls).parameters
    kwargs: dict[str, Any] = {}
    # Never the services: the App builds them after the login screen is up (start-up time).
    offered: dict[str, Callable[[], Any]] = {
        "db_url": lambda: ctx.settings.database,  # the App resolves it (no SQLAlchemy here)
        "clock": ctx.clock,
        "lang": lambda: ctx.lang,
        "settings": lambda: ctx.settings,
    }
    for key, make in offered.items():
        if key in params:
            kwargs[key] = make()
    for key, value in extra.items():
        if key in params:
            kwargs[key] = value
    return app_cls(**kwargs)


# --------------------------------------------------------------------------- main


def _wants_json(argv: Sequence[str]) -> bool:
    return "--json" in argv


def _explicit_lang(argv: Sequence[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGS:
            return arg[7:]
    return None


def _fail(message: str, *, as_json: bool, code: int) -> int:
    message = " ".join(message.split())  # one line, always
    if as_json:
        sys.stdout.write(json.dumps({"error": message}, ensure_ascii=False) + "\n")
    else:
        prefix = "" if message.startswith("mss-desk") else "mss-desk: "
        sys.stderr.write(f"{prefix}{message}\n")
    return code


def _safe_t(key: str, lang: str, fallback: str, **params: Any) -> str:
    """A translation that cannot itself fail (a broken catalog must not cause a traceback)."""
    try:
        text = t(key, lang, **params)
    except Exception:  # noqa: BLE001
        return fallback
    return fallback if text == key else text


def _error_text(exc: DeskError, lang: str) -> str:
    """A DeskError in the clerk's words; its own message when the key is not translated."""
    own = str(exc) or exc.key
    try:
        return _safe_t(exc.key, lang, own, **exc.params)
    except Exception:  # noqa: BLE001
        return own


def _log_internal(exc: BaseException) -> None:
    """Only with MSS_DESK_DEBUG=1: the traceback goes to debug.log (never to the screen)."""
    if os.environ.get("MSS_DESK_DEBUG") != "1":
        return
    try:
        import re
        import traceback

        from mss_desk.locations import data_dir, ensure_private_dir

        path = ensure_private_dir(data_dir()) / "debug.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            # no personal data in logs: IIN-shaped numbers are masked
            text = "".join(traceback.format_exception(exc))
            fh.write(re.sub(r"(?<!\d)\d{12}(?!\d)", "<12 digits>", text))
            fh.write("\n")
    except Exception:  # noqa: BLE001 - logging must never become the error
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``mss-desk``; returns the exit code (the console script exits with it)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    as_json = _wants_json(args_list)
    explicit_lang = _explicit_lang(args_list)
    # Errors in JSON are for scripts: English unless a language was asked for.
    error_lang = explicit_lang or ("en" if as_json else None)
    ctx: Context | None = None
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(args_list)
        except SystemExit as exc:  # --help (argparse prints and exits 0)
            return int(exc.code or 0)
        if args.version:
            return _print_version(as_json)
        settings = load_settings(database=args.db, language=args.lang)
        if error_lang is None:
            error_lang = settings.language
        ctx = Context(
            args=args,
            settings=settings,
            lang=settings.language,
            json=bool(args.json),
            json_lang=explicit_lang or "en",
        )
        func = getattr(args, "func", None) or cmd_run
        return func(ctx)
    except UsageError as exc:
        return _fail(str(exc), as_json=as_json, code=EXIT_USAGE)
    except DeskError as exc:
        return _fail(_error_text(exc, error_lang or "kk"), as_json=as_json, code=EXIT_INVALID)
    except KeyboardInterrupt:
        return _fail("interrupted", as_json=as_json, code=130)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        _log_internal(exc)
        return _fail(
            _safe_t("cli.internal_error", error_lang or "kk", "internal error"),
            as_json=as_json,
            code=EXIT_INVALID,
        )
    finally:
        if ctx is not None:
            ctx.close()


def _print_version(as_json: bool) -> int:
    version = _version()
    if as_json:
        sys.stdout.write(json.dumps({"version": version}) + "\n")
    else:
        sys.stdout.write(f"mss-desk {version}\n")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
