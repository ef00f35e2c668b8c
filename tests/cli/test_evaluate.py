"""``mss-desk evaluate FILE.json``: the facts file in, eligibility and the checklist out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mss_desk.rules.iin import make_iin
from tests.conftest import ELDERLY_ALWAYS_DOCS

KEYS = {"eligible", "priority", "age", "pension_age", "pension_age_since", "reasons", "documents"}
ON = "2026-03-02"


def facts(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "institution": "elderly_general",
        "iin": make_iin(date(1945, 5, 9), "male"),
        "on": ON,
        "disabled": False,
        "disability_group": None,
        "psychoneuro": False,
        "wwii": False,
        "needs_care": True,
        "relatives": "no_relatives",
        "relatives_reason": None,
        "declared_incapable": False,
    }
    base.update(over)
    return base


def test_elderly_no_relatives_exact_shape(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    r = cli("evaluate", facts_file(facts()), "--json")
    assert r.code == 0
    body = r.json
    assert set(body) == KEYS
    assert body["eligible"] is True and body["priority"] is False and body["age"] == 80
    assert all(isinstance(x, str) and x for x in body["reasons"])
    assert body["documents"] == [*ELDERLY_ALWAYS_DOCS, "pension_certificate"]


def test_wwii_is_priority_whatever_the_relatives(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    f = facts(
        iin=make_iin(date(1926, 2, 1), "male"),
        wwii=True,
        relatives="relatives_able",
        disabled=True,
        disability_group=1,
    )
    body = cli("evaluate", facts_file(f), "--json").json
    assert body["eligible"] is True and body["priority"] is True
    assert body["documents"] == [
        *ELDERLY_ALWAYS_DOCS,
        "pension_certificate",
        "wwii_status_certificate",
        "disability_certificate_extract",
        "rehabilitation_program_extract",
    ]


def test_able_relatives_not_eligible_and_says_why(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    r = cli("evaluate", facts_file(facts(relatives="relatives_able")), "--json")
    assert r.code == 0  # a valid question with the answer "no"
    body = r.json
    assert body["eligible"] is False and body["documents"] == []
    assert body["reasons"]


def test_council_exception_needs_the_council_decision(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    body = cli("evaluate", facts_file(facts(relatives="council_exception")), "--json").json
    assert body["eligible"] is True
    assert body["documents"][-1] == "council_decision"


@pytest.mark.parametrize(
    ("born", "eligible"), [(date(2008, 3, 3), True), (date(2008, 3, 2), False)]
)
def test_children_up_to_18(cli, facts_file, born: date, eligible: bool) -> None:  # type: ignore[no-untyped-def]
    f = facts(
        institution="children_psychoneuro",
        iin=make_iin(born, "female"),
        disabled=True,
        psychoneuro=True,
        relatives=None,
    )
    body = cli("evaluate", facts_file(f), "--json").json
    assert body["eligible"] is eligible
    assert body["age"] == (17 if eligible else 18)


def test_adult_declared_incapable_needs_the_court_decision(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    f = facts(
        institution="adult_psychoneuro",
        iin=make_iin(date(1990, 6, 1), "male"),
        disabled=True,
        disability_group=2,
        psychoneuro=True,
        declared_incapable=True,
        relatives=None,
    )
    body = cli("evaluate", facts_file(f), "--json").json
    assert body["eligible"] is True
    assert body["documents"][-1] == "incapacity_court_decision"
    assert "mse_commission_certificate" in body["documents"]


def test_fields_a_type_does_not_use_may_be_omitted(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    f = {
        "institution": "elderly_general",
        "iin": make_iin(date(1945, 5, 9), "male"),
        "on": ON,
        "relatives": "no_relatives",
    }
    assert cli("evaluate", facts_file(f), "--json").json["eligible"] is True


def test_reads_stdin(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("evaluate", "-", "--json", stdin=json.dumps(facts()))
    assert r.code == 0 and r.json["eligible"] is True


def test_human_output_lists_documents_by_label(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    r = cli("--lang", "kk", "evaluate", facts_file(facts()))
    assert r.code == 0
    assert "Құқығы бар" in r.out and "зейнеткерлік куәлігі" in r.out
    r = cli("--lang", "ru", "evaluate", facts_file(facts(relatives="relatives_able")))
    assert "Не имеет права" in r.out


def test_json_reasons_follow_an_explicit_language(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    en = cli("evaluate", facts_file(facts()), "--json").json["reasons"]
    kk = cli("--lang", "kk", "evaluate", facts_file(facts()), "--json").json["reasons"]
    assert en != kk and any("ә" in r.lower() or "қ" in r.lower() for r in kk)


def test_broken_json(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text('{"institution": "elderly_general",\n "iin": }', encoding="utf-8")
    r = cli("evaluate", str(bad), "--json")
    assert r.code == 1
    assert set(r.json) == {"error"}
    assert "JSON" in r.json["error"] and "line 2" in r.json["error"]
    r = cli("--lang", "en", "evaluate", str(bad))
    assert r.code == 1 and len(r.err.splitlines()) == 1


def test_missing_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("evaluate", str(tmp_path / "nope.json"), "--json")
    assert r.code == 1 and "not found" in r.json["error"]


def test_directory_instead_of_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("evaluate", str(tmp_path), "--json")
    assert r.code == 1 and "error" in r.json


def test_not_an_object(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    r = cli("evaluate", facts_file([1, 2]), "--json")  # type: ignore[arg-type]
    assert r.code == 1 and "object" in r.json["error"]


def test_unknown_institution_lists_the_known_ones(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    r = cli("evaluate", facts_file(facts(institution="sanatorium")), "--json")
    assert r.code == 1
    assert "sanatorium" in r.json["error"] and "elderly_general" in r.json["error"]


@pytest.mark.parametrize(
    ("over", "fragment"),
    [
        ({"iin": "450509300018"}, "control"),
        ({"iin": 450509300019}, "digit"),
        ({"on": "2026-02-30"}, "2026-02-30"),
        ({"on": "02.03.2026"}, "02.03.2026"),
        ({"disability_group": 4, "disabled": True}, "group"),
        ({"relatives": "cousins"}, "cousins"),
        ({"relatives": "relatives_unable", "relatives_reason": "busy"}, "busy"),
        ({"colour": "red"}, "colour"),
        ({"disabled": "yes"}, "disabled"),
    ],
)
def test_invalid_facts_exit_1(cli, facts_file, over: dict[str, Any], fragment: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("evaluate", facts_file(facts(**over)), "--json")
    assert r.code == 1
    assert set(r.json) == {"error"}
    assert fragment.lower() in r.json["error"].lower()


def test_missing_required_field(cli, facts_file) -> None:  # type: ignore[no-untyped-def]
    f = facts()
    del f["on"]
    r = cli("evaluate", facts_file(f), "--json")
    assert r.code == 1 and "on" in r.json["error"]


def test_real_process(proc, facts_file) -> None:  # type: ignore[no-untyped-def]
    r = proc("evaluate", facts_file(facts()), "--json")
    assert r.code == 0 and set(r.json) == KEYS
    r = proc("evaluate", facts_file(facts(institution="nope")), "--json")
    assert r.code == 1 and set(r.json) == {"error"}



def test_item_6_1_evaluate_json_names_the_day_pension_age_was_reached(  # type: ignore[no-untyped-def]
    cli, facts_file
) -> None:
    """Issue 11: a woman born 01.08.1966 reached 61 (the 2027 step) on 01.08.2027 and keeps
    pension age in 2028, when the step is 61.5; the JSON says since when."""
    born = facts(iin=make_iin(date(1966, 8, 1), "female"), on="2028-01-01")
    r = cli("evaluate", facts_file(born), "--json")
    assert r.code == 0
    assert r.json["pension_age"] is True
    assert r.json["pension_age_since"] == "2027-08-01"
    assert r.json["eligible"] is True
