"""Issue 15, item 7: every text field has its length limit (``max_length``, from
``mss_desk.vocabulary.FIELD_LIMITS`` where the field is one of them), and what does not fit
is said to the clerk.

Textual's Input refuses a change past ``max_length`` whole, with only the terminal bell.
The desk keeps "whole" — a pasted name or address is never cut at the limit into a wrong
name nobody noticed — and says it (``widgets.limited.LimitedInput``): a paste that does not
fit is not pasted, "Not pasted: the text has N characters, this field takes at most M.
Nothing was changed."; a key typed into a full field: "This field takes at most M
characters." (once).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input

from mss_desk.i18n import t
from mss_desk.vocabulary import FIELD_LIMITS
from screens.dialogs import Field, FormModal
from screens.dialogs.form import FREE_TEXT_LIMIT
from screens.intake.fields import DATE_FIELDS
from tests.tui.conftest import paste_into
from tests.tui.test_intake import start
from widgets.limited import LimitedInput
from widgets.quiet import FormInput

ROOT = Path(__file__).resolve().parents[2]
INPUT_CLASSES = {"Input", "LimitedInput", "FormInput"}


def _notes(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


# --------------------------------------------------------------------------- every field


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _input_calls() -> list[tuple[str, int, ast.Call]]:
    found = []
    for folder in ("screens", "widgets"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _called(node) in INPUT_CLASSES:
                    found.append((str(path.relative_to(ROOT)), node.lineno, node))
    return found


def test_every_text_input_has_a_limit_and_says_it() -> None:
    calls = _input_calls()
    assert len(calls) >= 12  # the fields are found at all
    for where, line, call in calls:
        assert _called(call) != "Input", f"{where}:{line}: a plain Input (use LimitedInput)"
        keywords = {k.arg for k in call.keywords}
        assert "max_length" in keywords or None in keywords, f"{where}:{line}: no max_length"


def test_form_fields_default_to_the_free_text_limit() -> None:
    assert Field("reason", "x").max_length == 0  # → FREE_TEXT_LIMIT when composed
    assert FREE_TEXT_LIMIT == 2000


async def test_every_intake_field_has_its_limit(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        inputs = list(screen.query(Input))
        assert {"surname", "name", "address", "postal_address", "council_decision_no"} <= {
            i.id for i in inputs
        }
        for field in inputs:
            assert isinstance(field, LimitedInput), field.id
            assert field.max_length > 0, field.id
            key = "iin" if field.id == "iin-field" else field.id
            if key in FIELD_LIMITS:
                assert field.max_length == FIELD_LIMITS[key], key
            elif key in DATE_FIELDS:
                assert field.max_length == 10, key


# --------------------------------------------------------------------------- pasting


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
async def test_a_paste_over_the_limit_is_refused_whole_and_said(
    make_app: Any, ready_db: Any, lang: str
) -> None:
    app = make_app(lang=lang)
    limit = FIELD_LIMITS["surname"]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await pilot.press("ctrl+n", "ctrl+n")  # to the applicant's step
        surname = screen.query_one("#surname", Input)
        await paste_into(pilot, screen, "surname", "Әлиев")
        assert surname.value == "Әлиев" and not _notes(app)
        await paste_into(pilot, screen, "surname", "Я" * 8000)
        assert surname.value == "Әлиев"  # nothing half-pasted
        said = t("ui.limit.paste_too_long", lang, length=8000, max=limit)
        assert _notes(app) == [said]
        assert "8000" in said and str(limit) in said
        # what just fits is pasted whole
        surname.value = ""
        await paste_into(pilot, screen, "surname", "Я" * limit)
        assert surname.value == "Я" * limit
        assert len(_notes(app)) == 1


async def test_a_paste_that_would_overflow_what_is_there_is_refused(
    make_app: Any, ready_db: Any
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await pilot.press("ctrl+n", "ctrl+n")
        address = screen.query_one("#address", Input)
        address.value = "а" * (FIELD_LIMITS["address"] - 3)
        address.focus()
        await pilot.pause()
        address.cursor_position = len(address.value)
        await paste_into(pilot, screen, "address", "1234")  # 4 more: one too many
        assert address.value == "а" * (FIELD_LIMITS["address"] - 3)
        assert _notes(app) == [
            t("ui.limit.paste_too_long", "en", length=4, max=FIELD_LIMITS["address"])
        ]
        # selected text is replaced: that fits
        address.selection = address.selection.__class__(0, len(address.value))
        await paste_into(pilot, screen, "address", "Абай 1")
        assert address.value == "Абай 1"


async def test_typing_into_a_full_field_is_said_once(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, ready_db)
        await pilot.press("ctrl+n", "ctrl+n")
        phone = screen.query_one("#phone", Input)
        limit = FIELD_LIMITS["phone"]
        phone.value = "7" * limit
        phone.focus()
        await pilot.pause()
        phone.cursor_position = limit
        await pilot.press("1", "2", "3")
        assert phone.value == "7" * limit
        assert _notes(app) == [t("ui.limit.full", "kk", max=limit)]
        assert "таңба" in _notes(app)[0]


async def test_a_form_dialog_field_says_it_too(make_app: Any, ready_db: Any) -> None:
    """The lifecycle forms (screens.dialogs.FormModal): the postal address's limit."""
    app = make_app(lang="ru")
    limit = FIELD_LIMITS["postal_address"]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fields = (Field("address", "lifecycle.ui.address", max_length=limit),
                  Field("reason", "lifecycle.ui.reason"))
        await app.push_screen(FormModal("x", fields, lambda _v: True))
        await pilot.pause()
        address = app.screen.query_one("#address", Input)
        assert address.max_length == limit
        assert app.screen.query_one("#reason", Input).max_length == FREE_TEXT_LIMIT
        address.focus()
        await pilot.pause()
        from textual import events

        app.post_message(events.Paste("д" * (limit + 1)))
        await pilot.pause()
        assert address.value == ""
        assert _notes(app) == [
            t("ui.limit.paste_too_long", "ru", length=limit + 1, max=limit)
        ]


async def test_a_bare_form_input_without_an_app_language() -> None:
    """The widget alone (no desk App): Kazakh, the clerk's default."""

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield FormInput(id="f", max_length=5)

    app = Bare()
    async with app.run_test() as pilot:
        app.query_one("#f", Input).focus()
        await pilot.pause()
        from textual import events

        app.post_message(events.Paste("123456"))
        await pilot.pause()
        assert app.query_one("#f", Input).value == ""
        assert _notes(app) == [t("ui.limit.paste_too_long", "kk", length=6, max=5)]
