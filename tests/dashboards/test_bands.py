"""Bands of waiting responses: coarse, starting at the threshold, never showing a small link."""

from __future__ import annotations

from itertools import product

from dashboards.bands import Band, WaitingBands, band_edges, band_of, waiting_bands


def test_bands_start_at_the_threshold_and_widen() -> None:
    assert band_edges(10) == (10, 20, 50, 100, 200, 500, 1000)
    assert band_of(0, 10) == band_of(9, 10) == Band(0, 9)
    assert band_of(10, 10) == band_of(19, 10) == Band(10, 19)
    assert band_of(20, 10) == Band(20, 49)
    assert band_of(999, 10) == Band(500, 999)
    assert band_of(1000, 10) == band_of(10**6, 10) == Band(1000, None)


def test_every_band_is_at_least_a_threshold_wide() -> None:
    for threshold in (5, 10, 15):
        edges = (0, *band_edges(threshold))
        assert all(high - low >= threshold for low, high in zip(edges, edges[1:], strict=False))


def test_the_total_counts_only_links_that_reached_the_threshold() -> None:
    bands = waiting_bands({1: 12, 2: 3}, [1, 2, 3], 10)
    assert bands.total == Band(10, 19)
    assert bands.by_link == {1: Band(10, 19), 2: Band(0, 9), 3: Band(0, 9)}


def views_hiding_whether_a_small_link_was_used(bands_for) -> bool:  # noqa: ANN001
    """Whether, for every split of responses over a link and a small link, what is shown
    is the same whether the small link has none or some."""
    shown: dict[tuple, set[bool]] = {}
    for counts in product(range(0, 120), range(0, 10)):
        bands = bands_for(dict(enumerate(counts)))
        view = (bands.total, tuple(sorted(bands.by_link.items())))
        shown.setdefault(view, set()).add(counts[1] > 0)
    return all(seen == {False, True} for seen in shown.values())


def test_nothing_shown_tells_a_small_link_with_responses_from_one_without() -> None:
    assert views_hiding_whether_a_small_link_was_used(lambda c: waiting_bands(c, [0, 1], 10))


def test_a_total_of_every_response_would_tell() -> None:
    """The check above catches the design it replaced: the true total in bands minus the
    other link's band gives the small link a lower bound."""

    def true_total(counts: dict[int, int]) -> WaitingBands:
        bands = waiting_bands(counts, [0, 1], 10)
        return WaitingBands(band_of(sum(counts.values()), 10), bands.by_link)

    assert not views_hiding_whether_a_small_link_was_used(true_total)
