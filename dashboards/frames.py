"""Dashboards and pandas: the same figures in a notebook as on the pages.

`FrameSource` is a `CountsSource` over microdata held in two DataFrames, so an
analyst can build the dashboard of a release without the web app; `published_tables`
gives a built dashboard's disclosure-controlled tables as DataFrames (the CSV and
Excel exports are written from them).

responses: one row per response, columns response_id, record_key (0-255),
    submitted_on (date), link_id, language.
answers: one row per answer part, columns response_id, item_key, choice
    ("" for answers without options: numbers and text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pandas as pd

from dashboards.count_keys import TOTAL
from dashboards.dashboard import HIDDEN, Dashboard, wording_title
from dashboards.disclosure import Cell, Tallied
from dashboards.exports import Sheet, Value
from dashboards.release import Group, LinkInfo, Selection


class FrameSource:
    """Counts for a dashboard worked out from microdata in DataFrames."""

    def __init__(
        self, responses: pd.DataFrame, answers: pd.DataFrame, links: Sequence[LinkInfo]
    ) -> None:
        self._responses = responses.assign(
            week=[d - timedelta(days=d.weekday()) for d in responses["submitted_on"]]
        )
        self._answers = answers.merge(
            self._responses[["response_id", "record_key"]], on="response_id"
        )
        self._links = list(links)

    def links(self) -> Sequence[LinkInfo]:
        return self._links

    def _selected(self, selection: Selection) -> pd.DataFrame:
        frame = self._responses
        keep = frame["week"] < selection.before
        if selection.starts is not None:
            keep &= frame["week"] >= selection.starts
        if selection.link_ids is not None:
            keep &= frame["link_id"].isin(selection.link_ids)
        if selection.languages is not None:
            keep &= frame["language"].isin(selection.languages)
        return frame[keep]

    def counts(self, selection: Selection) -> Mapping[tuple[str, str], Tallied]:
        responses = self._selected(selection)
        answers = self._answers[self._answers["response_id"].isin(responses["response_id"])]
        counts = {TOTAL: Tallied(len(responses), int(responses["record_key"].sum()))}
        answered = answers.drop_duplicates(["response_id", "item_key"])
        for item_key, group in answered.groupby("item_key"):
            counts[(str(item_key), "")] = Tallied(len(group), int(group["record_key"].sum()))
        chosen = answers[answers["choice"] != ""]
        for (item, choice), group in chosen.groupby(["item_key", "choice"]):
            counts[(str(item), str(choice))] = Tallied(len(group), int(group["record_key"].sum()))
        return counts

    def responses_by(self, selection: Selection, dimension: str) -> Mapping[object, Tallied]:
        column = {"link": "link_id", "language": "language", "week": "week"}[dimension]
        responses = self._selected(selection)
        return {
            _plain(key): Tallied(len(group), int(group["record_key"].sum()))
            for key, group in responses.groupby(column)
        }


def _plain(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if hasattr(value, "item") else value  # numpy scalars


@dataclass(frozen=True)
class PublishedTable:
    """One table of a dashboard as it is published.

    `frame` has a label column (none for the number of responses), then the count and,
    for breakdowns and questions, the percent: nullable integers, with every figure the
    disclosure control hides as <NA>, never as a number. `hidden` says the whole table
    is hidden (too few people answered the question); its frame then has no rows.
    """

    title: str
    frame: pd.DataFrame
    hidden: bool = False


def published_tables(
    dashboard: Dashboard,
    names: Mapping[str, Mapping[str, str]] | None = None,
    dimension_names: Mapping[str, str] | None = None,
) -> list[PublishedTable]:
    """Every table the dashboard shows, in the order of the page, as DataFrames of exactly
    the published figures (perturbed, rounded, and hidden where they may not be shown).

    `names` gives, per dimension, the words for each group key, and `dimension_names` the
    words for each dimension (the web layer's labels), so a table never shows a code.
    In a notebook: `{t.title: t.frame for t in published_tables(dashboard)}`.
    """
    names = names or {}
    dimension_names = dimension_names or {}

    def label(dimension: str, group: Group) -> str:
        return names.get(dimension, {}).get(group.key, group.label or group.key)

    def called(dimension: str) -> str:
        return dimension_names.get(dimension, dimension.replace("_", " ").capitalize())

    tables = [
        PublishedTable(
            "Responses", _frame(None, [(None, dashboard.total)], count="Responses", percent=False)
        )
    ]
    if dashboard.filters:
        chosen = {
            "Filter": [called(f.dimension) for f in dashboard.filters],
            "Value": [names.get(f.dimension, {}).get(f.value, f.value) for f in dashboard.filters],
        }
        tables.append(PublishedTable("Filtered by", pd.DataFrame(chosen, dtype="string")))
    for breakdown in [dashboard.periods, *dashboard.breakdowns]:
        if breakdown.rows:
            name = called(breakdown.dimension)
            rows = [(label(breakdown.dimension, group), cell) for group, cell in breakdown.rows]
            frame = _frame(name, rows, count="Responses")
            tables.append(PublishedTable(f"Responses by {name.lower()}", frame))
    answered = [(row.title, row.cell) for row in dashboard.completion]
    tables.append(
        PublishedTable("Answered each question", _frame("Question", answered, count="Answered"))
    )
    for table in dashboard.tables:
        split = dashboard.wordings.get(table.item_key)
        parts = (
            [(wording_title(table, part.group), part.table) for part in split.tables]
            if split and split.tables
            else [(table.title, table)]
        )
        for title, part in parts:
            rows = [(row.label, row.cell) for row in part.rows] if part.shown else []
            tables.append(PublishedTable(title, _frame("Answer", rows), hidden=not part.shown))
    return tables


def _frame(
    label: str | None,
    rows: Iterable[tuple[str | None, Cell]],
    count: str = "People",
    percent: bool = True,
) -> pd.DataFrame:
    rows = list(rows)
    columns: dict[str, pd.Series] = {}
    if label is not None:
        columns[label] = pd.Series([name for name, _cell in rows], dtype="string")
    columns[count] = pd.Series(
        [cell.count if cell.shown else None for _name, cell in rows], dtype="Int64"
    )
    if percent:
        columns["Percent"] = pd.Series(
            [cell.percent if cell.shown else None for _name, cell in rows], dtype="Int64"
        )
    return pd.DataFrame(columns)


def export_sheet(table: PublishedTable) -> Sheet:
    """A published table as the rows of a CSV or Excel sheet: a hidden count is written
    as the words that say so, and its percent left empty."""
    frame = table.frame
    header = tuple(str(column) for column in frame.columns)
    if table.hidden:
        return Sheet(table.title, header, ((HIDDEN, "", ""),))
    numeric = [pd.api.types.is_integer_dtype(dtype) for dtype in frame.dtypes]
    rows = tuple(_export_row(values, numeric) for values in frame.itertuples(index=False))
    return Sheet(table.title, header, rows)


def _export_row(values: Sequence[Any], numeric: Sequence[bool]) -> tuple[Value, ...]:
    """Words as they are; the first figure is the count (the words HIDDEN when hidden), a
    figure after a hidden count is left empty, and any other missing figure is None."""
    row: list[Value] = []
    count_seen = hidden = False
    for value, is_figure in zip(values, numeric, strict=True):
        if not is_figure:
            row.append(None if pd.isna(value) else str(value))
        elif not count_seen:
            count_seen, hidden = True, bool(pd.isna(value))
            row.append(HIDDEN if hidden else int(value))
        elif pd.isna(value):
            row.append("" if hidden else None)
        else:
            row.append(int(value))
    return tuple(row)
