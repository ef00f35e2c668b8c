"""``report``: the quality indicators (Annex 2) for a period, as text or JSON, CSV and PDF."""

from __future__ import annotations

from mss_desk.cli.context import Context
from mss_desk.cli.values import parse_date_arg


def cmd_report(ctx: Context) -> int:
    """Issue 5: the Annex 2 indicators; JSON {"indicators": {"1.1": {"value", ...}}}."""
    from pathlib import Path

    from mss_desk.cli.errors import UsageError
    from mss_desk.services.reports import report_text, write_csv

    if ctx.args.region or ctx.args.month:
        return cmd_region_report(ctx)
    if not ctx.args.date_from or not ctx.args.date_to:
        raise UsageError(ctx.t("region_report.cli_need_period"))
    start = parse_date_arg(ctx.args.date_from, "--from")
    end = parse_date_arg(ctx.args.date_to, "--to")
    services = ctx.services(read_only=True)
    report = services.reports.indicators(start, end)
    if ctx.args.csv:
        write_csv(report, Path(ctx.args.csv), ctx.lang)
    if ctx.args.pdf:
        from mss_desk.paper.printing import save_pdf
        from mss_desk.paper.report import render_report

        # the paper's data from the printing service: with the audit head (issue 15, item 6)
        data = services.printing.report_data(report)
        save_pdf(render_report(data, ctx.settings.font_path), Path(ctx.args.pdf))
    return ctx.emit(report.as_json(), lambda: report_text(report, ctx.lang))


def cmd_region_report(ctx: Context) -> int:
    """Issue 14.2: ``report --region --month YYYY-MM``, the regional desk's Annex 2: per
    Department (from its latest summary, live on the shared server, or nothing received)
    and the region's total. JSON: ``{"month", "region": {"1.1": {...}}, "departments": [...]}``."""
    from mss_desk.cli.errors import UsageError
    from mss_desk.exchange.summary import RegionReportService, annex_text

    if not ctx.args.region or not ctx.args.month:
        raise UsageError(ctx.t("region_report.cli_need_month"))
    if ctx.args.csv or ctx.args.pdf or ctx.args.date_from or ctx.args.date_to:
        raise UsageError("mss-desk report --region: --month only (no --from/--to/--csv/--pdf)")
    services = ctx.services(read_only=True)
    annex = RegionReportService(services).annex2(ctx.args.month)
    return ctx.emit(annex.as_json(), lambda: annex_text(annex, services.catalog, ctx.lang))
