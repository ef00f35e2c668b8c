import pytest
from hypothesis import given
from hypothesis import strategies as st

from mss_desk.text import clean, clean_line, is_clean, mask_iin, visible

HOSTILE = ["[/", "[/]", "[@click=app.quit]x[/]", "\x1b]0;x\x07", "\x9b2J", "\u202e", "a\x00b"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_loses_controls_but_keeps_brackets(text: str) -> None:
    out = clean(text)
    assert is_clean(out)
    assert out.count("[") == text.count("[")


def test_clean_keeps_kazakh_and_newlines() -> None:
    assert clean("Әлия\nҚасымқызы\tҮ") == "Әлия\nҚасымқызы\tҮ"
    assert clean_line(" Әлия\n Ұ ") == "Әлия  Ұ"
    assert clean("\x1b]0;x\x07") == "]0;x"


@given(st.text())
def test_clean_is_idempotent_and_total(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    assert is_clean(once)


def test_visible_shows_what_clean_strips() -> None:
    """Issue 15, item 1: a tampered row's controls are shown as stand-ins, never sent."""
    assert visible("Ә\x1b]52;c;eA==\x1b\\") == "Ә␛]52;c;eA==␛\\"
    assert visible("a\x9b2J\u202eb\x7f\x00\ud800") == "a�2J�b␡␀�"
    assert visible("Әлия\nҚ\tҮ [b]x[/]") == "Әлия\nҚ\tҮ [b]x[/]"


@given(st.text())
def test_visible_is_clean_and_keeps_every_other_character(text: str) -> None:
    shown = visible(text)
    assert is_clean(shown)
    assert len(shown) == len(text)
    assert clean(text) == "".join(c for c, o in zip(shown, text, strict=True) if c == o)


def test_mask_iin_hides_the_middle() -> None:
    assert mask_iin("450315300123") == "45********23"
    assert "0315" not in mask_iin("450315300123")
