"""A small flow layout on a ReportLab canvas: wrapped plain text, rules and a barcode.

User text (names, addresses) is drawn with ``drawString`` — never through ``Paragraph``,
which parses markup — after control characters are stripped. Each item is measured first,
so an 80 mm roll gets a page exactly as tall as its content and a fixed page (A6, A4)
breaks between items onto a new page of the same size.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from mss_desk.paper.fonts import Fonts, one_pdf_at_a_time
from mss_desk.text import clean_line

if TYPE_CHECKING:
    from mss_desk.paper.barcode import Code128Bars

PageKind = Literal["a6", "roll80", "a4"]
Align = Literal["left", "center", "right"]

# (width, height or None = fitted to content), margins (side, top/bottom), all in points.
PAGES: dict[str, tuple[float, float | None, float, float]] = {
    "a6": (105 * mm, 148 * mm, 6 * mm, 6 * mm),
    # 80 mm paper, ~72 mm printable on the common 203 dpi thermal head.
    "roll80": (80 * mm, None, 4 * mm, 4 * mm),
    "a4": (210 * mm, 297 * mm, 20 * mm, 18 * mm),
}
GRAY = 0.35
# Binary Flate streams, not ASCII85 on top: smaller and faster. Set once for the process
# (the paper room is ReportLab's only user), so renders in worker threads never race on it.
rl_config.useA85 = 0
BOLD_STROKE = 0.035  # stroke width of faux bold, as a share of the font size
REPLACEMENT = "?"
# Issue 15, item 7: the most characters of one text drawn on paper. A 10,000-character
# name would fill pages of a talon; beyond this the text is cut and ends with an ellipsis.
# (The services refuse such text with a clear message; this is paper's own bound.)
MAX_FIELD_CHARS = 2000
ELLIPSIS = "…"  # in fonts.PUNCTUATION: every accepted font has it


@dataclass
class _Item:
    height: float
    paint: Callable[[Canvas, float, float], None]  # (left x, top y)
    keep_with_next: bool = False


class Flow:
    """Items stacked top to bottom within one column of ``width`` points."""

    def __init__(self, fonts: Fonts, width: float) -> None:
        self.fonts = fonts
        self.width = width
        self.items: list[_Item] = []

    # -- text -------------------------------------------------------------------------------
    def safe(self, text: str) -> str:
        """One line of plain text the font can draw: controls stripped, unknown glyphs '?',
        at most ``MAX_FIELD_CHARS`` characters (a longer text ends with an ellipsis)."""
        line = clean_line(text)
        if len(line) > MAX_FIELD_CHARS:
            line = line[: MAX_FIELD_CHARS - 1].rstrip() + ELLIPSIS
        chars = self.fonts.chars
        if chars.issuperset(line):
            return line
        return "".join(ch if ch in chars else REPLACEMENT for ch in line)

    def wrap(self, text: str, font: str, size: float, width: float) -> list[str]:
        """:func:`wrap_words` of the :meth:`safe` text."""
        return wrap_words(self.safe(text), font, size, width)

    def text(
        self,
        text: str,
        *,
        size: float = 8,
        bold: bool = False,
        align: Align = "left",
        gray: bool = False,
        indent: float = 0.0,
        leading: float | None = None,
        keep_with_next: bool = False,
    ) -> None:
        font = self.fonts.regular
        lead = leading or size * 1.22
        lines = self.wrap(text, font, size, self.width - indent)
        for i, line in enumerate(lines):
            self.items.append(
                _Item(
                    lead,
                    _text_painter(line, font, size, align, gray, bold, indent, self.width),
                    keep_with_next=keep_with_next or i < len(lines) - 1,
                )
            )

    def label(self, kk: str, ru: str, *, size: float = 6.5) -> None:
        """A field's name, Kazakh with Russian beside it, small and grey."""
        self.text(f"{kk} / {ru}", size=size, gray=True, keep_with_next=True)

    def field(self, kk: str, ru: str, value: str, *, size: float = 9, bold: bool = True,
              label_size: float = 6.5) -> None:
        self.label(kk, ru, size=label_size)
        self.text(value, size=size, bold=bold)
        self.gap(1.2 * mm)

    def bullets(self, pairs: Iterable[tuple[str, str]], *, size: float = 7.5) -> None:
        """Numbered bilingual list: Kazakh line, then the Russian in grey under it."""
        for n, (kk, ru) in enumerate(pairs, 1):
            self.text(f"{n}. {kk}", size=size, keep_with_next=bool(ru))
            if ru:
                self.text(ru, size=size - 1, gray=True, indent=3.2 * mm)
            self.gap(0.6 * mm)

    def row(self, cells: list[tuple[str, str, str, float]], *, gutter: float = 3 * mm,
            label_size: float = 6.0) -> None:
        """Fields side by side: each cell is (label kk, label ru, value, value size)."""
        n = len(cells)
        cell_w = (self.width - gutter * (n - 1)) / n
        font = self.fonts.regular
        laid: list[tuple[list[str], list[str], float]] = []
        for kk, ru, value, size in cells:
            label_lines = self.wrap(f"{kk} / {ru}", font, label_size, cell_w)
            value_lines = self.wrap(value, font, size, cell_w)
            laid.append((label_lines, value_lines, size))
        # Values start on one line across the row, under the tallest label.
        label_h = max(len(lab) for lab, _v, _s in laid) * label_size * 1.22
        height = label_h + max(len(v) * s * 1.22 for _l, v, s in laid) + 1.2 * mm

        def paint(c: Canvas, x: float, y: float) -> None:
            for i, (label_lines, value_lines, size) in enumerate(laid):
                cx = x + i * (cell_w + gutter)
                cy = y
                for line in label_lines:
                    _draw_line(c, cx, cy - label_size * 0.95, line, font, label_size, "left",
                               True, False, cell_w)
                    cy -= label_size * 1.22
                cy = y - label_h
                for line in value_lines:
                    _draw_line(c, cx, cy - size * 0.95, line, font, size, "left", False, True,
                               cell_w)
                    cy -= size * 1.22

        self.items.append(_Item(height, paint))

    def inline_bullets(self, pairs: Iterable[tuple[str, str]], *, size: float = 6.5) -> None:
        """Compact numbered list: 'N. Kazakh / Russian' wrapped under a hanging number."""
        for n, (kk, ru) in enumerate(pairs, 1):
            num = f"{n}."
            hang = stringWidth("00.", self.fonts.regular, size) + 1
            lines = self.wrap(f"{kk} / {ru}" if ru else kk, self.fonts.regular, size,
                              self.width - hang)
            for i, line in enumerate(lines):
                self.items.append(_Item(size * 1.18, _text_painter(
                    line, self.fonts.regular, size, "left", False, False, hang, self.width),
                    keep_with_next=i < len(lines) - 1))
                if i == 0:
                    self.items[-1].paint = _numbered(self.items[-1].paint, num,
                                                     self.fonts.regular, size)

    # -- a blank form (item 13) ---------------------------------------------------------------
    def blanks(self, labels: list[tuple[str, str]], *, label_size: float = 7,
               line_height: float = 7 * mm, gutter: float = 4 * mm) -> None:
        """Lines to write on, side by side, each under its bilingual label."""
        n = len(labels)
        cell_w = (self.width - gutter * (n - 1)) / n
        font = self.fonts.regular
        laid = [self.wrap(f"{kk} / {ru}", font, label_size, cell_w) for kk, ru in labels]
        label_h = max(len(lines) for lines in laid) * label_size * 1.22

        def paint(c: Canvas, x: float, y: float) -> None:
            for i, lines in enumerate(laid):
                cx = x + i * (cell_w + gutter)
                cy = y
                for line in lines:
                    _draw_line(c, cx, cy - label_size * 0.95, line, font, label_size, "left",
                               True, False, cell_w)
                    cy -= label_size * 1.22
                c.setLineWidth(0.4)
                base = y - label_h - line_height + 1 * mm
                c.line(cx, base, cx + cell_w, base)

        self.items.append(_Item(label_h + line_height, paint))

    def choices(self, kk: str, ru: str, options: Iterable[tuple[str, str]], *,
                size: float = 7.5, label_size: float = 7) -> None:
        """A bilingual label, then a box to tick before each option, the options flowing
        across the line and wrapping (boxes are drawn: no glyph a font could lack)."""
        font = self.fonts.regular
        box = size * 0.8
        pad = size * 0.45
        words = [self.safe(f"{k} / {r}" if r else k) for k, r in options]
        lines: list[list[tuple[str, float]]] = [[]]
        used = 0.0
        for word in words:
            w = box + pad + min(stringWidth(word, font, size), self.width - box - pad)
            if lines[-1] and used + w > self.width:
                lines.append([])
                used = 0.0
            lines[-1].append((word, used))
            used += w + 3 * mm
        self.text(f"{kk} / {ru}", size=label_size, gray=True, keep_with_next=True)
        lead = size * 1.35
        for n, line in enumerate(lines):
            def paint(c: Canvas, x: float, y: float, line: list[tuple[str, float]] = line
                      ) -> None:
                for word, dx in line:
                    base = y - size * 1.0
                    c.setLineWidth(0.5)
                    c.rect(x + dx, base - size * 0.05, box, box, stroke=1, fill=0)
                    room = self.width - dx - box - pad
                    _draw_line(c, x + dx + box + pad, base, word, font, size, "left", False,
                               False, room)

            self.items.append(_Item(lead, paint, keep_with_next=n < len(lines) - 1))
        self.gap(0.8 * mm)

    # -- shapes -----------------------------------------------------------------------------
    def gap(self, height: float) -> None:
        self.items.append(_Item(height, lambda c, x, y: None))

    def rule(self, *, space: float = 1.5 * mm, weight: float = 0.5) -> None:
        width = self.width

        def paint(c: Canvas, x: float, y: float) -> None:
            c.setLineWidth(weight)
            c.line(x, y - space, x + width, y - space)

        self.items.append(_Item(2 * space, paint))

    def barcode(self, widget: Code128Bars, *, align: Align = "center") -> None:
        width = self.width

        def paint(c: Canvas, x: float, y: float) -> None:
            dx = {"left": 0.0, "center": (width - widget.width) / 2,
                  "right": width - widget.width}[align]
            widget.drawOn(c, x + dx, y - widget.height)

        self.items.append(_Item(widget.height, paint))

    @property
    def height(self) -> float:
        return sum(item.height for item in self.items)


def _draw_line(c: Canvas, x: float, base: float, line: str, font: str, size: float,
               align: Align, gray: bool, bold: bool, width: float) -> None:
    c.setFont(font, size)
    c.setFillGray(GRAY if gray else 0)
    mode = 0
    if bold:  # faux bold: fill and stroke the outline (one embedded font, small PDFs)
        mode = 2
        c.setStrokeGray(GRAY if gray else 0)
        c.setLineWidth(size * BOLD_STROKE)
    if align == "center":
        c.drawCentredString(x + width / 2, base, line, mode=mode)
    elif align == "right":
        c.drawRightString(x + width, base, line, mode=mode)
    else:
        c.drawString(x, base, line, mode=mode)
    if gray:
        c.setFillGray(0)
    if bold:
        c.setStrokeGray(0)


def _text_painter(line: str, font: str, size: float, align: Align, gray: bool, bold: bool,
                  indent: float, width: float) -> Callable[[Canvas, float, float], None]:
    def paint(c: Canvas, x: float, y: float) -> None:
        _draw_line(c, x + indent, y - size * 0.95, line, font, size, align, gray, bold,
                   width - indent)

    return paint


def _numbered(paint: Callable[[Canvas, float, float], None], num: str, font: str, size: float
              ) -> Callable[[Canvas, float, float], None]:
    def both(c: Canvas, x: float, y: float) -> None:
        _draw_line(c, x, y - size * 0.95, num, font, size, "left", False, False, size * 3)
        paint(c, x, y)

    return both


def wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap in time linear in the text; widths add up word by word (ReportLab
    applies no kerning). A word wider than the column is broken by characters.

    Issue 15, item 7: the word breaking measured ever shorter prefixes of the word, each
    from its start — cubic in the word's length (8,000 characters took 106 s, a talon for
    a 10,000-character name 11 min 47 s, every other print waiting on the lock). Now each
    character's width is added once (:func:`break_word`).
    """
    words = [w for w in text.split(" ") if w]
    space = _width(" ", font, size)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in words:
        w = _width(word, font, size)
        if current and used + space + w <= width:
            current.append(word)
            used += space + w
            continue
        if current:
            lines.append(" ".join(current))
        if w > width and len(word) > 1:
            *full, word = break_word(word, font, size, width)
            lines.extend(full)
            w = _width(word, font, size)
        current, used = [word], w
    if current:
        lines.append(" ".join(current))
    return lines or [""]


def break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """``word`` cut into pieces no wider than ``width`` (each at least one character).

    One pass: the widths of the characters (in font units, as ReportLab sums them) add up
    until the next one would not fit. Linear in the word's length.
    """
    limit = width * 1000.0 / size  # the column in font units at this size
    pieces: list[str] = []
    start = 0
    used = 0.0
    for i, ch in enumerate(word):
        w = _units(ch, font)
        if i > start and used + w > limit:
            pieces.append(word[start:i])
            start, used = i, 0.0
        used += w
    pieces.append(word[start:])
    return pieces


def column_width(kind: PageKind) -> float:
    page_w, _h, side, _v = PAGES[kind]
    return page_w - 2 * side


@one_pdf_at_a_time
def render(flow: Flow, kind: PageKind, *, title: str, subject: str = "") -> bytes:
    """Lay the flow out on pages of ``kind`` and return the PDF bytes (reproducible)."""
    page_w, page_h, side, vert = PAGES[kind]
    fitted = page_h is None
    height = flow.height + 2 * vert if page_h is None else page_h
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(page_w, height), pageCompression=1, invariant=1,
               initialFontName=flow.fonts.regular, initialFontSize=8)
    c.setTitle(title)
    c.setSubject(subject)
    c.setAuthor("MSS Desk")
    c.setCreator("MSS Desk")
    top = height - vert
    y = top
    for group in _groups(flow.items):
        need = sum(item.height for item in group)
        if not fitted and y - need < vert - 0.01 and y < top:
            c.showPage()  # a label stays with its value: the whole group moves on
            y = top
        for item in group:
            if not fitted and y - item.height < vert - 0.01 and y < top:
                c.showPage()  # a group taller than a page still breaks somewhere
                y = top
            item.paint(c, side, y)
            y -= item.height
    c.showPage()
    c.save()
    return buf.getvalue()


@lru_cache(maxsize=4096)
def _width(word: str, font: str, size: float) -> float:
    return stringWidth(word, font, size)


@lru_cache(maxsize=4096)
def _units(ch: str, font: str) -> float:
    """A character's advance in font units (1/1000 of the size)."""
    return stringWidth(ch, font, 1000.0)


def _groups(items: list[_Item]) -> list[list[_Item]]:
    groups: list[list[_Item]] = []
    current: list[_Item] = []
    for item in items:
        current.append(item)
        if not item.keep_with_next:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups
