"""Countable messages take the plural form of the clerk's language (issue 12, point 9).

"1 files", "(1 days left)" and Russian "1 лет" came from one fixed form per message. Every
message that says a number with a noun is a table of CLDR plural forms
(:mod:`mss_desk.i18n.plural`); this runs each with 0, 1, 2, 5, 11, 21 and 101 in kk, ru
and en.
"""

from __future__ import annotations

import re
import string

import pytest

from mss_desk.i18n import LANGS, messages, plurals, retranslate, t, tn
from mss_desk.i18n.plural import categories, category_of

COUNTS = (0, 1, 2, 5, 11, 21, 101)

# Every message that puts a number before (or after) a noun that agrees with it. A new one
# is added here and made a plural table (the test below finds any that is missed).
COUNTABLE = {
    "lifecycle.alert.days_left": "days",
    "lifecycle.alert.days_over": "days",
    "lifecycle.ui.forwarded": "count",
    "intake.deadline.days_left": "n",
    "intake.deadline.overdue": "n",
    "intake.iin.typing": "total",
    "intake.err.too_long": "max",
    "safety.audit_ok": "count",
    "rules.reason.too_young": "age",
    "rules.reason.too_old": "age",
    "clerks.password_short": "min",
    "clerks.password_long": "max",
    "cli.json_number_too_long": "limit",
    "intake.error.documents_missing": "count",
    "cli.demo.clerks": "count",
    "cli.demo.tickets": "count",
    "cli.demo.cases": "count",
    "ui.limit.paste_too_long": "length",
    "ui.limit.full": "max",
    "region.places.referral_too_long": "max",
    "region.places.institution_too_long": "max",
}

# Numbers said with a unit abbreviation ("мин", "дн.", "d", "y. m.") or after a colon
# ("Найдено: 5") do not agree with the number: not countable.
NOT_COUNTABLE_WORDS = re.compile(r"\b(days?|years?|files?|cases?|events?|characters?|digits?)\b")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_countable_message_is_a_plural_table_in_every_language() -> None:
    for lang in LANGS:
        assert set(plurals(lang)) == set(COUNTABLE), lang
        for key, by in COUNTABLE.items():
            plural = plurals(lang)[key]
            assert plural.by == by, (lang, key)
            # exactly the categories CLDR gives the language (ru: one, few, many, other)
            assert set(plural.forms) == categories(lang), (lang, key, sorted(plural.forms))
            for form in plural.forms.values():
                assert by in _fields(form), (lang, key, form)


def test_no_english_message_says_a_number_with_a_fixed_plural() -> None:
    """A ``{param}`` right before "days", "files", "years" … is a countable message."""
    for key, text in messages("en").items():
        if key in COUNTABLE:
            continue
        said = re.findall(r"\{(\w+)\}\)? " + NOT_COUNTABLE_WORDS.pattern, text)
        assert not said, (key, text)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", sorted(COUNTABLE))
def test_each_countable_message_says_every_count(lang: str, key: str) -> None:
    by = COUNTABLE[key]
    others = {name: f"<{name}>" for name in _fields(messages("en")[key]) if name != by}
    plural = plurals(lang)[key]
    for n in COUNTS:
        said = tn(key, n, lang, **others)
        assert said == plural.forms[category_of(n, lang)].format(**{by: n}, **others)
        assert str(n) in said and "{" not in said, (lang, key, n, said)
        # t() with the counted parameter says the same
        assert t(key, lang, **{by: n}, **others) == said


def test_russian_years_days_and_files() -> None:
    def years(n: int) -> str:
        return t("rules.reason.too_young", "ru", age=n, min_age=18, item="6.3")

    for n, word in ((1, "год"), (2, "года"), (5, "лет"), (11, "лет"), (21, "год"), (101, "год")):
        assert f" {n} {word}," in years(n)
    assert tn("intake.deadline.days_left", 1, "ru") == "(остался 1 день)"
    assert tn("intake.deadline.days_left", 3, "ru") == "(осталось 3 дня)"
    assert tn("intake.deadline.days_left", 11, "ru") == "(осталось 11 дней)"
    assert tn("lifecycle.ui.forwarded", 22, "ru").endswith("22 дела")
    assert tn("clerks.password_short", 21, "ru").endswith("не менее 21 символа")
    assert tn("clerks.password_short", 8, "ru").endswith("не менее 8 символов")


def test_english_one_and_many() -> None:
    assert tn("intake.deadline.days_left", 1, "en") == "(1 day left)"
    assert tn("intake.deadline.days_left", 21, "en") == "(21 days left)"
    assert tn("lifecycle.ui.forwarded", 1, "en") == "1 file sent to the Regional Department"
    assert tn("safety.audit_ok", 0, "en") == "Audit chain intact: 0 events."


def test_kazakh_noun_stays_singular_after_a_number() -> None:
    assert tn("lifecycle.alert.days_left", 1, "kk") == "1 күн қалды"
    assert tn("lifecycle.alert.days_left", 5, "kk") == "5 күн қалды"


def test_a_countable_message_is_said_again_in_the_new_language() -> None:
    said = tn("intake.deadline.overdue", 2, "en")
    assert said == "(overdue by 2 days)"
    assert retranslate(said, "ru") == "(просрочено на 2 дня)"


def test_a_count_that_is_not_a_number_takes_the_general_form() -> None:
    assert tn("intake.deadline.days_left", "?", "ru") == "(осталось ? дня)"
