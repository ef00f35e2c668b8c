"""Keys in a burst land where they were typed (screens.keys, screens.escape) — in-process.

A burst is posted to the App all at once (no await between keys: what the driver does with
one read from a laggy link); the pty tests (test_burst_typing.py) do the same through a real
terminal. Textual's own App is run beside the desk's to show the trap is real.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from screens.escape import DeskParser
from screens.keys import OrderedKeysApp

KEY_NAMES = {"tab", "shift+tab", "enter", "escape", "ctrl+s", "f2"}
CHARS = {"\r": "enter", "\t": "tab", "\x1b": "escape", "\x13": "ctrl+s"}


def burst(app: App[Any], *parts: str) -> None:
    """Post every key to the App before it handles any (one read of a burst): key names
    from :data:`KEY_NAMES`, anything else typed character by character."""
    for part in parts:
        if part in KEY_NAMES:
            app.post_message(events.Key(part, CHARS.get(part)))
            continue
        for char in part:
            key = "space" if char == " " else char
            app.post_message(events.Key(key, char))


async def drained(app: App[Any]) -> None:
    """Wait until the desk has handed out the whole burst and settled."""
    for _ in range(400):
        drainer = getattr(app, "_key_drainer", None)
        if drainer is not None and not drainer.done():
            await asyncio.wait([drainer], timeout=0.05)
            continue
        await asyncio.sleep(0.01)
        if getattr(app, "_key_drainer", None) is drainer:
            break


class Saved(ModalScreen[dict[str, str]]):
    """A form whose Ctrl+S (a priority binding, as the desk's FormModal) reads its fields."""

    BINDINGS = [Binding("ctrl+s", "save", priority=True), Binding("escape", "cancel")]

    def compose(self) -> ComposeResult:
        yield Input(id="who", select_on_focus=False)
        yield Input(id="what", select_on_focus=False)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        self.dismiss({i.id or "": i.value for i in self.query(Input)})

    def action_cancel(self) -> None:
        self.dismiss({})


class FormApp(App[None]):
    """Three fields (Enter goes on), F2 opens a form."""

    BINDINGS = [Binding("f2", "form")]

    def __init__(self) -> None:
        super().__init__()
        self.saved: list[dict[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Label("fields")
        for name in ("surname", "name", "patronymic"):
            yield Input(id=name, select_on_focus=False)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()

    def action_form(self) -> None:
        self.push_screen(Saved(), self.saved.append)

    def values(self) -> tuple[str, ...]:
        return tuple(i.value for i in self.screen.query(Input))


class OrderedFormApp(OrderedKeysApp, FormApp):  # type: ignore[misc]
    pass


TYPED = ("Әлиев", "tab", "Ерлан", "enter", "Болатұлы", "shift+tab", "shift+tab", "!")


async def test_textual_alone_puts_a_burst_into_the_first_field() -> None:
    app = FormApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        burst(app, *TYPED)
        await pilot.pause()
        await drained(app)
        assert app.values()[0].startswith("ӘлиевЕрланБолатұлы"), app.values()  # DESIGN.md


async def test_a_burst_lands_field_by_field() -> None:
    app = OrderedFormApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        burst(app, *TYPED)
        await drained(app)
        await pilot.pause()
        assert app.values() == ("Әлиев!", "Ерлан", "Болатұлы")


async def test_a_form_opened_saved_and_opened_again_in_one_burst() -> None:
    app = OrderedFormApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        burst(
            app, "f2", "Гүлнар", "enter", "кезек", "ctrl+s",  # saved with both fields
            "f2", "x", "escape",  # a second form, cancelled
            "Сейітова",  # back on the first field of the main screen
        )  # fmt: skip
        await drained(app)
        await pilot.pause()
        assert app.saved == [{"who": "Гүлнар", "what": "кезек"}, {}]
        assert app.values() == ("Сейітова", "", "")


async def test_a_single_key_is_handled_at_once() -> None:
    app = OrderedFormApp()
    async with app.run_test() as pilot:
        await pilot.press("a")
        assert app.values()[0] == "a"


def parse(data: str) -> list[str]:
    parser = DeskParser()
    keys = [e.key for e in parser.feed(data) if isinstance(e, events.Key)]
    if parser._timeout_time is not None:
        parser._timeout_time = 0.0  # as if ESCDELAY had passed
    keys += [e.key for e in parser.tick() if isinstance(e, events.Key)]
    return keys


def test_esc_then_a_key_in_one_read_is_esc_then_the_key() -> None:
    assert parse("\x1bn") == ["escape", "n"]  # Textual: alt+n
    assert parse("\x1b1") == ["escape", "1"]  # Textual: "¡" (a macOS Option key)
    assert parse("\x1bf") == ["escape", "f"]  # Textual: ctrl+right
    assert parse("\x1b\t") == ["escape", "tab"]  # Textual: shift+tab
    assert parse("\x1b\x7f") == ["escape", "backspace"]  # Textual: ctrl+w
    assert parse("\x1bа") == ["escape", "а"]  # a Cyrillic letter
    assert parse("\x1b\r") == ["escape", "enter"]
    assert parse("\x1bdemo") == ["escape", "d", "e", "m", "o"]


def test_terminal_sequences_and_a_lone_esc_are_kept() -> None:
    assert parse("\x1b") == ["escape"]
    assert parse("\x1b\x1b") == ["escape", "escape"]
    assert parse("\x1b[A") == ["up"]
    assert parse("\x1b[Z") == ["shift+tab"]
    assert parse("\x1bOQ") == ["f2"]
    assert parse("\x1b[[B") == ["f2"]  # TERM=linux
    assert parse("\x1b[15~x") == ["f5", "x"]
    assert parse("\x1b\x1b[[D") == ["escape", "f4"]
