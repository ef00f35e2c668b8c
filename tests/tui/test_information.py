"""Items 21-25 (issue 11, point 10): the Information screen, from home (I) and the palette."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from tests.tui.conftest import login
from tests.tui.test_snapshots_shell import settle


def _body(app: Any) -> str:
    return str(app.screen.query_one("#info-body", Static).render())


async def test_item_24_information_from_home_key(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="ru")
    async with app.run_test(size=(100, 40)) as pilot:
        await login(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert type(app.screen).__name__ == "InformationScreen"
        body = _body(app)
        # the Department (19, Kokshetau; Annex 1) and the Regional Department (item 24.2)
        assert "ул. Локомотивная, 9а" in body
        assert "8-(7162)-31-92-76, 31-92-81" in body
        assert "Sobes_kokshe@kokshetau.online.kz" in body
        assert "ул. им. А.С. Пушкина, 23, каб. 301" in body
        assert "8(7162)763690" in body and "akmout@mail.online.kz" in body
        assert "www.akmo.kz" in body
        assert "понедельник, четверг 15.00–18.00" in body
        assert "пункт 22" in body  # where to complain (items 21-23)
        assert "ул. Абая, 83" in body  # the Akimat (item 24.3)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


async def test_item_24_information_in_the_palette(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await login(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Information")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "InformationScreen"
        assert "Kokshetau city, Lokomotivnaya street 9a" in _body(app)


@pytest.mark.parametrize("lang", ["kk"])
def test_item_24_information_snapshot(
    snap_compare: Any, make_app: Any, ready_db: Any, lang: str
) -> None:
    async def run_before(pilot: Any) -> None:
        await login(pilot)
        await pilot.press("i")
        await settle(pilot)

    assert snap_compare(make_app(lang=lang), terminal_size=(80, 24), run_before=run_before)
