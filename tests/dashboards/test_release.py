"""Releases: which groups each dimension offers, periods, and which waves can be shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import pytest

from dashboards.disclosure import Tallied
from dashboards.release import (
    OTHER,
    LinkInfo,
    Selection,
    WaveSpan,
    merge_small_groups,
    plan_release,
    releases_from_boundaries,
    wave_groups,
)

MONDAYS = [date(2026, 10, 5), date(2026, 10, 19), date(2026, 11, 2), date(2026, 11, 16)]
DAY = timedelta(days=1)


def test_values_below_the_threshold_are_merged_into_other() -> None:
    groups = merge_small_groups({"a": 30, "b": 10, "c": 4, "d": 7}, threshold=10)
    assert groups == {"a": "a", "b": "b", "c": OTHER, "d": OTHER}


def test_values_at_or_above_the_threshold_keep_their_own_group() -> None:
    assert merge_small_groups({"a": 12, "b": 15}, threshold=10) == {"a": "a", "b": "b"}


def test_other_below_the_threshold_takes_in_the_smallest_group() -> None:
    # Other alone would be 4 people: the smallest big group (12) joins it, not a larger one.
    groups = merge_small_groups({"a": 30, "b": 12, "e": 20, "c": 4}, threshold=10)
    assert groups == {"a": "a", "b": OTHER, "c": OTHER, "e": "e"}
    # Two small values that make the threshold together need nobody else.
    groups = merge_small_groups({"a": 30, "b": 12, "c": 4, "d": 6}, threshold=10)
    assert groups == {"a": "a", "b": "b", "c": OTHER, "d": OTHER}


@pytest.mark.parametrize(
    "totals",
    [
        {"a": 30},  # one value
        {"a": 30, "c": 4},  # other takes in "a": a single group left
        {"a": 3, "b": 4},  # all small: one "other"
        {},
    ],
)
def test_a_dimension_with_fewer_than_two_groups_is_not_offered(totals: dict) -> None:
    assert merge_small_groups(totals, threshold=10) == {}


def test_values_nobody_used_are_left_out() -> None:
    groups = merge_small_groups({"a": 30, "b": 20, "z": 0}, threshold=10)
    assert groups == {"a": "a", "b": "b"}


class FakeSource:
    """A CountsSource with responses per link and per language for the whole release."""

    def __init__(
        self,
        by_link: Mapping[int, int],
        by_language: Mapping[str, int],
        links: Sequence[LinkInfo],
        before: date,
    ) -> None:
        self.by_link, self.by_language, self._links = by_link, by_language, links
        self.before = before

    def counts(self, selection: Selection) -> Mapping[tuple[str, str], Tallied]:
        raise AssertionError("planning a release reads only responses_by")

    def responses_by(self, selection: Selection, dimension: str) -> Mapping[object, Tallied]:
        assert selection == Selection(self.before)  # the whole release, nothing after it
        values = self.by_link if dimension == "link" else self.by_language
        return {k: Tallied(n, 0) for k, n in values.items()}

    def links(self) -> Sequence[LinkInfo]:
        return self._links


def test_a_release_offers_only_groups_that_meet_the_threshold() -> None:
    links = [
        LinkInfo(1, "Youth club", "young_people", "13-15"),
        LinkInfo(2, "School", "young_people", "16-18"),
        LinkInfo(3, "Just for Sam", "young_people", "13-15"),
        LinkInfo(4, "Parents' evening", "parents", ""),
        LinkInfo(5, "Library", "young_people", "13-15"),
    ]
    source = FakeSource(
        {1: 40, 2: 25, 3: 2, 4: 12, 5: 9}, {"en": 80, "cy": 6, "pl": 2}, links, MONDAYS[1]
    )
    release = releases_from_boundaries([MONDAYS[1]])[-1]
    plan = plan_release(source, release, threshold=10)
    channel = {g.key: g for g in plan.groups["channel"]}
    # Sam's link (2) and the library (9) are never groups of their own: "Other" (11) is.
    assert list(channel) == ["1", "2", "4", OTHER]
    assert channel["1"].label == "Youth club" and channel[OTHER].label == ""
    assert channel[OTHER].selection == Selection(MONDAYS[1], link_ids=frozenset({3, 5}))
    assert channel["1"].selection == Selection(MONDAYS[1], link_ids=frozenset({1}))
    audience = {g.key: g.selection.link_ids for g in plan.groups["audience"]}
    assert audience == {"parents": frozenset({4}), "young_people": frozenset({1, 2, 3, 5})}
    age = {g.key: g.selection.link_ids for g in plan.groups["age_band"]}
    assert age == {"13-15": frozenset({1, 3, 5}), "16-18": frozenset({2}), "": frozenset({4})}
    # Welsh (6) and Polish (2) together are 8: too few for "Other", so English joins it
    # and a single group is left: the language dimension is not offered at all.
    assert "language" not in plan.groups
    assert "period" not in plan.offered()  # a single period is the whole release


def test_periods_are_the_increments_between_releases() -> None:
    releases = releases_from_boundaries(MONDAYS[:3])
    assert [r.number for r in releases] == [1, 2, 3]
    assert releases[0].covers_before == MONDAYS[0] and releases[2].covers_before == MONDAYS[2]
    plan = plan_release(FakeSource({}, {}, [], MONDAYS[1]), releases[1], threshold=10)
    assert plan.groups == {}
    periods = plan.offered()["period"]
    assert [p.key for p in periods] == ["1", "2"]
    assert periods[0].selection == Selection(MONDAYS[0])
    assert periods[1].selection == Selection(MONDAYS[1], starts=MONDAYS[0])


def _plan_with_periods(n: int):  # noqa: ANN202 - a ReleasePlan
    release = releases_from_boundaries(MONDAYS[:n])[-1]
    return plan_release(FakeSource({}, {}, [], MONDAYS[n - 1]), release, threshold=10)


def test_waves_on_period_boundaries_are_shown() -> None:
    plan = _plan_with_periods(4)  # periods: ..5 Oct, 5-19 Oct, 19 Oct-2 Nov, 2-16 Nov
    waves = [
        WaveSpan(1, "Before", None, MONDAYS[1] - DAY),
        WaveSpan(2, "During", MONDAYS[1], MONDAYS[2] - DAY),
        WaveSpan(3, "After", MONDAYS[2], None),
    ]
    groups = wave_groups(plan, waves)
    assert [(g.key, g.label) for g in groups] == [("1", "Before"), ("2", "During"), ("3", "After")]
    assert groups[0].selection == Selection(MONDAYS[1])
    assert groups[1].selection == Selection(MONDAYS[2], starts=MONDAYS[1])
    assert groups[2].selection == Selection(MONDAYS[3], starts=MONDAYS[2])


@pytest.mark.parametrize(
    "wave",
    [
        WaveSpan(9, "Starts mid-period", MONDAYS[0] + 7 * DAY, MONDAYS[2] - DAY),
        WaveSpan(9, "Ends mid-period", MONDAYS[0], MONDAYS[1] + 6 * DAY),
        WaveSpan(9, "Ends on a boundary day, not before it", MONDAYS[0], MONDAYS[1]),
        WaveSpan(9, "Starts before the survey's first period", MONDAYS[0] - 7 * DAY, None),
        WaveSpan(9, "After the release", MONDAYS[3], MONDAYS[3] + 13 * DAY),
    ],
)
def test_waves_off_period_boundaries_are_left_out(wave: WaveSpan) -> None:
    plan = _plan_with_periods(4)
    good = WaveSpan(1, "Good", None, MONDAYS[0] - DAY)
    assert [g.key for g in wave_groups(plan, [good, wave])] == ["1"]


def test_overlapping_waves_are_left_out_and_the_earlier_one_kept() -> None:
    plan = _plan_with_periods(4)
    first = WaveSpan(1, "First", MONDAYS[0], MONDAYS[2] - DAY)  # periods 2-3
    overlaps = WaveSpan(2, "Overlaps", MONDAYS[1], MONDAYS[3] - DAY)  # periods 3-4
    inside = WaveSpan(3, "Inside", MONDAYS[1], MONDAYS[2] - DAY)  # period 3
    whole = WaveSpan(4, "Everything", None, None)
    before = WaveSpan(5, "Before", None, MONDAYS[0] - DAY)  # period 1
    after = WaveSpan(6, "After", MONDAYS[2], None)  # period 4
    groups = wave_groups(plan, [after, whole, overlaps, before, inside, first])
    # Overlapping waves could be subtracted from each other to leave a few weeks.
    assert [g.key for g in groups] == ["1", "5", "6"]
