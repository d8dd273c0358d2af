"""Statistical disclosure control: the one policy every figure passes through.

Two layers, applied to every figure a member of staff can see (see docs/adr/0007):
- structure, on true counts: a group (the responses in view, or the people who
  answered a question) is shown only if it has at least `threshold` (10)
  responses, and so does the rest of every view it was taken from (its
  complement), so a filtered view can never be subtracted from a wider one to
  leave a small group;
- noise, on every count: the cell key method (`dashboards.perturbation`) rounds
  each count to a multiple of 5, consistently. A published count below the
  threshold is not shown. Percentages are worked out from published counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from dashboards.perturbation import published_count

MINIMUM_THRESHOLD = 5
DEFAULT_THRESHOLD = 10


class Suppression(StrEnum):
    """Why a figure is hidden; the web app words each reason for people."""

    BASE_TOO_SMALL = "base_too_small"
    COMPLEMENT_TOO_SMALL = "complement_too_small"
    SMALL_COUNT = "small_count"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class Tallied:
    """A true count and the sum of its records' keys: what the tallies keep per cell."""

    count: int = 0
    key_sum: int = 0

    def __add__(self, other: Tallied) -> Tallied:
        return Tallied(self.count + other.count, self.key_sum + other.key_sum)


NOTHING = Tallied()


@dataclass(frozen=True)
class Cell:
    """One figure as it may be shown: the published count and percent, or why it is hidden."""

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

    def group(self, tallied: Tallied, parents: Sequence[int] = ()) -> Cell:
        """A group's size: shown if it has at least `threshold` responses, and its complement
        in each parent view (the same view with one filter fewer) has none or as many."""
        if tallied.count < self.threshold:
            return Cell(count=None, suppressed=Suppression.BASE_TOO_SMALL)
        # A complement of none is no group (the view is the whole of its parent).
        if any(0 < parent - tallied.count < self.threshold for parent in parents):
            return Cell(count=None, suppressed=Suppression.COMPLEMENT_TOO_SMALL)
        return self.count(tallied)

    def count(self, tallied: Tallied, base: Cell | None = None) -> Cell:
        """One perturbed count, with its percentage of `base` (a shown group) if given."""
        published = published_count(tallied.count, tallied.key_sum)
        if published < self.threshold:
            return Cell(count=None, suppressed=Suppression.SMALL_COUNT)
        return Cell(count=published, percent=self.percent(published, base))

    def percent(self, published: int, base: Cell | None) -> int | None:
        """A whole-number percentage of a shown base, from published counts only."""
        if base is None or not base.shown or not base.count:
            return None
        return int((100 * published + base.count // 2) // base.count)  # round half up
