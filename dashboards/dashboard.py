"""The dashboard of one release: every figure a page, report or export shows, built once.

Pure: it reads counts from a `CountsSource` (SQL over the tallies in the app, a
DataFrame in a notebook) and applies one `DisclosurePolicy`. Pages, the printable
report and the CSV/XLSX exports all read the same `Dashboard`, so an export can
never show more than the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dashboards.disclosure import NOTHING, Cell, DisclosurePolicy, Tallied
from dashboards.exports import Sheet
from dashboards.filters import Filter, parents, parse_filters
from dashboards.release import (
    DIMENSIONS,
    CountsSource,
    Group,
    ReleasePlan,
    Selection,
    total_of,
)
from dashboards.summaries import Summary, summarise
from dashboards.tables import Completion, Counts, QuestionTable, completion, question_tables
from dashboards.waves import Shift, compare
from surveys.model import Survey

HIDDEN = "hidden to protect privacy"


@dataclass(frozen=True)
class Breakdown:
    """Responses in view split by one dimension's groups (or by period)."""

    dimension: str
    rows: tuple[tuple[Group, Cell], ...]


@dataclass
class Dashboard:
    plan: ReleasePlan
    filters: tuple[Filter, ...]
    total: Cell
    counts: Counts
    parent_counts: list[Counts]
    periods: Breakdown
    breakdowns: list[Breakdown]
    completion: list[Completion]
    tables: list[QuestionTable]
    summaries: dict[str, Summary | None] = field(default_factory=dict)

    def item_base(self, item_key: str, policy: DisclosurePolicy) -> Cell:
        """How many in view answered an item, if that group may be shown."""
        return policy.group(self.counts.get((item_key, ""), NOTHING),
                            [p.get((item_key, ""), NOTHING).count for p in self.parent_counts])


def offered_filters(plan: ReleasePlan, waves: Sequence[Group] = ()) -> dict[str, tuple[Group, ...]]:
    """Every filter value a viewer can choose in this release."""
    offered = plan.offered()
    return {**offered, "wave": tuple(waves)} if waves else offered


def selection_of(plan: ReleasePlan, filters: Iterable[Filter],
                 waves: Sequence[Group] = ()) -> Selection:
    groups = offered_filters(plan, waves)
    selection = plan.selection
    for f in filters:
        group = next(g for g in groups[f.dimension] if g.key == f.value)
        selection = selection.narrowed(group.selection)
    return selection


def parse_view(plan: ReleasePlan, raw: Sequence[str], waves: Sequence[Group] = ()
               ) -> tuple[Filter, ...]:
    """Check filters from a request against what this release offers (FilterProblem if not)."""
    allowed = {d: [g.key for g in groups] for d, groups in offered_filters(plan, waves).items()}
    return parse_filters(raw, allowed)


def build_dashboard(source: CountsSource, survey: Survey, plan: ReleasePlan,
                    policy: DisclosurePolicy, filters: tuple[Filter, ...] = (),
                    waves: Sequence[Group] = ()) -> Dashboard:
    """Every figure of one view of a release, disclosure control applied."""
    view = selection_of(plan, filters, waves)
    parent_views = [selection_of(plan, p, waves) for p in parents(filters)]
    counts = dict(source.counts(view))
    parent_counts = [dict(source.counts(p)) for p in parent_views]
    overall = policy.group(total_of(counts), [total_of(p).count for p in parent_counts])
    shown_counts = counts if overall.shown else {}
    tables = question_tables(survey, shown_counts, policy, parent_counts)
    filtered = {f.dimension for f in filters}
    return Dashboard(
        plan=plan,
        filters=filters,
        total=overall,
        counts=counts,
        parent_counts=parent_counts,
        periods=_periods(source, plan, policy, view, parent_views, overall),
        breakdowns=[_breakdown(source, plan, policy, d, view, parent_views, overall)
                    for d in DIMENSIONS if d in plan.groups and d not in filtered],
        completion=completion(survey, shown_counts, policy, overall),
        tables=tables,
        summaries={t.item_key: summarise(t) for t in tables},
    )


def comments_shown(dashboard: Dashboard, item_key: str, policy: DisclosurePolicy) -> bool:
    """Whether the comments on an item may be listed in this view.

    Free text cannot be perturbed, only withheld. A filtered list could be subtracted
    from the whole list (or from the same list in the previous release) to leave the
    comments of a few people, so lists are shown for the whole release only, and only
    when the people who answered the item form a group that may be shown.
    """
    return (not dashboard.filters and dashboard.total.shown
            and dashboard.item_base(item_key, policy).shown)


def _split(dimension: str) -> str:
    """How `CountsSource.responses_by` splits responses for a dimension's groups."""
    if dimension == "period":
        return "week"
    return "language" if dimension == "language" else "link"


def _in_group(split: Mapping[object, Tallied], group: Group, kind: str) -> Tallied:
    return sum((t for raw, t in split.items() if group.selection.admits(kind, raw)), NOTHING)


def _rows(source: CountsSource, policy: DisclosurePolicy, dimension: str,
          groups: Sequence[Group], view: Selection, parent_views: Sequence[Selection],
          overall: Cell) -> tuple[tuple[Group, Cell], ...]:
    """Each group within the view, shown only if it and its complements meet the threshold:
    in this view, and in every view with one filter fewer."""
    if not overall.shown:
        return ()
    kind = _split(dimension)
    mine = source.responses_by(view, kind)
    theirs = [source.responses_by(p, kind) for p in parent_views]
    view_total = sum(mine.values(), NOTHING).count
    rows = []
    for group in groups:
        parents_of_row = [view_total] + [_in_group(t, group, kind).count for t in theirs]
        rows.append((group, policy.group(_in_group(mine, group, kind), parents_of_row)))
    return tuple(rows)


def _periods(source: CountsSource, plan: ReleasePlan, policy: DisclosurePolicy,
             view: Selection, parent_views: Sequence[Selection], overall: Cell) -> Breakdown:
    groups = plan.offered().get("period", ())  # a single period is the whole release
    return Breakdown("period", _rows(source, policy, "period", groups, view, parent_views,
                                     overall))


def _breakdown(source: CountsSource, plan: ReleasePlan, policy: DisclosurePolicy,
               dimension: str, view: Selection, parent_views: Sequence[Selection],
               overall: Cell) -> Breakdown:
    return Breakdown(dimension, _rows(source, policy, dimension, plan.groups[dimension], view,
                                      parent_views, overall))


@dataclass(frozen=True)
class ComparisonRow:
    title: str
    shifts: list[Shift]
    before: QuestionTable
    after: QuestionTable


def comparison(source: CountsSource, survey: Survey, plan: ReleasePlan,
               policy: DisclosurePolicy, before: Group, after: Group) -> list[ComparisonRow]:
    """Each closed question in two waves; shifts only where both waves may be shown."""
    whole = dict(source.counts(plan.selection))
    tables = []
    for wave in (before, after):
        counts = dict(source.counts(plan.selection.narrowed(wave.selection)))
        shown = policy.group(total_of(counts), [total_of(whole).count]).shown
        tables.append(question_tables(survey, counts if shown else {}, policy, [whole]))
    return [ComparisonRow(a.title, compare(a, b), a, b) for a, b in zip(*tables, strict=True)]


def _shown(cell: Cell) -> tuple[Any, Any]:
    return (cell.count, cell.percent) if cell.shown else (HIDDEN, "")


def export_sheets(dashboard: Dashboard, names: Mapping[str, Mapping[str, str]] | None = None
                  ) -> list[Sheet]:
    """The tables on screen, suppression included, as plain rows.

    `names` gives, per dimension, the words for each group key (the web layer's labels).
    """
    names = names or {}

    def label(dimension: str, group: Group) -> str:
        return names.get(dimension, {}).get(group.key, group.label or group.key)

    sheets = [Sheet("Responses", ("Responses",),
                    ((dashboard.total.count if dashboard.total.shown else HIDDEN,),))]
    for breakdown in [dashboard.periods, *dashboard.breakdowns]:
        if breakdown.rows:
            sheets.append(Sheet(f"Responses by {breakdown.dimension}",
                                (breakdown.dimension, "Responses", "Percent"),
                                tuple((label(breakdown.dimension, group), *_shown(cell))
                                      for group, cell in breakdown.rows)))
    sheets.append(Sheet("Answered each question", ("Question", "Answered", "Percent"),
                        tuple((row.title, *_shown(row.cell)) for row in dashboard.completion)))
    for table in dashboard.tables:
        rows = (tuple((row.label, *_shown(row.cell)) for row in table.rows) if table.shown
                else ((HIDDEN, "", ""),))
        sheets.append(Sheet(table.title, ("Answer", "People", "Percent"), rows))
    return sheets
