"""Married couples and the Council's decision recorded at intake (item 6.1, issue 11 point 5).

The clock stands on Monday 2 March 2026, 10:00 in Almaty.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mss_desk.errors import NotFound, ValidationError
from mss_desk.services import Services
from tests.conftest import ELDERLY_DOCS
from tests.services.test_intake import make_form

COUNCIL_DOCS = {*ELDERLY_DOCS, "council_decision"}


def council_form(**kw: Any) -> Any:
    return make_form(relatives="council_exception", **kw)


@pytest.mark.parametrize(
    "no, day",
    [("", date(2026, 2, 20)), ("12/2026", None), ("   ", date(2026, 2, 20))],
    ids=["no_number", "no_date", "blank_number"],
)
def test_item_6_1_council_exception_needs_the_decisions_number_and_date(
    services: Services, clerk: Any, no: str, day: date | None
) -> None:
    form = council_form(council_decision_no=no, council_decision_date=day)
    with pytest.raises(ValidationError) as err:
        services.intake.submit(form, COUNCIL_DOCS, clerk.id)
    assert err.value.key == "intake.error.council_decision_required"


def test_item_6_1_council_decision_dated_in_the_future_is_refused(
    services: Services, clerk: Any
) -> None:
    form = council_form(council_decision_no="12/2026", council_decision_date=date(2026, 3, 3))
    with pytest.raises(ValidationError) as err:
        services.intake.submit(form, COUNCIL_DOCS, clerk.id)
    assert err.value.key == "intake.error.council_decision_future"


def test_item_6_1_council_decision_is_stored_on_the_case(
    services: Services, clerk: Any
) -> None:
    form = council_form(council_decision_no=" 12/2026 ", council_decision_date=date(2026, 3, 2))
    r = services.intake.submit(form, COUNCIL_DOCS, clerk.id)
    assert r.accepted
    detail = services.cases.get(r.case_no or "")
    assert (detail.council_decision_no, detail.council_decision_date) == (
        "12/2026",
        date(2026, 3, 2),
    )


def test_item_6_1_a_married_couple_is_linked_by_the_spouses_iin(
    services: Services, clerk: Any
) -> None:
    wife_form = make_form(serial=1)
    wife = services.intake.submit(wife_form, set(ELDERLY_DOCS), clerk.id)
    husband_form = make_form(
        serial=2,
        sex="male",
        birth_date=date(1948, 2, 2),
        surname="Әлиев",
        name="Серік",
        spouse_case_no=wife_form.iin,  # the IIN instead of the case number
    )
    husband = services.intake.submit(husband_form, set(ELDERLY_DOCS), clerk.id)
    assert services.cases.get(husband.case_no or "").spouse_case_no == wife.case_no
    assert services.cases.get(wife.case_no or "").spouse_case_no == husband.case_no
    with pytest.raises(ValidationError):
        services.intake.submit(
            make_form(serial=4, spouse_case_no=make_form(serial=4).iin), set(ELDERLY_DOCS),
            clerk.id,
        )
    with pytest.raises(NotFound):
        services.intake.submit(
            make_form(serial=3, spouse_case_no=make_form(serial=5).iin), set(ELDERLY_DOCS),
            clerk.id,
        )


def test_item_6_1_both_talons_name_the_spouses_case_at_intake_and_on_reprint(
    services: Services, clerk: Any, tmp_path: Any
) -> None:
    """The talon of each spouse names the other's case, the same at intake and on reprint."""
    from types import SimpleNamespace

    from tests.paper.conftest import pdf_text

    wife_form = make_form(serial=1)
    wife = services.intake.submit(wife_form, set(ELDERLY_DOCS), clerk.id)
    husband = services.intake.submit(
        make_form(serial=2, sex="male", birth_date=date(1948, 2, 2), surname="Әлиев",
                  name="Серік", spouse_case_no=wife.case_no),
        set(ELDERLY_DOCS), clerk.id,
    )
    assert services.printing.talon_data(husband.case_no or "").spouse_case_no == wife.case_no
    assert services.printing.talon_data(wife.case_no or "").spouse_case_no == husband.case_no
    desk = SimpleNamespace(paper_dir=str(tmp_path / "paper"), timezone="Asia/Almaty",
                           talon_layout="a6", print_command=None, font_path=None)
    at_intake = services.printing.print_intake_paper(husband, desk)
    again = services.printing.print_talon(
        husband.case_no or "", desk, out=tmp_path / "again.pdf", send=False
    )
    assert at_intake.path is not None and again.path is not None
    printed = pdf_text(at_intake.path.read_bytes())
    assert printed == pdf_text(again.path.read_bytes())
    assert f"Номер дела супруга(-и) (п. 6.1) {wife.case_no}" in printed
