"""F12 with toasts on screen: each is said again in the new language, or taken away.

Toast timeouts run on wall time (Textual's), so the toasts here are given ten minutes:
nothing expires while a loaded machine runs the test.
"""

from __future__ import annotations

from typing import Any

from mss_desk.i18n import retranslate, t
from screens.queue import QueueScreen
from tests.tui.conftest import login

LONG = 600.0  # seconds: longer than any test run


def _toasts(app: Any) -> list[str]:
    """The toasts as drawn on the current screen."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


def test_retranslate_says_a_message_and_its_translated_parameters_again() -> None:
    nobody = t("ui.queue.nobody", "kk", purpose=t("ui.purpose.submit", "kk"))
    assert nobody == "«Құжат тапсыру» кезегінде ешкім жоқ"
    assert retranslate(nobody, "ru") == "В очереди «Сдача документов» никого нет"
    printed = t("ui.queue.printed", "kk", number="A-001")  # a plain value stays as it is
    assert retranslate(printed, "en") == "Ticket A-001 printed"
    assert retranslate("A-001 · " + printed, "en") is None  # built by hand: not re-sayable
    assert retranslate("plain text", "en") is None


def test_a_localized_parameter_is_said_in_the_new_language_too() -> None:
    """A holiday's name comes from the ``holidays`` package, not the catalog: it still
    follows the switch (it is Localized), where a plain value would stay as it was."""
    from mss_desk.i18n import Localized

    names = {"kk": "Наурыз мейрамы", "ru": "Наурыз мейрамы (рус.)", "en": "Nauryz"}
    closed = t("ui.office.holiday", "kk", name=Localized.of(names, "kk"))
    assert "Наурыз мейрамы" in closed
    again = retranslate(closed, "en")
    assert again == t("ui.office.holiday", "en", name="Nauryz")
    assert "Nauryz" in again and "мейрамы" not in again


async def test_language_switch_re_says_the_toasts_on_screen(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="kk")
    app.NOTIFICATION_TIMEOUT = LONG
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("r")  # call next: nobody waits for "submit"
        app.notify("A-001 · " + app.t("ui.queue.printed", number="A-001"), timeout=LONG)
        await pilot.pause()
        assert _toasts(app) == [
            "«Құжат тапсыру» кезегінде ешкім жоқ",
            "A-001 · A-001 талоны басып шығарылды",
        ]
        [before, _] = list(app._notifications)

        await pilot.press("f12")  # → русский
        await pilot.pause()
        # said again in Russian (its parameter too); the hand-built one is gone, not left
        # in Kazakh beside a Russian screen
        assert _toasts(app) == ["В очереди «Сдача документов» никого нет"]
        [after] = list(app._notifications)
        assert (after.identity, after.raised_at, after.timeout) == (
            before.identity,
            before.raised_at,
            LONG,
        )  # the same toast, with the time it had left

        await pilot.press("f12")  # → English
        await pilot.pause()
        assert _toasts(app) == ["Nobody is waiting for “Submit documents”"]


async def test_a_holiday_refusal_toast_follows_the_switch_with_its_holiday_name(
    make_app: Any, ready_db: Any, tui_clock: Any
) -> None:
    from tests.conftest import local_dt

    tui_clock.set(local_dt("2026-03-09 10:00"))  # 8 March fell on a Sunday: Monday off
    app = make_app(lang="kk")
    app.NOTIFICATION_TIMEOUT = LONG
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+r")  # no ticket on a holiday (item 10): the toast says why
        await pilot.pause()
        [kk] = _toasts(app)
        assert "Халықаралық әйелдер күні" in kk, kk
        await pilot.press("f12")
        await pilot.pause()
        [ru] = _toasts(app)
        assert "Международный женский день" in ru, ru
        assert "әйелдер" not in ru
