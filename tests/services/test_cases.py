"""Finding cases: IIN, case number, surname prefix (Kazakh and Russian, any case)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from mss_desk.errors import NotFound, ValidationError
from mss_desk.services import Services
from mss_desk.services.base import kazakh_sort_key
from tests.conftest import ELDERLY_DOCS, other_desk
from tests.services.test_intake import make_form

PEOPLE = [  # (serial, surname, complete?)
    (1, "Әлиева", True),
    (2, "Әлімова", True),  # і, not и: must not match "Әли"
    (3, "Алиева", True),  # А, not Ә
    (4, "Иванова", False),
    (5, "ИВАНОВ", True),
    (6, "Өмірзақова", True),
]


@pytest.fixture
def filled(services: Services, clerk: Any) -> dict[str, Any]:
    out = {}
    for serial, surname, complete in PEOPLE:
        docs = set(ELDERLY_DOCS) if complete else {"application"}
        out[surname] = services.intake.submit(
            make_form(serial=serial, surname=surname), docs, clerk.id
        )
    return out


@pytest.mark.parametrize("query", ["Әли", "әли", "ӘЛИ", "  әЛи "])
def test_kazakh_prefix_is_case_insensitive(services: Services, filled: Any, query: str) -> None:
    assert [r.surname for r in services.cases.find(query)] == ["Әлиева"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ива", ["ИВАНОВ", "Иванова"]),
        ("ИВАНОВА", ["Иванова"]),
        ("али", ["Алиева"]),
        ("әлі", ["Әлімова"]),
        ("өмір", ["Өмірзақова"]),
        ("ӨМІРЗАҚОВА", ["Өмірзақова"]),
        ("ева", []),  # a prefix, not a substring
        ("Өмірзақоваа", []),
    ],
)
def test_russian_and_kazakh_prefixes(
    services: Services, filled: Any, query: str, expected: list[str]
) -> None:
    assert [r.surname for r in services.cases.find(query)] == expected


def test_find_by_iin_and_case_number(services: Services, filled: Any) -> None:
    target = filled["Өмірзақова"]
    iin = make_form(serial=6).iin
    by_iin = services.cases.find(iin)
    assert [r.case_no for r in by_iin] == [target.case_no]
    assert by_iin[0].iin == iin and by_iin[0].service_due == date(2026, 3, 17)
    assert [r.id for r in services.cases.find(target.case_no)] == [target.case_id]
    assert services.cases.find("19-2026-09999") == []
    assert services.cases.find("   ") == []


def test_returned_cases_are_found_without_a_number(services: Services, filled: Any) -> None:
    rows = services.cases.find("иванова")
    assert len(rows) == 1 and rows[0].case_no is None and rows[0].status == "returned_incomplete"


def test_list_by_status_newest_first(services: Services, filled: Any, clock: Any) -> None:
    assert len(services.cases.list()) == len(PEOPLE)
    accepted = services.cases.list(status="accepted")
    assert [r.surname for r in accepted] == ["Өмірзақова", "ИВАНОВ", "Алиева", "Әлімова", "Әлиева"]
    assert [r.surname for r in services.cases.list("returned_incomplete")] == ["Иванова"]
    assert services.cases.list("forwarded") == []
    with pytest.raises(ValidationError):
        services.cases.list("lost")


def test_get_detail(services: Services, filled: Any) -> None:
    r = filled["Әлиева"]
    d = services.cases.get(r.case_no)
    assert d.full_name == "Әлиева Гүлнар Серікқызы"
    assert d.birth_date == date(1950, 5, 1) and d.sex == "female"
    assert [doc.code for doc in d.documents] == list(ELDERLY_DOCS)
    assert all(doc.required and doc.received and doc.received_at for doc in d.documents)
    with pytest.raises(NotFound) as err:
        services.cases.get("19-2026-99999")
    assert err.value.key == "cases.error.not_found"
    with pytest.raises(NotFound):
        services.cases.get_by_id(99999)


def test_other_departments_cases_are_not_listed(services: Services, filled: Any) -> None:
    other = other_desk(services, 1)  # a desk of Department 1 on the same database
    assert other.cases.list() == []
    assert other.cases.find("әли") == []


def test_surname_search_uses_the_index_on_sqlite(sqlite_url: str) -> None:
    """DESIGN trap: the range query is an index search, not a full scan (LIKE would be)."""
    from mss_desk.store.engine import open_store

    eng = open_store(sqlite_url)
    try:
        with eng.connect() as conn:
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM applicants "
                "WHERE surname_fold >= ? AND surname_fold < ?",
                ("әли", "әли\uffff"),
            ).all()
    finally:
        eng.dispose()
    detail = " ".join(str(row[-1]) for row in plan)
    assert "ix_applicants_surname_fold" in detail and "SCAN applicants" not in detail


def test_kazakh_alphabet_order() -> None:
    names = ["Сейітов", "Әбенов", "Абаев", "Өмірбек", "Ұлан", "Үмбет", "Іляс", "Яков", "Бек"]
    assert sorted(names, key=kazakh_sort_key) == [
        "Абаев",
        "Әбенов",
        "Бек",
        "Өмірбек",
        "Сейітов",
        "Ұлан",
        "Үмбет",
        "Іляс",
        "Яков",
    ]


def test_views_are_frozen(services: Services, filled: Any) -> None:
    import dataclasses

    row = services.cases.list()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.status = "delivered"  # type: ignore[misc]
    assert isinstance(services.engine, sa.Engine)
