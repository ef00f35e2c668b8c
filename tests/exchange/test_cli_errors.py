"""Issue 14's command-line contract for every exchange command's error paths: with
``--json`` one JSON value ``{"error": "..."}`` on stdout; exit 1 on invalid input or a
refused bundle, 2 on a usage error; never a traceback; without ``--json`` the one line goes
to stderr and stdout stays empty."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.exchange.conftest import Result

Cli = Callable[..., Result]


@pytest.fixture
def at(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``at(who, *args)``: the command on desk ``who``'s database and data dir."""
    monkeypatch.setenv("MSS_DESK_NOW", "2026-03-02T10:00+05:00")

    def run(who: str, *args: str) -> Result:
        monkeypatch.setenv("MSS_DESK_DATA_DIR", str(tmp_path / who))
        r = cli("--db", str(tmp_path / f"{who}.sqlite3"), *args)
        assert "Traceback" not in r.out + r.err
        return r

    return run


def _error(r: Result, code: int) -> str:
    assert r.code == code, (r.code, r.out, r.err)
    assert set(r.json) == {"error"}
    return str(r.json["error"])


EVERY_COMMAND = (
    ("exchange", "key", "show"),
    ("exchange", "key", "make"),
    ("exchange", "key", "add", "0", "mss1:x"),
    ("exchange", "export", "--to", "0", "--out", "b.mssx"),
    ("exchange", "import", "b.mssx"),
    ("exchange", "status"),
    ("decide", "19-2026-00001", "--refusal", "untrue"),
    ("cases",),
)


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda a: "-".join(a[:3]))
def test_every_command_on_a_desk_not_set_up_is_invalid_input(
    at: Callable[..., Result], args: tuple[str, ...]
) -> None:
    assert "mss-desk init" in _error(at("nobody", *args, "--json"), 1)
    human = at("nobody", *args)
    assert human.code == 1 and human.out == "" and human.err.count("\n") == 1


@pytest.fixture
def desks(at: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    """The regional desk and Department 19, each trusting the other."""
    assert at("region", "init", "--regional", "--json").code == 0
    assert at("dept", "init", "--department", "19", "--json").code == 0
    r = at("region", "exchange", "key", "show", "--json").json["public_key"]
    d = at("dept", "exchange", "key", "show", "--json").json["public_key"]
    assert at("dept", "exchange", "key", "add", "0", r).code == 0
    assert at("region", "exchange", "key", "add", "19", d).code == 0
    return at


INVALID = (  # exit 1: the words say what is wrong
    (("exchange", "key", "add", "abc", "mss1:x"), "no desk with code abc"),
    (("exchange", "key", "add", "99", "mss1:x"), "no desk with code 99"),
    (("exchange", "key", "add", "19", ""), "public key"),
    (("exchange", "key", "add", "19", "mss1:age1abc:zzz"), "public key"),
    (("exchange", "export", "--to", "abc", "--out", "{tmp}/b"), "no desk with code abc"),
    (("exchange", "export", "--to", "7", "--out", "{tmp}/b"), "not trusted"),
    (("exchange", "export", "--to", "19", "--out", "{tmp}/no/such/dir/b"), "Cannot write"),
    (("exchange", "export", "--to", "19", "--out", "{tmp}"), "Cannot write"),
    (("exchange", "import", "{tmp}/missing.mssx"), "Cannot read"),
    (("exchange", "import", "{tmp}"), "Cannot read"),
    (("exchange", "import", "{tmp}/empty.mssx"), "not an MSS Desk bundle"),
    (("exchange", "import", "{tmp}/text.mssx"), "not an MSS Desk bundle"),
    (("exchange", "import", "{tmp}/cut.mssx"), "Nothing was applied"),
    (("decide", "19-2026-00001", "--refusal", "untrue"), "No case 19-2026-00001"),
    (("decide", "19-2026-00001", "--referral", " ", "--institution", "x"), "referral number"),
)

USAGE = (  # exit 2: the command line itself is wrong
    ("exchange",),
    ("exchange", "key"),
    ("exchange", "key", "frob"),
    ("exchange", "key", "show", "extra"),
    ("exchange", "key", "add", "19"),
    ("exchange", "export", "--to", "19"),
    ("exchange", "export", "--out", "b"),
    ("exchange", "export", "--to", "19", "--out", ""),
    ("exchange", "import"),
    ("exchange", "import", ""),
    ("exchange", "import", "a", "b"),
    ("exchange", "status", "--to", "3"),
    ("decide",),
    ("decide", "19-2026-00001"),
    ("decide", "19-2026-00001", "--refusal", "bogus"),
    ("decide", "19-2026-00001", "--refusal", "untrue", "--return", "x"),
    ("decide", "19-2026-00001", "--referral", "R-1"),
    ("decide", "19-2026-00001", "--return", ""),
    ("decide", "19-2026-00001", "--return", "   "),
    ("decide", "19-2026-00001", "--return", "x", "--reason", "y"),
    ("decide", "19-2026-00001", "--referral", "R", "--institution", "x", "--ownership", "bad"),
)


def _fill(args: tuple[str, ...], tmp: Path) -> list[str]:
    return [a.replace("{tmp}", str(tmp)) for a in args]


def test_invalid_input_exits_1_with_one_error_and_changes_nothing(
    desks: Callable[..., Result], tmp_path: Path
) -> None:
    (tmp_path / "empty.mssx").write_bytes(b"")
    (tmp_path / "text.mssx").write_text("hello\n")
    good = tmp_path / "good.mssx"
    assert desks("dept", "exchange", "export", "--to", "0", "--out", str(good)).code == 0
    (tmp_path / "cut.mssx").write_bytes(good.read_bytes()[:-20])
    before = [desks(w, "exchange", "status", "--json").json for w in ("region", "dept")]
    for args, words in INVALID:
        for who in ("region", "dept") if args[1] in ("import", "key") else ("region",):
            error = _error(desks(who, *_fill(args, tmp_path), "--json"), 1)
            assert words in error, (who, args, error)
        human = desks("region", *_fill(args, tmp_path), "--lang", "ru")
        assert human.code == 1 and human.out == "", args
        assert human.err.startswith("mss-desk: ") and human.err.count("\n") == 1
    after = [desks(w, "exchange", "status", "--json").json for w in ("region", "dept")]
    assert after == before


@pytest.mark.parametrize("args", USAGE, ids=lambda a: "-".join(a)[:40])
def test_usage_errors_exit_2_with_one_error(
    desks: Callable[..., Result], args: tuple[str, ...]
) -> None:
    _error(desks("region", *args, "--json"), 2)
    human = desks("region", *args)
    assert human.code == 2 and human.out == "" and "Traceback" not in human.err


def test_decide_on_a_department_desk_is_refused(desks: Callable[..., Result]) -> None:
    """Decisions are the region's alone (a second decision: test_end_to_end, test_cli)."""
    error = _error(desks("dept", "decide", "19-2026-00001", "--refusal", "untrue", "--json"), 1)
    assert "Regional" in error
