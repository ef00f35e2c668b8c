"""A clerk's desk as a (forked) process, for the kill -9 and full-disk tests.

:func:`work` loops: save a draft, issue a ticket, submit the draft as an accepted case.
After each call returns it writes one line and flushes — that line is what the clerk saw
acknowledged on screen:

    D <draft_id> <serial>      a draft saved (the form being typed)
    T <purpose> <seq> <number> a ticket issued
    C <case_no> <serial>       a case accepted (its draft consumed in the same transaction)

:func:`fill` caps the file size (RLIMIT_FSIZE, SIGXFSZ ignored) and tries to save a large
draft; writes the error key and the Kazakh message as JSON.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from tests.conftest import ELDERLY_DOCS

AT = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # Monday 10:00 in Almaty: the office is open
BORN = date(1950, 5, 1)
DEPT = 19


def services_for(url: str) -> Any:
    from mss_desk.catalog import load_catalog
    from mss_desk.clock import FixedClock
    from mss_desk.services import Services
    from mss_desk.store.engine import make_engine

    return Services(make_engine(url), FixedClock(AT), load_catalog())


def born_of(serial: int) -> date:
    return date.fromordinal(BORN.toordinal() + serial // 100)


def iin_of(serial: int) -> str:
    """A unique valid IIN per serial: the birth date carries serial // 100, the IIN's own
    serial 10 × (serial % 100) + 1 (make_iin skips at most a few invalid ones)."""
    from mss_desk.rules.iin import make_iin

    return make_iin(born_of(serial), "female", 10 * (serial % 100) + 1)


def form(serial: int) -> Any:
    from mss_desk.services.views import IntakeForm

    return IntakeForm(
        iin=iin_of(serial),
        surname="Әлиева",
        name="Гүлнар",
        birth_date=born_of(serial),
        sex="female",
        institution="elderly_general",
        relatives="no_relatives",
    )


def draft_data(serial: int) -> dict[str, Any]:
    received = list(ELDERLY_DOCS)
    return {"step": "checklist", "serial": serial, "surname": "Әлиева", "received": received}


def work(svc: Any, worker: int, ops: int, clerk_id: int, out: Any) -> None:
    """Loop: draft, ticket, case; one flushed line after each call returns."""
    for i in range(ops):
        serial = worker * 100 + i
        draft_id = svc.intake.save_draft(None, draft_data(serial), clerk_id)
        out.write(f"D {draft_id} {serial}\n")
        out.flush()
        purpose = ("submit", "collect")[i % 2]
        ticket = svc.queue.issue(purpose)
        out.write(f"T {ticket.purpose} {ticket.seq} {ticket.number}\n")
        out.flush()
        result = svc.intake.submit(form(serial), set(ELDERLY_DOCS), clerk_id, None, draft_id)
        out.write(f"C {result.case_no} {serial}\n")
        out.flush()


def fill(svc: Any, limit: int, out: Any) -> None:
    """Cap the file size, then try to save a ~2 MB form twice; print what the clerk sees."""
    import resource
    import signal

    from mss_desk.errors import StorageError
    from mss_desk.i18n import t

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    big = {"notes": "Қасымқызы " * 200_000}
    for _ in range(2):  # the clerk presses "save" again: still "not saved", no traceback
        try:
            svc.intake.save_draft(None, big, None)
            line = {"saved": True}
        except StorageError as exc:
            line = {"key": exc.key, "kk": t(exc.key, "kk"), "type": type(exc).__name__}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
