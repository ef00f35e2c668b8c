"""Fonts: every Kazakh letter must print; a font that cannot is refused with a DeskError."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mss_desk.errors import DeskError
from mss_desk.paper import fonts
from mss_desk.paper.errors import FontError
from mss_desk.paper.talon import render_talon
from tests.paper.conftest import KAZAKH, pdf_text, talon_data

REPORTLAB_VERA = Path(__import__("reportlab").__file__).parent / "fonts" / "Vera.ttf"


def test_bundled_font_is_source_sans_pro_ttf_and_covers_kazakh() -> None:
    (path,) = fonts.default_font_paths()
    assert path.name == "SourceSansPro-Regular.ttf" and path.is_file()
    assert fonts.missing_glyphs(path) == ""
    from reportlab.pdfbase.ttfonts import TTFont

    cmap = TTFont("probe", str(path)).face.charToGlyph
    assert all(ord(ch) in cmap for ch in KAZAKH)


def test_required_letters_include_every_kazakh_letter() -> None:
    assert set(KAZAKH) <= set(fonts.REQUIRED)
    assert len(set(fonts.KAZAKH_LETTERS)) == 18


def test_font_without_kazakh_is_refused_at_start_with_a_clear_message() -> None:
    assert REPORTLAB_VERA.is_file()  # Bitstream Vera: Latin only
    with pytest.raises(FontError) as info:
        fonts.check_font(str(REPORTLAB_VERA))
    err = info.value
    assert isinstance(err, DeskError)
    assert err.key == "paper.font_missing_glyphs"
    assert "Ә" in err.params["letters"] and "і" in err.params["letters"]
    from mss_desk.i18n import t

    assert "Vera.ttf" in t(err.key, "en", **err.params)


def test_rendering_with_a_font_without_kazakh_is_refused_never_boxes() -> None:
    with pytest.raises(FontError):
        render_talon(talon_data(), "a6", font_path=str(REPORTLAB_VERA))


def test_missing_font_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FontError) as info:
        fonts.check_font(str(tmp_path / "nope.ttf"))
    assert info.value.key == "paper.font_not_found"


def test_a_file_that_is_not_a_ttf_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"this is not a font" * 10)
    with pytest.raises(FontError) as info:
        fonts.check_font(str(bad))
    assert info.value.key == "paper.font_unreadable"


def test_another_ttf_that_covers_kazakh_may_be_named(tmp_path: Path) -> None:
    (bundled,) = fonts.default_font_paths()
    other = tmp_path / "Other.ttf"
    other.write_bytes(bundled.read_bytes())
    got = fonts.check_font(str(other))
    assert got.path == str(other)
    text = pdf_text(render_talon(talon_data(applicant_name=KAZAKH), "a6", font_path=str(other)))
    assert KAZAKH in text


def test_registration_is_cached() -> None:
    assert fonts.get_fonts(None) is fonts.get_fonts(None)


def test_importing_the_package_does_not_import_reportlab() -> None:
    code = (
        "import sys, mss_desk.paper as p; "
        "d = p.TalonData; s = p.PaperSettings(); "
        "assert 'reportlab' not in sys.modules, 'reportlab imported'; "
        "p.render_talon; assert 'reportlab' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_warm_up_checks_the_font() -> None:
    from mss_desk.paper import warm_up

    warm_up()  # the bundled font: fine
    with pytest.raises(FontError):
        warm_up(str(REPORTLAB_VERA))
