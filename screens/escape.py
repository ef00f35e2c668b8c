"""Esc followed by a key in one burst is Esc, then the key (issue 12, point 1).

A terminal sends Esc as the single byte ESC and Alt+x as ESC x: the two differ only in
timing. Textual 8.2's ``XTermParser`` waits ``ESCDELAY`` (100 ms) after an ESC; when the next
byte arrives in the same read — always, in a burst over a laggy SSH link — it takes ESC x
as Alt+x (``alt+a``), or looks "ESC x" up in its table of macOS Option sequences (ESC 1 is
"¡", ESC f is Ctrl+Right, ESC Tab is Shift+Tab, ESC Backspace is Ctrl+W). The desk binds
no Alt key and a clerk's terminal sends Alt+x rarely, so the desk decides: **ESC followed
by anything that does not start a terminal sequence is Esc, then that key.** An Alt+x a
clerk does type reaches the desk as Esc, x (the dialog closes, x is typed where focus
then is).

Kept as Textual has it: ESC ESC (two Escs), ESC [ and ESC O (the start of the arrow,
F-key and other terminal sequences, how TERM=linux and xterm send them), and the Kitty
keyboard protocol's CSI u keys (where the terminal speaks it, Esc is never ambiguous).
Should ESC [ or ESC O (a clerk's Esc, then "[" or capital "O") not complete a known
sequence, Textual reissues it after the delay as Esc and the characters, as before.

The parser lives in the driver's input thread; :func:`desk_driver_class` swaps the Linux
driver for one that builds :class:`DeskParser` (its input loop is Textual 8.2.8's, verbatim
but for the parser).
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Iterable
from functools import cache
from typing import Any

from textual import events
from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.driver import Driver

ESC = "\x1b"
SEQUENCE_STARTS = frozenset("[O")
"""After ESC these begin a terminal sequence (CSI, SS3): keep reading."""


class DeskParser(XTermParser):
    """Textual's parser, with ESC x read as Esc, then x (module doc)."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if alt and len(sequence) == 1:
            # the sequence was reissued after ESC (timeout): no Alt+x, Esc then x
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence)
            return
        if (
            len(sequence) == 2
            and sequence[0] == ESC
            and sequence[1] != ESC
            and sequence[1] not in SEQUENCE_STARTS
        ):
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence[1])
            return
        yield from super()._sequence_to_key_events(sequence)


def desk_driver_class(base: type[Driver]) -> type[Driver]:
    """The driver the desk runs on: Textual's Linux driver with :class:`DeskParser`; any
    other driver (headless tests, Windows, ``TEXTUAL_DRIVER``) unchanged."""
    if (base.__module__, base.__name__) != ("textual.drivers.linux_driver", "LinuxDriver"):
        return base
    return _desk_linux_driver(base)


@cache
def _desk_linux_driver(linux_driver: type[Driver]) -> type[Driver]:
    """Textual's Linux driver reading keys with :class:`DeskParser` (built here: the Linux
    driver imports termios, which other platforms lack)."""
    base: Any = linux_driver

    class DeskLinuxDriver(base):  # type: ignore[misc]
        def run_input_thread(self) -> None:
            """Textual 8.2.8's ``LinuxDriver.run_input_thread``, the parser swapped."""
            selector = selectors.SelectSelector()
            selector.register(self.fileno, selectors.EVENT_READ)

            fileno = self.fileno
            EVENT_READ = selectors.EVENT_READ

            parser = DeskParser(self._debug)
            feed = parser.feed
            tick = parser.tick

            decode = getincrementaldecoder("utf-8")().decode
            read = os.read

            def process_selector_events(
                selector_events: list[tuple[selectors.SelectorKey, int]],
                final: bool = False,
            ) -> None:
                for last, (_selector_key, mask) in loop_last(selector_events):
                    if mask & EVENT_READ:
                        unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                        if not unicode_data:
                            break
                        for event in feed(unicode_data):
                            self.process_message(event)
                for event in tick():
                    self.process_message(event)

            try:
                while not self.exit_event.is_set():
                    process_selector_events(selector.select(0.1))
                selector.unregister(self.fileno)
                process_selector_events(selector.select(0.1), final=True)
            finally:
                selector.close()
                try:
                    for _event in feed(""):
                        pass
                except (EOFError, ParseError):
                    pass

    return DeskLinuxDriver
