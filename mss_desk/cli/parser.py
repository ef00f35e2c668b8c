"""The command line's grammar: every command, its options and help text, in one table.

argparse, made to fail in one line (:class:`DeskArgumentParser` raises
:class:`~mss_desk.cli.errors.UsageError`, exit 2) instead of printing a usage block and
exiting by itself. Each command is a ``cmd_*`` function of its group's module; those modules
import only light code at the top, so building the parser stays cheap.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from mss_desk.catalog.model import CONDITIONS
from mss_desk.cli.cases import cmd_cases, cmd_talon
from mss_desk.cli.context import Context
from mss_desk.cli.db import cmd_db_role_add, cmd_db_role_list
from mss_desk.cli.demo import cmd_demo
from mss_desk.cli.errors import UsageError
from mss_desk.cli.exchange import (
    cmd_decide,
    cmd_export,
    cmd_import,
    cmd_key_add,
    cmd_key_make,
    cmd_key_show,
    cmd_resolve,
    cmd_status,
)
from mss_desk.cli.info import cmd_info
from mss_desk.cli.paper import cmd_paper_blank_form, cmd_paper_checklist
from mss_desk.cli.places import cmd_place_free
from mss_desk.cli.report import cmd_report
from mss_desk.cli.rules import cmd_deadlines, cmd_evaluate, cmd_iin
from mss_desk.cli.safety import cmd_audit_verify, cmd_backup, cmd_restore
from mss_desk.cli.setup import (
    cmd_clerk_add,
    cmd_clerk_disable,
    cmd_clerk_enable,
    cmd_clerk_password,
    cmd_clerk_unlock,
    cmd_init,
)
from mss_desk.cli.tickets import cmd_ticket_call, cmd_ticket_issue, cmd_ticket_list
from mss_desk.cli.tui import cmd_board, cmd_run
from mss_desk.cli.values import CASE_STATUSES, PURPOSES, ROLES
from mss_desk.i18n import LANGS
from mss_desk.vocabulary import INSTITUTIONS

# the applicant categories: the conditions of item 12 that add documents to "always"
CATEGORIES = tuple(c for c in CONDITIONS if c != "always")

Command = Callable[[Context], int]


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


def _desk_department(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``--department N``: the Department this desk serves (issue 15, item 2), for the
    commands that act in one Department. Beats MSS_DESK_DEPARTMENT and the config file;
    needed when the database holds several Departments (``init``, ``demo`` and ``info``
    have their own ``--department``: the Department they set up or describe)."""
    parser.add_argument(
        "--department",
        dest="desk_department",
        metavar="N",
        default=None if top else argparse.SUPPRESS,
        help="this desk's Department, Annex 1 code (beats MSS_DESK_DEPARTMENT and the config "
        "file; needed when the database holds several Departments)",
    )


def _choose_action(command: str, actions: Sequence[str]) -> Command:
    """A command group given without its action (``mss-desk ticket``): a usage error."""
    listed = actions[-1] if len(actions) == 1 else f"{', '.join(actions[:-1])} or {actions[-1]}"

    def usage(ctx: Context) -> int:
        raise UsageError(f"mss-desk {command}: choose an action: {listed}")

    return usage


class _Commands:
    """Adds commands (and groups of actions) with the common options and their function."""

    def __init__(self, parser: argparse.ArgumentParser, dest: str, metavar: str) -> None:
        self._sub = parser.add_subparsers(
            dest=dest, metavar=metavar, parser_class=DeskArgumentParser
        )

    def add(
        self, name: str, help_: str, func: Command, *, desk: bool = False
    ) -> DeskArgumentParser:
        """``desk``: the command acts in the desk's Department (``--department``)."""
        p: DeskArgumentParser = self._sub.add_parser(name, help=help_, description=help_)
        _common(p, top=False)
        if desk:
            _desk_department(p, top=False)
        p.set_defaults(func=func)
        return p

    def group(
        self,
        name: str,
        help_: str,
        actions: Sequence[tuple[str, str, Command]],
        *,
        desk: bool = False,
    ) -> dict[str, DeskArgumentParser]:
        """``mss-desk NAME ACTION``: one subparser per action, keyed by the action's name."""
        parent = self.add(name, help_, _choose_action(name, [a[0] for a in actions]), desk=desk)
        inner = _Commands(parent, f"{name}_command", "ACTION")
        return {
            action: inner.add(action, text, func, desk=desk) for action, text, func in actions
        }


def build_parser() -> DeskArgumentParser:
    parser = DeskArgumentParser(
        prog="mss-desk",
        description="MSS Desk: front-desk intake for medical-social institutions.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    _common(parser, top=True)
    _desk_department(parser, top=True)
    commands = _Commands(parser, "command", "COMMAND")
    add = commands.add

    add("run", "start the desk (the default)", cmd_run, desk=True)
    add("board", "start the read-only wall board of the queue", cmd_board, desk=True)

    p = add("iin", "check an IIN and show the birth date and sex it holds", cmd_iin)
    p.add_argument("iin", metavar="IIN")

    p = add("evaluate", "evaluate an applicant's facts (a JSON file, - for stdin)", cmd_evaluate)
    p.add_argument("file", metavar="FILE.json")

    p = add(
        "deadlines", "deadlines of a case accepted (and forwarded) on given dates", cmd_deadlines
    )
    p.add_argument("--accepted", required=True, metavar="YYYY-MM-DDTHH:MM")
    p.add_argument("--forwarded", metavar="YYYY-MM-DD")

    ticket = commands.group(
        "ticket",
        "the queue: issue, call and list tickets",
        [
            ("issue", "issue a queue ticket", cmd_ticket_issue),
            ("call", "call the oldest waiting ticket of a purpose", cmd_ticket_call),
            ("list", "the tickets of a day", cmd_ticket_list),
        ],
        desk=True,
    )
    ticket["issue"].add_argument("--purpose", required=True, choices=PURPOSES)
    ticket["call"].add_argument("--purpose", required=True, choices=PURPOSES)
    ticket["call"].add_argument(
        "--clerk", metavar="USERNAME", help="the clerk who calls (default: none)"
    )
    ticket["list"].add_argument("--date", metavar="YYYY-MM-DD", help="default: today")

    p = add("cases", "list cases", cmd_cases, desk=True)
    p.add_argument("--status", choices=CASE_STATUSES, help="only cases in this state")
    p.add_argument("--find", metavar="QUERY", help="IIN, case number or surname prefix")

    p = add("init", "create the database and its Department", cmd_init)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--department",
        metavar="N",
        help="Annex 1 code (1-19); a database that holds Departments gets one more, and every "
        "desk keeps serving its own",
    )
    which.add_argument(
        "--regional", action="store_true", help="the Regional Department's desk (code 0)"
    )

    clerk = commands.group(
        "clerk",
        "manage clerks (as the desk's administrator)",
        [
            ("add", "add a clerk", cmd_clerk_add),
            ("disable", "disable a clerk's account (no login, no action)", cmd_clerk_disable),
            ("enable", "enable a disabled account again", cmd_clerk_enable),
            ("unlock", "lift the lock after too many wrong passwords", cmd_clerk_unlock),
            ("password", "set a new password (read from stdin or asked for)", cmd_clerk_password),
        ],
        desk=True,
    )
    for action in ("disable", "enable", "unlock", "password"):
        clerk[action].add_argument("username", metavar="USER")
    clerk["password"].add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (else it is asked for)",
    )
    cp = clerk["add"]
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
    p.add_argument(
        "--regional", action="store_true",
        help="the Regional Department's desk, with three Departments' files in every state "
        "(issue 14, for training)",
    )  # fmt: skip

    p = add("report", "the quality indicators (Annex 2) for a period", cmd_report, desk=True)
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    # issue 14.2: the regional desk's Annex 2, per Department and for the region, a month
    p.add_argument(
        "--region", action="store_true",
        help="the regional desk: Annex 2 per Department and for the region (with --month)",
    )  # fmt: skip
    p.add_argument("--month", metavar="YYYY-MM", help="with --region: the month")
    p.add_argument("--csv", metavar="FILE.csv", help="also write the report as CSV")
    p.add_argument("--pdf", metavar="FILE.pdf", help="also write the report as a PDF with a chart")

    p = add(
        "info", "the Department's and the Regional Department's contacts (items 21-25)", cmd_info
    )
    p.add_argument(
        "--department", metavar="N", help="Annex 1 code (default: the database's Department)"
    )

    p = add("talon", "print a case's talon again (PDF)", cmd_talon, desk=True)
    p.add_argument("case_no", metavar="CASE_NO")
    p.add_argument("--out", required=True, metavar="FILE.pdf")

    paper = commands.group(
        "paper",
        "paper for a consultation visitor (nothing about the person is stored)",
        [
            ("checklist", "the documents required for an institution type and category "
             "(item 12), with the Department's contacts and the term (PDF)",
             cmd_paper_checklist),
            ("blank-form", "the blank application form (item 13, one A4 page, PDF)",
             cmd_paper_blank_form),
        ],
    )
    paper["checklist"].add_argument("--institution", required=True, choices=INSTITUTIONS)
    paper["checklist"].add_argument(
        "--category",
        action="append",
        choices=CATEGORIES,
        help="an applicant category that adds documents (repeat for more)",
    )
    for action in ("checklist", "blank-form"):
        paper[action].add_argument("--out", required=True, metavar="FILE.pdf")

    _exchange(commands)
    _complaints(commands)

    # reliability room (mss_desk/store/backup.py, audit.py): backup, restore, audit verify
    p = add("backup", "write a checked backup of the SQLite database", cmd_backup)
    p.add_argument("--dir", metavar="DIR", help="default: backups/ beside the database")
    p = add("restore", "check a backup file, then put it in place of the database", cmd_restore)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dir", metavar="DIR", help="where the pre-restore backup goes")
    p.add_argument(
        "--force",
        metavar="REASON",
        help="restore even though later audit events and cases are lost (the head's reason)",
    )
    av = commands.group(
        "audit", "the audit trail", [("verify", "check the audit hash chain", cmd_audit_verify)]
    )["verify"]
    av.add_argument(
        "--expect-head",
        metavar="HASH",
        help="a head written down earlier (register, report, backup side file): "
        "fail unless the chain still reaches it",
    )
    av.add_argument(
        "--expect-events",
        type=int,
        metavar="N",
        help="with --expect-head: the number of events the head was written down at",
    )

    # issue 14.4: the desks' roles on a shared PostgreSQL (row-level security, migration 0012)
    db = add("db", "the shared PostgreSQL database", _choose_action("db", ["role"]))
    role = _Commands(db, "db_command", "ACTION").group(
        "role",
        "the desks' database roles (PostgreSQL; as the tables' owner)",
        [
            ("add", "make a Department's (or the region's, 0) database role", cmd_db_role_add),
            ("list", "the desks' database roles and their Departments", cmd_db_role_list),
        ],
    )
    role["add"].add_argument(
        "--department", required=True, metavar="N", help="Annex 1 code (0: the region)"
    )
    role["add"].add_argument("--name", required=True, metavar="NAME", help="the role's name")

    return parser


def _exchange(commands: _Commands) -> None:
    """Issue 14: keys, bundles and the regional desk's decision."""
    ex = commands.group(
        "exchange",
        "files that travel between desks without a link: keys, export, import",
        [
            ("key", "this desk's key and the desks it trusts", _choose_action("exchange key",
             ["show", "make", "add"])),
            ("export", "write a sealed, signed bundle for another desk", cmd_export),
            ("import", "apply a bundle from another desk (once, whole or not at all)", cmd_import),
            ("status", "sent and not yet acknowledged, received, problems", cmd_status),
            ("resolve", "mark an exchange problem dealt with (it leaves the list)",
             cmd_resolve),
        ],
    )  # fmt: skip
    key = _Commands(ex["key"], "key_command", "ACTION")
    key.add("show", "print this desk's public key and its fingerprint", cmd_key_show)
    key.add("make", "make this desk's key pair (a desk set up before the exchange)", cmd_key_make)
    p = key.add("add", "trust another desk's public key", cmd_key_add)
    p.add_argument("code", metavar="CODE", help="the other desk's Annex 1 code (0: region)")
    p.add_argument("public_key", metavar="PUBLIC_KEY", help="the line its key show printed")
    ex["export"].add_argument("--to", required=True, metavar="CODE")
    ex["export"].add_argument("--out", required=True, metavar="FILE")
    ex["import"].add_argument("file", metavar="FILE")
    ex["resolve"].add_argument("id", metavar="MESSAGE_ID", help="the id status --json lists")

    p = commands.add("decide", "record the region's decision on a forwarded file", cmd_decide)
    p.add_argument("case_no", metavar="CASE_NO")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--referral", metavar="NUMBER", help="a referral with this number")
    what.add_argument("--refusal", choices=("incomplete", "untrue", "not_eligible"))
    what.add_argument("--return", dest="return_note", metavar="TEXT", help="what to correct")
    p.add_argument("--institution", metavar="NAME", help="with --referral: the institution")
    p.add_argument("--ownership", choices=("state", "non_state"), default="state")
    p.add_argument("--reason", metavar="TEXT", help="with --refusal: the region's words")

    # item 6.1: a place came free; its referral goes to the first in that type's line
    p = commands.add(
        "place-free",
        "record a place that came free (the regional head): the referral goes to the first "
        "file in that institution type's region-wide line",
        cmd_place_free,
    )
    p.add_argument("--type", required=True, choices=INSTITUTIONS, help="the waiting list")
    p.add_argument("--institution", required=True, metavar="NAME")
    p.add_argument("--referral", required=True, metavar="NUMBER")
    p.add_argument("--head", required=True, metavar="USERNAME",
                   help="the regional head who records it")
    p.add_argument("--ownership", choices=("state", "non_state"), default="state")

def _complaints(commands: _Commands) -> None:
    """Items 21-23 and item 22's second instance at the region (issue 14.3, 14.5).

    Not a ``desk`` group: on ``complaint add`` ``--department`` is the Department the
    complaint is about (the regional desk); the desk's own is given before the command."""
    from mss_desk.cli.complaints import (
        cmd_complaint_add,
        cmd_complaint_answer,
        cmd_complaint_escalate,
        cmd_complaint_list,
    )

    c = commands.group(
        "complaint",
        "complaints (items 21-23): register, list, escalate to the region, answer",
        [
            ("add", "register a complaint (on the regional desk: about --department CODE)",
             cmd_complaint_add),
            ("list", "this desk's complaints (the region: its own and the second instance)",
             cmd_complaint_list),
            ("escalate", "the applicant disagrees with the answer: to the region (item 22)",
             cmd_complaint_escalate),
            ("answer", "the head answers (on the regional desk: the regional head)",
             cmd_complaint_answer),
        ],
    )  # fmt: skip
    add = c["add"]
    add.add_argument("--complainant", required=True, metavar="NAME")
    add.add_argument("--text", required=True, metavar="TEXT")
    add.add_argument("--contact", metavar="TEXT")
    add.add_argument("--case", metavar="CASE_NO", help="the case it is about, if any")
    add.add_argument(
        "--department", dest="about", metavar="CODE",
        help="on the regional desk: the Department the complaint is about (Annex 1 code)",
    )  # fmt: skip
    add.add_argument("--clerk", metavar="USERNAME", help="the clerk who takes it")
    add.add_argument("--talon", metavar="FILE.pdf", help="also write its talon (item 23)")
    for action in ("escalate", "answer"):
        c[action].add_argument("complaint_no", metavar="N")
        c[action].add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    c["escalate"].add_argument("--clerk", metavar="USERNAME", help="the clerk who records it")
    ans = c["answer"]
    ans.add_argument("--clerk", required=True, metavar="USERNAME", help="the head who answers")
    ans.add_argument("--justified", action="store_true")
    ans.add_argument("--satisfied", action="store_true")
    ans.add_argument("--answer", metavar="TEXT")
