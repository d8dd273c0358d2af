"""A sign of life between releases: how many responses are waiting, in coarse bands.

Between two releases a design team sees no figures (ADR 0007), yet needs to know that a
link works and that responses are arriving. Bands say so without showing anyone:

- The lowest band is "fewer than the threshold" and includes none, so a band never
  says whether a link made for one or a few people was used.
- Every edge is a multiple of the threshold (10, 20, 50, 100, ...): a band changes only
  when at least a threshold's worth of responses has arrived since its lower edge, that is
  when a release could be cut anyway.
- The total counts only links that have reached the threshold. Counting the rest too
  would let the total minus the other links' bands give a lower bound for a small link
  ("20 to 49" in all, the one other link "10 to 19": the small link has at least one).

Bands carry counts, never answers: answers are seen only in releases (ADR 0016).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Edges as multiples of the threshold; the last band is open.
EDGE_MULTIPLES = (1, 2, 5, 10, 20, 50, 100)


@dataclass(frozen=True)
class Band:
    """From `lower` to `upper` responses, both included; `upper` None: or more.

    `lower` 0 is the lowest band, "fewer than `upper` + 1".
    """

    lower: int
    upper: int | None


def band_edges(threshold: int) -> tuple[int, ...]:
    return tuple(threshold * multiple for multiple in EDGE_MULTIPLES)


def band_of(count: int, threshold: int) -> Band:
    """The band a true count falls in."""
    edges = band_edges(threshold)
    lower = 0
    for edge in edges:
        if count < edge:
            return Band(lower, edge - 1)
        lower = edge
    return Band(lower, None)


@dataclass(frozen=True)
class WaitingBands:
    """What a team may see of the responses waiting for the next release."""

    total: Band
    by_link: Mapping[int, Band]


def waiting_bands(by_link: Mapping[int, int], link_ids: list[int], threshold: int) -> WaitingBands:
    """Bands for each of `link_ids` and for the links that reached the threshold together.

    `by_link` holds true counts (links without responses may be missing); they are never
    shown, only the bands made from them.
    """
    counted = sum(n for n in by_link.values() if n >= threshold)
    return WaitingBands(
        total=band_of(counted, threshold),
        by_link={link_id: band_of(by_link.get(link_id, 0), threshold) for link_id in link_ids},
    )
