"""The dashboard of one release: every figure a page, report or export shows, built once.

Pure: it reads counts from a `CountsSource` (SQL over the tallies in the app, a
DataFrame in a notebook) and applies one `DisclosurePolicy`. Pages, the printable
report and the CSV/XLSX exports all read the same `Dashboard`, so an export can
never show more than the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from dashboards.disclosure import NOTHING, Cell, DisclosurePolicy, Suppression, Tallied
from dashboards.exports import Sheet
from dashboards.filters import MAX_FILTERS, Filter, parents, parse_filters
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
from surveys.rewording import Wording

HIDDEN = "hidden to protect privacy"
WORDING = "wording"
TIME_DIMENSIONS = frozenset({"period", "wave"})


@dataclass(frozen=True)
class Breakdown:
    """Responses in view split by one dimension's groups (or by period)."""

    dimension: str
    rows: tuple[tuple[Group, Cell], ...]


@dataclass(frozen=True)
class WordingTable:
    """A question's answers to one of its wordings (`group.label`; "" for the period the
    wording changed in, which holds answers to both)."""

    group: Group
    table: QuestionTable
    summary: Summary | None


@dataclass(frozen=True)
class WordingSplit:
    """A reworded question in one view: its wordings over time, and its answers per wording.

    `tables` is empty when this view cannot split them: with two filters already, or a
    period or wave that spans a change; `within` is the one wording a period or wave
    filter lies inside (its answers are then the view's own table).
    """

    item_key: str
    groups: tuple[Group, ...]
    tables: tuple[WordingTable, ...] = ()
    within: Group | None = None


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
    # Questions whose wording changed in a way that matters: their answers per wording.
    wordings: dict[str, WordingSplit] = field(default_factory=dict)

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
        extra: Mapping[str, tuple[Group, ...]] | None = None,
    ) -> None:
        self.source, self.plan, self.policy, self.waves = source, plan, policy, waves
        # `extra`: dimensions only some figures are split by (a question's wordings).
        self.offered = {**offered_filters(plan, waves), "period": plan.periods(), **(extra or {})}
        self._splits: dict[tuple[tuple[Filter, ...], str], Mapping[object, Tallied]] = {}
        self._cells: dict[tuple[Filter, ...], Cell] = {}
        self._tables: dict[tuple[str, str], bool] = {}

    def selection(self, filters: tuple[Filter, ...]) -> Selection:
        selection = self.plan.selection
        for f in filters:
            group = next(g for g in self.offered[f.dimension] if g.key == f.value)
            selection = selection.narrowed(group.selection)
        return selection

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
    histories: Mapping[str, Sequence[Wording]] | None = None,
    versions: VersionsByWeek | None = None,
) -> Dashboard:
    """Every figure of one view of a release, disclosure control applied.

    `histories` gives reworded questions' wordings (`surveys.rewording`): their answers
    are shown per wording, each wording a run of whole release periods.
    """
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
        wordings=_wording_splits(
            source, survey, plan, policy, filters, waves, histories or {}, versions or {}
        )
        if overall.shown
        else {},
    )


VersionsByWeek = Mapping[date, tuple[int, int]]
WEEK = timedelta(days=7)


def wording_groups(
    plan: ReleasePlan, history: Sequence[Wording], versions: VersionsByWeek | None = None
) -> tuple[Group, ...]:
    """A question's wordings as runs of whole release periods, like waves.

    Weeks before the week a wording changed in hold the earlier wording, weeks after it
    the later one. The week of a change holds whichever versions its responses answered:
    `versions` gives, per such week (a Monday), the lowest and highest version number
    answered; where that is not known (a notebook's DataFrames, or responses retention
    has deleted), both. A period holding both wordings is a group of its own, labelled
    ""; each other group's label is the wording's text.
    """
    segments = _wording_segments(history, versions or {})
    runs: list[tuple[str, list[Group]]] = []
    for period in plan.periods():
        span = period.selection
        found = sorted(
            {
                index
                for starts, before, indices in segments
                if (starts is None or starts < span.before)
                and (span.starts is None or before is None or span.starts < before)
                for index in indices
            }
        )
        key = str(found[0]) if len(found) == 1 else f"both-{found[-1] if found else 0}"
        if runs and runs[-1][0] == key:
            runs[-1][1].append(period)
        else:
            runs.append((key, [period]))
    groups = []
    for number, (key, periods) in enumerate(runs, start=1):
        first, last = periods[0].selection, periods[-1].selection
        label = "" if key.startswith("both") else history[int(key)].text
        # Keys are the runs' places: a wording could come back after a period of both.
        groups.append(Group(str(number), label, Selection(last.before, first.starts)))
    return tuple(groups)


def _wording_segments(
    history: Sequence[Wording], versions: VersionsByWeek
) -> list[tuple[date | None, date | None, set[int]]]:
    """Spans of weeks (from, before; None: unbounded) and the wordings each may hold."""
    segments: list[tuple[date | None, date | None, set[int]]] = []
    previous_end: date | None = None
    for index, wording in enumerate(history[1:], start=1):
        if wording.since is None:
            continue
        week = wording.since - timedelta(days=wording.since.weekday())
        if previous_end is None or previous_end < week:
            segments.append((previous_end, week, {index - 1}))
        known = versions.get(week)
        held = (
            set(range(_wording_index(history, known[0]), _wording_index(history, known[1]) + 1))
            if known is not None
            else {index - 1, index}
        )
        segments.append((week, week + WEEK, held))
        previous_end = week + WEEK
    segments.append((previous_end, None, {len(history) - 1}))
    return segments


def _wording_index(history: Sequence[Wording], version: int) -> int:
    """Which wording a version asked: the last one begun at or before it."""
    found = 0
    for index, wording in enumerate(history):
        if wording.version is None or wording.version <= version:
            found = index
    return found


def _wording_splits(
    source: CountsSource,
    survey: Survey,
    plan: ReleasePlan,
    policy: DisclosurePolicy,
    filters: tuple[Filter, ...],
    waves: Sequence[Group],
    histories: Mapping[str, Sequence[Wording]],
    versions: VersionsByWeek,
) -> dict[str, WordingSplit]:
    splits = {}
    for question in survey.questions():
        history = histories.get(question.id, ())
        if len(history) < 2 or not question.is_closed:
            continue
        groups = wording_groups(plan, history, versions)
        if len(groups) == 1 and groups[0].label == question.text:
            continue  # every answer in the release is to the wording shown
        for item_key in question.item_keys():
            splits[item_key] = (
                WordingSplit(item_key, groups, within=groups[0])
                if len(groups) == 1
                else _split_by_wording(
                    source, survey, plan, policy, filters, waves, item_key, groups
                )
            )
    return splits


def _split_by_wording(
    source: CountsSource,
    survey: Survey,
    plan: ReleasePlan,
    policy: DisclosurePolicy,
    filters: tuple[Filter, ...],
    waves: Sequence[Group],
    item_key: str,
    groups: tuple[Group, ...],
) -> WordingSplit:
    """One question's answers per wording, each as a view with the wording as a filter.

    Splitting by wording is filtering by a run of whole periods, so each wording's
    answers obey what any filtered view does: the group and its complement (the rest
    of the unsplit view) reach the threshold, a two-way view only if its whole cross
    table does, and the hidden wordings add up to none or to at least the threshold,
    for responses and for the people who answered the question alike.
    """
    time = [f for f in filters if f.dimension in TIME_DIMENSIONS]
    if time:
        span = selection_of(plan, time, waves)
        inside = [g for g in groups if _overlaps(g.selection, span)]
        return WordingSplit(item_key, groups, within=inside[0] if len(inside) == 1 else None)
    if len(filters) >= MAX_FILTERS:
        return WordingSplit(item_key, groups)
    views = _Views(source, plan, policy, waves, {WORDING: groups})
    rows = views.rows(filters, WORDING)
    tables: dict[str, QuestionTable] = {}
    bases: dict[str, Tallied] = {}
    for group in groups:
        view = (*filters, Filter(WORDING, group.key))
        counts = dict(source.counts(views.selection(view)))
        parent_counts = [dict(source.counts(views.selection(p))) for p in parents(view)]
        shown = rows[group.key].shown and views.cell(view).shown
        tables[group.key] = _question_table(
            survey, item_key, counts if shown else {}, policy, parent_counts
        )
        bases[group.key] = counts.get((item_key, ""), NOTHING)
    whole = dict(source.counts(views.selection(filters))).get((item_key, ""), NOTHING)
    tables = _hide_wordings_until_the_rest_is_safe(tables, bases, whole.count, policy.threshold)
    return WordingSplit(
        item_key,
        groups,
        tuple(WordingTable(g, tables[g.key], summarise(tables[g.key])) for g in groups),
    )


def _overlaps(a: Selection, b: Selection) -> bool:
    return (a.starts or date.min) < b.before and (b.starts or date.min) < a.before


def _question_table(
    survey: Survey,
    item_key: str,
    counts: Counts,
    policy: DisclosurePolicy,
    parent_counts: Sequence[Counts],
) -> QuestionTable:
    return next(
        t for t in question_tables(survey, counts, policy, parent_counts) if t.item_key == item_key
    )


def _hide_wordings_until_the_rest_is_safe(
    tables: dict[str, QuestionTable], bases: Mapping[str, Tallied], whole: int, threshold: int
) -> dict[str, QuestionTable]:
    """Among a question's wordings, hide the smallest shown until the people who answered
    the hidden ones are none or at least the threshold: otherwise the unsplit number who
    answered, less the shown wordings, would give a small group away."""
    shown = sorted((bases[k].count, k) for k, t in tables.items() if t.shown)
    rest = whole - sum(n for n, _k in shown)
    while 0 < rest < threshold and shown:
        n, key = shown.pop(0)
        tables[key] = _hidden(tables[key])
        rest += n
    return tables


def _hidden(table: QuestionTable) -> QuestionTable:
    secondary = Cell(None, suppressed=Suppression.SECONDARY)
    return replace(
        table, base=secondary, rows=tuple(replace(r, cell=secondary) for r in table.rows)
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
    if dimension in ("period", "wave", WORDING):  # all select spans of whole weeks
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


def comparison(
    before: WaveOf,
    after: WaveOf,
    policy: DisclosurePolicy,
    histories: Mapping[str, Sequence[Wording]] | None = None,
    versions: VersionsByWeek | None = None,
) -> Comparison:
    """Each closed question asked the same way in both waves, side by side with the shift.

    Only like is compared with like: a question is compared only if both surveys ask it
    with the same words, answers and rule (surveys.core.comparable_questions), so a
    design-stage baseline can be set beside a later experience survey's core questions.
    Two waves of one survey are compared on a reworded question only if both waves'
    answers were given to the same wording (`histories`, as for `build_dashboard`).
    """
    comparable = comparable_questions(before.survey, after.survey)
    reworded = _asked_differently(before, after, histories or {}, versions or {})
    same = set(comparable.same) - set(reworded)
    sides = [_wave_tables(side, policy, same) for side in (before, after)]
    rows = [ComparisonRow(a.title, compare(a, b), a, b) for a, b in zip(*sides, strict=True)]
    skipped = dict.fromkeys(
        [*comparable.changed, *reworded, *comparable.only_first, *comparable.only_second]
    )
    questions = {q.id: q for q in [*after.survey.questions(), *before.survey.questions()]}
    return Comparison(rows, [questions[i].text for i in skipped if questions[i].is_closed])


def _asked_differently(
    before: WaveOf,
    after: WaveOf,
    histories: Mapping[str, Sequence[Wording]],
    versions: VersionsByWeek,
) -> list[str]:
    """Questions of one survey whose two waves' answers were given to different wordings."""
    if before.survey.id != after.survey.id:
        return []
    found = []
    for question_id, history in histories.items():
        if len(history) < 2:
            continue
        groups = wording_groups(before.plan, history, versions)

        def wordings(side: WaveOf, groups: tuple[Group, ...] = groups) -> set[str]:
            inside = [g for g in groups if _overlaps(g.selection, side.wave.selection)]
            return {g.label or f"both {g.key}" for g in inside}

        first, second = wordings(before), wordings(after)
        if first != second or len(first) != 1:
            found.append(question_id)
    return found


def _wave_tables(side: WaveOf, policy: DisclosurePolicy, same: set[str]) -> list[QuestionTable]:
    whole = dict(side.source.counts(side.plan.selection))
    counts = dict(side.source.counts(side.plan.selection.narrowed(side.wave.selection)))
    shown = policy.group(total_of(counts), [total_of(whole).count]).shown
    tables = question_tables(side.survey, counts if shown else {}, policy, [whole])
    return [t for t in tables if t.question.id in same]


def export_sheets(
    dashboard: Dashboard,
    names: Mapping[str, Mapping[str, str]] | None = None,
    dimension_names: Mapping[str, str] | None = None,
) -> list[Sheet]:
    """The tables on screen, suppression included, as the rows of CSV and Excel sheets:
    written from `frames.published_tables`, the DataFrames a notebook gets.

    `names` gives, per dimension, the words for each group key, and `dimension_names`
    the words for each dimension (the web layer's labels), so a sheet never shows a code.
    """
    # pandas takes a second or more to import: loaded on the first export, not with the app.
    from dashboards.frames import export_sheet, published_tables

    return [export_sheet(t) for t in published_tables(dashboard, names, dimension_names)]


def wording_title(table: QuestionTable, group: Group) -> str:
    """The title of one wording's part of a question whose wording changed."""
    if group.label:
        return f"{table.title} (as asked: {group.label})"
    return f"{table.title} (while the wording changed: both wordings)"
