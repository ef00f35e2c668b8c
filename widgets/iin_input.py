"""IIN field checked as it is typed.

The clerk types twelve digits; beside the field the widget says, in the clerk's language,
whether the IIN is valid and why not (length, date, century digit, checksum), and what
the IIN says about the person (birth date and sex). When the screen also has a typed
birth date or sex, :meth:`IinInput.expect` cross-checks them (SPEC: "birth date and sex
come from the IIN and must agree with what the clerk typed").

All status text is built as :class:`~textual.content.Content`, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from mss_desk.i18n import t, tn
from mss_desk.i18n.dates import format_date
from widgets.limited import LimitedInput

if TYPE_CHECKING:
    from mss_desk.rules.iin import IinInfo

IIN_LENGTH = 12


@dataclass(frozen=True)
class IinState:
    """What the widget knows about the typed value."""

    iin: str
    info: IinInfo | None = None
    error_key: str | None = None
    error_params: tuple[tuple[str, Any], ...] = ()

    @property
    def complete(self) -> bool:
        return len(self.iin) == IIN_LENGTH

    @property
    def valid(self) -> bool:
        return self.info is not None


def check_iin(text: str) -> IinState:
    """Parse the typed digits with the rules (pure, no I/O)."""
    from mss_desk.errors import InvalidIIN
    from mss_desk.rules.iin import parse_iin

    digits = text.strip()
    if len(digits) < IIN_LENGTH:
        return IinState(digits)
    try:
        info = parse_iin(digits)
    except InvalidIIN as exc:
        return IinState(digits, None, exc.key, tuple(sorted(exc.params.items())))
    return IinState(digits, info)


class IinInput(Widget):
    """An IIN input with a live verdict line under it."""

    DEFAULT_CSS = """
    IinInput {
        height: auto;
        layout: vertical;
    }
    IinInput > Input {
        width: 20;
    }
    IinInput > .iin-status {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    IinInput > .iin-status.-valid {
        color: $text-success;
    }
    IinInput > .iin-status.-invalid {
        color: $text-error;
        text-style: bold;
    }
    """

    lang: reactive[str] = reactive("kk")

    class Changed(Message):
        """The typed IIN changed; ``state`` tells whether it is valid and what it says."""

        def __init__(self, iin_input: IinInput, state: IinState) -> None:
            super().__init__()
            self.iin_input = iin_input
            self.state = state

        @property
        def control(self) -> IinInput:
            return self.iin_input

    def __init__(
        self,
        value: str = "",
        *,
        lang: str = "kk",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._initial = "".join(ch for ch in value if ch.isdigit())[:IIN_LENGTH]
        self.state = check_iin(self._initial)
        self._expected_birth: date | None = None
        self._expected_sex: str | None = None
        self.set_reactive(IinInput.lang, lang)

    def compose(self) -> ComposeResult:
        # restrict + max_length: only digits can be typed, never more than twelve.
        yield LimitedInput(
            self._initial,
            restrict=r"[0-9]*",
            max_length=IIN_LENGTH,
            placeholder="000000000000",
            compact=True,
            select_on_focus=False,
            id="iin-field",
        )
        yield Static("", markup=False, classes="iin-status")

    def on_mount(self) -> None:
        self._render_status()

    @property
    def input(self) -> Input:
        return self.query_one("#iin-field", Input)

    @property
    def value(self) -> str:
        return self.state.iin

    @value.setter
    def value(self, new: str) -> None:
        self.input.value = "".join(ch for ch in new if ch.isdigit())[:IIN_LENGTH]

    def focus(self, scroll_visible: bool = True) -> IinInput:
        self.input.focus(scroll_visible)
        return self

    def expect(self, birth_date: date | None, sex: str | None) -> None:
        """Cross-check the IIN against a birth date / sex typed elsewhere on the form."""
        self._expected_birth = birth_date
        self._expected_sex = sex
        if self.is_mounted:
            self._render_status()

    @property
    def mismatches(self) -> tuple[str, ...]:
        """Which typed facts disagree with the IIN: ``birth_date`` and/or ``sex``."""
        info = self.state.info
        if info is None:
            return ()
        out = []
        if self._expected_birth is not None and self._expected_birth != info.birth_date:
            out.append("birth_date")
        if self._expected_sex is not None and self._expected_sex != info.sex:
            out.append("sex")
        return tuple(out)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.state = check_iin(event.value)
        self._render_status()
        self.post_message(self.Changed(self, self.state))

    def watch_lang(self) -> None:
        if self.is_mounted:
            self._render_status()

    def status_text(self) -> str:
        """The verdict line as plain text (also what tests read)."""
        lang = self.lang
        state = self.state
        if not state.iin:
            return t("intake.iin.hint", lang)
        if not state.complete:
            return tn("intake.iin.typing", IIN_LENGTH, lang, n=len(state.iin))
        if state.info is None:
            reason = t(state.error_key or "error.iin", lang, **dict(state.error_params))
            return "✗ " + t("intake.iin.invalid", lang, reason=reason)
        info = state.info
        sex = t(f"intake.sex.{info.sex}", lang)
        text = "✓ " + t("intake.iin.valid", lang, birth=format_date(info.birth_date), sex=sex)
        for field in self.mismatches:
            if field == "birth_date" and self._expected_birth is not None:
                text += "  ✗ " + t(
                    "intake.iin.birth_mismatch",
                    lang,
                    birth=format_date(info.birth_date),
                    typed=format_date(self._expected_birth),
                )
            elif field == "sex" and self._expected_sex is not None:
                text += "  ✗ " + t(
                    "intake.iin.sex_mismatch",
                    lang,
                    sex=sex,
                    typed=t(f"intake.sex.{self._expected_sex}", lang),
                )
        return text

    def _render_status(self) -> None:
        status = self.query_one(".iin-status", Static)
        state = self.state
        status.set_class(state.valid and not self.mismatches, "-valid")
        status.set_class(state.complete and (not state.valid or bool(self.mismatches)), "-invalid")
        text = self.status_text()
        if getattr(status, "_desk_text", None) != text:  # each update costs a layout pass
            status._desk_text = text  # type: ignore[attr-defined]
            status.update(Content(text))
