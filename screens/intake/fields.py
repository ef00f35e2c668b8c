"""What every step of the intake wizard is built from: a labelled row, radio sets, fields,
and :class:`Step`, the base of the five step widgets.

A step owns its fields: it reads them (``values``), puts a draft back (``restore``),
relabels them when the clerk's language changes, and says why the clerk cannot leave it
yet (``problems``). What a step needs to know of the others (the institution type, the
eligibility verdict) the screen tells it; a step never reads another step's fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet

from mss_desk.i18n import t
from mss_desk.services.views import FIELD_LIMITS
from mss_desk.text import clean_line
from mss_desk.vocabulary import (
    DELIVERY_METHODS,
    INSTITUTIONS,
    OWNERSHIP,
    RELATIVES,
    RELATIVES_REASONS,
    SEXES,
)
from widgets.quiet import FormInput
from widgets.text import app_lang

GROUPS: tuple[str, ...] = ("1", "2", "3", "none")  # item 6: disability group (a child: none)

# radio set id -> (option ids, i18n prefix of the options)
RADIOS: dict[str, tuple[tuple[str, ...], str]] = {
    "institution": (INSTITUTIONS, "intake.inst"),
    "ownership": (OWNERSHIP, "intake.ownership"),
    "group": (GROUPS, "intake.group"),
    "relatives": (RELATIVES, "intake.relatives"),
    "relatives_reason": (RELATIVES_REASONS, "intake.reason"),
    "sex": (SEXES, "intake.sex"),
    "delivery_method": (DELIVERY_METHODS, "intake.delivery"),
}

# Text fields: form key -> i18n label key (their limits: FIELD_LIMITS, beside IntakeForm).
TEXT_FIELDS: dict[str, str] = {
    "council_decision_no": "intake.f.council_no",
    "council_decision_date": "intake.f.council_date",
    "spouse_case_no": "intake.f.spouse",
    "birth_date": "intake.f.birth_date",
    "surname": "intake.f.surname",
    "name": "intake.f.name",
    "patronymic": "intake.f.patronymic",
    "address": "intake.f.address",
    "phone": "intake.f.phone",
    "representative_name": "intake.f.rep_name",
    "representative_iin": "intake.f.rep_iin",
    "representative_basis": "intake.f.rep_basis",
    "postal_address": "intake.f.postal_address",
}
DATE_FIELDS: tuple[str, ...] = ("birth_date", "council_decision_date")
DATE_LENGTH = len("DD.MM.YYYY")


def field_limit(key: str) -> int:
    """The most characters the intake field ``key`` takes: ``FIELD_LIMITS`` (the
    services' limits), a date's ten; a field with neither is a mistake (KeyError)."""
    if key in DATE_FIELDS:
        return DATE_LENGTH
    return FIELD_LIMITS[key]


def chosen(radio_set: RadioSet, key: str) -> str | None:
    """The option chosen in the radio set ``key`` (its buttons are ``<key>-<option>``)."""
    pressed = radio_set.pressed_button
    if pressed is None or pressed.id is None:
        return None
    return pressed.id[len(key) + 1 :]


class FieldRow(Horizontal):
    """A label and its field on one line (the label stands out when the field has focus)."""

    DEFAULT_CSS = """
    FieldRow {
        height: auto;
        margin: 0 0 0 0;
    }
    FieldRow > .lbl {
        width: 26;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    FieldRow.-focused > .lbl {
        color: $text;
        text-style: bold reverse;
    }
    FieldRow > Input {
        width: 1fr;
    }
    FieldRow > IinInput {
        width: 1fr;
    }
    FieldRow > RadioSet {
        width: 1fr;
    }
    """

    def __init__(self, key: str, label_key: str, field: Widget, lang: str) -> None:
        super().__init__(id=f"row-{key}", classes="field-row")
        self.key = key
        self.label_key = label_key
        self._field = field
        self._lang = lang

    def compose(self) -> ComposeResult:
        yield Label(Content(t(self.label_key, self._lang)), classes="lbl")
        yield self._field

    def relabel(self, lang: str) -> None:
        self.query_one(".lbl", Label).update(Content(t(self.label_key, lang)))


class Step(Vertical):
    """One page of the wizard (``id="step-<name>"``, inside the screen's switcher)."""

    NAME = ""
    RADIOS: tuple[str, ...] = ()  # the radio sets of this step
    CHECKBOXES: tuple[str, ...] = ()  # the checkboxes of this step
    TEXTS: tuple[str, ...] = ()  # the text fields of this step
    SECTIONS: tuple[tuple[str, str], ...] = ()  # (label id, i18n key) of its section titles

    def __init__(self) -> None:
        super().__init__(id=f"step-{self.NAME}", classes="step")

    @property
    def lang(self) -> str:
        return app_lang(self)

    # -- building
    def radio(self, key: str, *, inline: bool = False) -> RadioSet:
        options, prefix = RADIOS[key]
        buttons = [
            RadioButton(Content(t(f"{prefix}.{o}", self.lang)), id=f"{key}-{o}", compact=True)
            for o in options
        ]
        return RadioSet(*buttons, id=key, classes="inline" if inline else "", compact=True)

    def field(self, key: str, **kwargs: Any) -> Input:
        if key in DATE_FIELDS:
            kwargs.setdefault("placeholder", t("intake.f.date_hint", self.lang))
        # issue 15, item 7: every field has its limit (the services check the same one)
        if "max_length" not in kwargs:
            kwargs["max_length"] = field_limit(key)
        return FormInput(id=key, compact=True, select_on_focus=False, **kwargs)

    def row(self, key: str, label_key: str, field: Widget) -> FieldRow:
        return FieldRow(key, label_key, field, self.lang)

    def checkbox(self, key: str, value: bool = False) -> Checkbox:
        return Checkbox(Content(t(f"intake.f.{key}", self.lang)), value, id=key, compact=True)

    def section(self, key: str, label_key: str) -> Label:
        return Label(Content(t(label_key, self.lang)), classes="section", id=f"sec-{key}")

    # -- reading and writing the fields
    def radio_value(self, key: str) -> str | None:
        return chosen(self.query_one(f"#{key}", RadioSet), key)

    def set_radio(self, key: str, value: str | None) -> None:
        if value is None:
            return
        try:
            self.query_one(f"#{key}-{value}", RadioButton).value = True
        except Exception:  # noqa: BLE001 - an unknown option in an old draft: ignore
            pass

    def text(self, key: str) -> str:
        return clean_line(self.query_one(f"#{key}", Input).value)

    def check(self, key: str) -> bool:
        return self.query_one(f"#{key}", Checkbox).value

    def values(self) -> dict[str, Any]:
        """This step's fields as the draft keeps them (text as typed, cleaned of controls)."""
        data: dict[str, Any] = {key: self.radio_value(key) for key in self.RADIOS}
        data.update({key: self.check(key) for key in self.CHECKBOXES})
        data.update({key: self.text(key) for key in self.TEXTS})
        return data

    def restore(self, data: dict[str, Any]) -> None:
        """Put a saved draft's values of this step back on its fields."""
        for key in self.RADIOS:
            self.set_radio(key, data.get(key))
        for key in self.CHECKBOXES:
            if key in data:
                self.query_one(f"#{key}", Checkbox).value = bool(data[key])
        for key in self.TEXTS:
            if data.get(key):
                self.query_one(f"#{key}", Input).value = clean_line(str(data[key]))

    def relabel(self, lang: str) -> None:
        for row in self.query(FieldRow):
            row.relabel(lang)
        for key in self.CHECKBOXES:
            self.query_one(f"#{key}", Checkbox).label = Content(t(f"intake.f.{key}", lang))
        for key in self.RADIOS:
            options, prefix = RADIOS[key]
            for option in options:
                self.query_one(f"#{key}-{option}", RadioButton).label = Content(
                    t(f"{prefix}.{option}", lang)
                )
        for sec, key in self.SECTIONS:
            self.query_one(f"#sec-{sec}", Label).update(Content(t(key, lang)))
        for key in DATE_FIELDS:
            for node in self.query(f"#{key}").results(Input):
                node.placeholder = t("intake.f.date_hint", lang)

    def show(self, selector: str, visible: bool) -> None:
        for node in self.query(selector):
            if node.display != visible:  # a no-op assignment still restyles the tree
                node.display = visible

    # -- checking
    def problems(self) -> str | None:
        """Why the clerk cannot leave this step yet (a message in their language), or None."""
        return None

    def field_name(self, key: str) -> str:
        return t(TEXT_FIELDS[key], self.lang)

    def too_long(self, keys: Iterable[str]) -> str | None:
        for key in keys:
            limit = FIELD_LIMITS[key]
            if len(self.text(key)) > limit:
                return t("intake.err.too_long", self.lang, field=self.field_name(key), max=limit)
        return None

    def first_field(self) -> Widget | None:
        """Where the focus goes when the step is shown (None: nowhere)."""
        for node in self.query("Checkbox, RadioSet, Input"):
            if node.display and node.parent is not None and node.parent.display and node.focusable:
                return node
        return None
