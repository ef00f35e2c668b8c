"""Paper: everything an applicant takes home, in Kazakh with Russian beside it (ReportLab).

Importing this package is cheap: the data classes and errors come without ReportLab; the
renderers (``print_talon`` …) import their modules, and ReportLab, on first use.
"""

from __future__ import annotations

from typing import Any

from mss_desk.paper.data import (
    SERVICE_NAME_KK,
    SERVICE_NAME_RU,
    ComplaintTalonData,
    DepartmentContact,
    MissingSlipData,
    PaperSettings,
    PostalNoticeData,
    TalonData,
    TicketSlipData,
)
from mss_desk.paper.errors import FontError, PaperError, PrintError

_LAZY = {
    "print_talon": "mss_desk.paper.talon",
    "render_talon": "mss_desk.paper.talon",
    "warm_up": "mss_desk.paper.talon",
    "print_ticket": "mss_desk.paper.slips",
    "render_ticket": "mss_desk.paper.slips",
    "print_missing": "mss_desk.paper.slips",
    "render_missing": "mss_desk.paper.slips",
    "print_complaint_talon": "mss_desk.paper.slips",
    "render_complaint_talon": "mss_desk.paper.slips",
    "print_consult_slip": "mss_desk.paper.consult",
    "render_consult_slip": "mss_desk.paper.consult",
    "print_blank_form": "mss_desk.paper.consult",
    "render_blank_form": "mss_desk.paper.consult",
    "print_postal_notice": "mss_desk.paper.notice",
    "render_postal_notice": "mss_desk.paper.notice",
    "check_font": "mss_desk.paper.fonts",
    "reprint_talon": "mss_desk.paper.reprint",
    "talon_data_for_case": "mss_desk.paper.reprint",
    "department_contact": "mss_desk.paper.reprint",
    "paper_settings": "mss_desk.paper.reprint",
    "PrintResult": "mss_desk.paper.printing",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mss_desk.paper' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "SERVICE_NAME_KK",
    "SERVICE_NAME_RU",
    "ComplaintTalonData",
    "DepartmentContact",
    "FontError",
    "MissingSlipData",
    "PaperError",
    "PaperSettings",
    "PostalNoticeData",
    "PrintError",
    "TalonData",
    "TicketSlipData",
    *_LAZY,
]
