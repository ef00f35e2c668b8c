"""One reader per data file (``departments.toml``, ``institutions.toml``, ``indicators.toml``,
``pension_ages.toml``, ``terms.toml``, ``calendar.toml``): its checks and its dataclasses.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from mss_desk.catalog.model import (
    CONDITIONS,
    DIRECTIONS,
    INSTITUTION_CODES,
    OPTIONAL_TERM_NAMES,
    SEXES,
    SOURCES,
    TERM_NAMES,
    Akimat,
    CalendarOverrides,
    Department,
    DocumentSpec,
    ExtraHoliday,
    Indicator,
    IndicatorGroup,
    InstitutionType,
    PensionAgeStep,
    Terms,
)
from mss_desk.catalog.reader import TomlReader, load_toml


def _department(r: TomlReader, t: dict[str, Any], where: str) -> Department:
    phones = r.strings(t, "phones", where)
    if not phones:
        raise r.fail(f"{where}.phones", "at least one phone is needed")
    return Department(
        code=r.integer(t, "code", where),
        district_kk=r.text(t, "district_kk", where),
        district_ru=r.text(t, "district_ru", where),
        name_kk=r.text(t, "name_kk", where),
        name_ru=r.text(t, "name_ru", where),
        address_kk=r.text(t, "address_kk", where),
        address_ru=r.text(t, "address_ru", where),
        phones=phones,
        email=r.text(t, "email", where),
        website=r.text(t, "website", where),
        reception_kk=r.text(t, "reception_kk", where),
        reception_ru=r.text(t, "reception_ru", where),
        phones_printed=r.text(t, "phones_printed", where, optional=True),
        email_likely=r.text(t, "email_likely", where, optional=True),
        website_likely=r.text(t, "website_likely", where, optional=True),
        address_likely=r.text(t, "address_likely", where, optional=True),
        district_en=r.text(t, "district_en", where, optional=True),
        name_en=r.text(t, "name_en", where, optional=True),
        address_en=r.text(t, "address_en", where, optional=True),
        reception_en=r.text(t, "reception_en", where, optional=True),
    )


def read_akimat(directory: Path) -> Akimat | None:
    """Item 24.3: the Akimat of Akmola region (``[akimat]``; None when the file has none)."""
    r = TomlReader("departments.toml")
    data = load_toml(directory, r.file)
    if "akimat" not in data:
        return None
    t = r.table(data, "akimat", "")
    keys = ("name_kk", "name_ru", "name_en", "address_kk", "address_ru", "address_en")
    return Akimat(
        **{key: r.text(t, key, "akimat") for key in keys},
        website=r.text(t, "website", "akimat"),
    )


def read_departments(directory: Path) -> tuple[dict[int, Department], Department]:
    r = TomlReader("departments.toml")
    data = load_toml(directory, r.file)
    regional = _department(r, r.table(data, "regional", ""), "regional")
    if regional.code != 0:
        raise r.fail("regional.code", "the Regional Department has code 0 (item 24.2)")
    out: dict[int, Department] = {}
    for where, t in r.tables(data, "departments", ""):
        dept = _department(r, t, where)
        if not 1 <= dept.code <= 99:
            raise r.fail(f"{where}.code", f"code {dept.code} out of range 1-99")
        if dept.code in out:
            raise r.fail(f"{where}.code", f"duplicate code {dept.code}")
        out[dept.code] = dept
    if not out:
        raise r.fail("departments", "no Departments")
    return dict(sorted(out.items())), regional


def read_institutions(
    directory: Path,
) -> tuple[dict[str, InstitutionType], dict[str, DocumentSpec]]:
    r = TomlReader("institutions.toml")
    data = load_toml(directory, r.file)
    labels: dict[str, DocumentSpec] = {}
    for code, where, t in r.named_tables(data, "documents"):
        labels[code] = DocumentSpec(
            code, r.text(t, "label_kk", where), r.text(t, "label_ru", where)
        )
    out: dict[str, InstitutionType] = {}
    for where, t in r.tables(data, "institutions", ""):
        code = r.text(t, "code", where)
        if code not in INSTITUTION_CODES:
            raise r.fail(f"{where}.code", f"unknown institution type {code!r}")
        if code in out:
            raise r.fail(f"{where}.code", f"duplicate code {code!r}")
        docs: list[DocumentSpec] = []
        seen: set[str] = set()
        for dwhere, d in r.tables(t, "documents", where):
            dcode = r.text(d, "code", dwhere)
            if dcode not in labels:
                raise r.fail(
                    f"{dwhere}.code", f"unknown document {dcode!r} (no [documents.{dcode}])"
                )
            if dcode in seen:
                raise r.fail(f"{dwhere}.code", f"duplicate document {dcode!r}")
            seen.add(dcode)
            condition = r.text(d, "condition", dwhere)
            if condition not in CONDITIONS:
                raise r.fail(
                    f"{dwhere}.condition",
                    f"unknown condition {condition!r}; one of {', '.join(CONDITIONS)}",
                )
            base = labels[dcode]
            docs.append(
                DocumentSpec(
                    dcode, base.label_kk, base.label_ru, condition, r.text(d, "item", dwhere)
                )
            )
        if not docs:
            raise r.fail(f"{where}.documents", "no documents")
        min_age = r.integer(t, "min_age", where, optional=True, default=0)
        max_age = r.integer(t, "max_age_exclusive", where, optional=True)
        if max_age is not None and max_age <= min_age:
            raise r.fail(f"{where}.max_age_exclusive", "must be greater than min_age")
        out[code] = InstitutionType(
            code=code,
            name_kk=r.text(t, "name_kk", where),
            name_ru=r.text(t, "name_ru", where),
            item=r.text(t, "item", where),
            documents=tuple(docs),
            min_age=min_age,
            max_age_exclusive=max_age,
            needs_representative=r.get(
                t, "needs_representative", where, bool, optional=True, default=False
            ),
        )
    missing = [c for c in INSTITUTION_CODES if c not in out]
    if missing:
        raise r.fail("institutions", f"missing institution types: {', '.join(missing)}")
    return out, labels


def _targets(r: TomlReader, t: dict[str, Any], where: str) -> dict[int, float]:
    """Item 20: ``targets = { 2008 = 96.2, … }`` — a target per year, at least one."""
    table = r.table(t, "targets", where)
    out: dict[int, float] = {}
    for key in table:
        if not (isinstance(key, str) and key.isdigit() and len(key) == 4):
            raise r.fail(f"{where}.targets", f"{key!r} is not a year")
        out[int(key)] = r.number(table, key, f"{where}.targets")
    if not out:
        raise r.fail(f"{where}.targets", "no target: give at least one year's")
    return dict(sorted(out.items()))


def read_indicators(directory: Path) -> tuple[tuple[Indicator, ...], dict[str, IndicatorGroup]]:
    r = TomlReader("indicators.toml")
    data = load_toml(directory, r.file)
    groups: dict[str, IndicatorGroup] = {}
    for no, where, g in r.named_tables(data, "groups"):
        groups[no] = IndicatorGroup(
            no,
            r.text(g, "title_kk", where),
            r.text(g, "title_ru", where),
            r.text(g, "title_en", where),
        )
    out: list[Indicator] = []
    seen: set[str] = set()
    for where, t in r.tables(data, "indicators", ""):
        no = r.text(t, "no", where)
        if no in seen:
            raise r.fail(f"{where}.no", f"duplicate indicator {no!r}")
        seen.add(no)
        group = r.text(t, "group", where)
        if group not in groups:
            raise r.fail(f"{where}.group", f"unknown group {group!r}")
        source = r.text(t, "source", where)
        if source not in SOURCES:
            raise r.fail(
                f"{where}.source", f"unknown source {source!r}; one of {', '.join(SOURCES)}"
            )
        direction = r.text(t, "direction", where)
        if direction not in DIRECTIONS:
            raise r.fail(
                f"{where}.direction",
                f"unknown direction {direction!r}; one of {', '.join(DIRECTIONS)}",
            )
        out.append(
            Indicator(
                no,
                group,
                r.text(t, "title_kk", where),
                r.text(t, "title_ru", where),
                r.text(t, "title_en", where),
                r.number(t, "normative", where),
                _targets(r, t, where),
                r.number(t, "reporting", where),
                source,
                direction,
            )
        )
    return tuple(out), groups


def read_pension_ages(directory: Path) -> tuple[PensionAgeStep, ...]:
    r = TomlReader("pension_ages.toml")
    data = load_toml(directory, r.file)
    out: list[PensionAgeStep] = []
    for sex in SEXES:
        previous: date | None = None
        for where, t in r.tables(data, sex, ""):
            step = PensionAgeStep(
                sex,
                r.day(t, "from", where),
                r.integer(t, "years", where),
                r.integer(t, "months", where),
            )
            if not 0 <= step.months < 12:
                raise r.fail(f"{where}.months", "months must be 0-11")
            if not 40 <= step.years <= 80:
                raise r.fail(f"{where}.years", "implausible pension age")
            if previous is not None and step.from_date <= previous:
                raise r.fail(f"{where}.from", "steps must be in increasing date order")
            previous = step.from_date
            out.append(step)
        if previous is None:
            raise r.fail(sex, "no pension age steps")
    return tuple(out)


def read_terms(directory: Path) -> tuple[Terms, ...]:
    r = TomlReader("terms.toml")
    data = load_toml(directory, r.file)
    out: list[Terms] = []
    for where, t in r.tables(data, "editions", ""):
        values: dict[str, int] = {}
        items: dict[str, str] = {}
        for name in TERM_NAMES:
            entry = r.table(t, name, where)
            value = r.integer(entry, "value", f"{where}.{name}")
            if value <= 0:
                raise r.fail(f"{where}.{name}.value", "must be positive")
            values[name] = value
            items[name] = r.text(entry, "item", f"{where}.{name}")
        for name in OPTIONAL_TERM_NAMES:
            if name not in t:
                continue  # the Terms default
            entry = r.table(t, name, where)
            value = r.integer(entry, "value", f"{where}.{name}")
            if value <= 0:
                raise r.fail(f"{where}.{name}.value", "must be positive")
            values[name] = value
            items[name] = r.text(entry, "item", f"{where}.{name}")
        edition = Terms(
            effective_from=r.day(t, "effective_from", where),
            items=items,
            source=r.text(t, "source", where, optional=True) or "",
            **values,
        )
        if out and edition.effective_from <= out[-1].effective_from:
            raise r.fail(f"{where}.effective_from", "editions must be in increasing date order")
        if edition.queue_warn_minutes >= edition.queue_max_minutes:
            raise r.fail(f"{where}.queue_warn_minutes", "must be less than queue_max_minutes")
        out.append(edition)
    if not out:
        raise r.fail("editions", "no editions")
    return tuple(out)


def read_calendar(directory: Path) -> CalendarOverrides:
    r = TomlReader("calendar.toml")
    data = load_toml(directory, r.file)
    extra: list[ExtraHoliday] = []
    working: list[date] = []
    for where, t in r.tables(data, "transfers", "", optional=True):
        day_off, work = r.day(t, "day_off", where), r.day(t, "working_day", where)
        r.text(t, "decree", where)
        if day_off.weekday() >= 5:
            raise r.fail(f"{where}.day_off", "a transferred day off falls on a weekday")
        if work.weekday() < 5:
            raise r.fail(f"{where}.working_day", "a transferred working day falls on a weekend")
        stamp = work.strftime("%d.%m.%Y")
        extra.append(
            ExtraHoliday(
                day_off,
                f"Демалыс күні ({stamp} бастап ауыстырылды)",
                f"Выходной день (перенесён с {stamp})",
                f"Day off (substituted from {stamp})",
            )
        )
        working.append(work)
    for where, t in r.tables(data, "holidays", "", optional=True):
        extra.append(
            ExtraHoliday(
                r.day(t, "date", where),
                r.text(t, "name_kk", where),
                r.text(t, "name_ru", where),
                r.text(t, "name_en", where, optional=True),
            )
        )
    for where, t in r.tables(data, "working_days", "", optional=True):
        working.append(r.day(t, "date", where))
        r.text(t, "reason", where)
    clash = {h.day for h in extra} & set(working)
    if clash:
        raise r.fail("working_days", f"a day is both a holiday and a working day: {min(clash)}")

    def str_table(key: str) -> dict[str, str]:
        table = r.table(data, key, "", optional=True)
        for k, v in table.items():
            if not isinstance(v, str) or not v.strip():
                raise r.fail(f"{key}.{k}", "expected non-empty text")
        return dict(table)

    return CalendarOverrides(
        tuple(extra), tuple(working), str_table("ru_names"), str_table("ru_labels")
    )
