"""The shared PostgreSQL's roles (issue 14, point 4): ``db role add`` and ``db role list``.

Run by the regional office's IT person as the tables' owner (the role that ran
``mss-desk init``). ``db role add --department N --name NAME`` makes ``NAME`` a desk role of
Department N (0: the Regional Department): the login role when missing, the GRANTs (printed,
so they can be read and kept), and its ``desk_roles`` row, which the row-level-security
policies of migration 0012 read. A SQLite desk has no roles: said so, nothing done.
"""

from __future__ import annotations

from typing import Any

from mss_desk.cli.context import Context, sqlite_path
from mss_desk.cli.values import department_code
from mss_desk.errors import ValidationError


def _postgres_engine(ctx: Context) -> Any:
    url = ctx.db_url()
    if sqlite_path(url) is not None:
        raise ValidationError(key="cli.db_role.postgres_only")
    return ctx.engine()


def _refused(exc: Exception) -> ValidationError:
    """PostgreSQL's refusal (not the owner, no CREATEROLE …), in one line."""
    orig = getattr(exc, "orig", exc)
    reason = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return ValidationError(key="cli.db_role.refused", reason=reason)


def cmd_db_role_add(ctx: Context) -> int:
    import sqlalchemy as sa

    from mss_desk.store.roles import add_role, check_role_name

    code = department_code(ctx, ctx.args.department)
    name = check_role_name(ctx.args.name)
    engine = _postgres_engine(ctx)
    try:
        added = add_role(engine, name, code, ctx.clock().now())
    except sa.exc.DBAPIError as exc:
        raise _refused(exc) from exc
    data = {
        "role": added.name,
        "department": added.department_code,
        "created": added.created,
        "grants": list(added.grants),
    }

    def human() -> str:
        head = "cli.db_role.created" if added.created else "cli.db_role.existed"
        lines = [ctx.t(head, role=added.name, code=added.department_code)]
        lines += [f"  {g};" for g in added.grants]
        if added.created:
            lines.append(ctx.t("cli.db_role.set_password", role=added.name))
        return "\n".join(lines)

    return ctx.emit(data, human)


def cmd_db_role_list(ctx: Context) -> int:
    import sqlalchemy as sa

    from mss_desk.store.roles import desk_roles

    engine = _postgres_engine(ctx)
    try:
        roles = desk_roles(engine)
    except sa.exc.DBAPIError as exc:
        raise _refused(exc) from exc
    data = [{"role": name, "department": code} for name, code in roles]
    if not roles:
        return ctx.emit(data, lambda: ctx.t("cli.db_role.none"))
    return ctx.emit(data, "\n".join(f"{code:>2}  {name}" for name, code in roles))
