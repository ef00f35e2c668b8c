"""Item 6: which questions each institution type asks (the wizard hides the others)."""

from __future__ import annotations

from mss_desk.rules.questions import QUESTIONS, asks
from mss_desk.vocabulary import INSTITUTIONS


def test_every_type_has_its_questions() -> None:
    assert set(QUESTIONS) == set(INSTITUTIONS)
    for questions in QUESTIONS.values():
        assert {"disabled", "group", "needs_care"} <= questions


def test_relatives_and_wwii_are_asked_only_for_the_elderly() -> None:
    assert asks("elderly_general", "relatives") and asks("elderly_general", "wwii")
    assert asks("elderly_general", "council")
    for inst in ("children_psychoneuro", "adult_psychoneuro"):
        assert not asks(inst, "relatives") and not asks(inst, "wwii")
        assert asks(inst, "psychoneuro")
    assert asks("adult_psychoneuro", "declared_incapable")  # item 12.3
    assert not asks("children_psychoneuro", "declared_incapable")


def test_no_type_asks_nothing() -> None:
    assert not asks(None, "disabled")
    assert not asks("unknown", "disabled")
