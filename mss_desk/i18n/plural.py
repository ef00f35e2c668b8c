"""Plural forms by each language's own rules (CLDR, through Babel) — issue 12, point 9.

"1 files", "(1 days left)" and Russian "1 лет" came from one fixed form per message. A
countable message is now a table of forms by CLDR plural category, and names the parameter
it counts (``by``, default ``count``)::

    days_left = { by = "n", one = "({n} day left)", other = "({n} days left)" }        # en
    days_left = { by = "n", one = "(остался {n} день)", few = "(осталось {n} дня)",
                  many = "(осталось {n} дней)", other = "(осталось {n} дня)" }          # ru

English and Kazakh have ``one``/``other`` (a Kazakh noun stays singular after a numeral,
so its two forms are often the same words), Russian ``one``/``few``/``many``/``other``
(``other`` is for fractions). Babel says which category a number falls in: ru 1, 21, 101 →
``one``; 2–4, 22 → ``few``; 0, 5–20, 25 → ``many``.

Babel is imported on first use (not at start-up).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

DEFAULT_BY = "count"
CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@dataclass(frozen=True)
class Plural:
    """One countable message in one language: the counted parameter and its forms."""

    by: str
    forms: Mapping[str, str]

    def pick(self, count: Any, lang: str) -> str:
        """The form for ``count`` (``other`` if the number is not a number)."""
        try:
            category = category_of(count, lang)
        except (TypeError, ValueError):
            category = "other"
        return self.forms.get(category) or self.forms["other"]


def is_plural_table(value: Any) -> bool:
    """A catalog entry that is a table of plural forms (it always has ``other``)."""
    return isinstance(value, dict) and isinstance(value.get("other"), str)


def from_table(table: Mapping[str, Any]) -> Plural:
    forms = {k: str(v) for k, v in table.items() if k in CATEGORIES}
    return Plural(by=str(table.get("by", DEFAULT_BY)), forms=forms)


@cache
def _plural_rule(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(lang).plural_form


def category_of(count: Any, lang: str) -> str:
    """The CLDR plural category of ``count`` in ``lang`` (``one``, ``few``, ``many`` …)."""
    number = count if isinstance(count, int | float) else float(str(count))
    return str(_plural_rule(lang)(abs(number)))


@cache
def categories(lang: str) -> frozenset[str]:
    """The categories ``lang`` distinguishes (for the catalog test)."""
    return frozenset(_plural_rule(lang).tags | {"other"})
