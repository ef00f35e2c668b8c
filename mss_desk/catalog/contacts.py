"""What the applicant may be told about who serves and who hears a complaint (items 21-25).

The Department's card (Annex 1, item 24.1) and the Regional Department's (item 24.2) in one
shape, for the Information screen and ``mss-desk info --json``. Contacts are AS PRINTED in
the standard (phones, e-mail, website); names, addresses and reception hours in the
clerk's language. Pure: only the catalog's dataclasses, no database.
"""

from __future__ import annotations

from typing import Any

from mss_desk.catalog.model import Catalog, Department

__all__ = ["contact_card", "information"]


def contact_card(dept: Department, lang: str) -> dict[str, Any]:
    """One body's contacts: code, name, address, phones (list), email, website, reception."""
    return {
        "code": dept.code,
        "name": dept.name_for(lang),
        "address": dept.address_for(lang),
        "phones": list(dept.phones),
        "email": dept.email,  # as printed (item 24.1: Annex 1)
        "website": dept.website,
        "reception": dept.reception_for(lang),
    }


def information(catalog: Catalog, department_code: int, lang: str) -> dict[str, Any]:
    """``{"department": {...}, "regional": {...}}``: the Department of ``department_code``
    and the Regional Department (items 22, 24.2, 25: the next instance for a complaint)."""
    return {
        "department": contact_card(catalog.department(department_code), lang),
        "regional": contact_card(catalog.regional, lang),
    }
