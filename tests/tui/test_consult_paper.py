"""Issue 11 point 12 on screen: paper for a consultation visitor, from the Information screen.

The clerk chooses the type and the categories; the documents required are shown (the
intake's checklist) and printed on Ctrl+S, the blank form on Ctrl+F — never on a single key —
and nothing about the person is stored (every table keeps its rows).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Checkbox, Static

from tests.paper.conftest import pdf_text
from tests.services.test_consult_paper import rows
from tests.tui.conftest import login
from tests.tui.test_snapshots_shell import settle


def _docs(app: Any) -> str:
    return str(app.screen.query_one("#consult-docs", Static).render())


async def _open(pilot: Any) -> None:
    await login(pilot)
    await pilot.press("i")
    await pilot.pause()
    await pilot.press("d")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "ConsultPaperScreen"


async def test_issue_11_12_consult_paper_printed_on_a_chord_and_nothing_stored(
    make_app: Any, ready_db: Any, desk_settings: Any
) -> None:
    paper = Path(desk_settings.paper_dir)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        before = rows(ready_db.engine)
        assert "Documents to bring (item 12): 7" in _docs(app)  # elderly, the basic list
        app.screen.query_one("#cat-disabled", Checkbox).focus()
        await pilot.press("space")
        await pilot.pause()
        docs = _docs(app)
        assert "Documents to bring (item 12): 9" in docs
        assert "rehabilitation" in docs.lower()
        # a type without that category hides it: the children's list is its own
        await pilot.press("s", "p", "f")  # single keys print nothing
        await app.workers.wait_for_complete()
        assert not paper.exists() or not list(paper.glob("*.pdf"))
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        slips = list(paper.glob("consult-*.pdf"))
        assert len(slips) == 1
        text = pdf_text(slips[0].read_bytes())
        disabled_doc = ready_db.catalog.document("disability_certificate_extract")
        assert disabled_doc.label_kk in text and "мүгедек / инвалид" in text
        await pilot.press("ctrl+f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "ӨТІНІШ / ЗАЯВЛЕНИЕ" in pdf_text((paper / "application-form.pdf").read_bytes())
        assert rows(ready_db.engine) == before  # nothing about the person, nothing at all
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "InformationScreen"


async def test_issue_11_12_the_categories_follow_the_type(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        assert app.screen.query_one("#cat-wwii", Checkbox).display
        assert not app.screen.query_one("#cat-declared_incapable", Checkbox).display
        app.screen.query_one("#consult-institution").focus()
        await pilot.press("down", "down", "space")  # adults' psychoneurological (6.3)
        await pilot.pause()
        assert not app.screen.query_one("#cat-wwii", Checkbox).display
        assert app.screen.query_one("#cat-declared_incapable", Checkbox).display
        assert "Documents to bring (item 12):" in _docs(app)


def test_issue_11_12_consult_paper_snapshot(
    snap_compare: Any, make_app: Any, ready_db: Any
) -> None:
    async def run_before(pilot: Any) -> None:
        await _open(pilot)
        pilot.app.screen.query_one("#cat-pension_age", Checkbox).focus()
        await pilot.press("space")
        await settle(pilot)

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=run_before)


async def test_issue_11_12_consult_paper_while_serving_a_consultation(
    make_app: Any, ready_db: Any
) -> None:
    """From the queue: D opens the paper screen only while a consult ticket is served."""
    ready_db.queue.issue("collect")
    ready_db.queue.issue("consult")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("t")  # a collect ticket: no paper key
        await settle(pilot)
        assert app.screen.check_action("consult_paper", ()) is False
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "QueueScreen"
        await pilot.press("s")  # served
        await settle(pilot)
        await pilot.press("y")  # call the consultation
        await settle(pilot)
        assert app.current_ticket.purpose == "consult"
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConsultPaperScreen"
