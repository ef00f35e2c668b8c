"""Reference data: the shipped files load, and every kind of breakage names file, key, reason."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from mss_desk.catalog import CONDITIONS, clear_cache, load_catalog
from mss_desk.errors import CatalogError
from mss_desk.locations import reference_data_dir

KAZAKH_ONLY = set("ӘҒҚҢӨҰҮҺІәғқңөұүһі")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(reference_data_dir(), target)
    clear_cache()
    yield target
    clear_cache()


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# ---------------------------------------------------------------- the shipped data


def test_default_path_and_cache(catalog) -> None:
    assert load_catalog() is catalog
    assert load_catalog(reference_data_dir()) is catalog


def test_nineteen_departments_and_the_regional(catalog) -> None:
    assert sorted(catalog.departments) == list(range(1, 20))
    assert catalog.regional.code == 0
    assert catalog.department(0) is catalog.regional
    assert catalog.department(19).district_kk == "Көкшетау қаласы"
    assert catalog.department(18).name_kk.startswith("«Степногорск қаласының")
    for code in range(1, 18):
        d = catalog.department(code)
        assert (
            "ауданының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі» мемлекеттік мекемесі"
            in d.name_kk
        )
        assert d.name_ru.startswith("Государственное учреждение «Отдел занятости")


def test_scan_latin_y_fixed(catalog) -> None:
    assert (
        catalog.department(1).address_kk == "Ақкөл ауданы, Ақкөл қаласы, Нұрмағамбетов көшесі, 81"
    )
    assert catalog.department(5).district_kk == "Бұланды ауданы"
    glued = re.compile(r"[A-Za-z][\u0400-\u04FF]|[\u0400-\u04FF][A-Za-z]")
    for d in [*catalog.departments.values(), catalog.regional]:
        for text in (d.name_kk, d.name_ru, d.address_kk, d.address_ru, d.district_kk):
            assert not glued.search(text), text


def test_garbled_contacts_have_a_likely_reading(catalog) -> None:
    assert catalog.department(2).email == "Arshaly_rotz@rjrshetau.online.kz"
    assert catalog.department(2).best_email == "Arshaly_rotz@kokshetau.online.kz"
    assert catalog.department(3).email_likely == "Astr_socz@kokshetau.online.kz"
    assert catalog.department(4).email_likely == "Atb_rotzisn@kokshetau.online.kz"
    assert catalog.department(10).email_likely == "soc_zanita_21@kokshetau.online.kz"
    assert "kokshetau" in catalog.department(12).email_likely.split(", ")[1]
    assert catalog.department(17).email_likely == "depart@kokshetau.online.kz"
    assert catalog.department(1).email_likely is None
    assert catalog.department(18).phones == ("8-(71645)6-26-33", "6-20-30")
    assert catalog.department(18).phones_printed == "8-(71645)6-26-336-20-30"
    assert catalog.regional.email == "akmout@mail.online.kz"
    assert catalog.regional.phones == ("8(7162)763690",)


def test_institutions_and_documents(catalog) -> None:
    assert set(catalog.institutions) == {
        "elderly_general",
        "children_psychoneuro",
        "adult_psychoneuro",
    }
    eg = catalog.institution("elderly_general")
    assert [d.code for d in eg.documents] == [
        "application",
        "authority_referral",
        "identity_card",
        "taxpayer_certificate",
        "social_code_certificate",
        "medical_card",
        "outpatient_extract",
        "pension_certificate",
        "wwii_status_certificate",
        "disability_certificate_extract",
        "rehabilitation_program_extract",
        "council_decision",
    ]
    conditions = {d.code: d.condition for d in eg.documents}
    assert conditions["pension_certificate"] == "pension_age"
    assert conditions["wwii_status_certificate"] == "wwii"
    assert conditions["disability_certificate_extract"] == "disabled"
    assert conditions["council_decision"] == "council_exception"
    ch = catalog.institution("children_psychoneuro")
    assert (ch.min_age, ch.max_age_exclusive) == (4, 18)
    assert all(d.condition == "always" for d in ch.documents)
    assert len(ch.documents) == 10
    ad = catalog.institution("adult_psychoneuro")
    assert (ad.min_age, ad.max_age_exclusive) == (18, None)
    assert ad.documents[-1].code == "incapacity_court_decision"
    assert ad.documents[-1].condition == "declared_incapable"
    assert catalog.document("pmpc_conclusion").label_kk == (
        "психологиялық-медициналық-педагогикалық консультацияның қорытындысы"
    )
    for spec in catalog.documents.values():
        assert set(spec.label_kk) & KAZAKH_ONLY or spec.code in {"medical_card"}, spec.code
        assert spec.label_ru and spec.label_ru != spec.label_kk
        assert spec.condition in CONDITIONS


def test_indicators(catalog) -> None:
    nos = [i.no for i in catalog.indicators]
    assert nos == [
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "3.1",
        "3.2",
        "3.3",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "5.1",
    ]
    one = catalog.indicator("1.1")
    assert (one.normative, one.target, one.reporting, one.source) == (100, 96.2, 90.5, "computed")
    assert one.targets == {2008: 96.2} and one.direction == "higher"
    assert catalog.indicator("4.1").reporting == 0.2
    assert catalog.indicator("3.3").source == "entered"
    assert {
        i.source for i in catalog.indicators if i.no in {"2.1", "3.1", "4.3", "4.4", "5.1"}
    } == {"survey"}
    assert catalog.indicator_groups["5"].title_en == "Courtesy"


@pytest.mark.parametrize(
    ("on", "years_months"),
    [
        (date(2017, 12, 31), (58, 0)),
        (date(2018, 1, 1), (58, 6)),
        (date(2018, 12, 31), (58, 6)),
        (date(2019, 1, 1), (59, 0)),
        (date(2020, 1, 1), (59, 6)),
        (date(2021, 1, 1), (60, 0)),
        (date(2022, 1, 1), (60, 6)),
        (date(2022, 12, 31), (60, 6)),
        (date(2023, 1, 1), (61, 0)),
        (date(2027, 12, 31), (61, 0)),
        (date(2028, 1, 1), (61, 6)),
        (date(2029, 1, 1), (62, 0)),
        (date(2030, 1, 1), (62, 6)),
        (date(2030, 12, 31), (62, 6)),
        (date(2031, 1, 1), (63, 0)),
        (date(2040, 6, 1), (63, 0)),
    ],
)
def test_women_pension_age_steps(catalog, on: date, years_months: tuple[int, int]) -> None:
    assert catalog.pension_age("female", on) == years_months


@pytest.mark.parametrize(
    "on", [date(2001, 1, 1), date(2017, 6, 1), date(2026, 11, 25), date(2035, 1, 1)]
)
def test_men_pension_age(catalog, on: date) -> None:
    assert catalog.pension_age("male", on) == (63, 0)


def test_terms(catalog) -> None:
    terms = catalog.terms(date(2026, 11, 25))
    assert (terms.service_days, terms.forward_days, terms.decision_working_days) == (15, 10, 10)
    assert (terms.queue_max_minutes, terms.queue_warn_minutes) == (40, 30)
    assert (terms.safekeeping_days, terms.complaint_answer_days) == (30, 15)
    assert terms.items["service_days"] == "7.1"
    assert terms.items["decision_working_days"] == "5"
    assert terms.effective_from == date(2008, 9, 4)


def test_calendar_overrides_shipped(catalog) -> None:
    ov = catalog.calendar_overrides
    assert ov.ru_names["Тәуелсіздік күні"] == "День Независимости"
    assert "{name}" in ov.ru_labels["observed"]


# ---------------------------------------------------------------- a later edition of the terms


def test_new_edition_applies_from_its_date_only(data_copy: Path) -> None:
    with (data_copy / "terms.toml").open("a", encoding="utf-8") as fh:
        fh.write("""
[[editions]]
effective_from = 2027-01-01
service_days = { value = 17, item = "new rules" }
forward_days = { value = 10, item = "5" }
decision_working_days = { value = 17, item = "new rules" }
queue_max_minutes = { value = 40, item = "7.2" }
queue_warn_minutes = { value = 30, item = "7.2" }
safekeeping_days = { value = 30, item = "18.6" }
complaint_answer_days = { value = 15, item = "23" }
""")
    cat = load_catalog(data_copy)
    assert cat.terms(date(2026, 12, 31)).service_days == 15
    assert cat.terms(date(2027, 1, 1)).service_days == 17


# ---------------------------------------------------------------- broken files


def _broken(data_copy: Path) -> CatalogError:
    with pytest.raises(CatalogError) as exc:
        load_catalog(data_copy)
    return exc.value


def test_broken_toml_syntax(data_copy: Path) -> None:
    _edit(data_copy / "departments.toml", "[regional]", "[regional")
    err = _broken(data_copy)
    assert err.file == "departments.toml"
    assert "not valid TOML" in err.reason
    assert err.key == "error.catalog"


def test_missing_file(data_copy: Path) -> None:
    (data_copy / "indicators.toml").unlink()
    err = _broken(data_copy)
    assert err.file == "indicators.toml" and "not found" in err.reason


def test_missing_key(data_copy: Path) -> None:
    _edit(
        data_copy / "departments.toml",
        'address_ru = "Аршалынский район, с. Аршалы, ул. Ташенова, 47"\n',
        "",
    )
    err = _broken(data_copy)
    assert (err.file, err.where, err.reason) == (
        "departments.toml",
        "departments[1].address_ru",
        "missing key",
    )


def test_wrong_type(data_copy: Path) -> None:
    _edit(data_copy / "indicators.toml", "normative = 100", 'normative = "hundred"')
    err = _broken(data_copy)
    assert err.file == "indicators.toml"
    assert err.where == "indicators[0].normative"
    assert "expected" in err.reason


def test_bool_is_not_a_number(data_copy: Path) -> None:
    _edit(data_copy / "pension_ages.toml", "years = 63", "years = true")
    err = _broken(data_copy)
    assert err.where == "male[0].years"


def test_unknown_document_condition(data_copy: Path) -> None:
    _edit(data_copy / "institutions.toml", 'condition = "pension_age"', 'condition = "pensioner"')
    err = _broken(data_copy)
    assert err.file == "institutions.toml"
    assert err.where == "institutions[0].documents[7].condition"
    assert "pensioner" in err.reason


def test_unknown_document_code(data_copy: Path) -> None:
    _edit(
        data_copy / "institutions.toml",
        '{ code = "medical_card", condition = "always", item = "12.1" }',
        '{ code = "medical_kard", condition = "always", item = "12.1" }',
    )
    err = _broken(data_copy)
    assert "medical_kard" in err.reason


def test_duplicate_department_code(data_copy: Path) -> None:
    _edit(data_copy / "departments.toml", "code = 2\n", "code = 1\n")
    err = _broken(data_copy)
    assert (err.where, err.reason) == ("departments[1].code", "duplicate code 1")


def test_duplicate_document_in_a_type(data_copy: Path) -> None:
    _edit(
        data_copy / "institutions.toml",
        '{ code = "authority_referral", condition = "always", item = "12.1" }',
        '{ code = "application", condition = "always", item = "12.1" }',
    )
    err = _broken(data_copy)
    assert "duplicate document" in err.reason


def test_duplicate_indicator(data_copy: Path) -> None:
    _edit(data_copy / "indicators.toml", 'no = "1.2"', 'no = "1.1"')
    assert "duplicate indicator" in _broken(data_copy).reason


def test_pension_steps_out_of_order(data_copy: Path) -> None:
    _edit(data_copy / "pension_ages.toml", "from = 2019-01-01", "from = 2017-01-01")
    err = _broken(data_copy)
    assert err.file == "pension_ages.toml" and "increasing" in err.reason


def test_transfer_on_wrong_weekday(data_copy: Path) -> None:
    _edit(data_copy / "calendar.toml", "transfers = []\n", "")
    with (data_copy / "calendar.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[transfers]]\nday_off = 2026-01-10\nworking_day = 2026-01-03\ndecree = "x"\n')
    err = _broken(data_copy)
    assert err.where == "transfers[0].day_off"


def test_error_message_is_one_line_for_the_cli(data_copy: Path) -> None:
    _edit(data_copy / "terms.toml", "service_days = { value = 15", "service_days = { value = -15")
    err = _broken(data_copy)
    assert str(err) == "terms.toml: editions[0].service_days.value: must be positive"
