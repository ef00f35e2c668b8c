"""``report``: the quality indicators (Annex 2) for a period, as text or JSON, CSV and PDF."""

from __future__ import annotations

from mss_desk.cli.context import Context
from mss_desk.cli.values import parse_date_arg


def cmd_report(ctx: Context) -> int:
    """Issue 5: the Annex 2 indicators; JSON {"indicators": {"1.1": {"value", ...}}}."""
    from pathlib import Path

    from mss_desk.services.reports import report_text, write_csv

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
