"""``demo``: a new database filled with a made-up Department (``mss_desk.demo.fill_demo``)."""

from __future__ import annotations

from typing import Any

from mss_desk.cli.context import Context, safe_url
from mss_desk.cli.values import CASE_STATUSES, department_code
from mss_desk.i18n import tn


def cmd_demo(ctx: Context) -> int:
    from mss_desk.demo import fill_demo

    if ctx.args.regional:
        return _regional(ctx)
    code = department_code(ctx, ctx.args.department)
    report = fill_demo(
        ctx.engine(create=True),
        ctx.catalog(),
        ctx.clock(),
        department=code,
        seed=ctx.args.seed,
        tz=ctx.settings.timezone,
    )
    # the desk's exchange keys, as init makes them (issue 14): the forwarded files wait in
    # the outbox, and the desk can export them once it trusts the region's key
    from mss_desk.cli.exchange import exchange_service

    exchange_service(ctx, department=code).make_keys()
    data = dict(report)
    data["database"] = safe_url(ctx.db_url())
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


def _regional(ctx: Context) -> int:
    """Issue 14: the regional desk, its files brought by real bundles from three demo
    Departments (``mss_desk.demo_region``)."""
    from mss_desk.demo_region import fill_regional_demo
    from mss_desk.locations import keys_dir

    report = fill_regional_demo(
        ctx.engine(create=True),
        ctx.catalog(),
        ctx.clock(),
        keys_dir(),
        seed=ctx.args.seed,
        tz=ctx.settings.timezone,
    )
    data = dict(report)
    data["database"] = safe_url(ctx.db_url())
    cases = data["cases_by_status"]
    order = {s: i for i, s in enumerate(CASE_STATUSES)}
    states = sorted(cases.items(), key=lambda kv: order.get(kv[0], 99))
    params = {
        "db": data["database"],
        "user": data["user"],
        "cases": tn("cli.demo.cases", sum(cases.values()), ctx.lang),
        "departments": ", ".join(map(str, data["departments"])),
        "states": ", ".join(f"{ctx.t('cli.case_status.' + k)} — {v}" for k, v in states),
        "unacknowledged": sum(data["unacknowledged"].values()),
    }
    return ctx.emit(data, lambda: ctx.t("cli.demo.regional_done", **params))
