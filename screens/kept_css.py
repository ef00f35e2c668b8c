"""Parsed Textual CSS kept between starts, like bytecode (issue 12 point 15: start-up).

Textual parses every stylesheet on every start: the App's files and the ``DEFAULT_CSS`` of
each widget class as it first appears. On the way to the login screen that was the largest
single piece of work the desk did beyond a bare Textual app (about a third of its extra
time), and the same CSS, with the same theme variables, gives the same rules every time.

:class:`KeptStylesheet` is Textual's ``Stylesheet`` that keeps what it parsed — each
source's rule sets, pickled — in one file beside the desk's bytecode (``__pycache__``, or
under ``PYTHONPYCACHEPREFIX``), and on later starts takes them from there instead of
tokenizing the CSS again. As with bytecode and the kept message catalogs
(``mss_desk.i18n``):

- the file is written only where bytecode would be (not with ``PYTHONDONTWRITEBYTECODE``,
  nor where the folder cannot be written: then the CSS is parsed as before);
- an entry is found by the source's whole text (and where it was read from, its scope …),
  and the file is used only with the same theme variables, the same Python and the same
  Textual files (their sizes and modification times): any change parses again;
- it is written whole under a temporary name and renamed, 0600; a file that cannot be
  read or unpickled is ignored. It holds only what the desk's own CSS and Textual's
  widgets say (no clerk's data); its trust is that of the bytecode beside it.

Relies on Textual internals (``Stylesheet._parse_rules``, ``reparse``; pinned in
pyproject); ``tests/tui/test_kept_css.py`` checks that the kept rules style the screens
exactly as freshly parsed ones do.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import sys
from importlib.util import cache_from_source
from pathlib import Path
from typing import Any

from textual.css import model, parse, styles
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

_VERSION = 1
_HERE = Path(__file__).resolve().parent
# parsing depends on these Textual files: a new Textual (or an edited one) parses again
_TEXTUAL_FILES = (model.__file__, parse.__file__, styles.__file__)

CssKey = tuple[str, Any, bool, int, str]  # _parse_rules' (css, read_from, defaults, tie, scope)


def kept_path() -> Path:
    """Where the parsed CSS is kept: beside the bytecode of this module."""
    return Path(cache_from_source(str(_HERE / "textual_css.py"))).with_suffix(".css-rules")


def _stamp() -> tuple[Any, ...]:
    files = []
    for name in _TEXTUAL_FILES:
        try:
            st = os.stat(name)
        except (OSError, TypeError):
            return ()
        files.append((name, st.st_size, st.st_mtime_ns))
    return (_VERSION, sys.version_info[:2], pickle.HIGHEST_PROTOCOL, tuple(files))


def may_write() -> bool:
    """Bytecode may be written by this Python (not ``PYTHONDONTWRITEBYTECODE``)."""
    return not sys.dont_write_bytecode


class CssKeep:
    """The kept rule sets of one file: read once, unpickled one source at a time as asked,
    written again whole when a start parsed something new."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or kept_path()
        self.stamp = _stamp()
        self.variables: dict[str, str] | None = None
        self._pickled: dict[CssKey, bytes] = {}
        self._rules: dict[CssKey, list[RuleSet]] = {}
        self._read = False
        self._same: dict[str, str] | None = None  # variables found equal to the file's
        self.new = False  # something was parsed that the file does not hold yet

    def _load(self) -> None:
        self._read = True
        if not self.stamp:
            return
        try:
            stamp, variables, pickled = marshal.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return
        if stamp != self.stamp or not isinstance(pickled, dict):
            return
        self.variables = dict(variables)
        self._pickled = pickled

    def get(self, key: CssKey, variables: dict[str, str]) -> list[RuleSet] | None:
        """The rule sets kept for ``key`` parsed with ``variables``; None if not kept."""
        if variables is not self._same:  # (Textual hands the same dict until a new theme)
            if not self._read:
                self._load()
            if variables != self.variables:
                return None
            self._same = variables
        rules = self._rules.get(key)
        if rules is None and key in self._pickled:
            try:
                rules = pickle.loads(self._pickled[key])
            except Exception:  # noqa: BLE001 - a damaged entry: parsed again
                del self._pickled[key]
                return None
            self._rules[key] = rules
        return rules

    def put(self, key: CssKey, variables: dict[str, str], rules: list[RuleSet]) -> None:
        """Keep what was just parsed (written by :meth:`save`)."""
        if not self._read:
            self._load()
        if variables != self.variables:  # another theme: the file is for this one now
            self.variables = dict(variables)
            self._pickled, self._rules = {}, {}
        self._same = variables
        try:
            self._pickled[key] = pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - not picklable: parsed on every start
            return
        self._rules[key] = rules
        self.new = True

    def save(self) -> None:
        """Write the file if something new was kept and bytecode may be written here."""
        if not self.new or not may_write() or not self.stamp:
            return
        self.new = False
        data = marshal.dumps(
            (self.stamp, tuple(sorted((self.variables or {}).items())), self._pickled)
        )
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(temporary, self.path)
        except OSError:  # a read-only install: parsed on every start, as without bytecode
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


_SHARED: list[CssKeep] = []


def shared_keep() -> CssKeep:
    """The one :class:`CssKeep` of this process (every App of a test run shares it)."""
    if not _SHARED:
        _SHARED.append(CssKeep())
    return _SHARED[0]


class KeptStylesheet(Stylesheet):
    """Textual's ``Stylesheet``, taking each source's rules from a :class:`CssKeep` when it
    holds them (parsed with the same variables), and keeping what it had to parse."""

    def __init__(self, *, variables: dict[str, str] | None = None, keep: CssKeep) -> None:
        super().__init__(variables=variables)
        self.keep = keep

    def _parse_rules(
        self,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key: CssKey = (css, read_from, is_default_rules, tie_breaker, scope)
        rules = self.keep.get(key, self._variables)
        if rules is not None:
            return rules
        rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
        if not any(rule.errors for rule in rules):
            self.keep.put(key, self._variables, rules)
        return rules

    def parse(self) -> None:
        try:
            super().parse()
        finally:
            self.keep.save()

    def copy(self) -> Stylesheet:
        stylesheet = KeptStylesheet(variables=self._variables.copy(), keep=self.keep)
        stylesheet.source = self.source.copy()
        return stylesheet

    def reparse(self) -> None:
        """Textual's ``reparse`` (a new screen's CSS file, a theme change), on a fresh
        stylesheet that shares the kept rules: the sources parsed before are not parsed
        again."""
        stylesheet = KeptStylesheet(variables=self._variables, keep=self.keep)
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            stylesheet.add_source(
                css,
                read_from=read_from,
                is_default_css=is_defaults,
                tie_breaker=tie_breaker,
                scope=scope,
            )
        try:
            stylesheet.parse()
        except Exception:
            self._invalid_css.update(stylesheet._invalid_css)
            raise
        else:
            self._rules = stylesheet.rules
            self._rules_map = None
            self.source = stylesheet.source
            self._require_parse = False
