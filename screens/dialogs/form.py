"""A small keyboard form whose save is a service write (the lifecycle screens' dialogs).

Enter goes to the next field (on the last one it saves), Ctrl+S saves, Esc cancels.
``submit(values)`` does the work — parsing what was typed and calling a service — in a
thread worker (:meth:`DeskModal.run_service`): a write waiting for the database lock never
freezes the screen, and a second Ctrl+S or Enter meanwhile does not save twice. A
``DeskError`` is shown on the form, which stays open with what the clerk typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Static

from mss_desk.errors import DeskError
from mss_desk.text import clean_line
from screens.base import DeskModal
from widgets import keymap
from widgets.limited import LimitedInput

FREE_TEXT_LIMIT = 2000  # a free text (a reason, an answer): as long as any field may be
DATE_LENGTH = len("DD.MM.YYYY")
CASE_NO_LENGTH = 16  # a case number DD-YYYY-NNNNN (with room to spare), as the intake's


@dataclass(frozen=True)
class Field:
    id: str
    label: str  # i18n key
    kind: str = "input"  # input / checkbox / radio
    value: Any = ""
    options: tuple[str, ...] = ()  # radio: i18n keys, index = value
    # issue 15, item 7: the most characters an input takes (FIELD_LIMITS where the field
    # is one of them, e.g. the postal address); 0: FREE_TEXT_LIMIT
    max_length: int = 0


class FormModal(DeskModal[Any]):
    """``FormModal(title, fields, submit)``: dismisses with what ``submit`` returned (True
    when that was None), or None when cancelled."""

    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal > Vertical {
        /* issue 12.13: the right edge stays on a 60-column screen; a tall form scrolls */
        width: 76; max-width: 100%; height: auto; max-height: 100%; overflow-y: auto;
        border: round $accent;
        background: $panel; padding: 0 1;
    }
    FormModal Input { height: 1; }
    FormModal RadioSet { height: auto; width: 100%; }
    FormModal .field-label { margin-top: 0; }
    """
    BINDINGS = keymap.bindings("form.save", "form.cancel")

    def __init__(
        self, title: str, fields: tuple[Field, ...], submit: Callable[[dict[str, Any]], Any]
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.submit = submit
        self.saving = False  # a save is in flight: the keys wait for its answer

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.form_title), classes="title")
            for f in self.fields:
                if f.kind == "checkbox":
                    yield Checkbox(self.t(f.label), bool(f.value), id=f.id, compact=True)
                elif f.kind == "radio":
                    with RadioSet(id=f.id, compact=True):
                        for i, key in enumerate(f.options):
                            yield RadioButton(self.t(key), value=i == int(f.value or 0))
                else:
                    yield Static(Content(self.t(f.label)), classes="field-label")
                    # a value read from the database (the postal address) is cleaned as
                    # the service would store it: an old row's ESC never reaches the tty
                    yield LimitedInput(
                        clean_line(str(f.value)), id=f.id, compact=True,
                        max_length=f.max_length or FREE_TEXT_LIMIT,
                    )
            yield Static(id="form-message", classes="message")
            yield Static(Content("Ctrl+S · Esc"), classes="hint")

    def on_mount(self) -> None:
        first = self.query_one(f"#{self.fields[0].id}")
        first.focus()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            if f.kind == "checkbox":
                out[f.id] = self.query_one(f"#{f.id}", Checkbox).value
            elif f.kind == "radio":
                out[f.id] = self.query_one(f"#{f.id}", RadioSet).pressed_index
            else:
                out[f.id] = self.query_one(f"#{f.id}", Input).value
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = [f.id for f in self.fields if f.kind == "input"]
        if event.input.id == inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        if self.saving:
            return  # the first save is still waiting for the database
        values = self.values()
        self.saving = True
        self.run_service(lambda: self.submit(values), self._saved, self._refused, group="save")

    def _saved(self, result: Any) -> None:
        self.saving = False
        if self.is_attached:
            self.dismiss(result if result is not None else True)

    def _refused(self, err: DeskError) -> None:
        self.saving = False
        if self.is_attached:
            self.query_one("#form-message", Static).update(Content(self.desk.error_text(err)))

    def action_cancel(self) -> None:
        if self.saving:
            return  # the write is on its way: its answer closes the form
        self.dismiss(None)
