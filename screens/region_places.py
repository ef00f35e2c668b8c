"""A place came free (issue 14.2, item 6.1), from the regional screen's waiting list.

F on the waiting list (the head only; a clerk is told so): a form for the highlighted
institution type's line — the institution where the place came free and the referral
number — that shows who is first in line; then asked once more (Enter / Esc) before
``PlacesService.free_place`` writes the referral, the freed place and the message to the
file's Department. The screen asks with the file it showed: if the line moved meanwhile,
nothing is written and the list is read again.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from textual.content import Content

from mss_desk.errors import DeskError, RuleViolation, ValidationError
from mss_desk.exchange.places import INSTITUTION_MAX, REFERRAL_MAX
from mss_desk.i18n.dates import format_date
from mss_desk.text import clean_line
from screens.dialogs import Field, FormModal, QuestionModal

HISTORY_LINES = 2  # the places freed last in the line, under the form's title


def line_of(screen: Any) -> tuple[str, Any] | None:
    """The highlighted line: (institution type, its first file); on a heading, the line
    under it. None when the list shows no line."""
    from textual.widgets import OptionList

    rows = screen.rows
    index = screen.query_one("#files", OptionList).highlighted
    if index is None or not rows:
        return None
    if index < len(rows) and rows[index] is None:  # a heading: the line below it
        index += 1
    if not 0 <= index < len(rows) or rows[index] is None:
        return None
    kind = rows[index].institution
    first = next(r for r in rows if r is not None and r.institution == kind)
    return kind, first


def start(screen: Any) -> None:
    """F: the form for the highlighted line, the head only."""
    desk = screen.desk
    if getattr(desk.clerk, "role", None) != "head":
        desk.show_error(RuleViolation("head only", key="region.places.head_only"))
        return
    found = line_of(screen)
    if found is None:
        desk.notify(screen.t("region.places.no_line"), markup=False)
        return
    kind, first = found
    from mss_desk.exchange.places import PlacesService

    places = PlacesService(desk.services)
    screen.run_service(
        lambda: [p for p in places.history() if p.institution_type == kind][:HISTORY_LINES],
        lambda history: _form(screen, kind, first, history), group="places",
    )  # fmt: skip


def _form(screen: Any, kind: str, first: Any, history: list[Any]) -> None:
    """The form, titled with the line, its first file and the places freed in it last."""
    if not screen.is_attached:
        return
    wwii = screen.t("region.places.wwii") if first.priority else ""
    sent = format_date(first.forwarded_on) if first.forwarded_on else ""
    type_name = screen.t(f"intake.inst.{kind}")
    title = "\n".join((
        screen.t("region.places.title", type=type_name),
        screen.t("region.places.first", case=first.case_no, wwii=wwii,
                 department=screen.department_name(first), date=sent),
    ))  # fmt: skip
    for p in history:  # the head's history of this line (newest first)
        title += "\n" + screen.t(
            "region.places.last", date=format_date(p.at.astimezone(ZoneInfo(screen.desk.tz))),
            referral=clean_line(p.referral_no), case=p.case_no, head=clean_line(p.head),
        )
    fields = (
        Field("institution", "region.places.institution", max_length=INSTITUTION_MAX),
        Field("referral_no", "region.places.referral_no", max_length=REFERRAL_MAX),
        Field("non_state", "region.places.non_state", "checkbox", False),
    )
    screen.app.push_screen(
        FormModal(title, fields, place_of),
        lambda values: _confirm(screen, kind, first, values),
    )


def place_of(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values, checked (the form stays open on a ``ValidationError``)."""
    out = {
        "institution": clean_line(values.get("institution", "")),
        "referral_no": clean_line(values.get("referral_no", "")),
        "non_state": bool(values.get("non_state")),
    }
    if not (out["institution"] and out["referral_no"]):
        raise ValidationError("place", key="region.places.need")
    return out


def _confirm(screen: Any, kind: str, first: Any, place: dict[str, Any] | None) -> None:
    """Issue 12.4: a referral is final for the Department: asked once more."""
    if not isinstance(place, dict):
        return
    question = screen.t(
        "region.places.confirm", referral=place["referral_no"],
        institution=place["institution"], case=first.case_no,
        department=screen.department_name(first), type=screen.t(f"intake.inst.{kind}"),
    )  # fmt: skip

    def answered(yes: bool | None) -> None:
        if yes:
            _save(screen, kind, first, place)

    screen.app.push_screen(
        QuestionModal(screen.t("region.places.key"), Content(clean_line(question)),
                      yes="region.places.yes", no="lifecycle.key.cancel"),
        answered,
    )  # fmt: skip


def _save(screen: Any, kind: str, first: Any, place: dict[str, Any]) -> None:
    from mss_desk.exchange.places import PlacesService

    desk = screen.desk
    places = PlacesService(desk.services)
    head_id = desk.clerk_id

    def call() -> Any:
        return places.free_place(
            kind, institution=place["institution"], referral_no=place["referral_no"],
            ownership="non_state" if place["non_state"] else "state", head_id=head_id,
            expect=first.case_no,
        )  # fmt: skip

    def saved(result: Any) -> None:
        desk.notify(screen.t("region.places.saved", referral=result.referral_no,
                             case=result.case_no), markup=False)  # fmt: skip
        _reread(screen)

    def failed(err: DeskError) -> None:
        desk.show_error(err)
        _reread(screen)  # the line may have moved: show it as it is now

    screen.run_service(call, saved, failed, group="write")


def _reread(screen: Any) -> None:
    if screen.is_attached:
        screen.refresh_data()
        screen.refresh_bindings()
