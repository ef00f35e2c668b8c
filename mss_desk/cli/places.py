"""A place came free, from the command line (issue 14.2, item 6.1): ``place-free`` on the
regional desk issues the referral to the first file in that institution type's line.

``--head USERNAME`` names the regional head who records it (the CLI has no signed-in
clerk); a regional clerk, another desk, an empty line: one line, exit 1, nothing written.
"""

from __future__ import annotations

from typing import Any

from mss_desk.cli.context import Context
from mss_desk.cli.exchange import exchange_service


def _head_id(services: Any, username: str) -> int:
    """The regional desk's account named ``username`` (its role is checked by the service)."""
    from mss_desk.errors import NotFound
    from mss_desk.text import clean_line

    wanted = clean_line(username).lower()  # the stored form (services/clerks.py)
    for view in services.clerks.list(services.department_code()):
        if view.username == wanted:
            return int(view.id)
    raise NotFound(key="cli.clerk_not_found", username=username)


def cmd_place_free(ctx: Context) -> int:
    from mss_desk.exchange.places import PlacesService

    args = ctx.args
    hub = exchange_service(ctx).hub
    places = PlacesService(hub)
    places._require_region()  # "not the regional desk" before "no such account"
    result = places.free_place(
        args.type,
        institution=args.institution,
        referral_no=args.referral,
        ownership=args.ownership,
        head_id=_head_id(hub, args.head),
    )
    data = {"case_no": result.case_no, "department_code": result.department_code,
            "referral": result.referral_no}  # fmt: skip
    return ctx.emit(
        data,
        lambda: ctx.t("region.places.cli_issued", referral=result.referral_no,
                      institution=result.institution, case_no=result.case_no,
                      code=result.department_code,
                      type=ctx.t(f"intake.inst.{result.institution_type}")),
    )  # fmt: skip
