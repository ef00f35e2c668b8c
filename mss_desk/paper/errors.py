"""Errors of the paper room (no ReportLab here: the app imports them cheaply)."""

from __future__ import annotations

from mss_desk.errors import DeskError


class PaperError(DeskError):
    key = "paper.error"


class FontError(PaperError):
    """The configured font cannot print every needed letter: refused at start, never boxes."""

    key = "paper.font_missing_glyphs"


class PrintError(PaperError):
    """The print command failed; the PDF is kept and its path is in ``params['path']``."""

    key = "paper.print_failed"
