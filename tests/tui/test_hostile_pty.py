"""Issue 15, item 1, on a real terminal: stored hostile text never reaches the clerk's tty.

A postal address saved with ``ESC ] 52 ; c ; … ESC \\`` wrote the clerk's clipboard when the
case card was opened; OSC 0 retitled the window and ``CSI 2 J`` blanked the screen. Pilot
(tests/tui/test_hostile.py) looks at the composed strips; this test looks at the *bytes*: the
real ``python -m mss_desk`` runs on a pseudo-terminal (TERM=linux, 80×24, the
``tests/tui/burst.py`` harness) and every byte it writes is kept.

The database holds hostile text two ways:

- **through the services** (intake, lifecycle, complaints, clerks): they clean it at the
  boundary (``mss_desk.text``), so this is what a desk that only ever used its services holds;
- **written straight into the tables** (an old desk's rows, or a tampered file): every text
  column of applicants, cases, complaints, clerks, the Department, the queue's ticket
  numbers and a saved draft gets the payloads raw — OSC 52 (clipboard), OSC 0 (title),
  ``CSI 2 J``, DCS, the C1 bytes CSI ``\x9b`` and OSC ``\x9d``, U+202E, markup — plus a
  bounded, derandomized set of Hypothesis-generated strings mixing them with C0/C1 controls
  and Kazakh letters; so does the small file of the Department's names the login screen
  paints first. (A lone surrogate cannot be stored as text: SQLite would hold invalid UTF-8,
  which the store refuses to read — a ``StorageError``, not a terminal write.)

Then the clerk signs in and opens every screen that shows such text: login, home, the lock
screen, the cases list and a search, a case card of every status (with the returned file's
"finish" form), deadlines, the four forwarding lists with the postal-notice and hand-over
forms (prefilled with the stored address), complaints (and their text), the queue, the
indicators report, information, the intake's resume question for a saved draft and the
resumed form; and the wall board. After each screen every byte written so far is searched
for the payloads' own sequences (``ESC ] 52``, ``ESC ] 0 ;``, ``ESC [ 2 J``, ``ESC P``,
U+202E); the stream is strict UTF-8 with no U+0080–U+009F code point (a C1 control the
terminal would obey); and every ESC is one Textual writes for drawing (``ESC [`` or its
``ESC ] 22 ;`` pointer shape). The stored text itself is on the screen (pyte): markup shown
literally, a tampered row's controls as stand-ins (``␛]52;c;…``, ``widgets.text``).

Waits poll the screen for text (generous timeouts, a busy 2-core machine); nothing asserts
on timing. SQLite only: what reaches the terminal does not depend on the database.
"""

from __future__ import annotations

import codecs
import functools
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from mss_desk.rules.iin import make_iin
from mss_desk.services.views import IntakeForm
from tests.conftest import ELDERLY_DOCS
from tests.tui.burst import BurstDesk, make_demo
from tests.tui.test_burst_typing import services_for

pytestmark = pytest.mark.pty

# -- the payloads ---------------------------------------------------------------------------

OSC52_ST = "\x1b]52;c;cHduZWQ=\x1b\\"  # write the clipboard, ended by ST
OSC52_BEL = "\x1b]52;c;cHduZWQ=\x07"  # … ended by BEL
OSC0 = "\x1b]0;pwned\x07"  # the window title
CLEAR = "\x1b[2J\x1b[H"  # blank the screen, cursor home
DCS = "\x1bP+q544e\x1b\\"  # a terminfo query (the terminal answers on stdin)
C1_CSI = "\x9b2J"  # CSI 2 J as one C1 byte
C1_OSC = "\x9d0;pwned\x9c"  # OSC … ST as C1
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
MARKUP = "[bold]Қ[/]"
LINK = "[@click=app.quit]x[/]"
PAYLOADS = (OSC52_ST, OSC52_BEL, OSC0, CLEAR, DCS, C1_CSI, C1_OSC, RLO, MARKUP, LINK)

# What must never be in the bytes the desk writes (Textual's own drawing uses CSI and
# OSC 22, never these).
FORBIDDEN_BYTES = (b"\x1b]52", b"\x1b]0;", b"\x1b[2J", b"\x1bP", RLO.encode())
FORBIDDEN_POINTS = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069]")
TEXTUAL_OSC = re.compile(rb"\x1b\]22;[^\x07\x1b]*(?:\x07|\x1b\\)")  # the pointer's shape
ESCAPE = re.compile(rb"\x1b(?=[^\[])")  # an ESC that is not Textual's own (once OSC 22 is out)

# Every stored value starts with a marker that must then be on screen, markup and all.
MARK = "Ұры[b]"


@functools.cache
def hypothesis_strings(count: int) -> tuple[str, ...]:
    """A bounded, derandomized set of Hypothesis-generated hostile strings (one desk run
    shows them all: a property test per example would start a desk per example)."""
    piece = st.one_of(
        st.sampled_from(PAYLOADS),
        st.integers(0x00, 0x1F).map(chr),  # C0
        st.integers(0x7F, 0x9F).map(chr),  # DEL, C1
        st.sampled_from("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
        st.sampled_from(list("ӘәҒғҚқҢңӨөҰұҮүҺһІі []/@=;")),
    )
    strategy = st.lists(piece, min_size=1, max_size=6).map("".join)
    found: list[str] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(text: str) -> None:
        found.append(text)

    collect()
    return tuple(found)


def hostile_strings() -> tuple[str, ...]:
    """The fixed payloads, then 24 generated ones (made when first asked for, not when
    the module is collected)."""
    return PAYLOADS + hypothesis_strings(24)


def hostile(i: int) -> str:
    strings = hostile_strings()
    return f"{MARK}{strings[i % len(strings)]}"


# -- the database ---------------------------------------------------------------------------

PASSWORD = "kokshe-desk-2026"  # the demo's
SERVICE_MARK = "Сервис"  # the rows made through the services


def _through_services(db: Path) -> None:
    """Hostile text through every service that stores text (they clean it)."""
    services = services_for(db)
    dept = services.clerks.list()[0].department_code
    clerk = services.clerks.create(
        dept, "mallory", f"{SERVICE_MARK}{OSC0}{MARKUP}", f"Ә{RLO}{C1_CSI}", "steppe lamp 1919"
    )
    born = date(1948, 5, 1)
    strings, generated = hostile_strings(), len(PAYLOADS)
    cases = []
    for i in range(4):
        form = IntakeForm(
            iin=make_iin(born, "female", 900 + i),
            surname=f"{SERVICE_MARK}{MARKUP}{strings[generated + i]}",
            name=f"Ә{strings[i]}",
            patronymic=strings[generated + 4 + i],
            birth_date=born,
            sex="female",
            institution="elderly_general",
            relatives="no_relatives",
            address=f"Көкшетау {OSC52_ST}",
            phone=f"+7701{C1_CSI}",
            representative_name=f"Өкіл {OSC0}{LINK}",
            representative_basis=f"Сенімхат {CLEAR}",
            delivery_method="post",
            postal_address=f"Пошта {OSC52_BEL}{RLO}",
        )
        result = services.intake.submit(form, frozenset(ELDERLY_DOCS), clerk.id)
        assert result.case_no is not None, result
        cases.append(result.case_no)
    lc = services.lifecycle
    lc.forward(cases[:3], clerk.id)
    lc.return_for_correction(cases[0], clerk.id, f"Қате {OSC52_ST}{DCS}")
    lc.decide(cases[1], clerk.id, "refusal", reason=f"Бас тарту {CLEAR}{C1_OSC}")
    lc.decide(cases[2], clerk.id, "referral", referral_no=f"R-{C1_CSI}1",
              institution_name=f"Үй {OSC0}{MARKUP}", ownership="state")
    lc.result_ready(cases[1], clerk.id)
    lc.send_notice(cases[1], clerk.id, postal_address=f"Пошта {OSC52_ST}")
    head = next(v for v in services.clerks.list() if v.role == "head")
    for i in range(3):  # plain complaints, made hostile in the tables below (the demo has none)
        services.complaints.register(f"Әлиева {i}", "Кезекте күттім", clerk.id)
    complaint = services.complaints.register(
        f"{SERVICE_MARK}{OSC52_ST}", f"Шағым {CLEAR}{LINK}", clerk.id, case_no=cases[0],
        contact=f"+7702{C1_OSC}",
    )
    services.complaints.review(complaint.complaint_no, head.id, justified=True, satisfied=True,
                               answer_text=f"Жауап {OSC0}{RLO}")
    services.engine.dispose()


# every text column the desk stores and shows, by table
RAW_COLUMNS = {
    "applicants": ("surname", "name", "patronymic", "address", "phone"),
    "cases": ("council_decision_no", "returned_by_region_note", "referral_institution",
              "decision_no", "decision_note", "postal_address", "safekeeping_location",
              "representative_name", "representative_iin", "representative_basis",
              # the person as accepted, kept on the case (issue 15.3): what lists show
              "applicant_surname", "applicant_name", "applicant_patronymic",
              "applicant_address", "applicant_phone"),
    "complaints": ("complainant", "contact", "text", "answer_text"),
    "clerks": ("surname", "name"),
    "departments": ("name_kk", "name_ru"),
    "queue_tickets": ("number",),  # not typed by anyone, but a tampered row is a row
}


def _straight_into_the_tables(db: Path) -> None:
    """Every text column of every row, raw: no service saw it (an old or tampered row).
    The rows made through the services are left as the services stored them."""
    con = sqlite3.connect(db)
    try:
        k = 0
        for table, columns in RAW_COLUMNS.items():
            key = "code" if table == "departments" else "id"
            where = {
                "applicants": f" WHERE surname NOT LIKE '{SERVICE_MARK}%'",
                "clerks": " WHERE username != 'mallory'",
                "complaints": f" WHERE complainant NOT LIKE '{SERVICE_MARK}%'",
            }.get(table, "")
            rows = [r[0] for r in con.execute(f"SELECT {key} FROM {table}{where}")]  # noqa: S608
            sets = ", ".join(f"{c} = ?" for c in columns)
            for row in rows:
                values = [hostile(k + j) for j in range(len(columns))]
                k += len(columns)
                con.execute(f"UPDATE {table} SET {sets} WHERE {key} = ?", (*values, row))  # noqa: S608
        # the demo's cases are found by surname: the folded surname follows the raw one
        for row_id, surname in con.execute("SELECT id, surname FROM applicants").fetchall():
            con.execute("UPDATE applicants SET surname_fold = ? WHERE id = ?",
                        (surname.casefold(), row_id))
        for row_id, surname in con.execute("SELECT id, applicant_surname FROM cases").fetchall():
            con.execute("UPDATE cases SET applicant_surname_fold = ? WHERE id = ?",
                        (surname.casefold(), row_id))
        # a saved intake draft of the demo's head, its fields raw
        data = {"surname": hostile(1), "name": hostile(2), "address": hostile(3)}
        clerk_id, dept = con.execute(
            "SELECT id, department_code FROM clerks WHERE username = 'demo'"
        ).fetchone()
        con.execute(
            "INSERT INTO drafts (department_code, clerk_id, data, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (dept, clerk_id, json.dumps(data, ensure_ascii=False),
             "2026-03-02 04:00:00.000000", "2026-03-02 04:00:00.000000"),
        )
        con.commit()
    finally:
        con.close()


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("hostile-pty")
    db = home / "hostile.sqlite3"
    make_demo(db, home)
    _through_services(db)
    _straight_into_the_tables(db)
    return db


# -- the terminal ---------------------------------------------------------------------------


class Watched:
    """The desk on a pty, and a check of every byte it has written so far."""

    def __init__(self, desk: BurstDesk) -> None:
        self.desk = desk
        self.decoded = 0
        # strict UTF-8, fed as the bytes come (a character may straddle two reads)
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="strict")

    def check(self, where: str) -> str:
        """Everything the desk wrote up to now is safe (see :func:`assert_safe`); the
        first check that fails names the screen that let the payload through. Returns the
        screen text."""
        self.desk.settle()
        data = bytes(self.desk.session.buffer)
        assert_safe(data, where)
        try:
            text = self._utf8.decode(data[self.decoded:])
        except UnicodeDecodeError as err:  # a lone 0x9b byte is a C1 CSI to the terminal
            raise AssertionError(f"{where}: not UTF-8 ({err})") from None
        self.decoded = len(data)
        assert_no_c1(text, where)
        return self.desk.text()


def assert_safe(data: bytes, where: str) -> None:
    """No payload's own bytes, and no ESC but Textual's drawing (CSI, OSC 22)."""
    for seq in FORBIDDEN_BYTES:
        at = data.find(seq)
        assert at < 0, f"{where}: {seq!r} reached the terminal: {data[max(0, at - 60):at + 40]!r}"
    drawing = TEXTUAL_OSC.sub(b"", data)
    esc = ESCAPE.search(drawing)
    assert esc is None, (
        f"{where}: an escape sequence not Textual's: {drawing[esc.start():esc.start() + 30]!r}"
    )


def assert_no_c1(text: str, where: str) -> None:
    found = FORBIDDEN_POINTS.search(text)
    assert found is None, (
        f"{where}: U+{ord(found.group(0)):04X} reached the terminal: "
        f"{text[max(0, found.start() - 40):found.end() + 20]!r}"
    )


def start(db: Path, home: Path, *command: str) -> BurstDesk:
    copy = home / "desk.sqlite3"
    shutil.copy(db, copy)
    copy.chmod(0o600)
    return BurstDesk(copy, home, command=command)


@pytest.fixture
def watched(hostile_db: Path, tmp_path: Path) -> Iterator[Watched]:
    desk = start(hostile_db, tmp_path)
    try:
        desk.wait_for("Sign in", "User name")
        yield Watched(desk)
    finally:
        desk.close()


def sign_in(w: Watched) -> str:
    text = w.check("login")
    w.desk.burst("demo", "enter", PASSWORD, "enter")
    w.desk.wait_for("Clerk:", "Sign out")
    return text


def go(w: Watched, where: str, *keys: str, wait: tuple[str, ...] = ()) -> str:
    w.desk.burst(*keys)
    if wait:
        try:
            w.desk.wait_for(*wait)
        except AssertionError:
            w.check(where)  # a payload that blanked the screen is the reason to name
            raise
    return w.check(where)


def home(w: Watched) -> None:
    for _ in range(4):
        if "Sign out" in w.desk.text() and "Clerk:" in w.desk.text():
            return
        w.desk.burst("escape")
        w.desk.settle()
    w.desk.wait_for("Clerk:", "Sign out")


def test_login_home_and_lock_show_hostile_names_as_text(hostile_db: Path, tmp_path: Path) -> None:
    """The clerk's name on home, and the Department's name the login screen paints from its
    small cache file before the database is open (that file tampered too)."""
    first = start(hostile_db, tmp_path)
    try:
        # the Department's name from the catalog: the database is open, the names kept
        first.wait_for("Sign in", "User name", "мекемесі")
    finally:
        first.close()
    cached = list((tmp_path / "data").glob("department-name-*.json"))
    assert cached, "the desk keeps the Department's names for the next start"
    for file in cached:
        file.write_text(json.dumps({"kk": hostile(0), "ru": hostile(1)}), encoding="utf-8")
    desk = start(hostile_db, tmp_path)
    try:
        desk.wait_for("Sign in", "User name")
        w = Watched(desk)
        sign_in(w)
        text = w.check("home")
        assert f"Clerk: {MARK}" in text  # the demo head's surname, markup and all
        go(w, "lock", "ctrl+l", wait=("The desk is locked",))
        go(w, "unlock", PASSWORD, "enter", wait=("Clerk:", "Sign out"))
    finally:
        desk.close()


def test_cases_search_and_case_cards_show_hostile_text_as_text(
    watched: Watched, hostile_db: Path
) -> None:
    sign_in(watched)
    text = go(watched, "cases list", "f4", wait=("IIN, case number", MARK))
    assert MARK in text
    text = go(watched, "cases search", MARK[:3], "enter", wait=("Found:",))
    assert MARK in text
    services = services_for(hostile_db)
    statuses = ("returned_incomplete", "accepted", "forwarded", "decided", "result_ready",
                "delivered", "in_safekeeping")
    rows = services.cases.list(limit=200)
    once = {r.iin for r in rows if sum(o.iin == r.iin for o in rows) == 1}  # one card per IIN
    wanted = {r.status: r.iin for r in rows if r.status in statuses and r.iin in once}
    services.engine.dispose()
    assert set(wanted) == set(statuses)
    cards = []
    for status, iin in wanted.items():
        home(watched)
        go(watched, f"cases ({status})", "f4", wait=("IIN, case number",))
        go(watched, f"cases: search by IIN ({status})", iin, "enter", wait=("Found: 1",))
        text = go(watched, f"case card ({status})", "enter", wait=("Applicant", "Address:"))
        assert MARK in text, text
        cards.append(text)
        if status == "returned_incomplete":  # the card's Ctrl+R: finish the returned file
            go(watched, "finish a returned file", "ctrl+r", wait=("Ctrl+S",))
    # a tampered row's controls are shown as stand-ins: seen, never obeyed
    assert any("␛]52;c;cHduZWQ=" in text for text in cards), cards


def test_lifecycle_screens_show_hostile_text_as_text(watched: Watched) -> None:
    sign_in(watched)
    text = go(watched, "deadlines", "f5", wait=("Deadline dashboard",))
    home(watched)
    go(watched, "forwarding: to send", "f6", wait=("←",))
    go(watched, "forwarding: at the Regional Department", "right", wait=("WWII first",))
    go(watched, "forwarding: decided", "right", wait=("waiting for the result",))
    go(watched, "forwarding: results", "right", wait=("Results to hand over",))
    # the postal notice and the hand-over forms, filled with the stored postal address
    go(watched, "postal notice form", "n", wait=("Ctrl+S · Esc",))
    go(watched, "results again", "escape")
    go(watched, "hand-over form", "g")
    home(watched)
    text = go(watched, "complaints", "f7", wait=("Complaints (items 21",))
    assert MARK in text
    for i in range(3):
        go(watched, f"complaint {i + 2}", "down")
    home(watched)
    go(watched, "queue", "f2", wait=("Now serving",))
    home(watched)
    go(watched, "report", "f8", wait=("Indicators",))
    go(watched, "report computed", "f9")
    home(watched)
    go(watched, "information", "i", wait=("Information",))
    home(watched)
    text = go(watched, "intake: resume the saved draft?", "f3",
              wait=("An unfinished intake was found",))
    assert MARK in text  # the draft's surname, in the question
    go(watched, "intake: the draft resumed", "enter", wait=("Step 1 of",))


def test_wall_board_writes_no_payload(hostile_db: Path, tmp_path: Path) -> None:
    desk = start(hostile_db, tmp_path, "board")
    try:
        w = Watched(desk)
        desk.wait_for("Waiting")
        w.check("board")
    finally:
        desk.close()


def test_the_payloads_are_hostile() -> None:
    """A guard on the guard: the stored strings really carry what the checks look for, and
    the checks find it in bytes a leaking desk would write."""
    joined = "".join(hostile_strings()).encode("utf-8", "surrogatepass")
    for seq in FORBIDDEN_BYTES:
        assert seq in joined
    generated = hypothesis_strings(24)
    assert len(generated) == 24 and len(set(generated)) > 12
    for payload in (OSC52_ST, OSC52_BEL, OSC0, CLEAR, DCS):
        with pytest.raises(AssertionError):
            assert_safe(f"{MARK}{payload}".encode(), "a leaking desk")
    for payload in (C1_CSI, C1_OSC, RLO):
        with pytest.raises(AssertionError):
            assert_no_c1(f"{MARK}{payload}", "a leaking desk")
    assert_safe(b"\x1b[?25l\x1b[1;1H\x1b]22;default\x1b\\" + MARK.encode() + b"\x1b", "Textual")
