"""PDF files and the print command.

Every PDF is written under a temporary name in the target folder and renamed into place
(never a half-written talon), with mode 0600 (names and case numbers are personal data).
The optional print command (``lp -d talon``) runs after each file as an argument list
(``shlex``; the path replaces ``{file}``/``{path}``, or is appended), never through a shell, with a
timeout. A failed print keeps the PDF and says what happened in a :class:`PrintResult`.

The print job is bounded (issue 15, item 7): the command runs in its own process group, and
at the timeout the whole group is killed — a wrapper script's children too, which would
otherwise keep running (and keep its output pipes open, so the wait never ended).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mss_desk.paper.data import PaperSettings
from mss_desk.paper.errors import PaperError, PrintError
from mss_desk.text import clean_line

if TYPE_CHECKING:
    import subprocess

# subprocess, tempfile, shlex and platformdirs are imported where used: the first talon
# after start-up should pay only for ReportLab.
Runner = Callable[..., "subprocess.CompletedProcess[bytes]"]
_UNSAFE = re.compile(r"[^\w.-]+")  # letters (any script), digits, _ . -


@dataclass(frozen=True)
class PrintResult:
    """What happened to one document: where its PDF is and whether the printer took it.

    ``printed`` is True (sent), False (the command failed: see ``key``/``detail``) or None
    (no print command configured, or the caller asked for the file only).
    """

    path: Path
    printed: bool | None
    key: str
    command: tuple[str, ...] = ()
    returncode: int | None = None
    detail: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.printed is not False

    def message(self, lang: str = "kk") -> str:
        from mss_desk.i18n import t

        return t(self.key, lang, path=str(self.path), detail=self.detail,
                 command=" ".join(self.command), returncode=self.returncode)

    def raise_for_status(self) -> PrintResult:
        if self.printed is False:
            raise PrintError(
                self.message("en"), key=self.key, path=str(self.path), detail=self.detail,
                command=" ".join(self.command), returncode=self.returncode,
            )
        return self


def out_dir(settings: PaperSettings) -> Path:
    if settings.out_dir is not None:
        return settings.out_dir
    from mss_desk import locations

    return locations.paper_dir()


def safe_name(text: str) -> str:
    """A file-name part from a case or ticket number (no path separators, no spaces)."""
    return _UNSAFE.sub("_", text).strip("._") or "x"


def save_pdf(pdf: bytes, path: Path) -> Path:
    """Write ``pdf`` to ``path`` atomically with mode 0600; the folder is created 0700."""
    import tempfile

    from mss_desk import locations

    path = Path(path)
    folder = path.parent
    try:
        if not folder.exists():
            locations.ensure_private_dir(folder)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:  # mkstemp creates the file 0600
                fh.write(pdf)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise PaperError(
            f"cannot write {path}: {exc.strerror or exc}",
            key="paper.write_failed", path=str(path), detail=str(exc.strerror or exc),
        ) from exc
    return path


def print_file(path: Path, settings: PaperSettings, *, runner: Runner | None = None
               ) -> PrintResult:
    """Run the configured print command on ``path``; never raises for a printer problem."""
    import shlex
    import subprocess

    if not settings.print_command:
        return PrintResult(path, None, "paper.saved")
    try:
        args = shlex.split(settings.print_command)
    except ValueError as exc:
        return PrintResult(path, False, "paper.print_bad_command", detail=str(exc))
    if not args:
        return PrintResult(path, False, "paper.print_bad_command", detail="empty")
    if any("{path}" in a or "{file}" in a for a in args):
        args = [a.replace("{path}", str(path)).replace("{file}", str(path)) for a in args]
    else:
        args.append(str(path))
    command = tuple(args)
    run = runner or run_bounded
    try:
        done = run(args, stdin=subprocess.DEVNULL, capture_output=True,
                   timeout=settings.print_timeout, check=False)
    except FileNotFoundError:
        return PrintResult(path, False, "paper.print_not_found", command, detail=args[0])
    except subprocess.TimeoutExpired:
        return PrintResult(path, False, "paper.print_timeout", command,
                           detail=f"{settings.print_timeout:g}")
    except OSError as exc:
        return PrintResult(path, False, "paper.print_failed", command,
                           detail=str(exc.strerror or exc))
    if done.returncode != 0:
        err = done.stderr or b""
        text = clean_line(err.decode("utf-8", "replace") if isinstance(err, bytes) else err)
        return PrintResult(path, False, "paper.print_failed", command, done.returncode,
                           detail=text[-200:] or f"exit {done.returncode}")
    return PrintResult(path, True, "paper.printed", command, 0)


KILL_WAIT = 5.0  # seconds to collect a killed job's last output before giving up on it
OUTPUT_LIMIT = 64 * 1024  # the bytes of a job's output kept (the message shows the end)


def run_bounded(args: list[str], *, timeout: float, **_: Any
                ) -> subprocess.CompletedProcess[bytes]:
    """``subprocess.run`` for a print job: no stdin, output captured, never outlives
    ``timeout``.

    The job is a new session (its own process group); at the timeout the group is killed
    with SIGKILL and ``TimeoutExpired`` raised. ``subprocess.run`` kills only the command
    itself and then waits, with no limit, for its output pipes to close — a child of a
    wrapper script still holding them kept the print (and the clerk) waiting.
    """
    import signal
    import subprocess

    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        try:
            proc.communicate(timeout=KILL_WAIT)
        except subprocess.TimeoutExpired:  # a grandchild left the group, holding a pipe
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
            proc.wait(timeout=KILL_WAIT)
        raise subprocess.TimeoutExpired(args, timeout) from None
    except BaseException:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    return subprocess.CompletedProcess(args, proc.returncode, out[-OUTPUT_LIMIT:],
                                       err[-OUTPUT_LIMIT:])


def deliver(pdf: bytes, filename: str, settings: PaperSettings, *, out: Path | None = None,
            send: bool = True, runner: Runner | None = None) -> PrintResult:
    """Save ``pdf`` (to ``out`` or the paper folder) and, if ``send``, print it."""
    path = Path(out) if out is not None else out_dir(settings) / filename
    save_pdf(pdf, path)
    if not send:
        return PrintResult(path, None, "paper.saved")
    return print_file(path, settings, runner=runner)
