"""Point 6 on the exchange screen: this desk's own problems and those the other desk reports
about our messages, each with what to do here; Ctrl+R and a question mark one dealt with.
And the case card's "at the Regional Department since DATE" once the receipt is here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from screens.case_detail import CaseDetailScreen
from screens.dialogs import QuestionModal
from tests.conftest import DEPT
from tests.tui.conftest import answered, login
from tests.tui.test_exchange_screen import (  # noqa: F401 - the pair fixture
    Pair,
    forward,
    open_exchange,
    pair,
    screen_text,
)


def two_problems(services: Any, pair: Pair, tmp_path: Path) -> None:  # noqa: F811
    """At desk 19: a decision that met a file decided from paper (its own problem), and a
    re-sent file the region had already decided (the region's word: a reported problem)."""
    from mss_desk.exchange.region import RegionService

    a, b = forward(services, pair.head, "19-2026-00001", "19-2026-00002")
    pair.dept.export(0, tmp_path / "1.mssx")
    pair.region.import_bundle(tmp_path / "1.mssx")
    region = RegionService(pair.region.hub)
    region.decide(a, refusal="untrue")
    region.decide(b, refusal="not_eligible", reason="6")
    services.lifecycle.decide(a, pair.head.id, "refusal", reason="from paper")
    services.lifecycle.return_for_correction(b, pair.head.id, "signature")
    services.lifecycle.forward([b], pair.head.id)
    pair.dept.export(0, tmp_path / "2.mssx")
    assert [p["problem"] for p in pair.region.import_bundle(tmp_path / "2.mssx").problems] == [
        "exchange.problem.already_decided"
    ]
    pair.region.export(DEPT, tmp_path / "3.mssx")
    got = pair.dept.import_bundle(tmp_path / "3.mssx")
    assert len(got.problems) == 2


async def test_both_kinds_of_problem_are_listed_and_one_is_dealt_with(
    make_app: Any, ready_db: Any, pair: Pair, tmp_path: Path  # noqa: F811
) -> None:
    two_problems(ready_db, pair, tmp_path)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exchange(pilot)
        text = screen_text(app)
        assert "19-2026-00001 · from desk 0" in text
        assert "The Department has since corrected" in text
        assert "19-2026-00002 · desk 0 reports" in text
        assert "The region decided on the file before your correction arrived" in text
        problems = screen.query_one("#problems", OptionList)
        await pilot.press("ctrl+r")  # nothing highlighted yet on the problems: says so
        await answered(pilot)
        assert app.screen is screen
        await pilot.press("tab")
        await answered(pilot)
        assert app.focused is problems
        problems.highlighted = next(
            i for i, o in enumerate(problems.options) if "19-2026-00002" in str(o.prompt)
        )
        await pilot.press("ctrl+r")
        await answered(pilot)
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("n")  # no: nothing changes
        await answered(pilot)
        assert app.screen is screen and len(pair.dept.overview().problems) == 2
        await pilot.press("ctrl+r")
        await answered(pilot)
        await pilot.press("y")
        await answered(pilot)
        assert app.screen is screen
        assert "marked dealt with" in str(screen.query_one("#exchange-message").render())
        text = screen_text(app)
        assert "desk 0 reports" not in text and "19-2026-00001 · from desk 0" in text
    [left] = pair.dept.overview().problems
    assert left.case_no == "19-2026-00001" and not left.reported


async def test_the_case_card_says_since_when_the_region_has_the_file(
    make_app: Any, ready_db: Any, pair: Pair, tmp_path: Path  # noqa: F811
) -> None:
    (no,) = forward(ready_db, pair.head, "19-2026-00001")
    pair.dept.export(0, tmp_path / "up.mssx")
    pair.region.import_bundle(tmp_path / "up.mssx")
    pair.region.export(DEPT, tmp_path / "receipt.mssx")
    pair.dept.import_bundle(tmp_path / "receipt.mssx")
    for lang, line in (("en", "Where the file is: at the Regional Department since 02.03.2026"),
                       ("kk", "Іс қайда: 02.03.2026 бастап Басқармада"),
                       ("ru", "в Управлении с 02.03.2026")):  # fmt: skip
        app = make_app(lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot)
            await app.push_screen(CaseDetailScreen(no))
            await answered(pilot)
            assert line in screen_text(app)


class TestSnapshots:
    @pytest.mark.parametrize("lang", ["en", "kk"])
    def test_exchange_problems(
        self, snap_compare: Any, make_app: Any, ready_db: Any,
        pair: Pair, tmp_path: Path, lang: str,  # noqa: F811 - pair: the fixture imported
    ) -> None:
        two_problems(ready_db, pair, tmp_path)

        async def run_before(pilot: Any) -> None:
            await open_exchange(pilot)
            pilot.app.clear_notifications()
            await pilot.pause()

        assert snap_compare(make_app(lang=lang), terminal_size=(80, 24), run_before=run_before)
