"""What every benchmark prints: the p99 of a list of timings and a PASS/FAIL line."""

from __future__ import annotations


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def verdict(name: str, measured: float, target: float, unit: str = "×") -> str:
    ok = measured <= target
    shown = str(measured) if isinstance(measured, int) else f"{measured:.2f}"
    return f"{'PASS' if ok else 'FAIL'}  {name}: {shown}{unit} (target ≤ {target:g}{unit})"
