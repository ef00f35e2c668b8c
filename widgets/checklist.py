"""The live document checklist (item 12).

Shows exactly the documents a case needs, in the standard's order, each marked received
or not with the keyboard. The screen calls :meth:`Checklist.set_documents` whenever a fact
changes (ticking "declared incapable" adds the court decision); what was already ticked
stays ticked, and a document that leaves the list and comes back keeps its mark.

Lightweight on purpose: one small Static per document (no DataTable, no scrollbars of its
own, so typing elsewhere on the form repaints nothing here). Labels are data and go in as
:class:`~textual.content.Content`, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from mss_desk.i18n import has, t
from widgets import keymap

Labeler = Callable[[str, str], str]
"""``labeler(code, lang) -> label`` (the screen gives one backed by the catalog)."""


def default_labeler(code: str, lang: str) -> str:
    return t(f"intake.doc.{code}", lang)


def relabel_bindings(node: DOMNode, lang: str) -> None:
    """Say a node's key bindings in ``lang``: a binding whose ``id`` is an i18n key gets
    that message as its description (the footer and the command palette show it)."""
    bindings = node._bindings
    for key, items in list(bindings.key_to_bindings.items()):
        bindings.key_to_bindings[key] = [
            replace(b, description=t(label, lang)) if (label := _label(b)) else b for b in items
        ]
    if node.is_attached:
        node.refresh_bindings()


def _label(b: Binding) -> str:
    """The i18n key of a binding's label: its keymap row's, or its id if that is a key."""
    row = keymap.KEYMAP.get(b.id or "")
    if row is not None:
        return row.label
    return b.id if b.id and has(b.id, "en") else ""


class DocumentRow(Static):
    """One document: a mark and its label."""

    DEFAULT_CSS = """
    DocumentRow {
        height: auto;
        padding: 0 1;
    }
    DocumentRow.-received {
        color: $text-success;
    }
    DocumentRow.-cursor {
        background: $boost;
        text-style: bold;
    }
    """

    def __init__(self, code: str) -> None:
        super().__init__("", markup=False, classes="document-row")
        self.code = code


class Checklist(Widget, can_focus=True):
    """Required documents with a received mark each; Space toggles the highlighted one."""

    DEFAULT_CSS = """
    Checklist {
        height: auto;
        border: round $border-blurred;
        padding: 0 0;
    }
    Checklist:focus {
        border: round $border;
    }
    Checklist:focus > DocumentRow.-cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    Checklist > .checklist-empty {
        color: $text-muted;
        padding: 0 1;
    }
    """

    BINDINGS = keymap.bindings(
        "checklist.up", "checklist.down", "checklist.first", "checklist.last",
        "checklist.received", "checklist.all",
    )

    lang: reactive[str] = reactive("kk")
    cursor: reactive[int] = reactive(0)

    class Changed(Message):
        """The set of received documents, or the list itself, changed."""

        def __init__(self, checklist: Checklist) -> None:
            super().__init__()
            self.checklist = checklist
            self.codes = checklist.codes
            self.received = checklist.received
            self.missing = checklist.missing

        @property
        def control(self) -> Checklist:
            return self.checklist

    def __init__(
        self,
        codes: Sequence[str] = (),
        received: Iterable[str] = (),
        *,
        labeler: Labeler = default_labeler,
        lang: str = "kk",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._codes: tuple[str, ...] = tuple(codes)
        # Marks are remembered even for documents that are not in the list right now.
        self._marked: set[str] = set(received)
        self._labeler = labeler
        self.set_reactive(Checklist.lang, lang)

    # -- public API ---------------------------------------------------------------------

    @property
    def codes(self) -> tuple[str, ...]:
        return self._codes

    @property
    def received(self) -> frozenset[str]:
        return frozenset(c for c in self._codes if c in self._marked)

    @property
    def received_all(self) -> frozenset[str]:
        """Every mark, also of documents not listed right now (a draft keeps them)."""
        return frozenset(self._marked)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c for c in self._codes if c not in self._marked)

    @property
    def complete(self) -> bool:
        return bool(self._codes) and not self.missing

    def set_documents(self, codes: Sequence[str]) -> None:
        """Replace the list (a fact changed); marks of documents still listed stay."""
        codes = tuple(codes)
        if codes == self._codes:
            return
        current = (
            self._codes[self.cursor] if self._codes and self.cursor < len(self._codes) else None
        )
        self._codes = codes
        if self.is_mounted:
            self._rebuild()
            if current in codes:
                self.cursor = codes.index(current)
            else:
                self.cursor = min(self.cursor, max(0, len(codes) - 1))
        self.post_message(self.Changed(self))

    def set_received(self, codes: Iterable[str]) -> None:
        self._marked = set(codes)
        self._refresh_rows()
        self.post_message(self.Changed(self))

    def set_labeler(self, labeler: Labeler) -> None:
        self._labeler = labeler
        self._refresh_rows()

    def label(self, code: str) -> str:
        return self._labeler(code, self.lang)

    # -- widget -------------------------------------------------------------------------

    def compose(self):  # type: ignore[no-untyped-def]
        yield from self._make_rows()

    def _make_rows(self) -> list[Widget]:
        if not self._codes:
            return [Static(t("intake.checklist.empty", self.lang), classes="checklist-empty")]
        rows: list[Widget] = []
        for index, code in enumerate(self._codes):
            row = DocumentRow(code)
            self._paint(row, index)
            rows.append(row)
        return rows

    def on_mount(self) -> None:
        self._refresh_rows()

    def _rebuild(self) -> None:
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(self._make_rows())

    def _rows(self) -> list[DocumentRow]:
        return list(self.query_children(DocumentRow))

    def _paint(self, row: DocumentRow, index: int) -> None:
        done = row.code in self._marked
        mark = "[x]" if done else "[ ]"
        width = 2 if len(self._codes) >= 10 else 1
        row.update(Content(f"{mark} {index + 1:>{width}}. {self.label(row.code)}"))
        row.set_class(done, "-received")
        row.set_class(index == self.cursor, "-cursor")

    def _refresh_rows(self) -> None:
        if not self.is_mounted:
            return
        for index, row in enumerate(self._rows()):
            self._paint(row, index)
        for empty in self.query_children(".checklist-empty"):
            if isinstance(empty, Static):
                empty.update(Content(t("intake.checklist.empty", self.lang)))

    def watch_lang(self) -> None:
        self._refresh_rows()

    def watch_cursor(self, old: int, new: int) -> None:
        rows = self._rows()
        for index, row in enumerate(rows):
            row.set_class(index == new, "-cursor")
        if 0 <= new < len(rows) and self.has_focus:
            rows[new].scroll_visible(animate=False)

    def validate_cursor(self, value: int) -> int:
        if not self._codes:
            return 0
        return max(0, min(value, len(self._codes) - 1))

    def on_focus(self) -> None:
        rows = self._rows()
        if 0 <= self.cursor < len(rows):
            rows[self.cursor].scroll_visible(animate=False)

    # -- actions ------------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_cursor_to(self, index: int) -> None:
        self.cursor = index if index >= 0 else len(self._codes) - 1

    def action_toggle_received(self) -> None:
        if not self._codes:
            return
        code = self._codes[self.cursor]
        if code in self._marked:
            self._marked.discard(code)
        else:
            self._marked.add(code)
        self._refresh_rows()
        self.post_message(self.Changed(self))

    def action_all_received(self) -> None:
        if not self._codes:
            return
        self._marked.update(self._codes)
        self._refresh_rows()
        self.post_message(self.Changed(self))

    def on_click(self, event) -> None:  # type: ignore[no-untyped-def]
        # Keyboard-only desk, but a mouse click should not do anything surprising.
        widget = event.widget
        if isinstance(widget, DocumentRow) and widget.code in self._codes:
            self.cursor = self._codes.index(widget.code)
