"""Parsed CSS kept between starts (``screens.kept_css``, issue 12 point 15: start-up).

The kept rules must be exactly what Textual parses; a start that finds them tokenizes no
CSS; anything that could make them stale (the CSS text, the theme variables, Textual's
files) parses again; the file is written only where bytecode would be.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.containers import Grid, Vertical
from textual.css import stylesheet as stylesheet_module
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets._footer import FooterKey

import screens.kept_css as kept_css
from screens.kept_css import CssKeep, KeptStylesheet

ROOT = Path(__file__).resolve().parent.parent.parent
WIDGETS = (App, Screen, Widget, Static, Label, Input, Footer, FooterKey, Grid, Vertical, OptionList)
FILES = ("mss_desk/app.tcss", "screens/login.tcss", "screens/setup.tcss")


def _variables() -> dict[str, str]:
    return App().get_css_variables()


def _sources() -> list[tuple[str, Any, bool, int, str]]:
    out: list[tuple[str, Any, bool, int, str]] = []
    for cls in WIDGETS:
        read_from = (inspect.getfile(cls), f"{cls.__name__}.DEFAULT_CSS")
        out.append((cls.DEFAULT_CSS, read_from, True, 0, cls.__name__))
    for name in FILES:
        path = ROOT / name
        out.append((path.read_text(encoding="utf-8"), (str(path), ""), False, 0, ""))
    return out


def _load(sheet: Stylesheet) -> list[Any]:
    """Every source added, parsed; the rule sets in a comparable form."""
    for css, read_from, defaults, tie, scope in _sources():
        sheet.add_source(
            css, read_from=read_from, is_default_css=defaults, tie_breaker=tie, scope=scope
        )
    sheet.parse()
    return [
        (
            rule.selector_set,
            repr(rule.styles._rules),  # Textual's layouts compare by identity: by their repr
            rule.styles.important,
            rule.errors,
            rule.is_default_rules,
            rule.tie_breaker,
            rule.selector_names,
            rule.pseudo_classes,
        )
        for rule in sheet.rules
    ]


@pytest.fixture
def writable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bytecode may be written (this machine's default is PYTHONDONTWRITEBYTECODE)."""
    monkeypatch.setattr(kept_css, "may_write", lambda: True)  # not sys's: imports would write


def _no_tokenizing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("CSS was tokenized")

    monkeypatch.setattr(stylesheet_module, "parse", refuse)


def test_kept_rules_are_the_parsed_rules(
    tmp_path: Path, writable: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = _variables()
    fresh = _load(Stylesheet(variables=variables))
    file = tmp_path / "css.kept"
    first = _load(KeptStylesheet(variables=variables, keep=CssKeep(file)))
    assert file.exists() and file.stat().st_mode & 0o777 == 0o600
    _no_tokenizing(monkeypatch)  # the next start takes every source from the file
    second = _load(KeptStylesheet(variables=variables, keep=CssKeep(file)))
    assert first == fresh
    assert second == fresh


def test_a_changed_source_is_parsed_again(
    tmp_path: Path, writable: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = _variables()
    file = tmp_path / "css.kept"
    _load(KeptStylesheet(variables=variables, keep=CssKeep(file)))
    sheet = KeptStylesheet(variables=variables, keep=CssKeep(file))
    sheet.add_source("Label { width: 7; }", read_from=("x.tcss", ""))
    parsed: list[str] = []
    real = stylesheet_module.parse

    def counting(scope: str, css: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(css)
        return real(scope, css, *args, **kwargs)

    monkeypatch.setattr(stylesheet_module, "parse", counting)
    _load(sheet)
    assert parsed == ["Label { width: 7; }"]  # only the new text; the rest was kept
    assert any("width" in repr(rule.styles._rules) for rule in sheet.rules)


def test_other_theme_variables_parse_again(
    tmp_path: Path, writable: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = _variables()
    file = tmp_path / "css.kept"
    _load(KeptStylesheet(variables=variables, keep=CssKeep(file)))
    other = dict(variables, primary="#ff0000")
    fresh = _load(Stylesheet(variables=other))
    tokenized: list[str] = []
    real = stylesheet_module.parse

    def counting(scope: str, css: str, *args: Any, **kwargs: Any) -> Any:
        tokenized.append(css)
        return real(scope, css, *args, **kwargs)

    monkeypatch.setattr(stylesheet_module, "parse", counting)
    assert _load(KeptStylesheet(variables=other, keep=CssKeep(file))) == fresh
    assert len(tokenized) == len(_sources())


def test_other_textual_files_parse_again(
    tmp_path: Path, writable: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = _variables()
    file = tmp_path / "css.kept"
    _load(KeptStylesheet(variables=variables, keep=CssKeep(file)))
    other = tmp_path / "styles.py"
    other.write_text("# another Textual\n", encoding="utf-8")
    monkeypatch.setattr(kept_css, "_TEXTUAL_FILES", (str(other),))
    keep = CssKeep(file)
    key = _sources()[0]
    assert keep.get(key, variables) is None


def test_nothing_is_written_without_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kept_css, "may_write", lambda: False)
    file = tmp_path / "css.kept"
    variables = _variables()
    assert _load(KeptStylesheet(variables=variables, keep=CssKeep(file))) == _load(
        Stylesheet(variables=variables)
    )
    assert not file.exists()


@pytest.mark.parametrize("content", [b"", b"not marshal", b"\x00" * 40])
def test_a_damaged_file_is_ignored(tmp_path: Path, writable: None, content: bytes) -> None:
    file = tmp_path / "css.kept"
    file.write_bytes(content)
    variables = _variables()
    fresh = _load(Stylesheet(variables=variables))
    assert _load(KeptStylesheet(variables=variables, keep=CssKeep(file))) == fresh
    assert _load(KeptStylesheet(variables=variables, keep=CssKeep(file))) == fresh  # rewritten


def test_a_folder_that_cannot_be_written_parses_as_before(tmp_path: Path, writable: None) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    variables = _variables()
    sheet = KeptStylesheet(variables=variables, keep=CssKeep(blocked / "css.kept"))
    assert _load(sheet) == _load(Stylesheet(variables=variables))


def test_reparse_and_copy_keep_sharing(
    tmp_path: Path, writable: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new screen's CSS file makes Textual reparse every source: only the new one is
    tokenized; a copy (Textual's CSS watcher) shares the kept rules too."""
    variables = _variables()
    keep = CssKeep(tmp_path / "css.kept")
    sheet = KeptStylesheet(variables=variables, keep=keep)
    before = _load(sheet)
    _no_tokenizing(monkeypatch)
    sheet.reparse()
    copy = sheet.copy()
    assert isinstance(copy, KeptStylesheet) and copy.keep is keep
    copy.parse()
    assert len(sheet.rules) == len(copy.rules) == len(before)


def test_the_app_uses_the_kept_stylesheet() -> None:
    from mss_desk.app import MssDeskApp

    app = MssDeskApp(db_url="sqlite:///:memory:")
    assert isinstance(app.stylesheet, KeptStylesheet)
    assert app.stylesheet.keep is kept_css.shared_keep()
