"""Assemble a dashboard from tallies: the one place figures are computed for pages and exports.

Pages, the printable report and the CSV/XLSX exports all read the same
`Dashboard`, so an export can never show more than the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboards import Cell, Completion, DisclosurePolicy, QuestionTable
from dashboards.charts import question_figure
from dashboards.exports import Sheet
from dashboards.filters import Filter
from dashboards.summaries import Summary, summarise
from dashboards.tables import Counts, completion, question_tables, total
from dashboards.waves import Shift, compare
from feedback.storage import dashboard_queries
from feedback.storage.dashboard_queries import Scope
from feedback.storage.models import Link, SurveyRecord, Wave
from surveys import Survey

BREAKDOWNS = ("channel", "audience", "age_band", "language")


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    rows: tuple[tuple[str, Cell], ...]

    @property
    def informative(self) -> bool:
        """Worth a table: some group is named (age bands, for one, are often not set)."""
        return any(key for key, _cell in self.rows)


@dataclass
class Dashboard:
    total: Cell
    counts: Counts
    parent_counts: list[Counts]
    periods: Breakdown
    breakdowns: list[Breakdown]
    completion: list[Completion]
    tables: list[QuestionTable]
    summaries: dict[str, Summary | None] = field(default_factory=dict)
    figures: dict[QuestionTable, dict[str, Any] | None] = field(default_factory=dict)


def build_dashboard(db: Session, record: SurveyRecord, survey: Survey, scope: Scope,
                    policy: DisclosurePolicy, parent_filters: Sequence[tuple[Filter, ...]],
                    by: str = "week") -> Dashboard:
    counts, parent_counts = dashboard_queries.all_counts(db, scope, parent_filters)
    overall = total(counts, policy, parent_counts)
    shown = overall.shown
    tables = question_tables(survey, counts if shown else {}, policy, parent_counts)
    dashboard = Dashboard(
        total=overall,
        counts=counts,
        parent_counts=parent_counts,
        periods=_periods(db, scope, policy, by if by in ("week", "month") else "week", shown),
        breakdowns=[b for d in BREAKDOWNS
                    if (b := _breakdown(db, record, scope, policy, d, shown)).informative],
        completion=completion(survey, counts if shown else {}, policy, parent_counts),
        tables=tables,
    )
    dashboard.summaries = {t.item_key: summarise(t) for t in tables}
    dashboard.figures = {t: question_figure(t) for t in tables}
    return dashboard


def _cells(values: dict[str, int], base: int, policy: DisclosurePolicy, shown: bool
           ) -> dict[str, Cell]:
    """Counts of responses per group, suppressed like any table (nothing if the view is hidden)."""
    return policy.counts(values, base) if shown else {}


def _periods(db: Session, scope: Scope, policy: DisclosurePolicy, by: str, shown: bool
             ) -> Breakdown:
    weekly = dashboard_queries.responses_by(db, scope, "week") if shown else {}
    values = dashboard_queries.responses_by_month(weekly) if by == "month" else weekly
    cells = _cells(values, sum(values.values()), policy, shown)
    return Breakdown(by, tuple(sorted(cells.items())))


def _breakdown(db: Session, record: SurveyRecord, scope: Scope, policy: DisclosurePolicy,
               dimension: str, shown: bool) -> Breakdown:
    values = dashboard_queries.responses_by(db, scope, dimension) if shown else {}
    cells = _cells(values, sum(values.values()), policy, shown)
    if dimension == "channel":
        names = dict(db.execute(select(Link.id, Link.channel).where(
            Link.survey_id == record.id)).all())
        cells = {names.get(int(key), key): cell for key, cell in cells.items()}
    return Breakdown(dimension, tuple(sorted(cells.items())))


@dataclass(frozen=True)
class ComparisonRow:
    title: str
    shifts: list[Shift]
    before: QuestionTable
    after: QuestionTable


def comparison(db: Session, record: SurveyRecord, survey: Survey, closed_before: date,
               before: Wave, after: Wave, policy: DisclosurePolicy) -> list[ComparisonRow]:
    """Each closed question in two waves; shifts only where both waves may be shown."""
    tables = []
    for wave in (before, after):
        scope = Scope(record.id, closed_before, (Filter("wave", str(wave.id)),))
        counts, parent_counts = dashboard_queries.all_counts(db, scope, [()])
        shown = total(counts, policy, parent_counts).shown
        tables.append(question_tables(survey, counts if shown else {}, policy, parent_counts))
    return [ComparisonRow(a.title, compare(a, b), a, b) for a, b in zip(*tables, strict=True)]


def export_sheets(dashboard: Dashboard) -> list[Sheet]:
    """The tables on screen, suppression included, as plain rows."""
    def shown(cell: Cell) -> tuple[Any, Any]:
        if cell.shown:
            return cell.count, cell.percent
        return "hidden to protect privacy", ""

    sheets = [Sheet("Responses", ("Responses",),
                    ((dashboard.total.count if dashboard.total.shown
                      else "fewer than the threshold: hidden",),))]
    sheets.append(Sheet(f"Responses by {dashboard.periods.dimension}",
                        (dashboard.periods.dimension, "Responses", "Percent"),
                        tuple((key, *shown(cell)) for key, cell in dashboard.periods.rows)))
    for breakdown in dashboard.breakdowns:
        if breakdown.rows:
            sheets.append(Sheet(f"Responses by {breakdown.dimension}",
                                (breakdown.dimension, "Responses", "Percent"),
                                tuple((key, *shown(cell)) for key, cell in breakdown.rows)))
    for table in dashboard.tables:
        rows = tuple((row.label, *shown(row.cell)) for row in table.rows) if table.shown else \
            (("hidden to protect privacy", "", ""),)
        sheets.append(Sheet(table.title, ("Answer", "People", "Percent"), rows))
    return sheets
