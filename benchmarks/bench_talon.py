"""How long one registration talon takes, and how big it is.

Compares the desk's talon with a bare ReportLab A6 page that uses the same embedded font
and the same Code 128 barcode, both measured in this run (so the ratio holds on any
machine). Targets: ≤ 5 ms warm, ≤ 25 KB with the font subset embedded, and the first talon
in a fresh process (ReportLab's lazy import and font registration included) ≤ 120 ms. A
talon for a 10,000-character name (issue 15, item 7: it took 11 min 47 s) stays within
``LONG_RATIO`` times an ordinary one: wrapping is linear and a text on paper is capped. The
cold figure is shown beside a bare ReportLab page's in a fresh process (its floor), and the
first talon after ``warm_up()`` (what the app does in a worker thread at start-up).

    uv run python benchmarks/bench_talon.py [--rounds N]

Prints one PASS/FAIL line per target; exits 1 if any target fails.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WARM_MS = 5.0
SIZE_KB = 25.0
FIRST_MS = 120.0
LONG_RATIO = 10.0  # a 10,000-character name's talon against an ordinary talon
LONG_NAME = "Һәкімжанов Ғалымжан" * 500 + "Ә" * 500  # 10,000 characters, a long last word

FIRST_TALON = r"""
import time
t0 = time.perf_counter()
from benchmarks.bench_talon import sample
from mss_desk.paper.talon import render_talon
pdf = render_talon(sample(), "a6")
print((time.perf_counter() - t0) * 1000)
"""
# What the clerk meets: the app ran warm_up() in a worker thread after start-up.
FIRST_AFTER_WARM_UP = r"""
import time
from mss_desk.paper.talon import render_talon, warm_up
warm_up()
from benchmarks.bench_talon import sample
data = sample()
t0 = time.perf_counter()
pdf = render_talon(data, "a6")
print((time.perf_counter() - t0) * 1000)
"""
# The floor under the first talon: ReportLab's own import, the font and a bare page.
FIRST_BARE = r"""
import time
t0 = time.perf_counter()
from benchmarks.bench_talon import bare_page
pdf = bare_page()
print((time.perf_counter() - t0) * 1000)
"""


def sample() -> object:
    from mss_desk.paper.data import DepartmentContact, TalonData

    dept = DepartmentContact(
        name_kk="«Көкшетау қаласының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі» "
        "мемлекеттік мекемесі",
        name_ru="ГУ «Отдел занятости и социальных программ города Кокшетау»",
        address="Көкшетау қ., Локомотивная к-сі, 9а",
        phones=("8-(7162)-31-92-76", "31-92-81"),
    )
    docs = (
        ("өтініш (белгіленген нысан бойынша)", "заявление (по установленной форме)"),
        ("уәкілетті органның жолдамасы", "направление уполномоченного органа"),
        ("жеке басы куәлігі", "удостоверение личности"),
        ("салық төлеушінің тіркеу нөмірі берілгені туралы куәлігі",
         "свидетельство о присвоении РНН"),
        ("әлеуметтік жеке код беру туралы куәлік", "свидетельство о присвоении СИК"),
        ("медициналық карта", "медицинская карта"),
        ("амбулаторлық картадан үзінді көшірме", "выписка из амбулаторной карты"),
        ("зейнеткерлік куәлігі", "пенсионное удостоверение"),
    )
    return TalonData(
        case_no="19-2026-00042", registered_at=datetime(2026, 11, 25, 5, 7, tzinfo=UTC),
        clerk_surname="Әбдіқадырова", clerk_name="Гүлнұр", result_due=date(2026, 12, 10),
        department=dept, applicant_name="Һәкімжанов Ғалымжан Өмірұлы",
        delivery_method="in_person", documents=docs,
    )


_BARE_FONT: list[str] = []


def bare_page() -> bytes:
    """The baseline: an A6 page, the same TTF (a few lines) and the same Code 128 bars."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from mss_desk.paper.barcode import Code128Bars
    from mss_desk.paper.fonts import default_font_paths

    if not _BARE_FONT:
        pdfmetrics.registerFont(TTFont("BareSSP", str(default_font_paths()[0])))
        _BARE_FONT.append("BareSSP")
    w, h = 105 * mm, 148 * mm
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(w, h), pageCompression=1, invariant=1,
               initialFontName="BareSSP")
    c.setFont("BareSSP", 9)
    y = h - 40
    for line in ("ТАЛОН — құжаттардың қабылданғаны туралы", "19-2026-00042",
                 "Әбдіқадырова Гүлнұр", "25.11.2026 10:07", "10.12.2026"):
        c.drawString(20, y, line)
        y -= 12
    Code128Bars("19-2026-00042", 0.33 * mm, 11 * mm).drawOn(c, 20, 40)
    c.showPage()
    c.save()
    return buf.getvalue()


def _has_site_bytecode() -> bool:
    import reportlab

    return (Path(reportlab.__file__).parent / "__pycache__").is_dir()


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent

    # First talon in a fresh process: import + font registration + render (best of 5),
    # beside the same for a bare page (ReportLab's import is most of it).
    # An installed desk has compiled bytecode (pip compiles on install); a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 compiles every module from source at each start. Measure
    # with a private bytecode cache, filled by one discarded run.
    pycache = tempfile.mkdtemp(prefix="bench-talon-pyc-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache

    def fresh(code: str, env: dict[str, str] | None = env) -> float:
        best = float("inf")
        for i in range(6):
            out = subprocess.run([sys.executable, "-c", code], cwd=root, check=True, env=env,
                                 capture_output=True, text=True, timeout=120)
            if i:  # the first run fills the bytecode cache
                best = min(best, float(out.stdout.strip().splitlines()[-1]))
        return best

    try:
        first = fresh(FIRST_TALON)
        first_bare = fresh(FIRST_BARE)
        first_warm = fresh(FIRST_AFTER_WARM_UP)
        no_pyc = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
        no_pyc["PYTHONDONTWRITEBYTECODE"] = "1"
        first_source = fresh(FIRST_TALON, no_pyc) if not _has_site_bytecode() else None
    finally:
        shutil.rmtree(pycache, ignore_errors=True)

    from mss_desk.paper.talon import render_talon

    data = sample()
    for kind in ("a6", "roll80"):
        render_talon(data, kind)  # type: ignore[arg-type]
    bare_page()
    # Interleaved rounds: the baseline and the talons share whatever load the machine has.
    fns = {"bare": bare_page,
           "a6": lambda: render_talon(data, "a6"),  # type: ignore[arg-type]
           "roll80": lambda: render_talon(data, "roll80")}  # type: ignore[arg-type]
    samples: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(args.rounds):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - t0)
    median = {k: statistics.median(v) * 1000 for k, v in samples.items()}
    from dataclasses import replace

    long_data = replace(data, applicant_name=LONG_NAME)  # type: ignore[type-var]
    long_ms = statistics.median(_timed(lambda: render_talon(long_data, "a6"))  # type: ignore[arg-type]
                                for _ in range(max(3, args.rounds // 20))) * 1000
    bare_ms = median["bare"]
    results = {kind: (median[kind], len(render_talon(data, kind)))  # type: ignore[arg-type]
               for kind in ("a6", "roll80")}

    failed = False

    def line(ok: bool, text: str) -> None:
        nonlocal failed
        failed |= not ok
        print(f"{'PASS' if ok else 'FAIL'} {text}")

    print(f"baseline: bare A6 page, same font + barcode: {bare_ms:.2f} ms, "
          f"{len(bare_page()) / 1024:.1f} KB")
    for kind, (ms, size) in results.items():
        line(ms <= WARM_MS, f"talon {kind} warm: {ms:.2f} ms (≤ {WARM_MS:g} ms), "
             f"{ms / bare_ms:.2f}× the bare page")
        line(size <= SIZE_KB * 1024, f"talon {kind} size: {size / 1024:.1f} KB "
             f"(≤ {SIZE_KB:g} KB, font subset embedded)")
    print(f"baseline: first bare page in a fresh process (ReportLab import, font): "
          f"{first_bare:.0f} ms")
    if first_source is not None:
        print(f"info: first talon when site-packages has no bytecode (compiled from source at "
              f"each start, as in this checkout's venv): {first_source:.0f} ms")
    line(long_ms <= LONG_RATIO * median["a6"],
         f"talon a6 for a {len(LONG_NAME):,}-character name: {long_ms:.1f} ms, "
         f"{long_ms / median['a6']:.1f}× an ordinary talon (≤ {LONG_RATIO:g}×)")
    line(first <= FIRST_MS, f"first talon in a fresh process incl. lazy import: {first:.0f} ms "
         f"(≤ {FIRST_MS:g} ms), {first / first_bare:.2f}× the bare first page")
    line(first_warm <= FIRST_MS, f"first talon after the app's warm_up(): {first_warm:.1f} ms "
         f"(≤ {FIRST_MS:g} ms)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
