"""What a viewer can see of a survey: under the release policy, and under the previous one.

`release_publication` reads the real dashboards code (the same `build_dashboard`
the pages and exports use) over a DataFrame source. `previous_publication`
re-implements the per-table policy the service had before releases (exact counts;
a base and its complement in each parent view of at least the threshold; counts of
1-4 hidden with the next-smallest, and counts a parent would give away; weeks and
months; every link and language a value of its own), so the attacker can show
what it finds there.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta

from dashboards.dashboard import (
    WordingTable,
    build_dashboard,
    comments_shown,
    offered_filters,
    selection_of,
)
from dashboards.disclosure import DisclosurePolicy
from dashboards.filters import Filter
from dashboards.frames import FrameSource
from dashboards.release import (
    Group,
    Release,
    ReleasePlan,
    Selection,
    WaveSpan,
    plan_release,
    wave_groups,
)
from surveys.rewording import Wording
from tests.privacy.attacker import Publication, View, ViewKey
from tests.privacy.microdata import FIRST_MONDAY, LINKS, OPTIONS, SURVEY, Record, frames

Filters = tuple[tuple[str, str], ...]


def _keys(offered: dict[str, Sequence[str]]) -> list[Filters]:
    singles = [((d, v),) for d in offered for v in offered[d]]
    pairs = [
        tuple(sorted((a[0], b[0])))
        for a, b in itertools.combinations(singles, 2)
        if a[0][0] != b[0][0]
    ]
    return [(), *singles, *pairs]


def _partitions(
    keys: Sequence[Filters], offered: dict[str, Sequence[str]]
) -> list[tuple[ViewKey, list[ViewKey]]]:
    known = set(keys)
    result = []
    for key in keys:
        used = {d for d, _v in key}
        for dimension, values in offered.items():
            if dimension in used:
                continue
            parts = [tuple(sorted((*key, (dimension, v)))) for v in values]
            if all(p in known for p in parts):
                result.append((key, parts))
    return result


def release_publication(
    records: list[Record],
    release: Release,
    threshold: int,
    histories: Mapping[str, Sequence[Wording]] | None = None,
) -> Publication:
    """What one release shows; with `histories`, also question q's answers per wording
    (each a view with the wording as one more filter)."""
    responses, answers = frames(records)
    source = FrameSource(responses, answers, LINKS)
    plan = plan_release(source, release, threshold)
    policy = DisclosurePolicy(threshold)
    # A designer may create waves; overlapping ones are refused, so each period is one.
    spans = [
        WaveSpan(p.number, f"Wave {p.number}", p.starts, p.before - timedelta(days=1))
        for p in release.periods
    ]
    spans.append(WaveSpan(99, "Everything", None, release.covers_before - timedelta(days=1)))
    waves = wave_groups(plan, spans)
    offered = {d: [g.key for g in groups] for d, groups in offered_filters(plan, waves).items()}
    keys = _keys(offered)
    views = {}
    wordings: list[str] = []
    for key in keys:
        filters = tuple(Filter(d, v) for d, v in key)
        dashboard = build_dashboard(source, SURVEY, plan, policy, filters, waves, histories)
        split = dashboard.wordings.get("q")
        for part in split.tables if split else ():
            wordings.append(part.group.key)
            wording_key = tuple(sorted((*key, ("wording", part.group.key))))
            views[wording_key] = _wording_view(records, plan, filters, waves, part)
        selection = selection_of(plan, filters, waves)
        truth = frozenset(
            r.id
            for r in records
            if selection.admits("week", r.monday)
            and selection.admits("link", r.link)
            and selection.admits("language", r.language)
        )
        table = dashboard.tables[0]
        views[key] = View(
            total=dashboard.total.count if dashboard.total.shown else None,
            options={row.value: row.cell.count if row.cell.shown else None for row in table.rows},
            comments=(
                frozenset(r for r in truth if _by_id(records)[r].comment)
                if comments_shown(dashboard, "say", policy)
                else None
            ),
            records=truth,
            covers=_covering(selection),
        )
    if wordings:
        offered["wording"] = sorted(set(wordings))
        keys = [*keys, *(k for k in views if k not in keys)]
    return Publication(views, _partitions(keys, offered))


def _wording_view(
    records: list[Record],
    plan: ReleasePlan,
    filters: tuple[Filter, ...],
    waves: Sequence[Group],
    part: WordingTable,
) -> View:
    selection = selection_of(plan, filters, waves).narrowed(part.group.selection)
    truth = frozenset(
        r.id
        for r in records
        if selection.admits("week", r.monday)
        and selection.admits("link", r.link)
        and selection.admits("language", r.language)
    )
    table = part.table
    return View(
        # Everyone answers q here, so the people who answered it are the responses.
        total=table.base.count if table.shown else None,
        options={row.value: row.cell.count if row.cell.shown else None for row in table.rows},
        comments=None,
        records=truth,
        covers=_covering(selection),
    )


def _covering(selection: Selection) -> Callable[[int, int, str], bool]:
    def covers(week: int, link: int, language: str) -> bool:
        monday = FIRST_MONDAY + timedelta(weeks=week)
        return (
            selection.admits("week", monday)
            and selection.admits("link", link)
            and selection.admits("language", language)
        )

    return covers


def _by_id(records: list[Record]) -> dict[int, Record]:
    return {r.id: r for r in records}


# The previous per-table policy -------------------------------------------------------------

DIMENSIONS: dict[str, Callable[[Record], str]] = {
    "week": lambda r: str(r.week),
    "month": lambda r: str(r.monday.strftime("%Y-%m")),
    "channel": lambda r: str(r.link),
    "language": lambda r: r.language,
}
PERIODS = {"week", "month"}


def previous_publication(records: list[Record], before_week: int, threshold: int) -> Publication:
    """What the previous policy showed on the Monday of `before_week` (closed weeks only)."""
    closed = [r for r in records if r.week < before_week]
    offered = {d: sorted({value(r) for r in closed}) for d, value in DIMENSIONS.items()}
    keys = [k for k in _keys(offered) if not {d for d, _v in k} >= PERIODS]
    views = {key: _previous_view(closed, key, threshold) for key in keys}
    partitions = _partitions(keys, {d: v for d, v in offered.items() if d != "month"})
    for month in offered["month"]:
        weeks = sorted({str(r.week) for r in closed if DIMENSIONS["month"](r) == month})
        partitions.append(((("month", month),), [(("week", w),) for w in weeks]))
    partitions.append(((), [(("month", m),) for m in offered["month"]]))
    return Publication(views, partitions)


def _select(records: list[Record], key: Filters) -> list[Record]:
    return [r for r in records if all(DIMENSIONS[d](r) == v for d, v in key)]


def _previous_view(records: list[Record], key: Filters, threshold: int) -> View:
    mine = _select(records, key)
    parents = [_select(records, tuple(f for f in key if f is not dropped)) for dropped in key]
    n = len(mine)
    shown = n >= threshold and all(len(p) - n >= threshold for p in parents)
    options = {o: None for o in OPTIONS}
    if shown:
        options = _previous_counts(mine, parents)
    comments = frozenset(r.id for r in mine if r.comment) if shown else None

    def covers(week: int, link: int, language: str) -> bool:
        probe = Record(0, 0, week, link, language, "", None)
        return all(DIMENSIONS[d](probe) == v for d, v in key)

    return View(n if shown else None, options, comments, frozenset(r.id for r in mine), covers)


def _previous_counts(mine: list[Record], parents: list[list[Record]]) -> dict[str, int | None]:
    counts = {o: sum(1 for r in mine if r.answer == o) for o in OPTIONS}
    theirs = [{o: sum(1 for r in p if r.answer == o) for o in OPTIONS} for p in parents]
    hidden = {o for o, n in counts.items() if 0 < n < 5}
    hidden |= {o for o, n in counts.items() for t in theirs if 0 < t[o] - n < 5}
    if len(hidden) == 1:
        candidates = sorted((n, o) for o, n in counts.items() if n > 0 and o not in hidden)
        if candidates:
            hidden.add(candidates[0][1])
    return {o: None if o in hidden else n for o, n in counts.items()}
