"""Cell key perturbation: unbiased random rounding to 5, the same cell the same way."""

from __future__ import annotations

import pytest

from dashboards.perturbation import (
    KEY_RANGE,
    cell_key,
    perturbation_cell_value,
    published_count,
)

COUNTS = range(1, 1001)
KEYS = range(KEY_RANGE)


def test_perturbation_is_unbiased_for_every_count() -> None:
    # Averaged over all cell keys (equally likely: record keys are uniform), the published
    # count is the true one, so sums of many cells are not pushed up or down.
    for count in COUNTS:
        mean = sum(published_count(count, key) for key in KEYS) / KEY_RANGE
        assert mean == pytest.approx(count, abs=0.05), count


def test_every_published_count_is_a_multiple_of_five_within_four_of_the_truth() -> None:
    for count in range(0, 1001):
        for key in KEYS:
            published = published_count(count, key)
            assert published % 5 == 0, (count, key)
            assert abs(published - count) < 5, (count, key)


@pytest.mark.parametrize("count", [5, 10, 15, 100, 750, 755, 1000])
def test_counts_that_are_multiples_of_five_are_unchanged(count: int) -> None:
    assert {published_count(count, key) for key in KEYS} == {count}


def test_other_counts_round_both_ways_depending_on_the_cell_key() -> None:
    for count in (1, 4, 12, 499, 751, 999):
        below = count - count % 5
        assert {published_count(count, key) for key in KEYS} == {below, below + 5}


def test_the_same_cell_is_published_the_same_way_every_time() -> None:
    # The cell key is the key sum modulo 256: asking again, or with a key sum that
    # differs by whole turns of 256, cannot draw a fresh rounding to average away.
    for count in (3, 12, 37, 812):
        for key_sum in (0, 17, 200, 255, 256 + 17, 5 * 256 + 200):
            first = published_count(count, key_sum)
            assert published_count(count, key_sum) == first
            assert published_count(count, cell_key(key_sum)) == first
    assert cell_key(256 + 17) == 17


def test_nothing_is_published_as_nothing() -> None:
    assert {published_count(0, key) for key in KEYS} == {0}
    assert published_count(-3, 10) == 0


def test_large_counts_reuse_the_rows_of_the_ptable_with_the_same_remainder() -> None:
    assert perturbation_cell_value(750) == 750
    assert perturbation_cell_value(751) == 501
    for count in (751, 903, 1000, 4321):
        assert perturbation_cell_value(count) % 5 == count % 5
        assert 501 <= perturbation_cell_value(count) <= 750
