"""PDF files (0600, atomic) and the print command (argument list, timeout, clear failures)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mss_desk.errors import DeskError
from mss_desk.paper.data import PaperSettings
from mss_desk.paper.errors import PaperError, PrintError
from mss_desk.paper.printing import PrintResult, print_file, safe_name, save_pdf
from mss_desk.paper.talon import print_talon, talon_filename
from tests.paper.conftest import page_sizes_mm, pdf_text, talon_data

PY = sys.executable


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_talon_goes_to_the_paper_folder_0600(tmp_path: Path) -> None:
    out = tmp_path / "paper"
    result = print_talon(talon_data(), PaperSettings(out_dir=out))
    assert result.path == out / "talon-01-2026-00042.pdf"
    assert _mode(result.path) == 0o600
    assert _mode(out) == 0o700
    assert result.printed is None and result.ok and result.key == "paper.saved"
    assert "01-2026-00042" in pdf_text(result.path.read_bytes())
    assert [p.name for p in out.iterdir()] == ["talon-01-2026-00042.pdf"]  # no temp left


def test_default_folder_is_locations_paper_dir(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSS_DESK_DATA_DIR", str(tmp_path / "data"))
    from mss_desk import locations

    result = print_talon(talon_data(), PaperSettings())
    assert result.path.parent == locations.paper_dir()
    assert _mode(result.path) == 0o600


def test_layout_setting_picks_the_page(tmp_path: Path) -> None:
    a6 = print_talon(talon_data(), PaperSettings(out_dir=tmp_path, talon_layout="a6"))
    (w, h), = page_sizes_mm(a6.path.read_bytes())
    assert (round(w), round(h)) == (105, 148)
    roll = print_talon(talon_data(), PaperSettings(out_dir=tmp_path, talon_layout="roll80"))
    (w, _h), = page_sizes_mm(roll.path.read_bytes())
    assert round(w) == 80


def test_reprint_to_a_named_file_without_printing(tmp_path: Path) -> None:
    marker = tmp_path / "printed"
    settings = PaperSettings(out_dir=tmp_path / "paper",
                             print_command=f"{PY} -c 'open({str(marker)!r}, \"w\")'")
    target = tmp_path / "copy.pdf"
    result = print_talon(talon_data(), settings, out=target, send=False)
    assert result.path == target and target.is_file() and _mode(target) == 0o600
    assert result.printed is None
    assert not marker.exists()
    assert not (tmp_path / "paper").exists()


def test_rewriting_replaces_the_file_whole(tmp_path: Path) -> None:
    settings = PaperSettings(out_dir=tmp_path)
    first = print_talon(talon_data(applicant_name="Бірінші"), settings).path
    second = print_talon(talon_data(applicant_name="Екінші"), settings).path
    assert first == second
    text = pdf_text(second.read_bytes())
    assert "Екінші" in text and "Бірінші" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == [second.name]


def test_a_failed_write_leaves_no_half_file(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "t.pdf"
    target.write_bytes(b"old complete file")

    def boom(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(PaperError) as info:
        save_pdf(b"%PDF-new", target)
    assert info.value.key == "paper.write_failed"
    assert isinstance(info.value, DeskError)
    assert target.read_bytes() == b"old complete file"
    assert [p.name for p in tmp_path.iterdir()] == ["t.pdf"]


def test_print_command_gets_the_pdf_path_as_its_last_argument(tmp_path: Path) -> None:
    log = tmp_path / "args.txt"
    script = f"import sys; open({str(log)!r}, 'w').write('\\n'.join(sys.argv[1:]))"
    settings = PaperSettings(out_dir=tmp_path / "p",
                             print_command=f"{PY} -c {_q(script)} -d 'talon printer'")
    result = print_talon(talon_data(), settings)
    assert result.printed is True and result.ok and result.key == "paper.printed"
    assert log.read_text().splitlines() == ["-d", "talon printer", str(result.path)]


def test_path_placeholder_is_replaced(tmp_path: Path) -> None:
    log = tmp_path / "args.txt"
    script = f"import sys; open({str(log)!r}, 'w').write('|'.join(sys.argv[1:]))"
    settings = PaperSettings(out_dir=tmp_path / "p",
                             print_command=f"{PY} -c {_q(script)} --file={{path}} -o x")
    result = print_talon(talon_data(), settings)
    assert log.read_text() == f"--file={result.path}|-o|x"


def test_no_shell_is_involved(tmp_path: Path) -> None:
    evil = tmp_path / "evil"
    settings = PaperSettings(out_dir=tmp_path / "p", print_command=f"true; touch {evil}")
    result = print_talon(talon_data(), settings)
    assert not evil.exists()
    assert result.printed is False and result.key == "paper.print_not_found"


def test_failed_print_keeps_the_pdf_and_says_why(tmp_path: Path) -> None:
    script = "import sys; sys.stderr.write('lp: printer talon is offline\\n'); sys.exit(3)"
    settings = PaperSettings(out_dir=tmp_path, print_command=f"{PY} -c {_q(script)}")
    result = print_talon(talon_data(), settings)
    assert result.printed is False and not result.ok
    assert result.key == "paper.print_failed" and result.returncode == 3
    assert "printer talon is offline" in result.detail
    assert result.path.is_file() and _mode(result.path) == 0o600
    msg_kk = result.message("kk")
    assert "printer talon is offline" in msg_kk and str(result.path) in msg_kk
    assert "Принтер" in msg_kk
    with pytest.raises(PrintError) as info:
        result.raise_for_status()
    assert isinstance(info.value, DeskError) and info.value.params["path"] == str(result.path)


def test_missing_print_program(tmp_path: Path) -> None:
    settings = PaperSettings(out_dir=tmp_path, print_command="no-such-lp-xyz -d talon")
    result = print_talon(talon_data(), settings)
    assert (result.printed, result.key, result.detail) == (False, "paper.print_not_found",
                                                           "no-such-lp-xyz")
    assert result.path.is_file()


def test_print_timeout_is_reported_and_the_pdf_kept(tmp_path: Path) -> None:
    seen: dict[str, object] = {}

    def runner(args: list[str], **kw: object) -> subprocess.CompletedProcess[bytes]:
        seen.update(kw)
        raise subprocess.TimeoutExpired(args, kw["timeout"])  # type: ignore[arg-type]

    settings = PaperSettings(out_dir=tmp_path, print_command="lp -d talon", print_timeout=7)
    result = print_talon(talon_data(), settings, runner=runner)
    assert seen["timeout"] == 7
    assert (result.printed, result.key, result.detail) == (False, "paper.print_timeout", "7")
    assert result.path.is_file()
    assert "7" in result.message("ru")


def test_runner_gets_an_argument_list(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def runner(args: list[str], **kw: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        assert "shell" not in kw
        return subprocess.CompletedProcess(args, 0, b"", b"")

    settings = PaperSettings(out_dir=tmp_path, print_command="lp -d 'talon 2'")
    result = print_talon(talon_data(), settings, runner=runner)
    assert calls == [["lp", "-d", "talon 2", str(result.path)]]
    assert result.printed is True


def test_bad_quoting_in_the_command(tmp_path: Path) -> None:
    path = save_pdf(b"%PDF", tmp_path / "x.pdf")
    result = print_file(path, PaperSettings(print_command="lp -d 'talon"))
    assert (result.printed, result.key) == (False, "paper.print_bad_command")
    assert path.is_file()


def test_no_print_command_just_saves(tmp_path: Path) -> None:
    path = save_pdf(b"%PDF", tmp_path / "x.pdf")
    assert print_file(path, PaperSettings()) == PrintResult(path, None, "paper.saved")
    assert PrintResult(path, None, "paper.saved").raise_for_status().ok


def test_file_names_are_safe() -> None:
    assert talon_filename("01-2026-00042") == "talon-01-2026-00042.pdf"
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert "/" not in talon_filename("a/b")


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError):
        PaperSettings(talon_layout="a5")  # type: ignore[arg-type]
    assert PaperSettings(out_dir="x").out_dir == Path("x")  # type: ignore[arg-type]
    assert PaperSettings(talon_layout="roll80").slips == "roll80"
    assert PaperSettings(talon_layout="roll80", slip_layout="a6").slips == "a6"


def _q(text: str) -> str:
    import shlex

    return shlex.quote(text)


def test_file_placeholder_of_the_settings_is_replaced(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def runner(args: list[str], **kw: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, b"", b"")

    settings = PaperSettings(out_dir=tmp_path, print_command="lp {file} -n 1")
    result = print_talon(talon_data(), settings, runner=runner)
    assert calls == [["lp", str(result.path), "-n", "1"]]
