"""The dashboard of one release: every figure a page, report or export shows, built once.

Pure: it reads counts from a `CountsSource` (SQL over the tallies in the app, a
DataFrame in a notebook) and applies one `DisclosurePolicy`. Pages, the printable
report and the CSV/XLSX exports all read the same `Dashboard`, so an export can
never show more than the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from dashboards.disclosure import NOTHING, Cell, DisclosurePolicy, Suppression, Tallied
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
from surveys.core import comparable_questions
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
        return policy.group(
            self.counts.get((item_key, ""), NOTHING),
            [p.get((item_key, ""), NOTHING).count for p in self.parent_counts],
        )


def offered_filters(plan: ReleasePlan, waves: Sequence[Group] = ()) -> dict[str, tuple[Group, ...]]:
    """Every filter value a viewer can choose in this release."""
    offered = plan.offered()
    return {**offered, "wave": tuple(waves)} if waves else offered


def selection_of(
    plan: ReleasePlan, filters: Iterable[Filter], waves: Sequence[Group] = ()
) -> Selection:
    groups = offered_filters(plan, waves)
    selection = plan.selection
    for f in filters:
        group = next(g for g in groups[f.dimension] if g.key == f.value)
        selection = selection.narrowed(group.selection)
    return selection


def parse_view(
    plan: ReleasePlan, raw: Sequence[str], waves: Sequence[Group] = ()
) -> tuple[Filter, ...]:
    """Check filters from a request against what this release offers (FilterProblem if not)."""
    allowed = {d: [g.key for g in groups] for d, groups in offered_filters(plan, waves).items()}
    return parse_filters(raw, allowed)


class _Views:
    """The views of one release a viewer can reach, with the shown-or-hidden decision for each.

    A view's group is shown if it, and its complement in every view with one filter
    fewer, meet the threshold; if a view of two filters, only if every cell of the two
    dimensions' cross table passes too; and if, among its siblings (the same view split
    by the filter's dimension), what is hidden adds up to none or to at least the
    threshold. Otherwise subtraction would pin a small group to one value, so more is
    hidden, on the pages and in the filters alike. tests/privacy/test_structure_audit.py
    checks the result with integer programming.
    """

    def __init__(
        self,
        source: CountsSource,
        plan: ReleasePlan,
        policy: DisclosurePolicy,
        waves: Sequence[Group],
    ) -> None:
        self.source, self.plan, self.policy, self.waves = source, plan, policy, waves
        self.offered = {**offered_filters(plan, waves), "period": plan.periods()}
        self._splits: dict[tuple[tuple[Filter, ...], str], Mapping[object, Tallied]] = {}
        self._cells: dict[tuple[Filter, ...], Cell] = {}
        self._tables: dict[tuple[str, str], bool] = {}

    def selection(self, filters: tuple[Filter, ...]) -> Selection:
        return selection_of(self.plan, filters, self.waves)

    def split(self, filters: tuple[Filter, ...], kind: str) -> Mapping[object, Tallied]:
        key = (filters, kind)
        if key not in self._splits:
            self._splits[key] = self.source.responses_by(self.selection(filters), kind)
        return self._splits[key]

    def total(self, filters: tuple[Filter, ...]) -> Tallied:
        return sum(self.split(filters, "language").values(), NOTHING)

    def cell(self, filters: tuple[Filter, ...]) -> Cell:
        """The number of responses in a view, as it may be shown."""
        if filters not in self._cells:
            self._cells[filters] = self._decide(filters)
        return self._cells[filters]

    def _decide(self, filters: tuple[Filter, ...]) -> Cell:
        cell = self._primary(filters)
        if cell.shown and len(filters) == 2 and not self._whole_table_shown(*filters):
            return Cell(None, suppressed=Suppression.SECONDARY)
        for f in filters:
            if not cell.shown:
                break
            rest = tuple(other for other in filters if other is not f)
            cell = self.rows(rest, f.dimension).get(f.value, cell)
        return cell

    def _primary(self, filters: tuple[Filter, ...]) -> Cell:
        return self.policy.group(
            self.total(filters), [self.total(p).count for p in parents(filters)]
        )

    def _whole_table_shown(self, first: Filter, second: Filter) -> bool:
        """Whether every cell of the two dimensions' cross table passes on its own.

        With the margins published, one shown cell of a table whose other cells are
        hidden pins them all (a 2 x 2 table's margins and one cell give the rest), so a
        cross table is shown whole or not at all.
        """
        key = (first.dimension, second.dimension)
        if key not in self._tables:
            self._tables[key] = all(
                self._primary(
                    (Filter(first.dimension, a.key), Filter(second.dimension, b.key))
                ).shown
                for a in self.offered.get(first.dimension, ())
                for b in self.offered.get(second.dimension, ())
            )
        return self._tables[key]

    def rows(self, filters: tuple[Filter, ...], dimension: str) -> dict[str, Cell]:
        """The view split by a dimension's groups, each as it may be shown."""
        groups = self.offered.get(dimension, ())
        view = self.cell(filters)
        if not view.shown:
            return {g.key: Cell(None, suppressed=view.suppressed) for g in groups}
        kind = _split(dimension)
        mine = self.split(filters, kind)
        theirs = [self.split(p, kind) for p in parents(filters)]
        view_total = self.total(filters).count
        counts = {g.key: _in_group(mine, g, kind) for g in groups}
        cells = {
            g.key: self.policy.group(
                counts[g.key], [view_total] + [_in_group(t, g, kind).count for t in theirs]
            )
            for g in groups
        }
        return _hide_until_the_rest_is_safe(cells, counts, view_total, self.policy.threshold)


def _hide_until_the_rest_is_safe(
    cells: dict[str, Cell], counts: Mapping[str, Tallied], view_total: int, threshold: int
) -> dict[str, Cell]:
    """Hide the smallest shown groups until the view minus the shown ones is 0 or big."""
    shown = sorted((counts[k].count, k) for k, c in cells.items() if c.shown)
    rest = view_total - sum(n for n, _k in shown)
    while 0 < rest < threshold and shown:
        n, key = shown.pop(0)
        cells[key] = Cell(None, suppressed=Suppression.SECONDARY)
        rest += n
    return cells


def build_dashboard(
    source: CountsSource,
    survey: Survey,
    plan: ReleasePlan,
    policy: DisclosurePolicy,
    filters: tuple[Filter, ...] = (),
    waves: Sequence[Group] = (),
) -> Dashboard:
    """Every figure of one view of a release, disclosure control applied."""
    views = _Views(source, plan, policy, waves)
    counts = dict(source.counts(views.selection(filters)))
    parent_counts: list[Counts] = [
        dict(source.counts(views.selection(p))) for p in parents(filters)
    ]
    overall = views.cell(filters)
    shown_counts = counts if overall.shown else {}
    tables = question_tables(survey, shown_counts, policy, parent_counts)
    filtered = {f.dimension for f in filters}
    return Dashboard(
        plan=plan,
        filters=filters,
        total=overall,
        counts=counts,
        parent_counts=parent_counts,
        periods=_breakdown(views, filters, "period")
        if len(plan.periods()) > 1
        else Breakdown("period", ()),
        breakdowns=[
            _breakdown(views, filters, d)
            for d in DIMENSIONS
            if d in plan.groups and d not in filtered
        ],
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
    return (
        not dashboard.filters
        and dashboard.total.shown
        and dashboard.item_base(item_key, policy).shown
    )


def _split(dimension: str) -> str:
    """How `CountsSource.responses_by` splits responses for a dimension's groups."""
    if dimension in ("period", "wave"):  # both select spans of whole weeks
        return "week"
    return "language" if dimension == "language" else "link"


def _in_group(split: Mapping[object, Tallied], group: Group, kind: str) -> Tallied:
    return sum((t for raw, t in split.items() if group.selection.admits(kind, raw)), NOTHING)


def _breakdown(views: _Views, filters: tuple[Filter, ...], dimension: str) -> Breakdown:
    """Responses in view split by one dimension (or by period): published where shown."""
    if dimension in {f.dimension for f in filters}:
        return Breakdown(dimension, ())
    groups = views.offered.get(dimension, ())
    cells = views.rows(filters, dimension)
    kind = _split(dimension)
    split = views.split(filters, kind)
    overall = views.cell(filters)
    rows = tuple(
        (
            g,
            views.policy.count(_in_group(split, g, kind), overall)
            if cells[g.key].shown
            else cells[g.key],
        )
        for g in groups
    )
    return Breakdown(dimension, rows if overall.shown else ())


@dataclass(frozen=True)
class ComparisonRow:
    title: str
    shifts: list[Shift]
    before: QuestionTable
    after: QuestionTable


@dataclass(frozen=True)
class WaveOf:
    """One side of a comparison: a wave of a survey's release, read from its source."""

    source: CountsSource
    survey: Survey
    plan: ReleasePlan
    wave: Group


@dataclass(frozen=True)
class Comparison:
    rows: list[ComparisonRow]
    # Questions in both surveys but asked differently, or in one only: never compared.
    not_compared: list[str]


def comparison(before: WaveOf, after: WaveOf, policy: DisclosurePolicy) -> Comparison:
    """Each closed question asked the same way in both waves, side by side with the shift.

    Only like is compared with like: a question is compared only if both surveys ask it
    with the same words, answers and rule (surveys.core.comparable_questions), so a
    design-stage baseline can be set beside a later experience survey's core questions.
    """
    comparable = comparable_questions(before.survey, after.survey)
    same = set(comparable.same)
    sides = [_wave_tables(side, policy, same) for side in (before, after)]
    rows = [ComparisonRow(a.title, compare(a, b), a, b) for a, b in zip(*sides, strict=True)]
    skipped = dict.fromkeys([*comparable.changed, *comparable.only_first, *comparable.only_second])
    questions = {q.id: q for q in [*after.survey.questions(), *before.survey.questions()]}
    return Comparison(rows, [questions[i].text for i in skipped if questions[i].is_closed])


def _wave_tables(side: WaveOf, policy: DisclosurePolicy, same: set[str]) -> list[QuestionTable]:
    whole = dict(side.source.counts(side.plan.selection))
    counts = dict(side.source.counts(side.plan.selection.narrowed(side.wave.selection)))
    shown = policy.group(total_of(counts), [total_of(whole).count]).shown
    tables = question_tables(side.survey, counts if shown else {}, policy, [whole])
    return [t for t in tables if t.question.id in same]


def export_sheets(
    dashboard: Dashboard, names: Mapping[str, Mapping[str, str]] | None = None
) -> list[Sheet]:
    """The tables on screen, suppression included, as the rows of CSV and Excel sheets:
    written from `frames.published_tables`, the DataFrames a notebook gets.

    `names` gives, per dimension, the words for each group key (the web layer's labels).
    """
    # pandas takes a second or more to import: loaded on the first export, not with the app.
    from dashboards.frames import export_sheet, published_tables

    return [export_sheet(table) for table in published_tables(dashboard, names)]
