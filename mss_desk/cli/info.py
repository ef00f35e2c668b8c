"""``info``: the Department's and the Regional Department's contacts (items 21-25).

``mss-desk info [--department N] --json`` prints ``{"department": {...}, "regional":
{...}}`` in the configured language (``--lang`` chooses another). Without ``--department``
the database's own Department is shown.
"""

from __future__ import annotations

from typing import Any

from mss_desk.cli.context import Context
from mss_desk.cli.values import department_code


def _card_text(ctx: Context, title_key: str, card: dict[str, Any]) -> list[str]:
    return [
        ctx.t(title_key),
        f"  {card['name']}",
        f"  {ctx.t('info.address')}: {card['address']}",
        f"  {ctx.t('info.phones')}: {', '.join(card['phones'])}",
        f"  {ctx.t('info.email')}: {card['email']}",
        f"  {ctx.t('info.website')}: {card['website']}",
        f"  {ctx.t('info.reception')}: {card['reception']}",
    ]


def cmd_info(ctx: Context) -> int:
    from mss_desk.catalog.contacts import information

    if ctx.args.department:
        code = department_code(ctx, ctx.args.department)
    else:
        code = ctx.services().department_code()
    data = information(ctx.catalog(), code, ctx.lang)

    def human() -> str:
        lines = _card_text(ctx, "info.department", data["department"])
        lines += [""] + _card_text(ctx, "info.regional", data["regional"])
        lines += ["", ctx.t("info.complain_title"), ctx.t("info.complain")]
        akimat = ctx.catalog().akimat
        if akimat is not None:  # item 24.3
            lines += ["", ctx.t("info.akimat"), f"  {akimat.name_for(ctx.lang)}"]
            lines.append(f"  {ctx.t('info.address')}: {akimat.address_for(ctx.lang)}")
            lines.append(f"  {ctx.t('info.website')}: {akimat.website}")
        return "\n".join(lines)

    return ctx.emit(data, human)
