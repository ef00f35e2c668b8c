"""Setting a desk up: ``init`` (the database and its Department) and the clerks' accounts:
``clerk add|disable|enable|unlock|password``.

The command line acts as the desk's administrator (``actor=None``, the machine's owner, as
for first-run setup): whoever can run it can already write the database file (issue 15,
item 10 keeps clerks away from it). The services still do the work, check the password rules
and write the audit event; the CLI only finds the account and reads the password.
"""

from __future__ import annotations

import sys
from typing import Any

from mss_desk.cli.context import Context, safe_url
from mss_desk.cli.errors import UsageError
from mss_desk.cli.values import department_code, first_attr
from mss_desk.errors import NotFound, ValidationError


def cmd_init(ctx: Context) -> int:
    """Add a Department to the database (issue 15, item 2: switches no desk). When the
    database now holds several, every desk must name its own: said here, once."""
    code = department_code(ctx, ctx.args.department)
    setup = ctx.services(create=True).setup
    setup.init_department(code, tz=ctx.settings.timezone)
    codes = setup.departments()
    name = ctx.catalog().department(code).name(ctx.lang)
    data = {
        "department": code,
        "name": name,
        "database": safe_url(ctx.db_url()),
        "departments": codes,
    }

    def human() -> str:
        text = ctx.t("cli.init.done", code=code, name=name, db=data["database"])
        if len(codes) > 1:
            text += "\n" + ctx.t("cli.init.several", codes=", ".join(map(str, codes)))
        return text

    return ctx.emit(data, human)


def _read_password(ctx: Context, command: str = "clerk add") -> str:
    """From the first line of stdin (``--password-stdin``) or asked twice at the terminal;
    never from an argument (a process list or shell history would show it)."""
    if ctx.args.password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise ValidationError(key="cli.password_empty")
        return password
    if not sys.stdin.isatty():
        raise UsageError(
            f"mss-desk {command}: no terminal to ask for the password; use --password-stdin"
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
        "id": first_attr(view, "id"),
        "username": first_attr(view, "username", default=args.username),
        "role": first_attr(view, "role", default=args.role),
    }
    return ctx.emit(
        data, lambda: ctx.t("cli.clerk.added", username=data["username"], role=data["role"])
    )


def _account(ctx: Context) -> tuple[Any, Any]:
    """(services, the clerk named by ``USER`` in this desk's Department) or NotFound."""
    from mss_desk.text import clean_line

    services = ctx.services()
    if not services.setup.is_initialised():
        raise ValidationError(key="cli.not_initialised")
    wanted = clean_line(ctx.args.username).lower()  # the stored form (services/clerks.py)
    for view in services.clerks.list(services.department_code()):
        if view.username == wanted:
            return services, view
    raise NotFound(key="cli.clerk_not_found", username=ctx.args.username)


def _account_done(ctx: Context, view: Any, action: str) -> int:
    data = {
        "id": view.id,
        "username": view.username,
        "role": view.role,
        "active": bool(view.active),
        "locked": view.locked_until is not None,
        "action": action,
    }
    return ctx.emit(data, lambda: ctx.t(f"cli.clerk.{action}", username=view.username))


def cmd_clerk_disable(ctx: Context) -> int:
    """Item 11 (issue 15): no login and no action of this clerk from now on (audited)."""
    services, view = _account(ctx)
    return _account_done(ctx, services.clerks.set_active(view.id, False), "disabled")


def cmd_clerk_enable(ctx: Context) -> int:
    services, view = _account(ctx)
    return _account_done(ctx, services.clerks.set_active(view.id, True), "enabled")


def cmd_clerk_unlock(ctx: Context) -> int:
    """Lift the 15-minute lock after too many wrong passwords (audited)."""
    services, view = _account(ctx)
    return _account_done(ctx, services.clerks.unlock(view.id), "unlocked")


def cmd_clerk_password(ctx: Context) -> int:
    """A new password for a clerk who forgot theirs: the same rules as a new account; the
    failed-login count and the lock are cleared with it (audited)."""
    services, view = _account(ctx)
    password = _read_password(ctx, "clerk password")
    services.clerks.set_password(view.id, password)
    return _account_done(ctx, services.clerks.get(view.id), "password_set")
