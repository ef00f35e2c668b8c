"""Issue 15, item 7: a long name never hangs the printer.

- word wrapping is linear: the characters measured grow with the text, not its cube
  (counted, never timed: a counted operation's ratio between 1,000 and 10,000 characters);
- a text on paper is capped (``layout.MAX_FIELD_CHARS``) and ends with an ellipsis;
- the one-PDF-at-a-time lock is waited for a bounded time (``paper.busy``), never forever;
- a print job is bounded: at the timeout its whole process group is killed.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mss_desk.paper import fonts as fonts_mod
from mss_desk.paper import layout
from mss_desk.paper.data import PaperSettings
from mss_desk.paper.errors import PaperError
from mss_desk.paper.printing import print_file, save_pdf
from mss_desk.paper.talon import render_talon, talon_flow
from tests.paper.conftest import pdf_text, talon_data

PY = sys.executable


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The characters ReportLab's ``stringWidth`` was asked to measure (one entry a call).

    Width caches are emptied first, so every measurement made is counted.
    """
    calls: list[int] = []
    real = layout.stringWidth

    def counting(text: str, font: str, size: float, *a: Any, **kw: Any) -> float:
        calls.append(len(text))
        return float(real(text, font, size, *a, **kw))

    monkeypatch.setattr(layout, "stringWidth", counting)
    for cached in (layout._width, getattr(layout, "_units", None)):
        if cached is not None:
            cached.cache_clear()
    yield calls
    for cached in (layout._width, getattr(layout, "_units", None)):
        if cached is not None:
            cached.cache_clear()


def _cost(measured: list[int], wrap: Callable[[], list[str]]) -> int:
    measured.clear()
    wrap()
    return sum(measured)


def _flow() -> layout.Flow:
    return layout.Flow(fonts_mod.get_fonts(), layout.column_width("a6"))


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "Ә" * n,  # one word, broken by characters
        lambda n: ("Һәкімжанов " * n)[:n],  # many words
        lambda n: ("Ғ" * 97 + " ") * (n // 98),  # long words, each broken
    ],
    ids=["one-word", "words", "long-words"],
)
def test_wrapping_is_linear(
    measured: list[int], monkeypatch: pytest.MonkeyPatch, make: Callable[[int], str]
) -> None:
    monkeypatch.setattr(layout, "MAX_FIELD_CHARS", 10**6, raising=False)  # wrap it all
    flow = _flow()
    font = flow.fonts.regular
    small = _cost(measured, lambda: flow.wrap(make(1_000), font, 9, flow.width))
    large = _cost(measured, lambda: flow.wrap(make(10_000), font, 9, flow.width))
    # linear: ten times the text, about ten times the characters measured (the old
    # prefix-by-prefix breaking measured ~1,000 times more for ten times the text)
    assert large <= 12 * max(small, 1), (small, large)
    assert large <= 4 * 10_000  # and a few measurements per character, not thousands


def test_wrapped_lines_keep_every_character_and_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "MAX_FIELD_CHARS", 10**6, raising=False)
    flow = _flow()
    font = flow.fonts.regular
    text = "Ә" * 3_000 + " Ғалымжан " + "Қ" * 500
    lines = flow.wrap(text, font, 9, flow.width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert layout.stringWidth(line, font, 9) <= flow.width + 1e-6
    # full lines are full: a one-character longer line would not fit
    for line, nxt in zip(lines, lines[1:], strict=False):
        if " " not in line and " " not in nxt:
            assert layout.stringWidth(line + nxt[0], font, 9) > flow.width


def test_a_ten_thousand_character_name_makes_a_bounded_talon(measured: list[int]) -> None:
    name = "Һәкімжанов" * 1_000  # 10,000 characters, one word
    pdf = render_talon(talon_data(applicant_name=name, postal_address="Ақкөл " * 2_000))
    text = pdf_text(pdf)
    assert "…" in text
    assert text.count("Һәкімжанов") < 1_000 // 4  # capped near MAX_FIELD_CHARS
    # a bounded amount of measuring for the whole talon (the old code: ~10^11 characters)
    assert sum(measured) <= 40 * (layout.MAX_FIELD_CHARS + 10_000)


def test_the_cap_is_counted_in_lines(measured: list[int]) -> None:
    """Lines drawn for a huge name: the same for 10,000 and 100,000 characters."""
    lines = [
        len(talon_flow(talon_data(applicant_name="Ә" * n), "a6").items)
        for n in (10_000, 100_000)
    ]
    assert lines[0] == lines[1]


def test_the_ellipsis_marks_a_cut_text() -> None:
    flow = _flow()
    cut = flow.safe("Ә" * (layout.MAX_FIELD_CHARS + 5))
    assert len(cut) == layout.MAX_FIELD_CHARS and cut.endswith(layout.ELLIPSIS)
    assert flow.safe("Ә" * layout.MAX_FIELD_CHARS) == "Ә" * layout.MAX_FIELD_CHARS
    assert fonts_mod.get_fonts().can_draw(layout.ELLIPSIS)


def test_the_register_cuts_a_long_name_in_one_pass(measured: list[int]) -> None:
    from mss_desk.paper import register

    fonts = fonts_mod.get_fonts()
    fit = register._fit("Ә" * 10_000, fonts, 7, 120)
    assert fit.endswith("…") and len(fit) < 100
    assert layout.stringWidth(fit, fonts.regular, 7) <= 120


# --- the lock and the print job -------------------------------------------------------------


def test_the_pdf_lock_is_waited_for_a_bounded_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts_mod, "PDF_LOCK_TIMEOUT", 0.2, raising=False)
    taken, done = threading.Event(), threading.Event()

    def holder() -> None:  # another print holding the lock (as a 10,000-char talon did)
        with fonts_mod._PDF_LOCK:
            taken.set()
            done.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert taken.wait(5)
        with pytest.raises(PaperError) as err:
            render_talon(talon_data())
        assert err.value.key == "paper.busy"
    finally:
        done.set()
        thread.join()
    assert render_talon(talon_data()).startswith(b"%PDF")  # free again: it prints


def test_a_print_job_is_killed_whole_at_its_timeout(tmp_path: Path) -> None:
    """A wrapper that leaves a child running: at the timeout the child dies with it."""
    pid_file = tmp_path / "child.pid"
    child = "import time; time.sleep(60)"
    wrapper = (
        "import subprocess, sys, time\n"
        f"p = subprocess.Popen([{PY!r}, '-c', {child!r}],"
        " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        f"open({str(pid_file)!r}, 'w').write(str(p.pid))\n"
        "time.sleep(60)\n"
    )
    script = tmp_path / "lp.py"
    script.write_text(wrapper)
    path = save_pdf(b"%PDF-1.4", tmp_path / "x.pdf")
    settings = PaperSettings(print_command=f"{PY} {script}", print_timeout=2)
    result = print_file(path, settings)
    assert (result.printed, result.key) == (False, "paper.print_timeout")
    pid = int(pid_file.read_text())
    assert not _alive(pid), "the print job's child outlived the timeout"


def _alive(pid: int) -> bool:
    import time

    for _ in range(50):  # a killed process may take a moment to be reaped
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().split(")")[-1].split()[0] == "Z":
                    return False  # a zombie: dead, waiting for its parent to read it
        except OSError:
            return False
        time.sleep(0.1)
    return True


def test_print_timeout_must_be_bounded() -> None:
    for bad in (0, -1, float("inf"), float("nan"), 601):
        with pytest.raises(ValueError):
            PaperSettings(print_timeout=bad)
    assert PaperSettings(print_timeout=600).print_timeout == 600
