"""Annex 2 (issue 11 point 7): the report screen judges each indicator by its direction.

4.1 (justified complaints) is lower-is-better: 0 against a target of 0.1 is good, not red.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from screens.report import ReportScreen
from tests.tui.test_snapshots_lifecycle import open_screen


def _value_style(body: Content, no: str) -> str:
    text = body.plain
    start = text.index(f"\n{no}  ") + 1 + len(f"{no}  ") if not text.startswith(no) else 5
    styles = [str(span.style) for span in body.spans if span.start <= start < span.end]
    return " ".join(styles)


async def test_annex_2_indicator_4_1_at_zero_is_not_red(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot, ReportScreen())
        rep = screen.report
        assert rep.row("4.1").value == 0.0 and rep.row("4.1").meets is True
        assert rep.row("5.1").value == 0.0 and rep.row("5.1").meets is False
        body = screen.query_one("#report-body", Static).content
        assert isinstance(body, Content)
        assert "$error" not in _value_style(body, "4.1")  # lower is better: met
        assert "$error" in _value_style(body, "5.1")  # higher is better: missed
        assert "(lower is better)" in body.plain
        assert "Targets of 2008 (item 20)" in body.plain
