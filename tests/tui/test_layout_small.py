"""Issue 12, point 13: nothing essential is cut at 60×20 or 80×24, in kk, ru and en.

One app per size and language walks every screen and dialog a clerk meets (login, the lock,
home, the queue with a called ticket, the quit question, the palette, the intake steps with
the ownership and disability-group radios, the discard and resume questions, cases and a case
card, deadlines, the four forwarding lists with the decision and delivery forms, complaints
and their form, the report and its form, information) and checks what the
terminal would show:

- no widget sticks out of the screen or of the box it sits in on the right (a dialog's right
  edge, a date field, a radio option);
- the queue's wait time is on every waiting ticket's line; every option of the ownership and
  group radios is on screen;
- at 80 columns the case list shows every row's due date, and every footer's keys (and the
  palette key) fit on the one 80-column line.

The problems of every stop are gathered and reported together.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import Checkbox, Footer, RadioButton
from textual.widgets._footer import FooterKey

from mss_desk.i18n.dates import format_date
from screens.cases import CasesScreen
from screens.dialogs import FormModal, QuestionModal
from screens.intake import IntakeScreen
from tests.lifecycle.conftest import CaseFactory
from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER, answered, login
from widgets.wait_timer import WaitList

SIZES = [pytest.param((60, 20), id="60x20"), pytest.param((80, 24), id="80x24")]
LANGS = ["kk", "ru", "en"]
LONG_SURNAME = "Әбдіқалықова-Жұмабекова"


def screen_lines(app: Any) -> list[str]:
    """The screen as the terminal shows it, one string a row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def cut_on_the_right(app: Any) -> list[str]:
    """Widgets that stick out of the screen or of their box, left or right.

    (Below the bottom is scrolling, not cutting. The footer has its own check.)
    """
    out = []
    for widget, (region, clip) in app.screen._compositor.visible_widgets.items():
        if isinstance(widget, FooterKey) or any(isinstance(a, Footer) for a in widget.ancestors):
            continue
        if region.right > clip.right or region.x < clip.x:
            shown = f"{clip.x}..{clip.right}"
            out.append(f"{widget!r} spans x {region.x}..{region.right}, shown {shown}")
    return out


def footer_cut(app: Any) -> list[str]:
    """Footer keys that do not fit on the screen's one line (80 columns)."""
    out = []
    width = app.screen.size.width
    for footer in app.screen.query(Footer):
        for key in footer.query(FooterKey):
            region = key.region
            if region.right > width or region.width == 0:
                out.append(f"footer key {key.key_display or key.key!r} {key.description!r} "
                           f"at x {region.x}..{region.right}")
    return out


def history(services: Any) -> None:
    """Cases in every list a screen shows, one with a long name; a complaint; a queue."""
    from tests.conftest import local_dt

    make = CaseFactory(services)
    head = services.clerks.authenticate(HEAD_USER, HEAD_PASSWORD)
    lc = services.lifecycle
    long_name = make.applicant(LONG_SURNAME)
    make.case("2026-02-16 11:00", case_no="19-2026-00001", applicant_id=long_name)
    make.case("2026-02-16 12:00", case_no="19-2026-00002", priority=True)
    lc.forward(["19-2026-00002"], head.id, date(2026, 2, 16))
    make.case("2026-02-09 10:00", case_no="19-2026-00003", postal_address="Көкшетау")
    lc.forward(["19-2026-00003"], head.id, date(2026, 2, 10))
    lc.decide("19-2026-00003", head.id, "refusal", decided_on=date(2026, 2, 18), reason="17")
    make.case("2026-02-09 10:00", case_no="19-2026-00004", postal_address="Көкшетау")
    lc.forward(["19-2026-00004"], head.id, date(2026, 2, 10))
    lc.decide(
        "19-2026-00004", head.id, "referral", decided_on=date(2026, 2, 18), referral_no="17/204",
        institution_name="Көкшетау медициналық-әлеуметтік мекемесі", ownership="state",
    )
    lc.result_ready("19-2026-00004", head.id, date(2026, 2, 20))
    services.complaints.register(
        "Әлиева Гүлнар", "Кезекте 50 минут күттім", head.id, contact="+7 701 111 22 33"
    )
    services.clock.set(local_dt("2026-03-02 10:00"))
    services.queue.issue("submit")
    services.queue.issue("collect")
    services.queue.issue("consult")
    services.clock.set(local_dt("2026-03-02 10:45"))


class Walk:
    """Visits screens and gathers what is cut at each stop."""

    def __init__(self, pilot: Any) -> None:
        self.pilot = pilot
        self.app = pilot.app
        self.problems: list[str] = []

    async def settled(self) -> None:
        """Wait (bounded) until the screen is laid out and painted: its footer recomposes a
        moment after the keys change, a busy machine takes longer (state, not time)."""
        await answered(self.pilot)
        screen = self.app.screen
        for _ in range(100):
            await self.pilot.pause()
            keys = [key for footer in screen.query(Footer) for key in footer.query(FooterKey)]
            if not (
                screen._layout_required
                or screen._dirty_widgets
                or any(key.region.width == 0 for key in keys)
            ):
                return

    async def stop(self, name: str, *checks: Any) -> list[str]:
        await self.settled()
        app = self.app
        lines = screen_lines(app)
        found = cut_on_the_right(app)
        if app.size.width >= 80:
            found += footer_cut(app)
        for check in checks:
            found += check(app, lines)
        self.problems += [f"{name} ({type(app.screen).__name__}): {p}" for p in found]
        return lines

    async def keys(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await answered(self.pilot)


def wait_times_shown(app: Any, lines: list[str]) -> list[str]:
    out = []
    for label, _purpose, right, _level in app.screen.query_one(WaitList).lines():
        shown = [line for line in lines if label in line]
        if not shown or right.strip() not in shown[0]:
            out.append(f"ticket {label}: wait {right.strip()!r} not on {shown[:1]!r}")
    return out


def radio_shown(radio: str) -> Any:
    def check(app: Any, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        out = []
        for button in app.screen.query(f"#{radio} RadioButton").results(RadioButton):
            label = str(button.label)
            if button.display and label not in text:
                out.append(f"{radio} option {label!r} not on screen")
        return out

    return check


ownership_shown = radio_shown("ownership")


def due_dates_shown(app: Any, lines: list[str]) -> list[str]:
    out = []
    for row in app.screen.rows:
        due = row.binding_due or getattr(row, "service_due", None)
        shown = [line for line in lines if row.case_no in line]
        if due and (not shown or format_date(due) not in shown[0]):
            out.append(f"case {row.case_no}: due {format_date(due)} not on {shown[:1]!r}")
    return out


async def walk_everything(walk: Walk) -> None:  # noqa: PLR0915 - one walk, many stops
    app, pilot = walk.app, walk.pilot
    await answered(pilot)
    await walk.stop("login")
    await login(pilot)
    await walk.stop("home")
    await walk.keys("ctrl+l")
    await walk.stop("the lock")
    app.screen.query_one("#password").value = HEAD_PASSWORD
    await walk.keys("enter")
    await walk.stop("home, unlocked")
    app.action_open_queue()
    await walk.stop("queue", wait_times_shown)
    await walk.keys("t")  # call the collect ticket
    await walk.stop("queue, a ticket called", wait_times_shown)
    await walk.keys("ctrl+q")
    assert isinstance(app.screen, QuestionModal)
    await walk.stop("the quit question")
    await walk.keys("escape")
    await walk.keys("ctrl+p")
    await walk.stop("the palette")
    await walk.keys("escape")
    await walk.keys("escape")

    # -- intake: every step, the ownership radio, the discard question
    app.action_new_intake()
    await answered(pilot)
    intake = app.screen
    assert isinstance(intake, IntakeScreen)
    await walk.stop("intake type", ownership_shown)
    intake.query_one("#institution-elderly_general", RadioButton).value = True
    await answered(pilot)
    await walk.stop("intake type chosen", ownership_shown)
    await walk.keys("ctrl+n")
    intake.query_one("#relatives-no_relatives", RadioButton).value = True
    await answered(pilot)
    await walk.stop("intake eligibility")
    await walk.keys("ctrl+n")
    await walk.stop("intake applicant")
    from tests.tui.test_snapshots_intake import ELDER_IIN, set_values

    set_values(intake, iin=ELDER_IIN, surname=LONG_SURNAME, name="Серік", address="Көкшетау")
    await walk.keys("ctrl+n")
    await walk.stop("intake documents")
    await walk.keys("a")
    await walk.keys("ctrl+n")
    await walk.stop("intake confirm")
    await walk.keys("ctrl+g")
    assert isinstance(app.screen, QuestionModal)
    await walk.stop("the discard question")
    await walk.keys("escape")
    await walk.keys("escape")
    app.action_new_intake()  # an adult: the disability group radio
    await answered(pilot)
    assert isinstance(app.screen, QuestionModal)  # the draft left by Esc: resume it?
    await walk.stop("the resume question")
    await walk.keys("n")
    intake = app.screen
    assert isinstance(intake, IntakeScreen)
    intake.query_one("#institution-adult_psychoneuro", RadioButton).value = True
    await answered(pilot)
    await walk.keys("ctrl+n")
    intake.query_one("#disabled", Checkbox).value = True
    await answered(pilot)
    assert intake.query_one("#group").display
    await walk.stop("intake eligibility, an adult", radio_shown("group"))
    await walk.keys("escape")

    # -- cases and a case card
    app.action_open_cases()
    await answered(pilot)
    assert isinstance(app.screen, CasesScreen)
    checks = (due_dates_shown,) if app.size.width >= 80 else ()
    await walk.stop("cases", *checks)
    app.screen.query_one("#query").value = "19-2026-00001"
    await walk.keys("enter")
    await walk.stop("case card")
    await walk.keys("escape")
    await walk.keys("escape")

    # -- the lifecycle screens and their forms
    app.action_open_lifecycle("dashboard")
    await walk.stop("deadlines")
    await walk.keys("escape")
    app.action_open_lifecycle("forwarding")
    await walk.stop("forwarding: to send")
    await walk.keys("space", "ctrl+s")
    await walk.stop("forwarding: the send question")
    await walk.keys("escape")
    await walk.keys("right")
    await walk.stop("forwarding: at the Regional Department")
    await walk.keys("d")
    assert isinstance(app.screen, FormModal)
    await walk.stop("forwarding: the decision form")
    await walk.keys("escape")
    await walk.keys("right")
    await walk.stop("forwarding: decided")
    await walk.keys("right")
    await walk.stop("forwarding: results")
    await walk.keys("g")
    await walk.stop("forwarding: the delivery form")
    await walk.keys("escape")
    await walk.keys("escape")
    app.action_open_lifecycle("complaints")
    await walk.stop("complaints")
    await walk.keys("n")
    assert isinstance(app.screen, FormModal)
    await walk.stop("complaints: the new complaint form")
    await walk.keys("escape")
    await walk.keys("escape")
    app.action_open_lifecycle("report")
    await walk.stop("report")
    await walk.keys("e")
    assert isinstance(app.screen, FormModal)
    await walk.stop("report: the value form")
    await walk.keys("escape")
    await walk.keys("escape")
    await walk.keys("i")
    await walk.stop("information")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
async def test_nothing_essential_is_cut(
    make_app: Any, ready_db: Any, size: tuple[int, int], lang: str
) -> None:
    history(ready_db)
    app = make_app(lang=lang)
    async with app.run_test(size=size) as pilot:
        walk = Walk(pilot)
        await walk_everything(walk)
    assert not walk.problems, "\n".join(walk.problems)



async def test_case_list_refits_when_the_terminal_shrinks(make_app: Any, ready_db: Any) -> None:
    """A terminal made narrower (an SSH window resized) keeps the due dates on screen."""
    history(ready_db)
    app = make_app(lang="ru")
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot)
        app.action_open_cases()
        await answered(pilot)
        assert isinstance(app.screen, CasesScreen) and app.screen.rows
        wide = app.screen._filled_name_width
        await pilot.resize_terminal(60, 20)
        walk = Walk(pilot)
        await walk.stop("cases, after the resize", due_dates_shown)
        assert app.screen._filled_name_width < wide
        assert not walk.problems, "\n".join(walk.problems)
