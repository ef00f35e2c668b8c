"""Setting a desk up: ``init`` (the database and its Department) and ``clerk add``."""

from __future__ import annotations

import sys

from mss_desk.cli.context import Context, safe_url
from mss_desk.cli.errors import UsageError
from mss_desk.cli.values import department_code, first_attr
from mss_desk.errors import ValidationError


def cmd_init(ctx: Context) -> int:
    code = department_code(ctx, ctx.args.department)
    ctx.services(create=True).setup.init_department(code, tz=ctx.settings.timezone)
    name = ctx.catalog().department(code).name(ctx.lang)
    data = {"department": code, "name": name, "database": safe_url(ctx.db_url())}
    return ctx.emit(data, lambda: ctx.t("cli.init.done", code=code, name=name, db=data["database"]))


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
        "id": first_attr(view, "id"),
        "username": first_attr(view, "username", default=args.username),
        "role": first_attr(view, "role", default=args.role),
    }
    return ctx.emit(
        data, lambda: ctx.t("cli.clerk.added", username=data["username"], role=data["role"])
    )
