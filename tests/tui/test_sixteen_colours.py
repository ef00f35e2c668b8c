"""A rural office's terminal may have 16 colours (the Linux console, an old PuTTY).

Rich turns every colour into the nearest of the 16 ANSI colours there. Text whose foreground
and background land on the same colour disappears. On the Linux console, which has only 8
background colours, bright and dark versions of one colour can't be told apart either. So
every screen a clerk sees, in each of its states, is rendered whole and each visible
character's colours are brought down to 16. The foreground must differ from the
background as a 16-colour terminal and as the Linux console (8 backgrounds) show it.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import ColorSystem
from rich.style import Style

from tests.conftest import local_dt
from tests.tui.conftest import login

COLS, ROWS = 80, 24


def _ansi(color: Any) -> int | None:
    if color is None or color.is_default:
        return None
    return color.downgrade(ColorSystem.STANDARD).number


def invisible_text(app: Any) -> list[str]:
    """Cells whose text a 16-colour terminal would not show: (row, text, fg, bg)."""
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            text, style = segment.text, segment.style or Style()
            if not any(ch.isalnum() for ch in text) or style.reverse:
                continue  # rules and separators may fade; words may not
            fg, bg = _ansi(style.color), _ansi(style.bgcolor)
            if fg is None or bg is None:
                continue
            # the Linux console shows any foreground but only 8 backgrounds (bg % 8)
            if fg in (bg, bg % 8):
                found.append(
                    f"row {y}: {text.strip()!r} fg {fg} ({style.color.name}) "
                    f"on bg {bg} ({style.bgcolor.name})"
                )
    return found


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_every_screen_is_legible_in_sixteen_colours(
    make_app: Any, ready_db: Any, tui_clock: Any, lang: str
) -> None:
    # waits at every level the queue shows: fine, amber (30 min), red (past 40 min)
    for minutes_ago in (45, 32, 5):
        tui_clock.set(local_dt("2026-03-02 10:00"))
        tui_clock.advance(minutes=-minutes_ago)
        ready_db.queue.issue("submit")
    ready_db.queue.issue("collect")  # called below: the "now serving" panel
    tui_clock.set(local_dt("2026-03-02 10:00"))
    app = make_app(lang=lang)
    seen: dict[str, list[str]] = {}
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        await settle(pilot)
        seen["login"] = invisible_text(app)
        await login(pilot)
        await settle(pilot)
        seen["home"] = invisible_text(app)
        for name, keys, screen in [
            ("queue", ("f2",), "QueueScreen"),
            ("queue, a ticket called", ("t",), "QueueScreen"),  # T: call next collect
            ("back", ("escape",), "HomeScreen"),
            ("cases", ("f4",), "CasesScreen"),
            ("back", ("escape",), "HomeScreen"),
            ("deadlines", ("f5",), "DashboardScreen"),
            ("back", ("escape",), "HomeScreen"),
            ("files", ("f6",), "ForwardingScreen"),
            ("back", ("escape",), "HomeScreen"),
            ("complaints", ("f7",), "ComplaintsScreen"),
            ("back", ("escape",), "HomeScreen"),
            ("report", ("f8",), "ReportScreen"),
            ("back", ("escape",), "HomeScreen"),
            ("intake", ("f3",), "IntakeScreen"),
            ("intake, next step", ("enter",), "IntakeScreen"),
        ]:
            await pilot.press(*keys)
            await settle(pilot)
            assert type(app.screen).__name__ == screen, name  # the key reached its screen
            if name == "queue, a ticket called":
                assert app.current_ticket is not None
            seen[name] = invisible_text(app)
    bad = {name: cells for name, cells in seen.items() if cells}
    assert not bad, bad
