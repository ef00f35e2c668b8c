"""A place came free (issue 14.2, item 6.1), 80×24: the head's form on the waiting list with
the first in line shown, and the question asked before the referral is written.

Update with ``uv run pytest tests/tui/region/test_snapshots_places.py --snapshot-update``
and LOOK at every picture before committing.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import CLERK_PASSWORD
from tests.tui.region.test_region_places import HEAD_USER, add_head
from tests.tui.region.test_snapshots_region import settle


async def open_form(pilot: Any) -> Any:
    from screens.region import RegionScreen

    app = pilot.app
    await pilot.pause()
    app.clerk = app.services.clerks.authenticate(HEAD_USER, CLERK_PASSWORD)
    app.reset_to(RegionScreen("waiting"))
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    return app.screen


def test_place_form(snap_compare: Any, make_app: Any, regional_db: Any) -> None:
    add_head(regional_db)

    async def run_before(pilot: Any) -> None:
        await open_form(pilot)

    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=run_before)


def test_place_question_kazakh(snap_compare: Any, make_app: Any, regional_db: Any) -> None:
    add_head(regional_db)

    async def run_before(pilot: Any) -> None:
        from textual.widgets import Input

        form = await open_form(pilot)
        form.query_one("#institution", Input).value = "Көкшетау МӘМ"
        form.query_one("#referral_no", Input).value = "R-2026-041"
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(lang="kk"), terminal_size=(80, 24), run_before=run_before)
