"""Every message key exists in Kazakh, Russian and English; Kazakh uses real Kazakh letters."""

import re

import pytest

from mss_desk.i18n import LANGS, messages, t

LATIN_LOOKALIKES = re.compile(r"[A-Za-z][\u0400-\u04FF]|[\u0400-\u04FF][A-Za-z]")


def test_all_languages_have_the_same_keys() -> None:
    keys = {lang: set(messages(lang)) for lang in LANGS}
    for lang in LANGS:
        assert keys[lang] == keys["en"], (
            lang,
            sorted(keys["en"] - keys[lang]),
            sorted(keys[lang] - keys["en"]),
        )


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_latin_letters_glued_to_cyrillic(lang: str) -> None:
    """A Latin 'y' inside a Cyrillic word is the scan's mistake, never ours."""
    bad = {k: v for k, v in messages(lang).items() if LATIN_LOOKALIKES.search(v)}
    assert not bad


def test_kazakh_messages_are_not_russian() -> None:
    kk, ru = messages("kk"), messages("ru")
    same = [k for k in kk if kk[k] == ru[k] and re.search(r"[\u0400-\u04FF]{4,}", kk[k])]
    assert not same


def test_placeholders_are_filled() -> None:
    assert t("error.generic", "en", message="x") == "Something went wrong: x"
    assert t("no.such.key", "kk") == "no.such.key"
