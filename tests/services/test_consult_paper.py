"""Issue 11 point 12: the consultation visitor's documents list and the blank form.

The list is the intake's own checklist (item 12) for the type and category asked about;
nothing about the person is asked for and nothing is stored: every table keeps its rows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from mss_desk.errors import ValidationError
from mss_desk.rules.eligibility import Facts, categories_of, documents_for, required_documents
from mss_desk.services import Services
from tests.paper.conftest import pdf_text


def rows(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        return {
            n: conn.execute(sa.text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names
        }


def test_item_12_the_slip_is_the_intakes_checklist_for_type_and_category(
    services: Services,
) -> None:
    catalog = services.catalog
    assert categories_of("elderly_general", catalog) == (
        "pension_age", "wwii", "disabled", "council_exception")
    assert categories_of("children_psychoneuro", catalog) == ()
    # an elderly woman of pension age, disabled, with a Council decision: what intake asks
    facts = Facts(institution="elderly_general", birth_date=date(1950, 1, 1), sex="female",
                  on=date(2026, 3, 2), disabled=True, disability_group=2,
                  relatives="council_exception")
    intake = required_documents(facts, catalog)
    data = services.printing.consult_slip_data(
        "elderly_general", ["council_exception", "pension_age", "disabled"]
    )
    assert data.documents == tuple(
        (catalog.document(c).label_kk, catalog.document(c).label_ru) for c in intake
    )
    assert intake == documents_for(
        "elderly_general", ("pension_age", "disabled", "council_exception"), catalog
    )
    # the categories in the standard's order, whatever order they were chosen in
    assert [kk for kk, _ru in data.categories] == [
        "зейнеткерлік жастағы адам", "мүгедек",
        "еңбекке қабілетті туыстары бар, Кеңес шешімімен (6.1-тармақ)",
    ]
    assert data.service_days == 15  # item 7.1, the term in force on the day
    assert data.department == services.printing.department_contact()
    basic = services.printing.consult_slip_data("elderly_general")
    assert len(basic.documents) == 7 and basic.categories == ()


def test_the_slip_refuses_an_unknown_type_or_a_category_the_type_has_not(
    services: Services,
) -> None:
    with pytest.raises(ValidationError) as err:
        services.printing.consult_slip_data("prison")
    assert err.value.key == "paper.unknown_institution"
    with pytest.raises(ValidationError) as err:
        services.printing.consult_slip_data("children_psychoneuro", ["wwii"])
    assert err.value.key == "paper.unknown_category"


def test_printing_the_slip_and_the_form_stores_nothing(
    services: Services, clerk: Any, tmp_path: Path
) -> None:
    desk = SimpleNamespace(paper_dir=str(tmp_path / "paper"), timezone="Asia/Almaty",
                           talon_layout="a6", print_command=None, font_path=None)
    before = rows(services.engine)
    slip = services.printing.print_consult_slip("adult_psychoneuro", ["declared_incapable"],
                                                desk)
    form = services.printing.print_blank_form(desk)
    assert rows(services.engine) == before  # no person, no case, no audit line, no counter
    assert slip.path is not None and form.path is not None
    assert (slip.path.stat().st_mode & 0o777) == 0o600
    text = pdf_text(slip.path.read_bytes())
    assert services.catalog.document("incapacity_court_decision").label_kk in text
    assert "ӨТІНІШ / ЗАЯВЛЕНИЕ" in pdf_text(form.path.read_bytes())
