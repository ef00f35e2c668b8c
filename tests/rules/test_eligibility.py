"""Item 6 eligibility and the item 12 checklist, at every boundary (SPEC "Eligibility")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mss_desk.catalog import load_catalog
from mss_desk.errors import InvalidIIN, ValidationError
from mss_desk.i18n import t
from mss_desk.rules.eligibility import (
    Facts,
    age_on,
    evaluate,
    evaluation_to_dict,
    facts_from_dict,
    is_pension_age,
    pension_age_reached,
    reasons_text,
    required_documents,
)
from mss_desk.rules.iin import make_iin
from tests.conftest import ELDERLY_ALWAYS_DOCS

CAT = load_catalog()
ON = date(2026, 11, 25)


def born_years_ago(years: int, on: date = ON, days: int = 0) -> date:
    """Birth date so that the person turns ``years`` exactly on ``on`` (minus ``days``)."""
    from datetime import timedelta

    return on.replace(year=on.year - years) - timedelta(days=days)


def elderly(**kw) -> Facts:
    base = dict(
        institution="elderly_general",
        birth_date=date(1950, 1, 1),
        sex="male",
        on=ON,
        relatives="no_relatives",
    )
    base.update(kw)
    return Facts(**base)


def keys(ev) -> list[str]:
    return [r.key.rsplit(".", 1)[1] for r in ev.reasons]


# ---------------------------------------------------------------- ages


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2008, 11, 25), date(2026, 11, 25), 18),  # 18th birthday on the acceptance date
        (date(2008, 11, 26), date(2026, 11, 25), 17),  # the day before
        (date(2000, 2, 29), date(2018, 2, 28), 18),  # leap-day birth: last day of February
        (date(2000, 2, 29), date(2018, 2, 27), 17),
        (date(2000, 2, 29), date(2020, 2, 29), 20),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


# ---------------------------------------------------------------- pension age


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        # men: 63
        (date(1963, 11, 25), ON, True),
        (date(1963, 11, 26), ON, False),
    ],
)
def test_pension_age_men(birth: date, on: date, expected: bool) -> None:
    assert is_pension_age(birth, "male", on, CAT) is expected
    # the same birth date never makes a woman younger than her pension age of 61 here
    assert is_pension_age(birth, "female", on, CAT) is True


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        # 2017: 58
        (date(1959, 12, 31), date(2017, 12, 31), True),
        (date(1960, 1, 1), date(2017, 12, 31), False),
        # 1 January 2018: 58.5 — a woman who turned 58 that day is not yet of pension age
        (date(1960, 1, 1), date(2018, 1, 1), False),
        (date(1959, 7, 1), date(2018, 1, 1), True),
        (date(1959, 7, 2), date(2018, 1, 1), True),  # 58 on 02.07.2017 (then 58): kept
        # 2023-2027: 61
        (date(1962, 1, 1), date(2023, 1, 1), True),
        # turned 60.5 (the 2022 step) on 02.07.2022: kept in 2023 (Decision: once reached)
        (date(1962, 1, 2), date(2023, 1, 1), True),
        (date(1962, 7, 2), date(2023, 1, 1), False),  # 60.5 on 02.01.2023: the step is 61
        (date(1966, 12, 31), date(2027, 12, 31), True),
        # 1 January 2028: 61.5 — turned 61 that day: not yet
        (date(1967, 1, 1), date(2028, 1, 1), False),
        (date(1966, 7, 1), date(2028, 1, 1), True),
        (date(1966, 7, 2), date(2028, 1, 1), True),  # 61 on 02.07.2027 (then 61): kept
        # 2031: 63
        (date(1968, 1, 1), date(2031, 1, 1), True),
        (date(1968, 1, 2), date(2031, 1, 1), True),  # 62.5 on 02.07.2030 (then 62.5): kept
        (date(1968, 7, 2), date(2031, 1, 1), False),  # 62.5 on 02.01.2031: the step is 63
        (date(1969, 1, 1), date(2031, 12, 31), False),
    ],
)
def test_pension_age_women_step_dates(birth: date, on: date, expected: bool) -> None:
    assert is_pension_age(birth, "female", on, CAT) is expected


# ---------------------------------------------------------------- elderly_general


def test_ordinary_path_no_relatives() -> None:
    ev = evaluate(elderly(), CAT)
    assert ev.eligible and not ev.priority and ev.pension_age
    assert keys(ev) == ["eligible", "pension_age", "no_relatives"]
    assert list(ev.documents) == [*ELDERLY_ALWAYS_DOCS, "pension_certificate"]


@pytest.mark.parametrize(
    "why", ["old_age", "disability_1_2", "oncological", "mental_illness", "imprisoned", "emigrated"]
)
def test_relatives_unable_each_reason(why: str) -> None:
    ev = evaluate(elderly(relatives="relatives_unable", relatives_reason=why), CAT)
    assert ev.eligible
    text = reasons_text(ev, "en")[-1]
    assert t(f"rules.relatives_reason.{why}", "en") in text


def test_relatives_unable_without_reason() -> None:
    ev = evaluate(elderly(relatives="relatives_unable"), CAT)
    assert not ev.eligible and keys(ev) == ["relatives_reason_missing"]
    assert ev.documents == ()


def test_relatives_able_not_eligible() -> None:
    ev = evaluate(elderly(relatives="relatives_able"), CAT)
    assert not ev.eligible and keys(ev) == ["relatives_able"]


def test_relatives_not_stated() -> None:
    ev = evaluate(elderly(relatives=None), CAT)
    assert not ev.eligible and keys(ev) == ["relatives_missing"]


def test_council_exception_adds_council_decision_last() -> None:
    ev = evaluate(elderly(relatives="council_exception"), CAT)
    assert ev.eligible and "council_exception" in keys(ev)
    assert ev.documents[-1] == "council_decision"


@pytest.mark.parametrize(
    "relatives", [None, "no_relatives", "relatives_unable", "relatives_able", "council_exception"]
)
def test_wwii_priority_regardless_of_relatives(relatives: str | None) -> None:
    ev = evaluate(elderly(wwii=True, relatives=relatives), CAT)
    assert ev.eligible and ev.priority
    assert keys(ev) == ["eligible", "priority_wwii", "pension_age"]
    assert "wwii_status_certificate" in ev.documents
    assert "council_decision" not in ev.documents  # WWII path: no Council needed


def test_wwii_still_needs_care() -> None:
    ev = evaluate(elderly(wwii=True, needs_care=False), CAT)
    assert not ev.eligible and not ev.priority and keys(ev) == ["needs_care"]


def test_needs_care_false_not_eligible() -> None:
    ev = evaluate(elderly(needs_care=False), CAT)
    assert not ev.eligible and keys(ev) == ["needs_care"]


@pytest.mark.parametrize(("group", "eligible"), [(1, True), (2, True), (3, False), (None, False)])
def test_disabled_below_pension_age_needs_group_1_or_2(group: int | None, eligible: bool) -> None:
    young = born_years_ago(40)
    ev = evaluate(elderly(birth_date=young, disabled=True, disability_group=group), CAT)
    assert ev.eligible is eligible
    if eligible:
        assert list(ev.documents) == [
            *ELDERLY_ALWAYS_DOCS,
            "disability_certificate_extract",
            "rehabilitation_program_extract",
        ]
    else:
        assert keys(ev) == ["not_pension_or_group"]


def test_group_3_at_pension_age_is_eligible_with_both_conditional_sets() -> None:
    ev = evaluate(elderly(disabled=True, disability_group=3), CAT)
    assert ev.eligible
    assert list(ev.documents) == [
        *ELDERLY_ALWAYS_DOCS,
        "pension_certificate",
        "disability_certificate_extract",
        "rehabilitation_program_extract",
    ]


def test_woman_one_day_before_pension_age_not_eligible_then_eligible() -> None:
    # in 2026 a woman's pension age is 61
    ev = evaluate(elderly(sex="female", birth_date=date(1965, 11, 26)), CAT)
    assert not ev.eligible and keys(ev) == ["not_pension_or_group"]
    assert "61" in reasons_text(ev, "en")[0]
    ev = evaluate(elderly(sex="female", birth_date=date(1965, 11, 25)), CAT)
    assert ev.eligible and "pension_certificate" in ev.documents


def test_several_failures_all_reported() -> None:
    ev = evaluate(
        elderly(birth_date=born_years_ago(30), needs_care=False, relatives="relatives_able"), CAT
    )
    assert keys(ev) == ["needs_care", "not_pension_or_group", "relatives_able"]


# ---------------------------------------------------------------- children_psychoneuro


def child(**kw) -> Facts:
    base = dict(
        institution="children_psychoneuro",
        birth_date=born_years_ago(10),
        sex="female",
        on=ON,
        disabled=True,
        psychoneuro=True,
    )
    base.update(kw)
    return Facts(**base)


@pytest.mark.parametrize(
    ("years", "days", "eligible", "why"),
    [
        (3, 0, False, "too_young"),
        (4, -1, False, "too_young"),  # the day before the 4th birthday
        (4, 0, True, None),  # 4th birthday on the acceptance date
        (17, 0, True, None),
        (18, -1, True, None),  # the day before the 18th birthday: still a child
        (18, 0, False, "too_old"),  # 18th birthday on the acceptance date: an adult (Decision)
    ],
)
def test_children_age_boundaries(years: int, days: int, eligible: bool, why: str | None) -> None:
    ev = evaluate(child(birth_date=born_years_ago(years, days=days)), CAT)
    assert ev.eligible is eligible
    if why:
        assert keys(ev) == [why]
    else:
        assert (
            len(ev.documents) == 10 and ev.documents[0] == "parent_application_or_medical_petition"
        )


def test_child_disability_without_group_is_enough() -> None:
    assert evaluate(child(disability_group=None), CAT).eligible


def test_child_needs_disability_and_psychoneuro() -> None:
    ev = evaluate(child(disabled=False, psychoneuro=False), CAT)
    assert keys(ev) == ["not_disabled", "psychoneuro_required"]


# ---------------------------------------------------------------- adult_psychoneuro


def adult(**kw) -> Facts:
    base = dict(
        institution="adult_psychoneuro",
        birth_date=born_years_ago(30),
        sex="male",
        on=ON,
        disabled=True,
        disability_group=1,
        psychoneuro=True,
    )
    base.update(kw)
    return Facts(**base)


@pytest.mark.parametrize(
    ("years", "days", "eligible"),
    [
        (17, 0, False),
        (18, -1, False),
        (18, 0, True),
        (19, 0, True),
        (80, 0, True),
    ],
)
def test_adult_age_boundaries(years: int, days: int, eligible: bool) -> None:
    ev = evaluate(adult(birth_date=born_years_ago(years, days=days)), CAT)
    assert ev.eligible is eligible
    if not eligible:
        assert keys(ev) == ["too_young"]


@pytest.mark.parametrize(("group", "eligible"), [(1, True), (2, True), (3, False), (None, False)])
def test_adult_group(group: int | None, eligible: bool) -> None:
    ev = evaluate(adult(disability_group=group), CAT)
    assert ev.eligible is eligible
    if not eligible:
        assert keys(ev) == ["group_required"]


def test_adult_psychoneuro_required() -> None:
    assert keys(evaluate(adult(psychoneuro=False), CAT)) == ["psychoneuro_required"]


def test_declared_incapable_adds_court_decision() -> None:
    assert "incapacity_court_decision" not in evaluate(adult(), CAT).documents
    docs = evaluate(adult(declared_incapable=True), CAT).documents
    assert docs[-1] == "incapacity_court_decision" and len(docs) == 11


def test_required_documents_independent_of_eligibility() -> None:
    facts = elderly(relatives="relatives_able", wwii=False, disabled=True, disability_group=2)
    assert not evaluate(facts, CAT).eligible
    docs = required_documents(facts, CAT)
    assert "disability_certificate_extract" in docs and "pension_certificate" in docs
    assert required_documents(replace(facts, wwii=True), CAT)[8] == "wwii_status_certificate"


# ---------------------------------------------------------------- rendering and JSON


def test_reasons_in_all_languages() -> None:
    ev = evaluate(elderly(relatives="relatives_unable", relatives_reason="emigrated"), CAT)
    for lang in ("kk", "ru", "en"):
        texts = reasons_text(ev, lang)
        assert all("{" not in x and "rules." not in x for x in texts), texts
    assert "мемлекеттен тыс" in reasons_text(ev, "kk")[-1]


IIN_1950_M = make_iin(date(1950, 1, 1), "male")
IIN_2016_F = make_iin(date(2016, 5, 5), "female")


def test_facts_from_dict_and_back() -> None:
    facts = facts_from_dict(
        {
            "institution": "elderly_general",
            "iin": IIN_1950_M,
            "on": "2026-11-25",
            "relatives": "no_relatives",
            "wwii": True,
        },
        CAT,
    )
    assert facts.birth_date == date(1950, 1, 1) and facts.sex == "male" and facts.on == ON
    assert facts.needs_care is True and facts.wwii is True
    out = evaluation_to_dict(evaluate(facts, CAT), "en")
    assert out["eligible"] is True and out["priority"] is True and out["age"] == 76
    assert out["reasons"][0] == "Eligible"
    assert out["documents"][:1] == ["application"]
    assert "wwii_status_certificate" in out["documents"]


def test_facts_from_dict_group_implies_disabled() -> None:
    facts = facts_from_dict(
        {
            "institution": "children_psychoneuro",
            "iin": IIN_2016_F,
            "on": "2026-11-25",
            "disability_group": "2",
            "psychoneuro": True,
        },
        CAT,
    )
    assert facts.disabled and facts.disability_group == 2
    assert evaluate(facts, CAT).eligible


@pytest.mark.parametrize(
    ("patch", "key"),
    [
        ({"institution": "nursing_home"}, "rules.facts.unknown_institution"),
        ({"institution": None}, "rules.facts.missing"),
        ({"on": "25.11.2026"}, "rules.facts.bad_date"),
        ({"on": "2026-02-30"}, "rules.facts.bad_date"),
        ({"relatives": "some"}, "rules.facts.unknown_relatives"),
        (
            {"relatives": "relatives_unable", "relatives_reason": "busy"},
            "rules.facts.unknown_reason",
        ),
        ({"disability_group": 4}, "rules.facts.bad_group"),
        ({"disability_group": True}, "rules.facts.bad_group"),
        ({"disability_group": 1, "disabled": False}, "rules.facts.group_without_disability"),
        ({"wwii": "yes"}, "rules.facts.bad_bool"),
        ({"colour": "red"}, "rules.facts.unknown_field"),
        ({"on": "1949-12-31"}, "rules.facts.future_birth"),
        ({"sex": "female"}, "rules.facts.iin_mismatch"),
        ({"birth_date": "1950-01-02"}, "rules.facts.iin_mismatch"),
    ],
)
def test_facts_from_dict_errors(patch: dict, key: str) -> None:
    d = {"institution": "elderly_general", "iin": IIN_1950_M, "on": "2026-11-25"}
    d.update(patch)
    with pytest.raises(ValidationError) as exc:
        facts_from_dict(d, CAT)
    assert exc.value.key == key
    for lang in ("kk", "ru", "en"):
        assert t(key, lang, **exc.value.params) != key


@pytest.mark.parametrize(
    "iin", ["123", IIN_1950_M[:11] + str((int(IIN_1950_M[11]) + 1) % 10), 900315300000]
)
def test_facts_from_dict_bad_iin(iin) -> None:
    with pytest.raises(InvalidIIN):
        facts_from_dict({"institution": "elderly_general", "iin": iin, "on": "2026-11-25"}, CAT)


# ---------------------------------------------------------------- issue 11: pension age kept

WOMAN_2027 = date(1966, 8, 1)  # 61 on 01.08.2027, the age in force in 2027
WOMAN_2028 = date(1967, 3, 1)  # 61 on 01.03.2028, when the step is 61 y 6 m


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2027, 7, 31), False),  # the day before her 61st birthday
        (date(2027, 8, 1), True),  # the day of it: 61, the age in force in 2027
        (date(2027, 12, 31), True),
        (date(2028, 1, 1), True),  # the step rises to 61.5: reached once, kept
        (date(2031, 6, 1), True),
    ],
)
def test_item_6_1_pension_age_kept_once_reached(on: date, expected: bool) -> None:
    assert is_pension_age(WOMAN_2027, "female", on, CAT) is expected
    assert pension_age_reached(WOMAN_2027, "female", CAT) == date(2027, 8, 1)
    ev = evaluate(elderly(sex="female", birth_date=WOMAN_2027, on=on), CAT)
    assert ev.eligible is expected and ev.pension_age is expected
    assert ev.pension_age_since == (date(2027, 8, 1) if expected else None)


def test_item_6_1_pension_age_since_shown_in_the_verdict() -> None:
    ev = evaluate(elderly(sex="female", birth_date=WOMAN_2027, on=date(2028, 1, 1)), CAT)
    assert keys(ev) == ["eligible", "pension_age", "no_relatives"]
    assert reasons_text(ev, "en")[1] == "Of pension age since 01.08.2027 (61 y. 0 m. reached)"
    assert reasons_text(ev, "ru")[1].startswith("Пенсионный возраст с 01.08.2027")
    assert reasons_text(ev, "kk")[1].startswith("01.08.2027 бастап зейнеткерлік жаста")
    out = evaluation_to_dict(ev, "en")
    assert out["pension_age"] is True and out["pension_age_since"] == "2027-08-01"
    assert "since 01.08.2027" in out["reasons"][1]
    # not of pension age: no day in the verdict
    young = evaluate(elderly(sex="female", birth_date=WOMAN_2028, on=date(2028, 3, 2)), CAT)
    assert young.pension_age_since is None
    assert evaluation_to_dict(young, "en")["pension_age_since"] is None


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2028, 2, 29), False),  # the day before her 61st birthday
        (date(2028, 3, 1), False),  # 61 — but the age in force in 2028 is 61 y 6 m
        (date(2028, 3, 2), False),
        (date(2028, 8, 31), False),  # the day before 61 y 6 m
        (date(2028, 9, 1), True),  # the day she reaches 61 y 6 m
        (date(2029, 1, 1), True),  # the step rises to 62: kept
    ],
)
def test_item_6_1_pension_age_woman_turning_61_in_2028_needs_61_and_a_half(
    on: date, expected: bool
) -> None:
    assert pension_age_reached(WOMAN_2028, "female", CAT) == date(2028, 9, 1)
    assert is_pension_age(WOMAN_2028, "female", on, CAT) is expected
    ev = evaluate(elderly(sex="female", birth_date=WOMAN_2028, on=on), CAT)
    assert ev.eligible is expected
    if not expected:
        assert keys(ev) == ["not_pension_or_group"]
        assert "61 y. 6 m." in reasons_text(ev, "en")[0]
    else:
        assert ev.pension_age_since == date(2028, 9, 1)
        assert "(61 y. 6 m. reached)" in reasons_text(ev, "en")[1]


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2026, 4, 9), False), (date(2026, 4, 10), True), (date(2031, 1, 1), True)],
)
def test_item_6_1_pension_age_men_63_day_before_and_day_of(on: date, expected: bool) -> None:
    birth = date(1963, 4, 10)  # 63 on 10.04.2026
    assert pension_age_reached(birth, "male", CAT) == date(2026, 4, 10)
    assert is_pension_age(birth, "male", on, CAT) is expected
    ev = evaluate(elderly(birth_date=birth, on=on), CAT)
    assert ev.eligible is expected
    assert ev.pension_age_since == (date(2026, 4, 10) if expected else None)


def test_item_6_1_pension_age_reached_under_an_older_step() -> None:
    # 58 on 15.03.2016 (the step then): of pension age since that day, through every rise
    birth = date(1958, 3, 15)
    assert pension_age_reached(birth, "female", CAT) == date(2016, 3, 15)
    assert is_pension_age(birth, "female", date(2016, 3, 14), CAT) is False
    assert is_pension_age(birth, "female", date(2024, 1, 1), CAT) is True
    # a woman born late in 1959: 58 on 01.12.2017 (step 58) — kept though 2018 asks 58.5
    assert pension_age_reached(date(1959, 12, 1), "female", CAT) == date(2017, 12, 1)
    # born 01.01.1960: 58 on 01.01.2018, when the step is already 58.5 -> 01.07.2018
    assert pension_age_reached(date(1960, 1, 1), "female", CAT) == date(2018, 7, 1)


# ---------------------------------------------------------------- issue 11: the WWII path


def test_item_6_1_wwii_not_disabled_man_of_46_is_not_eligible() -> None:
    facts = elderly(birth_date=born_years_ago(46), wwii=True, relatives="relatives_able")
    ev = evaluate(facts, CAT)
    assert not ev.eligible and not ev.priority and ev.documents == ()
    assert keys(ev) == ["wwii_not_pension_or_group"]
    for lang in ("kk", "ru", "en"):
        [text] = reasons_text(ev, lang)
        assert "{" not in text and "rules." not in text and "6.1" in text
    assert "group 1 or 2" in reasons_text(ev, "en")[0]
    assert "63 y. 0 m." in reasons_text(ev, "en")[0]


@pytest.mark.parametrize(("group", "eligible"), [(1, True), (2, True), (3, False), (None, False)])
def test_item_6_1_wwii_young_equated_person_needs_group_1_or_2(
    group: int | None, eligible: bool
) -> None:
    # persons equated to participants can be young: disabled of group 1-2 is enough
    facts = elderly(
        birth_date=born_years_ago(46),
        wwii=True,
        relatives="relatives_able",  # the relatives condition is waived
        disabled=group is not None,
        disability_group=group,
    )
    ev = evaluate(facts, CAT)
    assert ev.eligible is eligible and ev.priority is eligible
    if eligible:
        assert keys(ev) == ["eligible", "priority_wwii"]
        assert "wwii_status_certificate" in ev.documents
        assert "pension_certificate" not in ev.documents
        assert "council_decision" not in ev.documents
    else:
        assert keys(ev) == ["wwii_not_pension_or_group"]


def test_item_6_1_wwii_pension_age_boundary_day_before_and_day_of() -> None:
    before = evaluate(elderly(birth_date=born_years_ago(63, days=-1), wwii=True), CAT)
    assert not before.eligible and keys(before) == ["wwii_not_pension_or_group"]
    on_day = evaluate(elderly(birth_date=born_years_ago(63), wwii=True), CAT)
    assert on_day.eligible and on_day.priority
    assert keys(on_day) == ["eligible", "priority_wwii", "pension_age"]


def test_item_6_1_wwii_still_needs_care_even_when_disabled() -> None:
    facts = elderly(
        birth_date=born_years_ago(46),
        wwii=True,
        disabled=True,
        disability_group=2,
        needs_care=False,
    )
    ev = evaluate(facts, CAT)
    assert not ev.eligible and not ev.priority and keys(ev) == ["needs_care"]
