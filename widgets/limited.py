"""A one-line field with a length limit that tells the clerk, not only rings the bell.

Issue 15, item 7: every text field has ``max_length`` (the limits of
``mss_desk.vocabulary.FIELD_LIMITS``, which the services enforce too). Textual's Input
refuses a change that would make the value longer than ``max_length`` *whole* — a pasted
text that does not fit is not inserted at all, only the terminal bell rings (often silent
over SSH). The desk keeps that (nothing half-pasted: a name or an address cut at the limit
would be a wrong name or address nobody noticed) and says so in the clerk's language:

- a paste (more than one character at once: bracketed paste, Ctrl+V) that would not fit:
  "Not pasted: the text has N characters, this field takes at most M. Nothing was changed."
- a key typed into a full field: "This field takes at most M characters." (once for the
  same value, not at every key).
"""

from __future__ import annotations

from textual.widgets import Input

from mss_desk.i18n import t
from widgets.text import app_lang


class LimitedInput(Input):
    """``Input`` whose refused over-long change is said in words (see the module)."""

    _full_said_for: str | None = None

    def update_node_styles(self, animate: bool = True) -> None:
        # Not mounted yet (``compact=True`` sets a class in Input.__init__): the App styles the
        # field whole as it mounts it, so restyling it now is work thrown away (issue 12
        # point 15: two restyles of each field on the way to the login's first frame).
        if self._parent is None:
            return
        super().update_node_styles(animate)

    def replace(self, text: str, start: int, end: int) -> None:
        limit = self.max_length
        if limit:
            value = self.value
            start_, end_ = sorted((max(0, start), min(len(value), end)))
            length = len(value) - (end_ - start_) + len(text)
            if length > limit:
                self._say_over_limit(text, limit)
        super().replace(text, start, end)

    def _say_over_limit(self, text: str, limit: int) -> None:
        lang = app_lang(self)
        if len(text) > 1:
            message = t("ui.limit.paste_too_long", lang, length=len(text), max=limit)
        else:
            if self._full_said_for == self.value:
                return
            self._full_said_for = self.value
            message = t("ui.limit.full", lang, max=limit)
        self.app.notify(message, severity="warning", markup=False, timeout=6)


__all__ = ["LimitedInput"]
