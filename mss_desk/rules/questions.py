"""Which eligibility questions each institution type asks (item 6).

Pure data and one function: the intake wizard shows only the questions of the chosen type
(the rest are hidden) and treats an unasked question as unanswered, so a tick left over
from another type never changes the verdict or the checklist.
"""

from __future__ import annotations

QUESTIONS: dict[str, frozenset[str]] = {
    # item 6.1: elderly or disabled of groups 1-2; relatives; WWII first priority
    "elderly_general": frozenset(
        {"disabled", "group", "wwii", "needs_care", "relatives", "relatives_reason", "council"}
    ),
    # item 6.2: disabled children 4-18 with psychoneurological pathology
    "children_psychoneuro": frozenset({"disabled", "group", "psychoneuro", "needs_care"}),
    # item 6.3: disabled of groups 1-2 over 18 with psychoneurological pathology
    "adult_psychoneuro": frozenset(
        {"disabled", "group", "psychoneuro", "needs_care", "declared_incapable"}
    ),
}


def asks(institution: str | None, question: str) -> bool:
    """Whether the type ``institution`` asks ``question`` (no type chosen: none are asked)."""
    return question in QUESTIONS.get(institution or "", frozenset())


__all__ = ["QUESTIONS", "asks"]
