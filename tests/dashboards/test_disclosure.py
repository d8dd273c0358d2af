"""Disclosure control: each rule, and the subtraction it exists to stop."""

from __future__ import annotations

import pytest

from dashboards.disclosure import Cell, DisclosurePolicy, Suppression


def test_threshold_defaults_to_ten_and_cannot_go_below_five() -> None:
    assert DisclosurePolicy().threshold == 10
    assert DisclosurePolicy(threshold=5).threshold == 5
    with pytest.raises(ValueError, match="below 5"):
        DisclosurePolicy(threshold=4)


@pytest.mark.parametrize(("n", "shown"), [(0, False), (9, False), (10, True), (250, True)])
def test_a_base_under_the_threshold_is_hidden(n: int, shown: bool) -> None:
    cell = DisclosurePolicy().base(n)
    assert cell.shown is shown
    assert cell.count == (n if shown else None)
    if not shown:
        assert cell.suppressed is Suppression.BASE_TOO_SMALL


def test_every_count_is_hidden_when_the_base_is_too_small() -> None:
    cells = DisclosurePolicy().counts({"yes": 6, "no": 3}, base=9)
    assert all(c.suppressed is Suppression.BASE_TOO_SMALL for c in cells.values())


def test_small_counts_are_hidden_and_the_next_smallest_too() -> None:
    cells = DisclosurePolicy().counts({"a": 3, "b": 7, "c": 20, "d": 0}, base=30)
    assert cells["a"].suppressed is Suppression.SMALL_COUNT
    assert cells["b"].suppressed is Suppression.SECONDARY
    assert cells["c"] == Cell(count=20, percent=67)
    assert cells["d"] == Cell(count=0, percent=0)


def test_subtraction_cannot_recover_a_hidden_count() -> None:
    counts = {"a": 2, "b": 11, "c": 30}
    base = sum(counts.values())
    cells = DisclosurePolicy().counts(counts, base)
    shown_total = sum(c.count for c in cells.values() if c.shown)
    hidden = [k for k, c in cells.items() if not c.shown]
    # With the base known, at least two counts stay hidden, so no single one is exposed.
    assert len(hidden) >= 2
    assert base - shown_total == counts["a"] + counts["b"]


def test_two_small_counts_protect_each_other() -> None:
    cells = DisclosurePolicy().counts({"a": 2, "b": 3, "c": 40}, base=45)
    assert [k for k, c in cells.items() if not c.shown] == ["a", "b"]
    assert cells["c"].shown


def test_counts_of_five_and_more_are_shown() -> None:
    cells = DisclosurePolicy().counts({"a": 5, "b": 5}, base=10)
    assert all(c.shown for c in cells.values())


def test_percentages_are_whole_numbers_over_a_big_enough_base() -> None:
    policy = DisclosurePolicy()
    assert policy.percent(1, 3) is None
    assert policy.percent(5, 10) == 50
    assert policy.percent(1, 8 * 100) == 0
    assert policy.percent(2, 3 * 100 // 3 + 200) == 1


def test_the_same_input_always_gives_the_same_output() -> None:
    policy = DisclosurePolicy(threshold=12)
    counts = {"a": 4, "b": 9, "c": 9, "d": 30}
    assert policy.counts(counts, 52) == policy.counts(dict(reversed(counts.items())), 52)


def test_a_higher_threshold_hides_more() -> None:
    assert DisclosurePolicy(threshold=20).base(15).shown is False
    assert DisclosurePolicy(threshold=10).base(15).shown is True
