"""Disclosure control: each rule, and the subtraction it exists to stop."""

from __future__ import annotations

import itertools

import pytest

from dashboards.disclosure import Cell, DisclosurePolicy, Suppression, Tallied
from dashboards.perturbation import KEY_RANGE, published_count

# With a cell key of 0 every count rounds down; with 255 every count not a multiple of 5 up.
DOWN, UP = 0, 255


def test_threshold_defaults_to_ten_and_cannot_go_below_five() -> None:
    assert DisclosurePolicy().threshold == 10
    assert DisclosurePolicy(threshold=5).threshold == 5
    with pytest.raises(ValueError, match="below 5"):
        DisclosurePolicy(threshold=4)


@pytest.mark.parametrize(
    ("n", "shown"), [(0, False), (9, False), (10, True), (13, True), (250, True)]
)
def test_a_group_under_the_threshold_is_hidden(n: int, shown: bool) -> None:
    for key_sum in (DOWN, UP, 1234):
        cell = DisclosurePolicy().group(Tallied(n, key_sum))
        assert cell.shown is shown
        assert cell.count == (published_count(n, key_sum) if shown else None)
        if not shown:
            assert cell.suppressed is Suppression.BASE_TOO_SMALL


def test_the_group_rule_is_on_the_true_count_not_the_published_one() -> None:
    # 9 people with a cell key that rounds up would be published as 10: still hidden.
    assert published_count(9, UP) == 10
    assert DisclosurePolicy().group(Tallied(9, UP)).suppressed is Suppression.BASE_TOO_SMALL
    # 12 rounded down is published as 10, and the group of 12 is shown as 10.
    assert DisclosurePolicy().group(Tallied(12, DOWN)) == Cell(count=10)


def test_a_group_whose_complement_in_a_parent_view_is_small_is_hidden() -> None:
    policy = DisclosurePolicy()
    group = Tallied(20, 77)
    assert policy.group(group, parents=[30]).shown  # 10 outside the group: fine
    for parents in ([29], [40, 25], [21]):
        cell = policy.group(group, parents=parents)
        assert cell.suppressed is Suppression.COMPLEMENT_TOO_SMALL, parents
        assert cell.count is None
    # A view that is the whole of its parent leaves no one outside it: nothing to subtract.
    assert policy.group(group, parents=[20]).shown


def test_every_count_is_published_as_a_multiple_of_five_the_same_way_every_time() -> None:
    policy = DisclosurePolicy()
    for count, key_sum in itertools.product(range(10, 60), range(0, 3 * KEY_RANGE, 7)):
        cell = policy.count(Tallied(count, key_sum))
        assert cell.shown and cell.count == published_count(count, key_sum)
        assert cell.count % 5 == 0 and abs(cell.count - count) < 5
        assert policy.count(Tallied(count, key_sum)) == cell


def test_a_count_published_below_the_threshold_is_hidden() -> None:
    policy = DisclosurePolicy()
    assert policy.count(Tallied(8, DOWN)) == Cell(None, suppressed=Suppression.SMALL_COUNT)
    assert policy.count(Tallied(8, UP)) == Cell(count=10)
    # 0 to 5 people are always published as 0 or 5: never shown, whatever the cell key.
    for n in range(0, 6):
        for key_sum in range(KEY_RANGE):
            assert policy.count(Tallied(n, key_sum)).suppressed is Suppression.SMALL_COUNT


def test_subtracting_published_counts_never_leaves_one_to_four_people() -> None:
    # The old risk: base 43 = 2 + 11 + 30, with "a" hidden. Base minus the shown counts
    # gave the 2 exactly. Published counts are multiples of 5, so any difference is too.
    policy = DisclosurePolicy()
    for base_key, b_key, c_key in itertools.product(range(0, KEY_RANGE, 17), repeat=3):
        base = policy.group(Tallied(43, base_key))
        a = policy.count(Tallied(2, base_key + 1), base)
        b = policy.count(Tallied(11, b_key), base)
        c = policy.count(Tallied(30, c_key), base)
        assert not a.shown and b.shown and c.shown
        left = base.count - b.count - c.count
        assert left % 5 == 0 and left not in range(1, 5)


def test_percentages_are_worked_out_from_published_counts() -> None:
    policy = DisclosurePolicy()
    base = policy.group(Tallied(41, DOWN))  # published 40
    assert base.count == 40
    assert policy.count(Tallied(14, UP), base) == Cell(count=15, percent=38)  # 37.5 up
    assert policy.count(Tallied(14, DOWN), base) == Cell(count=10, percent=25)
    assert policy.count(Tallied(40, 3), base).percent == 100


def test_percentages_need_a_shown_base_and_are_whole_numbers() -> None:
    policy = DisclosurePolicy()
    assert policy.percent(10, None) is None
    assert policy.percent(10, Cell(None, suppressed=Suppression.BASE_TOO_SMALL)) is None
    assert policy.percent(5, Cell(10)) == 50
    assert policy.percent(1, Cell(800)) == 0
    assert policy.percent(1, Cell(200)) == 1  # 0.5 rounds up
    assert policy.percent(10, Cell(30)) == 33
    assert policy.count(Tallied(15, 0)).percent is None  # no base, no percentage


def test_a_higher_threshold_hides_more() -> None:
    assert DisclosurePolicy(threshold=20).group(Tallied(15, 9)).shown is False
    assert DisclosurePolicy(threshold=10).group(Tallied(15, 9)).shown is True
    assert DisclosurePolicy(threshold=20).count(Tallied(15, 9)).shown is False
    assert DisclosurePolicy(threshold=20).group(Tallied(25, 9), [40]).shown is False
