"""The one font of the desk's paper, embedded (subset) in every PDF.

Every Kazakh letter must print on a machine with no system fonts, so the default is the
OFL-licensed Source Sans Pro TTF that installs with the ``font-source-sans-pro`` package.
A setting may name another TTF; a font missing a needed letter is refused with a
:class:`FontError` at start (``check_font``), never printed as empty boxes.
"""

from __future__ import annotations

import string
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache, wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

from mss_desk.paper.errors import FontError, PaperError

KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
RUSSIAN_LETTERS = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
PUNCTUATION = "№«»–—…"
# Every character the desk's own labels use, plus what users type in names and addresses.
REQUIRED = KAZAKH_LETTERS + RUSSIAN_LETTERS + PUNCTUATION + string.ascii_letters + string.digits


_P = ParamSpec("_P")
_R = TypeVar("_R")
# ReportLab keeps a font's subset assignments in the shared TTFont object (per document,
# in a dict it mutates while drawing), so two PDFs drawn at once in two threads (the app
# prints from worker threads) can corrupt each other's subset: one document at a time.
_PDF_LOCK = threading.RLock()
# Issue 15, item 7: a print waits this long for the PDF before it says "busy, try again".
# A document is drawn in well under a second (texts are bounded: layout.MAX_FIELD_CHARS);
# a wait this long means something is wrong, and the clerk is told instead of hanging.
PDF_LOCK_TIMEOUT = 60.0


def one_pdf_at_a_time(render: Callable[_P, _R]) -> Callable[_P, _R]:
    """Serialise a function that draws a PDF with the desk's fonts (see ``_PDF_LOCK``).

    The wait is bounded (``PDF_LOCK_TIMEOUT``): a caller that cannot have the lock gets a
    :class:`PaperError` (``paper.busy``), never a hang behind another document.
    """

    @wraps(render)
    def serialised(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not _PDF_LOCK.acquire(timeout=PDF_LOCK_TIMEOUT):
            raise PaperError("another document is being drawn", key="paper.busy",
                             seconds=f"{PDF_LOCK_TIMEOUT:g}")
        try:
            return render(*args, **kwargs)
        finally:
            _PDF_LOCK.release()

    return serialised


@dataclass(frozen=True)
class Fonts:
    """The registered ReportLab font name and the characters it covers."""

    regular: str
    path: str
    covered: frozenset[int]

    def can_draw(self, ch: str) -> bool:
        return ch in self.chars

    @cached_property
    def chars(self) -> frozenset[str]:
        return frozenset(map(chr, self.covered)) | {" ", "\t"}


def default_font_paths() -> tuple[Path, ...]:
    """Source Sans Pro Regular TTF bundled by the font-source-sans-pro package (OFL)."""
    import font_source_sans_pro as fssp

    files = Path(fssp.__file__).resolve().parent / "files"
    return (files / "SourceSansPro-Regular.ttf",)


def missing_glyphs(path: str | Path, needed: str = REQUIRED) -> str:
    """The characters of ``needed`` that the TTF at ``path`` has no glyph for."""
    cmap = _load(str(path))[1]
    return "".join(ch for ch in dict.fromkeys(needed) if ord(ch) not in cmap)


@lru_cache(maxsize=8)
def _load(path: str) -> tuple[object, frozenset[int]]:
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    p = Path(path)
    if not p.is_file():
        raise FontError(f"font file not found: {path}", key="paper.font_not_found", path=path)
    name = f"MSSDesk-{p.stem}-{zlib.crc32(str(p.resolve()).encode()):08x}"
    try:
        font = TTFont(name, str(p))
    except (TTFError, OSError, ValueError, KeyError) as exc:
        raise FontError(
            f"font {path} cannot be embedded: {exc}",
            key="paper.font_unreadable",
            path=path,
            reason=str(exc),
        ) from exc
    return font, frozenset(font.face.charToGlyph)


@lru_cache(maxsize=8)
def _register(font_path: str | None) -> Fonts:
    from reportlab.pdfbase import pdfmetrics

    # One TTF only: bold is drawn by stroking the outline (text render mode 2), so a talon
    # embeds a single font subset and stays small (≤ 25 KB).
    path = Path(font_path) if font_path else default_font_paths()[0]
    font, cmap = _load(str(path))
    lacking = "".join(ch for ch in dict.fromkeys(REQUIRED) if ord(ch) not in cmap)
    if lacking:
        raise FontError(
            f"font {path} has no glyph for: {lacking}",
            key="paper.font_missing_glyphs",
            path=str(path),
            letters=lacking,
        )
    pdfmetrics.registerFont(font)  # type: ignore[arg-type]
    name: str = font.fontName  # type: ignore[attr-defined]
    return Fonts(regular=name, path=str(path), covered=cmap)


def get_fonts(font_path: str | None = None) -> Fonts:
    """Register (once per path) and return the paper fonts; raises :class:`FontError`."""
    return _register(font_path or None)


def check_font(font_path: str | None = None) -> Fonts:
    """Called at start: refuse a font that cannot print every Kazakh letter."""
    return get_fonts(font_path)
