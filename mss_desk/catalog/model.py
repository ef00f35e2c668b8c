"""The reference data's shapes: frozen dataclasses and the closed vocabularies they use.

Only the standard library: screens and rules import these at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

__all__ = [
    "CONDITIONS",
    "DIRECTIONS",
    "INSTITUTION_CODES",
    "SEXES",
    "SOURCES",
    "TERM_NAMES",
    "Akimat",
    "OPTIONAL_TERM_NAMES",
    "CalendarOverrides",
    "Catalog",
    "Department",
    "DocumentSpec",
    "ExtraHoliday",
    "Indicator",
    "IndicatorGroup",
    "InstitutionType",
    "PensionAgeStep",
    "Sex",
    "Terms",
]

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
DIRECTIONS: tuple[str, ...] = ("higher", "lower")  # Annex 2: which way is better
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
# Terms an edition may leave out (added after the first edition was written): the default of
# :class:`Terms` applies then.
OPTIONAL_TERM_NAMES: tuple[str, ...] = ("queue_handover_minutes",)

Sex = Literal["male", "female"]


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
    # English of the standard's translation, for an English UI (None: shown in Russian)
    district_en: str | None = None
    name_en: str | None = None
    address_en: str | None = None
    reception_en: str | None = None

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

    def name_for(self, lang: str) -> str:
        """The name in ``lang`` (kk, ru or en; English falls back to Russian)."""
        return _pick(lang, self.name_kk, self.name_ru, self.name_en)

    def address_for(self, lang: str) -> str:
        return _pick(lang, self.address_kk, self.address_ru, self.address_en)

    def reception_for(self, lang: str) -> str:
        return _pick(lang, self.reception_kk, self.reception_ru, self.reception_en)


def _pick(lang: str, kk: str, ru: str, en: str | None) -> str:
    if lang == "en":
        return en or ru
    return ru if lang == "ru" else kk


@dataclass(frozen=True)
class Akimat:
    """Item 24.3: the Akimat of Akmola region, the higher organisation (as printed)."""

    name_kk: str
    name_ru: str
    name_en: str
    address_kk: str
    address_ru: str
    address_en: str
    website: str

    def name_for(self, lang: str) -> str:
        return _pick(lang, self.name_kk, self.name_ru, self.name_en)

    def address_for(self, lang: str) -> str:
        return _pick(lang, self.address_kk, self.address_ru, self.address_en)


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
    """An Annex 2 indicator: its direction and its targets by year (item 20)."""

    no: str
    group: str
    title_kk: str
    title_ru: str
    title_en: str
    normative: float
    targets: Mapping[int, float]  # year -> target value (item 20: set every year)
    reporting: float
    source: str
    direction: str = "higher"  # "lower": less is better (4.1, justified complaints)

    @property
    def target(self) -> float:
        """The latest year's target."""
        return self.targets[max(self.targets)]

    def target_for(self, year: int) -> tuple[int, float]:
        """(year, value): the target of ``year``, else of the latest year before it (the
        earliest known when ``year`` precedes them all). Item 20."""
        known = sorted(self.targets)
        chosen = known[0]
        for y in known:
            if y <= year:
                chosen = y
        return chosen, self.targets[chosen]

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
    # issue 12.7 (Decision): a ticket called and left unfinished this long ago is offered
    # to every clerk's queue screen, not only to the clerk who called it
    queue_handover_minutes: int = 30
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
    akimat: Akimat | None = None  # item 24.3

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
