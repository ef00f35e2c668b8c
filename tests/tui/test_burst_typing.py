"""Whole forms typed in one burst land as if typed slowly (issue 12, points 1 and 2).

Each test writes one burst to the desk's pty — the way a laggy SSH link or a scanner
delivers keys — and checks what the database then holds. Before ``screens.keys`` each of
them failed: Textual handed the burst to the field focused when it began (user name
"demokokshe-desk-2026", a complaint saved with everything in the complainant's name).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mss_desk.rules.iin import make_iin
from tests.tui.burst import NOW, BurstDesk, make_demo

pytestmark = pytest.mark.pty

APPLICANT_IIN = make_iin(date(1944, 5, 9), "female", 777)
DEMO_CLERK = "demo"
HOME = ("Clerk:", "Sign out")  # the home screen (en): signed in
CASES = "IIN, case number or surname"  # the Cases screen (F4)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's demo, made once on the clock the desk then runs with."""
    home = tmp_path_factory.mktemp("burst-demo")
    db = home / "demo.sqlite3"
    make_demo(db, home)
    return db


@pytest.fixture
def desk(demo_db: Path, tmp_path: Path) -> Iterator[BurstDesk]:
    db = tmp_path / "desk.sqlite3"
    shutil.copy(demo_db, db)
    running = BurstDesk(db, tmp_path)
    try:
        # the login screen, with the Department read: the database is open
        running.wait_for("Sign in", "User name", "мекемесі")
        yield running
    finally:
        running.close()


def services_for(db: Path) -> Any:
    """The services on the desk's database (after the desk has gone)."""
    from mss_desk.catalog import load_catalog
    from mss_desk.clock import FixedClock
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store, resolve_url
    from tests.conftest import local_dt

    clock = FixedClock(local_dt(NOW.replace("T", " ")))
    return Services(open_store(resolve_url(f"sqlite:///{db}")), clock, load_catalog())


def sign_in(desk: BurstDesk) -> str:
    """Sign in with Enter between the fields: the login screen's Enter is a priority binding
    that moves focus at once, so this worked before ``screens.keys`` too (the tests that
    use it fail, on the old desk, in the burst they are about)."""
    desk.burst("demo", "enter", "kokshe-desk-2026", "enter")
    return desk.wait_for(*HOME)


def test_login_typed_in_one_burst_signs_in(desk: BurstDesk) -> None:
    """The user name, Tab, the password, Enter — and F4 typed ahead lands on the home screen
    the sign-in opens (Cases), not on the login screen it replaced."""
    desk.burst("demo", "tab", "kokshe-desk-2026", "enter", "f4")
    screen = desk.wait_for(CASES)
    assert "demodemo" not in screen
    desk.close()
    with sqlite3.connect(desk.db) as con:
        actor, action = con.execute(
            "SELECT c.username, a.action FROM audit_events a JOIN clerks c ON c.id = a.actor "
            "WHERE a.action LIKE 'clerk.login%' ORDER BY a.id DESC LIMIT 1"
        ).fetchone()
    assert (actor, action) == (DEMO_CLERK, "clerk.login")


def test_an_intake_typed_ahead_to_register_is_stored_field_by_field(desk: BurstDesk) -> None:
    sign_in(desk)
    desk.burst(
        "f3",  # walk-in intake
        "space",  # item 6.1: elderly and disabled, general type
        "ctrl+n",
        "tab", "tab", "tab", "space",  # no relatives
        "ctrl+n",
        APPLICANT_IIN, "tab", "tab", "tab",  # birth date and sex come from the IIN
        "Сейітова", "tab", "Гүлнар", "tab", "Әбілқызы", "tab", "Абай 1",
        "ctrl+n",
        "a",  # every document received
        "ctrl+n",
        "ctrl+r",  # register
    )  # fmt: skip
    desk.wait_for("01-2026-")
    desk.close()
    cases = services_for(desk.db).cases
    (row,) = cases.find(APPLICANT_IIN)
    case = cases.get(row.case_no)
    assert (case.surname, case.name, case.patronymic) == ("Сейітова", "Гүлнар", "Әбілқызы")
    assert case.iin == APPLICANT_IIN
    assert case.status == "accepted"


def test_a_complaint_saved_with_ctrl_s_typed_ahead_keeps_its_fields(desk: BurstDesk) -> None:
    sign_in(desk)
    desk.burst(
        "f7", "n",  # complaints, a new one
        "Әлиева Гүлнар", "enter",
        "+77011112233", "enter",
        "enter",  # no case number
        "Кезекте 50 минут күттім",
        "ctrl+s",
    )  # fmt: skip
    desk.wait_for("Complaints (items 21", "registered")  # the notice of the saved one
    desk.close()
    complaints = services_for(desk.db).complaints.list()
    mine = [c for c in complaints if c.contact == "+77011112233"]
    assert len(mine) == 1, [(c.complainant, c.contact, c.text) for c in complaints]
    assert mine[0].complainant == "Әлиева Гүлнар"
    assert mine[0].text == "Кезекте 50 минут күттім"


def test_a_decision_typed_ahead_on_the_forwarding_screen_is_stored(desk: BurstDesk) -> None:
    sign_in(desk)
    desk.burst(
        "f6", "right",  # files sent to the Regional Department, waiting for its decision
        "d",  # decide the first
        "tab", "R-2026-77", "enter",  # a referral (the default kind): its number
        "Көкшетау қарттар үйі",
        "ctrl+s",
    )  # fmt: skip
    desk.wait_for("Decision of the Regional Department")
    desk.wait_gone("Decision of the Regional Department")
    desk.close()
    services = services_for(desk.db)
    decided = [services.cases.get(r.case_no) for r in services.lifecycle.in_status("decided")]
    (case,) = [c for c in decided if c.decision_no == "R-2026-77"]
    assert case.decision == "referral"
    with sqlite3.connect(desk.db) as con:
        (institution,) = con.execute(
            "SELECT referral_institution FROM cases WHERE case_no = ?", (case.case_no,)
        ).fetchone()
    assert institution == "Көкшетау қарттар үйі"


def test_esc_then_a_key_in_one_burst_is_esc_then_the_key(desk: BurstDesk) -> None:
    """ESC n in one read: Textual took it for Alt+N (and lost both); it is Esc, then N."""
    sign_in(desk)
    desk.burst("f7")  # complaints (key by key up to the burst under test)
    desk.wait_for("Complaints (items 21")
    desk.burst("n")
    desk.wait_for("New complaint")
    desk.burst("Бірінші")  # the first field of the form
    desk.wait_for("Бірінші")
    desk.burst("escape", "n")  # cancel that form, open a new one: one read
    desk.wait_gone("Бірінші")
    desk.wait_for("New complaint")
    desk.burst("Екінші", "enter", "+77010000000", "enter", "enter", "Мәтін", "ctrl+s")
    desk.wait_gone("New complaint")
    desk.close()
    complaints = services_for(desk.db).complaints.list()
    assert [c.complainant for c in complaints if c.contact == "+77010000000"] == ["Екінші"]
    assert not [c for c in complaints if "Бірінші" in c.complainant]


def test_a_scan_on_the_queue_opens_the_case_and_issues_no_ticket(desk: BurstDesk) -> None:
    """Issue 12.4/12.5: the scanner's "DD-YYYY-NNNNN⏎" in one read, with the queue on
    screen: the case card opens; no ticket is issued, no slip printed."""
    services = services_for(desk.db)
    case_no = next(row.case_no for row in services.cases.list(limit=50) if row.case_no)
    before = len(services.queue.day())
    sign_in(desk)
    desk.burst("f2")
    desk.wait_for("Now serving")
    desk.burst(case_no, "enter")
    desk.wait_for(case_no)
    desk.close()
    assert len(services_for(desk.db).queue.day()) == before
