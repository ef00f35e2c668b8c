"""Issue 15 item 1 (command-line side): hostile text never reaches the terminal raw.

A facts file, an argument or a stored name may hold OSC 52 (writes the clipboard), OSC 0
(window title), ``ESC [ 2 J`` (blanks the screen), C1 controls, bidi overrides and lone
surrogates. Every text the CLI writes (human output, one-line errors, ``--json``) shows them
escaped: no raw ESC, no C1 character, no bidi override and no lone surrogate on stdout or
stderr, in-process and in a real process.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mss_desk.cli.errors import json_text, screen_text
from mss_desk.rules.iin import make_iin

HOSTILE = (
    "\x1b]52;c;SGVsbG8=\x07"  # OSC 52: set the clipboard
    "\x1b]0;pwned\x1b\\"  # OSC 0: window title
    "\x1b[2J"  # CSI: clear the screen
    "\x9b2J\x9d0;t\x9c"  # the same in C1 controls
    "\u202eevil\u2066x\u2069"  # bidi override and isolate
    "\ud800"  # a lone surrogate
    "\r\x08\x7f"
)
# what must never reach a terminal from data
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
STORED = HOSTILE.replace("\ud800", "")  # a database cannot hold a lone surrogate
ON = "2026-03-02"
MONDAY = "2026-03-02T10:00"


def assert_clean(*texts: str) -> None:
    for text in texts:
        found = UNSAFE.search(text)
        assert found is None, f"raw {found.group()!r} reached the terminal: {text!r}"


def good_facts(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "institution": "elderly_general",
        "iin": make_iin(date(1945, 5, 9), "male"),
        "on": ON,
        "needs_care": True,
        "relatives": "no_relatives",
    }
    base.update(over)
    return base


HOSTILE_FACTS = [
    pytest.param(good_facts(institution="x" + HOSTILE), id="institution"),
    pytest.param(good_facts(relatives=HOSTILE), id="relatives"),
    pytest.param(
        good_facts(relatives="relatives_unable", relatives_reason=HOSTILE), id="relatives_reason"
    ),
    pytest.param(good_facts(on="2026" + HOSTILE), id="on"),
    pytest.param({**good_facts(), HOSTILE: 1}, id="unknown field"),
    pytest.param(good_facts(iin="4505" + HOSTILE), id="iin"),
    pytest.param(good_facts(sex=HOSTILE), id="sex"),
]


def _write(tmp_path: Path, facts: dict[str, Any]) -> str:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")  # \uXXXX escapes: valid JSON
    return str(path)


@pytest.mark.parametrize("facts", HOSTILE_FACTS)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_evaluate_with_a_hostile_facts_file(tmp_path: Path, cli, facts, lang) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, facts)
    human = cli("evaluate", path, "--lang", lang)
    assert human.code == 1
    assert_clean(human.out, human.err)
    as_json = cli("evaluate", path, "--json", "--lang", lang)
    assert as_json.code == 1
    assert_clean(as_json.out, as_json.err)
    assert set(as_json.json) == {"error"}


def test_the_escape_is_visible_not_dropped(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("evaluate", _write(tmp_path, good_facts(relatives=HOSTILE)), "--lang", "en")
    assert "\\x1b]52;c;SGVsbG8=\\x07" in r.err and "\\u202e" in r.err and "\\x9b" in r.err
    assert "\\ud800" in r.err
    assert r.err.count("\n") == 1  # still one line


def test_real_process_with_a_hostile_facts_file(tmp_path: Path, proc) -> None:  # type: ignore[no-untyped-def]
    """Real stdout/stderr: a lone surrogate once made ``--json`` a traceback."""
    for facts in (good_facts(relatives=HOSTILE), {**good_facts(), HOSTILE: 1}):
        path = _write(tmp_path, facts)
        for extra in ([], ["--json"]):
            r = proc("evaluate", path, "--lang", "en", *extra)
            assert r.code == 1
            assert_clean(r.out, r.err)


@pytest.mark.parametrize("as_json", [False, True])
def test_iin_with_a_hostile_argument(cli, proc, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    flag = ["--json"] if as_json else []
    for args in (["iin", HOSTILE], ["iin", "450509300012" + HOSTILE], ["iin", "1", HOSTILE]):
        r = cli(*args, *flag)
        assert r.code in (1, 2)
        assert_clean(r.out, r.err)
    text_args = ["iin", "1", HOSTILE.replace("\ud800", "")]  # argv cannot carry a surrogate
    r = proc(*text_args, *flag)
    assert r.code == 2
    assert_clean(r.out, r.err)


def test_usage_errors_and_bad_dates_are_escaped(cli) -> None:  # type: ignore[no-untyped-def]
    for args in (
        ["deadlines", "--accepted", HOSTILE],
        ["deadlines", "--accepted", "2026-03-02T10:00", "--forwarded", HOSTILE],
        ["ticket", "issue", "--purpose", HOSTILE],
        ["--db", "mysql://" + HOSTILE, "cases"],
        ["--db", "/nonexistent/" + HOSTILE, "cases"],
    ):
        for flag in ([], ["--json"]):
            r = cli(*args, *flag)
            assert r.code in (1, 2), args
            assert_clean(r.out, r.err)


# --------------------------------------------------------------------------- stored text


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A demo desk whose applicants' surnames were later made hostile (as a restored or
    foreign database may hold: the services clean at input, this output path must not
    rely on it)."""
    from mss_desk.cli import main

    path = str(tmp_path_factory.mktemp("hostile") / "desk.sqlite3")
    mp = pytest.MonkeyPatch()
    mp.setenv("MSS_DESK_NOW", MONDAY)
    try:
        assert main(["demo", "--db", path, "--json"]) == 0
    finally:
        mp.undo()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE applicants SET surname = ? || surname", (STORED,))
        # Each case shows its own snapshot of the person as accepted (issue 15.3).
        conn.execute("UPDATE cases SET applicant_surname = ? || applicant_surname", (STORED,))
    return path


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_cases_with_a_stored_hostile_name(hostile_db: str, cli, monkeypatch, lang: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    as_json = cli("cases", "--db", hostile_db, "--json", "--lang", lang)
    assert as_json.code == 0
    assert_clean(as_json.out, as_json.err)
    rows = as_json.json
    assert rows and all(STORED in row["applicant"] for row in rows)  # the value is kept
    assert any(ch in as_json.out for ch in "ӘәҚқҰұҮүІі"), "Kazakh letters stay readable"
    human = cli("cases", "--db", hostile_db, "--lang", lang)
    assert human.code == 0
    assert_clean(human.out, human.err)
    assert "\\x1b]52;c;" in human.out and "\\u202e" in human.out


def test_real_process_cases_with_a_stored_hostile_name(hostile_db: str, proc) -> None:  # type: ignore[no-untyped-def]
    for flag in ([], ["--json"]):
        r = proc("cases", "--db", hostile_db, *flag, env={"MSS_DESK_NOW": MONDAY})
        assert r.code == 0
        assert_clean(r.out, r.err)


# --------------------------------------------------------------------------- the one function


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_json_text_is_safe_and_keeps_every_value(text: str) -> None:
    out = json_text({"k": text, text: [text]})
    assert_clean(out)
    assert json.loads(out) == {"k": text, text: [text]}


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_screen_text_is_safe(text: str) -> None:
    assert_clean(screen_text(text))
    multiline = screen_text(text, multiline=True)
    assert UNSAFE.search(multiline.replace("\n", "").replace("\t", "")) is None
    multiline.encode("utf-8")  # a lone surrogate can no longer break the encoder


def test_json_keeps_letters_readable() -> None:
    assert json_text({"name": "Әбдіұлы Қайрат Ғалымұлы"}) == '{"name": "Әбдіұлы Қайрат Ғалымұлы"}'


def test_the_debug_log_holds_no_personal_data_and_no_escapes(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An internal error from a failed statement: SQLAlchemy quotes its parameters (names,
    IINs) in the message; the log keeps the statement, never the values."""
    import os

    import mss_desk.cli.parser as parser

    def broken(ctx: Any) -> int:
        raise RuntimeError(
            "(sqlite3.IntegrityError) boom\n[SQL: INSERT INTO applicants VALUES (?, ?)]\n"
            f"[parameters: ('Әбдіұлы{STORED}', '450509300019')]"
        )

    monkeypatch.setattr(parser, "cmd_iin", broken)
    monkeypatch.setenv("MSS_DESK_DEBUG", "1")
    r = cli("iin", "1", "--lang", "en")
    assert r.code == 1 and "internal error" in r.err
    assert_clean(r.out, r.err)
    text = (Path(os.environ["MSS_DESK_DATA_DIR"]) / "debug.log").read_text(encoding="utf-8")
    assert "INSERT INTO applicants" in text and "[parameters: hidden]" in text
    assert "Әбдіұлы" not in text and "450509300019" not in text
    assert_clean(text.replace("\n", ""))
