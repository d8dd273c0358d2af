"""A release: the one protected set of figures behind everything staff can see of a survey.

A release covers the responses of whole closed weeks before its boundary (a
Monday). A new one is cut only when at least the threshold of responses arrived
since the last, so the difference between two releases is never a small group.
Its *periods* are those increments: the only spans of time anyone can ask about,
and the bricks that waves are built from.

Within a release, each breakdown dimension (channel, language, audience, age
band) offers only groups that meet the threshold; the rest are merged into one
"Other" group, which must meet it too. A link made for one person, or three
speakers of a rare language, is therefore never a group of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Protocol, TypeVar, cast

from dashboards.count_keys import TOTAL
from dashboards.disclosure import NOTHING, Tallied

OTHER = "other"
DIMENSIONS = ("channel", "audience", "age_band", "language")


@dataclass(frozen=True)
class Period:
    """The responses one release added: weeks from `starts` (inclusive) to `before`."""

    number: int
    starts: date | None
    before: date


@dataclass(frozen=True)
class Release:
    number: int
    periods: tuple[Period, ...]

    @property
    def covers_before(self) -> date:
        return self.periods[-1].before


def releases_from_boundaries(boundaries: Sequence[date]) -> list[Release]:
    """Releases 1..n from their boundaries (Mondays, in order)."""
    periods = tuple(
        Period(number, boundaries[number - 2] if number > 1 else None, before)
        for number, before in enumerate(boundaries, start=1)
    )
    return [Release(n, periods[:n]) for n in range(1, len(periods) + 1)]


@dataclass(frozen=True)
class LinkInfo:
    """What a dashboard may know of a link: never more than its channel's name."""

    id: int
    name: str
    audience: str
    age_band: str


@dataclass(frozen=True)
class Selection:
    """Which tallies a view covers: a span of weeks, and optionally links and languages."""

    before: date
    starts: date | None = None
    link_ids: frozenset[int] | None = None
    languages: frozenset[str] | None = None

    def admits(self, split: str, value: object) -> bool:
        """Whether a row of `CountsSource.responses_by(..., split)` falls in this selection."""
        if split == "language":
            return self.languages is None or value in self.languages
        if split == "week":
            return (self.starts is None or value >= self.starts) and value < self.before  # type: ignore[operator]
        return self.link_ids is None or value in self.link_ids

    def narrowed(self, other: Selection) -> Selection:
        starts = max((d for d in (self.starts, other.starts) if d is not None), default=None)
        return Selection(
            min(self.before, other.before),
            starts,
            _both(self.link_ids, other.link_ids),
            _both(self.languages, other.languages),
        )


_T = TypeVar("_T")


def _both(a: frozenset[_T] | None, b: frozenset[_T] | None) -> frozenset[_T] | None:
    if a is None:
        return b
    return a if b is None else a & b


class CountsSource(Protocol):
    """Where a dashboard's counts come from: SQL over the tallies, or a DataFrame."""

    def counts(self, selection: Selection) -> Mapping[tuple[str, str], Tallied]:
        """(item key, choice) -> Tallied, with TOTAL the responses in the selection."""
        ...

    def responses_by(self, selection: Selection, dimension: str) -> Mapping[object, Tallied]:
        """Responses in the selection by "link" (id), "language" or "week" (a Monday)."""
        ...

    def links(self) -> Sequence[LinkInfo]: ...


@dataclass(frozen=True)
class Group:
    """One value a dimension offers: its key in URLs, its name, and what it selects."""

    key: str
    label: str
    selection: Selection


@dataclass(frozen=True)
class ReleasePlan:
    """A release with the groups each dimension offers in it."""

    release: Release
    groups: Mapping[str, tuple[Group, ...]] = field(default_factory=dict)

    @property
    def selection(self) -> Selection:
        return Selection(self.release.covers_before)

    def periods(self) -> tuple[Group, ...]:
        """One group per release period: the responses each release added."""
        return tuple(
            Group(str(p.number), "", replace(self.selection, starts=p.starts, before=p.before))
            for p in self.release.periods
        )

    def offered(self) -> dict[str, tuple[Group, ...]]:
        """Every dimension a viewer can filter by; periods once there are two."""
        periods = self.periods()
        return {**self.groups, "period": periods} if len(periods) > 1 else dict(self.groups)


def merge_small_groups(totals: Mapping[str, int], threshold: int) -> dict[str, str]:
    """Map each value to its group: itself if big enough, else OTHER.

    OTHER must meet the threshold too, so the smallest groups join it until it does.
    Returns {} when fewer than two groups would remain: the dimension is not offered.
    """
    own = sorted((n, value) for value, n in totals.items() if n >= threshold)
    other = sum(n for n in totals.values() if n < threshold)
    while other and other < threshold and own:
        other += own.pop(0)[0]
    keep = {value for _n, value in own}
    groups = {value: value if value in keep else OTHER for value in totals if totals[value] > 0}
    return groups if len(set(groups.values())) >= 2 else {}


def plan_release(source: CountsSource, release: Release, threshold: int) -> ReleasePlan:
    """Work out, on true counts, which groups each dimension can offer in this release."""
    whole = Selection(release.covers_before)
    links = {link.id: link for link in source.links()}
    # A "link" split is keyed by link id; responses_by says object, as each split differs.
    by_link = {int(cast(int, k)): v.count for k, v in source.responses_by(whole, "link").items()}
    by_language = {str(k): v.count for k, v in source.responses_by(whole, "language").items()}
    channels = _groups(
        {str(i): n for i, n in by_link.items()},
        threshold,
        lambda keys: Selection(whole.before, link_ids=frozenset(int(k) for k in keys)),
        lambda key: links[int(key)].name if int(key) in links else key,
    )
    groups = {
        "channel": channels,
        "audience": _link_attribute_groups(channels, by_link, links, "audience", threshold),
        "age_band": _link_attribute_groups(channels, by_link, links, "age_band", threshold),
        "language": _groups(
            by_language,
            threshold,
            lambda keys: Selection(whole.before, languages=frozenset(keys)),
            lambda key: key,
        ),
    }
    return ReleasePlan(release, {d: g for d, g in groups.items() if g})


def _link_attribute_groups(
    channels: Sequence[Group],
    by_link: Mapping[int, int],
    links: Mapping[int, LinkInfo],
    attribute: str,
    threshold: int,
) -> tuple[Group, ...]:
    """Groups by a property of links (audience, age band), built from whole channel groups.

    Were they built from links directly, a channel group and an audience group could
    overlap so that together they single out a link the channel grouping had merged;
    as unions of channel groups, no combination of the two is finer than a channel group.
    """
    value_of: dict[str, str] = {}
    totals: dict[str, int] = {}
    for channel in channels:
        ids = channel.selection.link_ids or frozenset()
        values = {getattr(links[i], attribute) if i in links else "" for i in ids}
        value_of[channel.key] = values.pop() if len(values) == 1 else OTHER
        totals[value_of[channel.key]] = totals.get(value_of[channel.key], 0) + sum(
            by_link.get(i, 0) for i in ids
        )
    before = channels[0].selection.before if channels else date.min

    def select(values: Iterable[str]) -> Selection:
        wanted = set(values)
        return Selection(
            before,
            link_ids=frozenset().union(
                *(
                    c.selection.link_ids or frozenset()
                    for c in channels
                    if value_of[c.key] in wanted
                )
            ),
        )

    return _groups(totals, threshold, select, lambda key: key)


def _groups(
    totals: Mapping[str, int],
    threshold: int,
    select: Callable[[list[str]], Selection],
    label: Callable[[str], str],
) -> tuple[Group, ...]:
    membership = merge_small_groups(totals, threshold)
    by_group: dict[str, list[str]] = {}
    for value, group in membership.items():
        by_group.setdefault(group, []).append(value)
    ordered = sorted(by_group, key=lambda g: (g == OTHER, g))
    return tuple(Group(g, "" if g == OTHER else label(g), select(by_group[g])) for g in ordered)


def total_of(counts: Mapping[tuple[str, str], Tallied]) -> Tallied:
    return counts.get(TOTAL, NOTHING)


@dataclass(frozen=True)
class WaveSpan:
    """A wave as a design team defined it: a name and the first and last day it covers."""

    id: int
    name: str
    starts_on: date | None
    ends_on: date | None


def wave_groups(plan: ReleasePlan, waves: Iterable[WaveSpan]) -> tuple[Group, ...]:
    """The waves that can be shown: each a run of whole periods, none overlapping another.

    A wave whose dates do not fall on period boundaries, or that overlaps an earlier
    wave, is left out: otherwise two waves could be subtracted to isolate a few weeks.
    """
    periods = plan.release.periods
    starts = {p.starts for p in periods} | {None}
    ends = {p.before for p in periods}
    taken: list[tuple[date, date]] = []
    groups = []
    for wave in sorted(waves, key=lambda w: w.id):
        end = wave.ends_on + timedelta(days=1) if wave.ends_on else plan.release.covers_before
        if wave.starts_on not in starts or end not in ends:
            continue
        span = (wave.starts_on or date.min, end)
        if any(span[0] < other_end and other_start < span[1] for other_start, other_end in taken):
            continue
        taken.append(span)
        groups.append(Group(str(wave.id), wave.name, Selection(end, starts=wave.starts_on)))
    return tuple(groups)
