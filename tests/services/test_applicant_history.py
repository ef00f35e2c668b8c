"""Issue 15, item 3: a new intake never rewrites an earlier case's applicant.

A case keeps the applicant's data as accepted (its snapshot columns); the person's row
follows the newest intake, and each change of it is kept as history (who, when, field
old → new), audited by field name only. Run on SQLite and PostgreSQL (``db_url``).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from mss_desk.services import Services
from mss_desk.services.views import FileDifference
from tests.conftest import ELDERLY_DOCS
from tests.paper.conftest import pdf_text
from tests.services.test_intake import make_form

OLD = {"surname": "Әлиева", "address": "Көкшетау қ., Абай к-сі 12"}
NEW = {"surname": "Нұрланова", "address": "Көкшетау қ., Ғабит Мүсірепов к-сі 7"}


def two_intakes(services: Services, clerk: Any) -> tuple[str, str]:
    """Case 1 accepted on 2 March; case 2 on 4 March, same IIN, new surname and address."""
    first = services.intake.submit(make_form(**OLD), set(ELDERLY_DOCS), clerk.id)
    services.clock.advance(minutes=2 * 24 * 60)  # type: ignore[attr-defined]
    second = services.intake.submit(make_form(**NEW), set(ELDERLY_DOCS), clerk.id)
    assert first.case_no and second.case_no
    return first.case_no, second.case_no


def test_the_first_cases_reprinted_talon_keeps_the_old_name(
    services: Services, clerk: Any, tmp_path: Path
) -> None:
    """The exact scenario of the issue: accept case 1, intake 2 with the same IIN and a new
    surname and address → case 1's reprinted talon still names the person as accepted."""
    from mss_desk.paper.reprint import reprint_talon

    case1, case2 = two_intakes(services, clerk)
    desk = SimpleNamespace(paper_dir=str(tmp_path / "paper"), timezone="Asia/Almaty",
                           talon_layout="a6", print_command=None, font_path=None)
    # the case card's reprint (services.printing) and `mss-desk talon` (paper.reprint)
    printed = services.printing.print_talon(case1, desk, send=False)
    for text in (
        pdf_text(printed.path.read_bytes()),
        pdf_text(reprint_talon(services, case1, tmp_path / "t.pdf", desk).read_bytes()),
    ):
        assert "Әлиева Гүлнар" in text and "Нұрланова" not in text
    second = services.printing.print_talon(case2, desk, send=False)
    assert "Нұрланова Гүлнар" in pdf_text(second.path.read_bytes())


def test_the_case_card_and_the_register_read_the_cases_own_data(
    services: Services, clerk: Any
) -> None:
    case1, case2 = two_intakes(services, clerk)
    card1, card2 = services.cases.get(case1), services.cases.get(case2)
    assert (card1.surname, card1.address) == (OLD["surname"], OLD["address"])
    assert (card2.surname, card2.address) == (NEW["surname"], NEW["address"])
    assert card1.applicant_id == card2.applicant_id  # one person, two files
    # the case card can say that the person's current data differ from the file's
    assert card1.person_changed == ("surname", "address")
    assert card2.person_changed == ()
    # the lifecycle lists, the forwarding register and the postal notice
    assert services.lifecycle.get(case1).applicant_name == "Әлиева Гүлнар Серікқызы"
    register = services.lifecycle.forward([case1], clerk.id)
    assert [line.applicant_name for line in register.lines] == ["Әлиева Гүлнар Серікқызы"]


def test_the_change_is_history_with_clerk_and_time(
    services: Services, clerk: Any, engine: sa.Engine
) -> None:
    at = services.clock.now() + timedelta(days=2)
    two_intakes(services, clerk)
    applicant_id = services.cases.get("19-2026-00002").applicant_id
    history = services.cases.person_history(applicant_id)
    assert [(h.field, h.old, h.new) for h in history] == [
        ("surname", OLD["surname"], NEW["surname"]),
        ("address", OLD["address"], NEW["address"]),
    ]
    assert {(h.clerk_id, h.at) for h in history} == {(clerk.id, at)}
    assert {h.case_id for h in history} == {services.cases.get("19-2026-00002").id}
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT actor, entity_id, detail FROM audit_events"
                " WHERE action = 'applicant.change'"
            )
        ).all()
    assert [(r[0], r[1]) for r in rows] == [(str(clerk.id), str(applicant_id))]
    assert rows[0][2].endswith("fields=surname,address")
    text = repr(rows)
    for personal in (*OLD.values(), *NEW.values(), "Гүлнар"):
        assert personal not in text  # no personal data in the audit trail


def test_the_same_data_again_is_no_change(services: Services, clerk: Any) -> None:
    services.intake.submit(make_form(**OLD), set(ELDERLY_DOCS), clerk.id)
    # an address left empty is "not given": the one on file stays, nothing changed
    services.intake.submit(make_form(surname=OLD["surname"]), set(ELDERLY_DOCS), clerk.id)
    card = services.cases.get("19-2026-00002")
    assert card.address == OLD["address"] and card.person_changed == ()
    assert services.cases.person_history(card.applicant_id) == []


def test_the_surname_search_finds_each_case_under_its_own_name(
    services: Services, clerk: Any
) -> None:
    case1, case2 = two_intakes(services, clerk)
    assert [r.case_no for r in services.cases.find("әлие")] == [case1]
    assert [(r.case_no, r.surname) for r in services.cases.find("НҰРЛ")] == [
        (case2, NEW["surname"])
    ]
    by_iin = services.cases.find(make_form().iin)
    assert [(r.case_no, r.surname) for r in by_iin] == [
        (case2, NEW["surname"]),
        (case1, OLD["surname"]),
    ]


def test_intake_tells_the_data_differ_from_the_file(services: Services, clerk: Any) -> None:
    assert services.intake.differs_from_file(make_form(**OLD)) is None  # nobody on file
    services.intake.submit(make_form(**OLD), set(ELDERLY_DOCS), clerk.id)
    services.clock.advance(minutes=24 * 60)  # type: ignore[attr-defined]
    assert services.intake.differs_from_file(make_form(**OLD)) is None  # the same data
    assert services.intake.differs_from_file(make_form(surname=OLD["surname"])) is None
    diff = services.intake.differs_from_file(make_form(**NEW, phone="+7 701 000 00 00"))
    assert diff == FileDifference(
        on=date(2026, 3, 2), case_no="19-2026-00001", fields=("surname", "address", "phone")
    )
    # a returned (unnumbered) file is a file too: the newest one is compared
    services.intake.submit(make_form(**NEW), {"application"}, clerk.id)
    assert services.intake.differs_from_file(make_form(**NEW)) is None
    diff = services.intake.differs_from_file(make_form(**OLD))
    assert diff == FileDifference(on=date(2026, 3, 3), case_no=None,
                                  fields=("surname", "address"))
