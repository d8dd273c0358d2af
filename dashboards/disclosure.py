"""Statistical disclosure control: the one policy every figure passes through.

Defaults follow UK survey practice (GP Patient Survey, Ofsted Parent View, ONS):
- nothing is shown from fewer than `threshold` (10) responses;
- within a table, counts of 1-4 show as "fewer than 5", and the next-smallest
  count is hidden too, so a hidden count cannot be worked out by subtraction;
- percentages are shown only over a base of at least `threshold`;
- a filtered group is shown only if the rest of the group it was taken from
  (its complement) also meets the threshold, and a count is hidden if the same
  count for that rest would be small: otherwise subtracting the filtered view
  from the unfiltered one would reveal a small group.
The same input always gives the same output: no noise that repeated queries
could average away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

MINIMUM_THRESHOLD = 5
DEFAULT_THRESHOLD = 10
SMALL_COUNT_LIMIT = 5


class Suppression(StrEnum):
    """Why a figure is hidden; the web app words each reason for people."""

    BASE_TOO_SMALL = "base_too_small"
    COMPLEMENT_TOO_SMALL = "complement_too_small"
    SMALL_COUNT = "small_count"
    DIFFERENCE = "difference"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class Cell:
    """One figure as it may be shown: the count and percent, or why they are hidden."""

    count: int | None
    percent: int | None = None
    suppressed: Suppression | None = None

    @property
    def shown(self) -> bool:
        return self.suppressed is None


@dataclass(frozen=True)
class DisclosurePolicy:
    threshold: int = DEFAULT_THRESHOLD

    def __post_init__(self) -> None:
        if self.threshold < MINIMUM_THRESHOLD:
            raise ValueError(f"the disclosure threshold cannot be below {MINIMUM_THRESHOLD}")

    def base(self, n: int) -> Cell:
        """A total number of responses: shown only when it meets the threshold."""
        if n < self.threshold:
            return Cell(count=None, suppressed=Suppression.BASE_TOO_SMALL)
        return Cell(count=n)

    def group(self, n: int, parents: Sequence[int] = ()) -> Cell:
        """A filtered group's size: shown if it and its complement in each parent view
        (the same view with one filter fewer) meet the threshold."""
        if n < self.threshold:
            return Cell(count=None, suppressed=Suppression.BASE_TOO_SMALL)
        if any(parent - n < self.threshold for parent in parents):
            return Cell(count=None, suppressed=Suppression.COMPLEMENT_TOO_SMALL)
        return Cell(count=n)

    def counts(self, counts: Mapping[str, int], base: int,
               parents: Sequence[Mapping[str, int]] = ()) -> dict[str, Cell]:
        """Apply small-count, difference and secondary suppression to one table's counts.

        `parents` are the same counts in each view with one filter fewer; a count is
        hidden when the parent's count minus this one would be small.
        """
        if base < self.threshold:
            return {key: Cell(None, suppressed=Suppression.BASE_TOO_SMALL) for key in counts}
        primary = {k for k, n in counts.items() if 0 < n < SMALL_COUNT_LIMIT}
        hidden = dict.fromkeys(primary, Suppression.SMALL_COUNT)
        for parent in parents:
            for key, n in counts.items():
                if key not in hidden and 0 < parent.get(key, 0) - n < SMALL_COUNT_LIMIT:
                    hidden[key] = Suppression.DIFFERENCE
        primary = set(hidden)
        if len(primary) == 1:
            # One hidden count could be recovered from the base minus the rest:
            # hide the next-smallest non-zero count as well.
            candidates = sorted(
                (n, k) for k, n in counts.items() if n > 0 and k not in primary
            )
            if candidates:
                hidden[candidates[0][1]] = Suppression.SECONDARY
        return {
            key: Cell(None, suppressed=hidden[key]) if key in hidden
            else Cell(count=n, percent=self.percent(n, base))
            for key, n in counts.items()
        }

    def percent(self, n: int, base: int) -> int | None:
        """A whole-number percentage, only over a base that meets the threshold."""
        if base < self.threshold or base <= 0:
            return None
        return int((100 * n + base // 2) // base)  # round half up, deterministically
