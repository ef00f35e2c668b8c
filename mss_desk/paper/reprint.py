"""Glue between the core and paper: build paper data from the catalog and a case, reprint.

:func:`talon_data_for_case` is the one talon builder: ``services.printing`` uses it at intake,
on the case card and for ``mss-desk talon`` (issue 11, point 13). :func:`reprint_talon` is the
same talon for callers without the services' printing room. Everything here is
duck-typed on the catalog's ``Department``/``DocumentSpec``, the services' ``CaseDetail`` and
the config's ``Settings`` so the paper room imports neither the store nor the config.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mss_desk.clock import DEFAULT_TZ
from mss_desk.paper.data import DepartmentContact, PaperSettings, TalonData
from mss_desk.paper.errors import PaperError


def department_contact(dept: Any) -> DepartmentContact:
    """Annex 1 contact of a catalog ``Department`` as printed on paper."""
    return DepartmentContact(
        name_kk=dept.name_kk,
        name_ru=dept.name_ru,
        address=getattr(dept, "address_kk", None) or dept.address,
        phones=tuple(getattr(dept, "phones", ()) or ()),
        reception=_reception(dept),
        email=str(getattr(dept, "email", "") or ""),
        address_ru=str(getattr(dept, "address_ru", "") or ""),
    )


def _reception(dept: Any) -> str:
    """Reception hours in Kazakh with the Russian beside it, as the catalog gives them."""
    kk = getattr(dept, "reception_kk", None) or getattr(dept, "reception", None)
    ru = getattr(dept, "reception_ru", None)
    if kk and ru:
        return f"{kk} / {ru}"
    return kk or ru or DepartmentContact.reception


def paper_settings(settings: Any | None) -> PaperSettings:
    """PaperSettings from the desk's settings (``talon_layout``, ``paper_dir`` …)."""
    if settings is None:
        return PaperSettings()
    if isinstance(settings, PaperSettings):
        return settings
    out_dir = getattr(settings, "paper_dir", None) or getattr(settings, "out_dir", None)
    return PaperSettings(
        talon_layout=getattr(settings, "talon_layout", None) or "a6",
        font_path=getattr(settings, "font_path", None) or None,
        out_dir=Path(out_dir) if out_dir else None,
        print_command=getattr(settings, "print_command", None) or None,
    )


def talon_data_for_case(detail: Any, catalog: Any, tz_name: str = DEFAULT_TZ) -> TalonData:
    """Item 15 talon data of an accepted case (``CaseDetail``) with catalog labels."""
    if not detail.case_no or detail.accepted_at is None or detail.service_due is None:
        raise PaperError(
            f"case {detail.case_no or detail.id} was not accepted: no talon",
            key="paper.talon_not_accepted",
            case_no=str(detail.case_no or ""),
        )
    documents = tuple(
        (spec.label_kk, spec.label_ru)
        for spec in (catalog.document(line.code) for line in detail.documents if line.received)
    )
    return TalonData(
        case_no=str(detail.case_no),
        registered_at=detail.accepted_at,
        clerk_surname=detail.clerk_surname,
        clerk_name=detail.clerk_name,
        result_due=detail.service_due,  # item 7.1: the service deadline
        department=department_contact(catalog.department(detail.department_code)),
        applicant_name=detail.full_name,
        delivery_method="post" if detail.delivery_method == "post" else "in_person",
        documents=documents,
        postal_address=detail.postal_address or None,
        tz_name=tz_name,
        spouse_case_no=getattr(detail, "spouse_case_no", None) or None,  # item 6.1 couples
    )


def reprint_talon(services: Any, case_no: str, out: str | Path, settings: Any | None = None
                  ) -> Path:
    """Write the talon of ``case_no`` to ``out`` (0600, atomic) without printing it."""
    from mss_desk.paper.talon import print_talon

    detail = services.cases.get(case_no)  # NotFound for an unknown case
    tz = getattr(settings, "timezone", None) or DEFAULT_TZ
    data = talon_data_for_case(detail, services.catalog, tz)
    return print_talon(data, paper_settings(settings), out=Path(out), send=False).path
