"""Comparing two waves (before and after a change): the shift and its uncertainty.

For each option shown in both waves, the difference between the two shares with
a 95% interval (Newcombe's method, built from Wilson score intervals).
A comparison is made only where both waves' tables passed disclosure control.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from dashboards.tables import QuestionTable


@dataclass(frozen=True)
class Shift:
    value: str
    label: str
    before: float
    after: float
    difference: float
    low: float
    high: float

    @property
    def clear(self) -> bool:
        """The interval excludes zero: a shift unlikely to be chance alone."""
        return self.low > 0 or self.high < 0


Z = NormalDist().inv_cdf(0.975)


def wilson_interval(k: int, n: int) -> tuple[float, float]:
    """The Wilson score interval for k successes in n (95%)."""
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_interval(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float, float]:
    """(p2 - p1, low, high): Newcombe's hybrid score interval for a difference of shares."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1)
    l2, u2 = wilson_interval(k2, n2)
    difference = p2 - p1
    low = difference - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = difference + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return difference, low, high


def compare(before: QuestionTable, after: QuestionTable) -> list[Shift]:
    """Shifts for each option shown in both waves; empty if either wave is hidden."""
    if not (before.shown and after.shown and before.base.count and after.base.count):
        return []
    shifts = []
    after_rows = {r.value: r for r in after.rows}
    for row in before.rows:
        other = after_rows.get(row.value)
        if other is None or not (row.cell.shown and other.cell.shown):
            continue
        n1, n2 = before.base.count, after.base.count
        k1, k2 = row.cell.count or 0, other.cell.count or 0
        difference, low, high = difference_interval(k1, n1, k2, n2)
        shifts.append(
            Shift(
                row.value,
                row.label,
                100 * k1 / n1,
                100 * k2 / n2,
                100 * difference,
                100 * low,
                100 * high,
            )
        )
    return shifts
