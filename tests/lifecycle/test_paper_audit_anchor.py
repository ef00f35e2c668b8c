"""Issue 15, item 6: the audit head on the day's register and the indicators report.

The paper is the anchor outside the database: its head, read back into
``mss-desk audit verify --expect-head``, catches a chain cut or recomputed later.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from pypdf import PdfReader

from mss_desk.paper.data import AuditLine
from mss_desk.paper.register import render_register
from mss_desk.paper.report import render_report
from mss_desk.services import Services
from mss_desk.store import audit
from tests.conftest import DEPT

HEAD = "0123456789abcdef" * 4


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_audit_line_says_count_and_the_whole_head() -> None:
    first, second = AuditLine(80, HEAD).lines()
    assert "80" in first and "Аудит журналы" in first and "Журнал аудита" in first
    assert audit.normalise_head(second.split(": ", 1)[1]) == HEAD  # read back as printed
    broken = " ".join(AuditLine(0, None).lines())
    assert "үзілген" in broken and "нарушена" in broken


def test_register_and_report_print_the_head_on_every_page() -> None:
    from tests.lifecycle.test_paper_lifecycle import _register, _report

    line = AuditLine(80, HEAD)
    for pdf in (
        render_register(replace(_register(40), audit=line)),
        render_report(replace(_report(None), audit=line)),
    ):
        pages = PdfReader(io.BytesIO(pdf)).pages
        assert len(pages) >= 2
        for page in pages:
            text = " ".join((page.extract_text() or "").split())
            assert "01234567 89abcdef" in text and "событий: 80" in text
    assert "Журнал аудита" not in _text(render_register(_register(2)))  # none given: none


def test_the_service_puts_the_verified_head_on_register_and_report(
    services: Services, clerk: Any
) -> None:
    from tests.lifecycle.conftest import CaseFactory

    printing = services.printing
    head = services.clerks.create(DEPT, "bakyt", "Жұмабаев", "Бақыт", "secret pass 1", "head")
    no = CaseFactory(services).case("2026-03-02 09:00")
    assert no is not None
    register = services.lifecycle.forward([no], head.id, date(2026, 3, 2))
    data = printing.register_data(register, clerk=head)
    anchor = audit.anchor(services.engine)
    assert anchor is not None and anchor.events > 0
    assert data.audit == AuditLine(anchor.events, anchor.head)
    report = services.reports.indicators(date(2026, 3, 1), date(2026, 3, 31))
    assert printing.report_data(report).audit == AuditLine(anchor.events, anchor.head)


def test_a_broken_chain_is_printed_as_broken(services: Services, clerk: Any) -> None:
    services.queue.issue("submit")
    engine = services.engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_change ON audit_events")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
        conn.execute(sa.text("UPDATE audit_events SET detail = 'forged'"))
    assert services.printing.audit_line() == AuditLine(0, None)
