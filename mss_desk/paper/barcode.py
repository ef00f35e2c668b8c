"""Code 128 for the case number, drawn as plain rectangles on the canvas.

ReportLab's own ``reportlab.graphics.barcode`` package pulls in its whole graphics and
platypus stack on import (~0.3 s); the first talon after start-up must print in well under
that, so the symbology (ISO/IEC 15417) is encoded here. Tests decode the printed bars with
an independent decoder and compare the symbols with ReportLab's encoder.
"""

from __future__ import annotations

from typing import Any

# Bar/space widths of the symbol values 0–105 (each sums to 11 modules); 106 is STOP.
PATTERNS = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 "
    "112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 "
    "311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 "
    "112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 "
    "313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 "
    "122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 "
    "124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 "
    "114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112"
).split()
CODE_C, CODE_B = 99, 100
START_B, START_C, STOP = 104, 105, 106
QUIET = 10  # modules of white on each side


def encode(text: str) -> list[int]:
    """Symbol values for ``text`` (printable ASCII): start, data, checksum, stop.

    Code set B, switching to C for a run of digits worth it (≥ 4 at either end, ≥ 6 inside).
    """
    if not text or any(not 32 <= ord(ch) <= 126 for ch in text):
        raise ValueError("Code 128 here takes printable ASCII only")
    codes: list[int] = []
    current = ""

    def switch(to: str) -> None:
        nonlocal current
        if current == to:
            return
        if not codes:
            codes.append(START_B if to == "B" else START_C)
        else:
            codes.append(CODE_B if to == "B" else CODE_C)
        current = to

    i, n = 0, len(text)
    while i < n:
        run = 0
        while i + run < n and text[i + run].isdigit():
            run += 1
        at_edge = i == 0 or i + run == n
        if run >= (4 if at_edge else 6):
            if run % 2:
                switch("B")
                codes.append(ord(text[i]) - 32)
                i, run = i + 1, run - 1
            switch("C")
            for _ in range(run // 2):
                codes.append(int(text[i:i + 2]))
                i += 2
        else:
            switch("B")
            codes.append(ord(text[i]) - 32)
            i += 1
    checksum = (codes[0] + sum(k * v for k, v in enumerate(codes[1:], 1))) % 103
    return [*codes, checksum, STOP]


class Code128Bars:
    """A Code 128 symbol sized in points: ``width``/``height`` include the quiet zones."""

    def __init__(self, value: str, module: float, height: float) -> None:
        self.value = value
        self.symbols = encode(value)
        self.module = module
        self.height = height
        self.widths = [int(w) for s in self.symbols for w in PATTERNS[s]]  # bar, space, …
        self.modules = sum(self.widths) + 2 * QUIET
        self.width = self.modules * module

    def drawOn(self, canvas: Any, x: float, y: float) -> None:  # noqa: N802 (ReportLab's name)
        canvas.saveState()
        canvas.setFillGray(0)
        pos = x + QUIET * self.module
        for k, w in enumerate(self.widths):
            if k % 2 == 0:
                canvas.rect(pos, y, w * self.module, self.height, stroke=0, fill=1)
            pos += w * self.module
        canvas.restoreState()
