"""The desk started with no command reads its options without the command-line parser
(issue 12 point 15: start-up): ``mss_desk.cli._desk_args`` must read them exactly as
``build_parser().parse_args`` does, and leave everything else to the parser."""

from __future__ import annotations

import pytest

from mss_desk.cli import _desk_args
from mss_desk.cli.parser import build_parser


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "desk.sqlite3"],
        ["--db=desk.sqlite3"],
        ["--db="],
        ["--db", "postgresql+psycopg://desk@host/db?sslmode=require"],
        ["--lang", "ru"],
        ["--lang=en", "--db", "a b.sqlite3"],
        ["--department", "3", "--db", "x", "--lang", "kk"],
        ["--department=19"],
        ["--db", "first", "--db", "second"],  # the last one counts, as in argparse
    ],
)
def test_the_desk_options_read_as_the_parser_reads_them(argv: list[str]) -> None:
    fast = _desk_args(argv)
    assert fast is not None
    assert vars(fast) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["run"],
        ["--db", "x", "run"],
        ["iin", "450509300019"],
        ["--json"],
        ["--version"],
        ["--help"],
        ["--db"],  # a missing value: the parser says so
        ["--db", "--lang", "ru"],
        ["--lang", "de"],  # not a language of the desk: the parser says so
        ["--lan", "ru"],  # an abbreviation: argparse's rules, not ours
        ["-h"],
        ["--db", "-"],
    ],
)
def test_anything_else_is_left_to_the_parser(argv: list[str]) -> None:
    assert _desk_args(argv) is None
