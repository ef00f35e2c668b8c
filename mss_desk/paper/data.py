"""What goes on paper: plain frozen dataclasses, no ReportLab.

The core builds these from the catalog (Annex 1 departments, item 12 documents) and the
services; the renderers in this package only draw them. Importing this module is cheap, so
the app may build paper data without paying for ReportLab until something is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from mss_desk.clock import DEFAULT_TZ
from mss_desk.vocabulary import DELIVERY_METHODS, PURPOSES

# The service's name, item 1 (Kazakh as in the standard) and its Russian name.
SERVICE_NAME_KK = (
    "Мемлекеттік және мемлекеттік емес медициналық-әлеуметтік мекемелерде әлеуметтік "
    "қызмет көрсетуге арналған құжаттарды ресімдеу"
)
SERVICE_NAME_RU = (
    "Оформление документов на социальное обслуживание в государственных и "
    "негосударственных медико-социальных учреждениях"
)

TalonLayout = Literal["a6", "roll80"]
DeliveryMethod = Literal["in_person", "post"]
Purpose = Literal["submit", "collect", "consult"]
Bilingual = tuple[str, str]  # (Kazakh, Russian)

TALON_LAYOUTS: tuple[str, ...] = ("a6", "roll80")


def _check_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


@dataclass(frozen=True)
class DepartmentContact:
    """A Department (Annex 1) as it appears on paper: name, address, phones, hours."""

    name_kk: str
    name_ru: str
    address: str
    phones: tuple[str, ...] = ()
    # Annex 1 / item 10: every Department receives 09:00–18:00 with a break 13:00–14:00.
    reception: str = "09:00–18:00 (үзіліс / перерыв 13:00–14:00)"
    email: str = ""  # as printed in Annex 1 / item 24.2
    address_ru: str = ""

    @property
    def phone_text(self) -> str:
        return ", ".join(self.phones)


@dataclass(frozen=True)
class TalonData:
    """Item 15: the talon confirming that the complete set of documents was registered."""

    case_no: str
    registered_at: datetime  # aware; shown in the Department's time zone
    clerk_surname: str
    clerk_name: str
    result_due: date  # the service deadline (item 7.1), the "date of issue" of item 15
    department: DepartmentContact
    applicant_name: str
    delivery_method: DeliveryMethod
    documents: tuple[Bilingual, ...]
    postal_address: str | None = None
    tz_name: str = DEFAULT_TZ
    service_name: Bilingual = (SERVICE_NAME_KK, SERVICE_NAME_RU)
    spouse_case_no: str | None = None  # item 6.1, married couples: the spouse's linked case

    def __post_init__(self) -> None:
        _check_aware("registered_at", self.registered_at)
        if self.delivery_method not in DELIVERY_METHODS:
            raise ValueError(f"delivery_method must be one of {DELIVERY_METHODS}")
        object.__setattr__(self, "documents", tuple(tuple(d) for d in self.documents))


@dataclass(frozen=True)
class TicketSlipData:
    """Items 7.2, 7.3, 10: the queue ticket with the 40-minute promise."""

    number: str
    purpose: Purpose
    issued_at: datetime
    department: DepartmentContact
    max_wait_minutes: int | None = 40  # None for `consult` (no limit)
    ahead: int | None = None  # people waiting before this one, when known
    tz_name: str = DEFAULT_TZ

    def __post_init__(self) -> None:
        _check_aware("issued_at", self.issued_at)
        if self.purpose not in PURPOSES:
            raise ValueError(f"purpose must be one of {PURPOSES}")


@dataclass(frozen=True)
class MissingSlipData:
    """Item 17 / SPEC "Case lifecycle": the list of missing documents, where to bring them."""

    issued_at: datetime
    missing: tuple[Bilingual, ...]  # labels as in item 12 (Kazakh) and Russian
    department: DepartmentContact
    applicant_name: str | None = None
    institution: Bilingual | None = None  # institution type name (kk, ru)
    clerk_surname: str = ""
    clerk_name: str = ""
    tz_name: str = DEFAULT_TZ

    def __post_init__(self) -> None:
        _check_aware("issued_at", self.issued_at)
        object.__setattr__(self, "missing", tuple(tuple(d) for d in self.missing))


@dataclass(frozen=True)
class ComplaintTalonData:
    """Item 23: acceptance of a complaint, when and where the answer is given, whom to ask."""

    complaint_no: str
    accepted_at: datetime
    answer_due: date
    answer_place: str  # where the answer is received (address, room)
    official_name: str  # the official to ask about progress
    official_phone: str
    department: DepartmentContact
    official_position: str | None = None
    accepted_by: str | None = None  # surname and name of the clerk who took it
    applicant_name: str | None = None
    case_no: str | None = None
    tz_name: str = DEFAULT_TZ
    accepted_by_position: str | None = None  # item 23: the position of who took it (kk / ru)
    answer_place_ru: str | None = None  # the place in Russian, beside the Kazakh
    answer_how: tuple[str, str] | None = None  # how the answer is given (kk, ru)
    regional: DepartmentContact | None = None  # items 22, 24.2: the next instance

    def __post_init__(self) -> None:
        _check_aware("accepted_at", self.accepted_at)


@dataclass(frozen=True)
class PostalNoticeData:
    """Item 16: the postal notice that the result is ready (A4)."""

    case_no: str
    applicant_name: str
    postal_address: str
    notice_date: date
    department: DepartmentContact
    collect_until: date | None = None  # after this the result goes to safekeeping (18.6)
    clerk_surname: str = ""
    clerk_name: str = ""
    service_name: Bilingual = (SERVICE_NAME_KK, SERVICE_NAME_RU)


@dataclass(frozen=True)
class ConsultSlipData:
    """Item 12 (issue 11.12): what to bring, for a consultation visitor — the checklist of an
    institution type and an applicant category, the Department's contacts and the service
    term (item 7.1). Nothing about the person: no name, no IIN, nothing stored."""

    issued_at: datetime
    department: DepartmentContact
    institution: Bilingual  # the institution type's name (kk, ru)
    categories: tuple[Bilingual, ...]  # the categories chosen; () = the basic list
    documents: tuple[Bilingual, ...]  # item 12, in the standard's order
    service_days: int = 15  # item 7.1, the term in force on the day
    tz_name: str = DEFAULT_TZ

    def __post_init__(self) -> None:
        _check_aware("issued_at", self.issued_at)
        object.__setattr__(self, "categories", tuple(tuple(c) for c in self.categories))
        object.__setattr__(self, "documents", tuple(tuple(d) for d in self.documents))


@dataclass(frozen=True)
class FormField:
    """One field of the blank application form: a line to write on, or boxes to tick."""

    label: Bilingual
    options: tuple[Bilingual, ...] = ()  # () = a line to write on

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(tuple(o) for o in self.options))


@dataclass(frozen=True)
class FormSection:
    title: Bilingual
    rows: tuple[tuple[FormField, ...], ...]  # the lines of a row stand side by side


@dataclass(frozen=True)
class BlankFormData:
    """Item 13 (issue 11.12): the Department's application form, blank, with the fields of
    the intake form — for a visitor to fill in at home."""

    department: DepartmentContact
    sections: tuple[FormSection, ...]
    service_name: Bilingual = (SERVICE_NAME_KK, SERVICE_NAME_RU)


MAX_PRINT_TIMEOUT = 600.0  # seconds: a print job never runs longer


@dataclass(frozen=True)
class AuditLine:
    """Issue 15, item 6: the audit chain's head on paper, its anchor outside the database.

    ``head`` is the hash the chain ended in after ``events`` events when the paper was
    made, or None when the chain was already broken (never anchored; the paper says so).
    Printed whole, in groups of eight: ``mss-desk audit verify --expect-head`` takes it
    back as read off the paper (a shortened head could be forged by trying hashes).
    """

    events: int
    head: str | None

    def lines(self) -> tuple[str, str]:
        """Two short bilingual lines (kk / ru) that fit the narrowest paper (A4 portrait)."""
        if self.head is None:
            return (
                "Аудит журналы / Журнал аудита: тізбек үзілген / цепочка нарушена",
                "Әкімшіге хабарлаңыз / Сообщите администратору: mss-desk audit verify",
            )
        groups = " ".join(self.head[i : i + 8] for i in range(0, len(self.head), 8))
        return (
            f"Аудит журналы / Журнал аудита: оқиғалар саны / событий: {self.events}",
            f"Тізбек басы / Вершина цепочки: {groups}",
        )


@dataclass(frozen=True)
class PaperSettings:
    """Paper settings (the config room fills them from the settings file)."""

    talon_layout: TalonLayout = "a6"
    font_path: str | None = None  # a TTF that covers Kazakh; None = bundled Source Sans Pro
    out_dir: Path | None = None  # None = mss_desk.locations.paper_dir()
    print_command: str | None = None  # e.g. "lp -d talon"; the PDF path is appended
    print_timeout: float = 30.0
    slip_layout: TalonLayout | None = None  # ticket / missing / complaint; None = talon_layout

    def __post_init__(self) -> None:
        if self.talon_layout not in TALON_LAYOUTS:
            raise ValueError(f"talon_layout must be one of {TALON_LAYOUTS}")
        if self.slip_layout is not None and self.slip_layout not in TALON_LAYOUTS:
            raise ValueError(f"slip_layout must be one of {TALON_LAYOUTS}")
        if not 0 < self.print_timeout <= MAX_PRINT_TIMEOUT:  # NaN and infinity fail too
            # issue 15, item 7: a print job is bounded
            raise ValueError(f"print_timeout must be in (0, {MAX_PRINT_TIMEOUT:g}] seconds")
        if self.out_dir is not None and not isinstance(self.out_dir, Path):
            object.__setattr__(self, "out_dir", Path(self.out_dir))

    @property
    def slips(self) -> TalonLayout:
        return self.slip_layout or self.talon_layout


__all__ = [
    "SERVICE_NAME_KK",
    "SERVICE_NAME_RU",
    "BlankFormData",
    "ComplaintTalonData",
    "ConsultSlipData",
    "DepartmentContact",
    "FormField",
    "FormSection",
    "MissingSlipData",
    "PaperSettings",
    "PostalNoticeData",
    "TalonData",
    "TicketSlipData",
]
