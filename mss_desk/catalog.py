"""Reference data (``data/*.toml``) loaded and validated into frozen dataclasses.

The regulation is data (SPEC.md): Departments (Annex 1), institution types and their
documents (items 6, 12), indicators (Annex 2), pension ages, terms (items 5, 7, 18.6, 23)
and calendar overrides. Everything is checked at load; a broken file raises
:class:`~mss_desk.errors.CatalogError` naming the file, the key and the reason — never a raw
traceback. Only the standard library is imported here: start-up time matters.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

from mss_desk.errors import CatalogError

CONDITIONS: tuple[str, ...] = (
    "always",
    "pension_age",
    "wwii",
    "disabled",
    "council_exception",
    "declared_incapable",
)
INSTITUTION_CODES: tuple[str, ...] = (
    "elderly_general",
    "children_psychoneuro",
    "adult_psychoneuro",
)
SOURCES: tuple[str, ...] = ("computed", "survey", "entered")
SEXES: tuple[str, ...] = ("male", "female")
TERM_NAMES: tuple[str, ...] = (
    "service_days",
    "forward_days",
    "decision_working_days",
    "queue_max_minutes",
    "queue_warn_minutes",
    "safekeeping_days",
    "complaint_answer_days",
)

Sex = Literal["male", "female"]
T = TypeVar("T")


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class Department:
    """A Department of Annex 1 (codes 1-19) or the Regional Department (item 24.2, code 0).

    Contact fields are AS PRINTED in the standard; ``*_likely`` holds the likely reading
    where the scan garbled them (None where the print is fine).
    """

    code: int
    district_kk: str
    district_ru: str
    name_kk: str
    name_ru: str
    address_kk: str
    address_ru: str
    phones: tuple[str, ...]
    email: str
    website: str
    reception_kk: str
    reception_ru: str
    phones_printed: str | None = None
    email_likely: str | None = None
    website_likely: str | None = None
    address_likely: str | None = None

    @property
    def address(self) -> str:
        return self.address_kk

    @property
    def reception(self) -> str:
        return self.reception_kk

    @property
    def best_email(self) -> str:
        """What to print or write to: the likely reading when the print is garbled."""
        return self.email_likely or self.email

    @property
    def best_website(self) -> str:
        return self.website_likely or self.website

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_kk

    def address_in(self, lang: str) -> str:
        return self.address_ru if lang == "ru" else self.address_kk


@dataclass(frozen=True)
class DocumentSpec:
    code: str
    label_kk: str
    label_ru: str
    condition: str = "always"
    item: str = "12"

    def label(self, lang: str) -> str:
        return self.label_ru if lang == "ru" else self.label_kk


@dataclass(frozen=True)
class InstitutionType:
    code: str
    name_kk: str
    name_ru: str
    item: str
    documents: tuple[DocumentSpec, ...]
    min_age: int = 0
    max_age_exclusive: int | None = None
    needs_representative: bool = False

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_kk


@dataclass(frozen=True)
class IndicatorGroup:
    no: str
    title_kk: str
    title_ru: str
    title_en: str


@dataclass(frozen=True)
class Indicator:
    no: str
    group: str
    title_kk: str
    title_ru: str
    title_en: str
    normative: float
    target: float
    reporting: float
    source: str

    def title(self, lang: str) -> str:
        return {"kk": self.title_kk, "ru": self.title_ru}.get(lang, self.title_en)


@dataclass(frozen=True)
class PensionAgeStep:
    sex: str
    from_date: date
    years: int
    months: int

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months


@dataclass(frozen=True)
class Terms:
    """One edition of the regulation's terms; ``items`` says where each comes from."""

    effective_from: date
    service_days: int = 15  # item 7.1: calendar days
    forward_days: int = 10  # item 5 (Decision: calendar days)
    decision_working_days: int = 10  # item 5: working days
    queue_max_minutes: int = 40  # items 7.2, 7.3
    queue_warn_minutes: int = 30  # Decision
    safekeeping_days: int = 30  # item 18.6 (Decision: default 30)
    complaint_answer_days: int = 15  # item 23 (Decision)
    items: Mapping[str, str] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class ExtraHoliday:
    day: date
    name_kk: str
    name_ru: str
    name_en: str | None = None


@dataclass(frozen=True)
class CalendarOverrides:
    """Decreed transfers and Russian names on top of the ``holidays`` package."""

    extra_holidays: tuple[ExtraHoliday, ...] = ()
    working_days: tuple[date, ...] = ()
    ru_names: Mapping[str, str] = field(default_factory=dict)
    ru_labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalog:
    departments: Mapping[int, Department]
    regional: Department
    institutions: Mapping[str, InstitutionType]
    documents: Mapping[str, DocumentSpec]
    indicators: tuple[Indicator, ...]
    indicator_groups: Mapping[str, IndicatorGroup]
    pension_steps: tuple[PensionAgeStep, ...]
    term_editions: tuple[Terms, ...]
    calendar_overrides: CalendarOverrides
    path: Path

    def department(self, code: int) -> Department:
        if code == 0:
            return self.regional
        return self.departments[code]

    def institution(self, code: str) -> InstitutionType:
        return self.institutions[code]

    def document(self, code: str) -> DocumentSpec:
        """Labels of a document (the same in every institution type); condition 'always'."""
        return self.documents[code]

    def indicator(self, no: str) -> Indicator:
        for ind in self.indicators:
            if ind.no == no:
                return ind
        raise KeyError(no)

    def pension_age(self, sex: str, on: date) -> tuple[int, int]:
        """Pension age (years, months) in force for ``sex`` on ``on``."""
        step = self._pension_step(sex, on)
        return (step.years, step.months)

    def pension_age_months(self, sex: str, on: date) -> int:
        return self._pension_step(sex, on).total_months

    def _pension_step(self, sex: str, on: date) -> PensionAgeStep:
        steps = [s for s in self.pension_steps if s.sex == sex]
        if not steps:
            raise KeyError(sex)
        current = steps[0]  # before the first step: the earliest rule known
        for step in steps:
            if step.from_date <= on:
                current = step
        return current

    def terms(self, on: date) -> Terms:
        """The terms in force on ``on`` (a case keeps those of its acceptance date)."""
        current = self.term_editions[0]
        for edition in self.term_editions:
            if edition.effective_from <= on:
                current = edition
        return current


# --------------------------------------------------------------------------- validation


class _Reader:
    """Typed access to one TOML file's tables, raising CatalogError with file and key."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, reason: str) -> CatalogError:
        return CatalogError(self.file, where, reason)

    def get(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        kind: type[T] | tuple[type, ...],
        *,
        optional: bool = False,
        default: Any = None,
    ) -> Any:
        full = f"{where}.{key}" if where else key
        if key not in table:
            if optional:
                return default
            raise self.fail(full, "missing key")
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python; never accept it where a number is wanted (and vice versa)
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(full, f"expected {_kind_name(kinds)}, got bool")
        if not isinstance(value, kinds):
            raise self.fail(full, f"expected {_kind_name(kinds)}, got {type(value).__name__}")
        if isinstance(value, str) and not value.strip() and str in kinds:
            raise self.fail(full, "empty text")
        return value

    def text(
        self, table: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> Any:
        return self.get(table, key, where, str, optional=optional)

    def integer(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        *,
        optional: bool = False,
        default: int | None = None,
    ) -> Any:
        return self.get(table, key, where, int, optional=optional, default=default)

    def number(self, table: Mapping[str, Any], key: str, where: str) -> float:
        return float(self.get(table, key, where, (int, float)))

    def day(self, table: Mapping[str, Any], key: str, where: str) -> date:
        value = self.get(table, key, where, date)
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise self.fail(f"{where}.{key}", "expected a date (YYYY-MM-DD)")
        return value

    def table(
        self, table: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> Any:
        return self.get(table, key, where, dict, optional=optional, default={})

    def array(
        self, table: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> Any:
        return self.get(table, key, where, list, optional=optional, default=[])

    def tables(
        self, table: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> list[tuple[str, dict[str, Any]]]:
        items = self.array(table, key, where, optional=optional)
        out = []
        for i, item in enumerate(items):
            here = f"{where}.{key}[{i}]" if where else f"{key}[{i}]"
            if not isinstance(item, dict):
                raise self.fail(here, f"expected a table, got {type(item).__name__}")
            out.append((here, item))
        return out

    def strings(self, table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        items = self.array(table, key, where)
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{where}.{key}[{i}]", "expected non-empty text")
        return tuple(items)


def _kind_name(kinds: tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "integer",
        float: "number",
        bool: "true/false",
        dict: "table",
        list: "array",
        date: "date",
    }
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _load_toml(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CatalogError(name, "-", f"file not found in {directory}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(name, "-", f"not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(name, "-", f"cannot read: {exc}") from None


def _department(r: _Reader, t: dict[str, Any], where: str) -> Department:
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
    )


def _departments(directory: Path) -> tuple[dict[int, Department], Department]:
    r = _Reader("departments.toml")
    data = _load_toml(directory, r.file)
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


def _institutions(directory: Path) -> tuple[dict[str, InstitutionType], dict[str, DocumentSpec]]:
    r = _Reader("institutions.toml")
    data = _load_toml(directory, r.file)
    labels: dict[str, DocumentSpec] = {}
    for code, t in r.table(data, "documents", "").items():
        where = f"documents.{code}"
        if not isinstance(t, dict):
            raise r.fail(where, "expected a table")
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


def _indicators(directory: Path) -> tuple[tuple[Indicator, ...], dict[str, IndicatorGroup]]:
    r = _Reader("indicators.toml")
    data = _load_toml(directory, r.file)
    groups: dict[str, IndicatorGroup] = {}
    for no, g in r.table(data, "groups", "").items():
        where = f"groups.{no}"
        if not isinstance(g, dict):
            raise r.fail(where, "expected a table")
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
        out.append(
            Indicator(
                no,
                group,
                r.text(t, "title_kk", where),
                r.text(t, "title_ru", where),
                r.text(t, "title_en", where),
                r.number(t, "normative", where),
                r.number(t, "target", where),
                r.number(t, "reporting", where),
                source,
            )
        )
    return tuple(out), groups


def _pension_ages(directory: Path) -> tuple[PensionAgeStep, ...]:
    r = _Reader("pension_ages.toml")
    data = _load_toml(directory, r.file)
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


def _terms(directory: Path) -> tuple[Terms, ...]:
    r = _Reader("terms.toml")
    data = _load_toml(directory, r.file)
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


def _calendar(directory: Path) -> CalendarOverrides:
    r = _Reader("calendar.toml")
    data = _load_toml(directory, r.file)
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


def _build(directory: Path) -> Catalog:
    departments, regional = _departments(directory)
    institutions, documents = _institutions(directory)
    indicators, groups = _indicators(directory)
    return Catalog(
        departments=departments,
        regional=regional,
        institutions=institutions,
        documents=documents,
        indicators=indicators,
        indicator_groups=groups,
        pension_steps=_pension_ages(directory),
        term_editions=_terms(directory),
        calendar_overrides=_calendar(directory),
        path=directory,
    )


@lru_cache(maxsize=8)
def _cached(directory: Path) -> Catalog:
    return _build(directory)


def load_catalog(path: Path | str | None = None) -> Catalog:
    """Load and validate the reference data (cached per directory).

    ``path`` defaults to :func:`mss_desk.locations.reference_data_dir`.
    """
    if path is None:
        from mss_desk.locations import reference_data_dir

        path = reference_data_dir()
    return _cached(Path(path).resolve())


def clear_cache() -> None:
    """Forget loaded catalogs (tests that rewrite a data directory)."""
    _cached.cache_clear()


__all__: list[str] = [
    "Catalog",
    "CalendarOverrides",
    "Department",
    "DocumentSpec",
    "ExtraHoliday",
    "Indicator",
    "IndicatorGroup",
    "InstitutionType",
    "PensionAgeStep",
    "Terms",
    "load_catalog",
    "clear_cache",
    "CONDITIONS",
]
