"""``paper``: paper for a consultation visitor (issue 11, point 12), nothing about the person.

``mss-desk paper checklist --institution T [--category C ...] --out FILE`` writes the
documents list (item 12, the intake's own checklist for the type and category) with the
Department's contacts and the service term; ``mss-desk paper blank-form --out FILE`` writes
the Department's blank application form (item 13). Neither sends anything to the printer
nor writes to the database.
"""

from __future__ import annotations

from pathlib import Path

from mss_desk.cli.context import Context


def cmd_paper_checklist(ctx: Context) -> int:
    from mss_desk.rules.eligibility import documents_for

    printing = ctx.services(read_only=True).printing
    institution = ctx.args.institution
    categories = list(dict.fromkeys(ctx.args.category or ()))
    result = printing.print_consult_slip(
        institution, categories, ctx.settings, out=Path(ctx.args.out), send=False
    )
    allowed = printing.consult_categories(institution)
    chosen = [c for c in allowed if c in categories]
    data = {
        "file": str(result.path),
        "institution": institution,
        "categories": chosen,
        "documents": list(documents_for(institution, chosen, ctx.catalog())),
    }
    return ctx.emit(data, lambda: ctx.t("cli.paper.saved", file=str(result.path)))


def cmd_paper_blank_form(ctx: Context) -> int:
    printing = ctx.services(read_only=True).printing
    result = printing.print_blank_form(ctx.settings, out=Path(ctx.args.out), send=False)
    data = {"file": str(result.path)}
    return ctx.emit(data, lambda: ctx.t("cli.paper.saved", file=str(result.path)))
