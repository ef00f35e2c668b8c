"""``report``: the quality indicators (Annex 2) for a period, as text or JSON, CSV and PDF."""

from __future__ import annotations

from mss_desk.cli.context import Context
from mss_desk.cli.values import parse_date_arg


def cmd_report(ctx: Context) -> int:
    """Issue 5: the Annex 2 indicators; JSON {"indicators": {"1.1": {"value", ...}}}."""
    from pathlib import Path

    from mss_desk.services.reports import report_text, write_csv, write_pdf

    start = parse_date_arg(ctx.args.date_from, "--from")
    end = parse_date_arg(ctx.args.date_to, "--to")
    report = ctx.services(read_only=True).reports.indicators(start, end)
    if ctx.args.csv:
        write_csv(report, Path(ctx.args.csv), ctx.lang)
    if ctx.args.pdf:
        write_pdf(report, ctx.catalog(), Path(ctx.args.pdf), ctx.settings.font_path)
    return ctx.emit(report.as_json(), lambda: report_text(report, ctx.lang))
