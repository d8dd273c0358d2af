"""The disclosure-controlled tables as DataFrames, and the exports written from them."""

from __future__ import annotations

import csv
import io

import pandas as pd

from dashboards import Dashboard, DisclosurePolicy, build_dashboard, export_sheets, plan_release
from dashboards.dashboard import HIDDEN
from dashboards.exports import to_csv
from dashboards.frames import FrameSource, published_tables
from dashboards.release import releases_from_boundaries
from tests.privacy.microdata import LINKS, SURVEY, Record, frames, release_boundaries

THRESHOLD = 10


def _records() -> list[Record]:
    """Many at the youth club and school choosing A, a few choosing B, one on a personal
    link: enough for a release, with small groups the disclosure control must hide."""
    records = []
    for i in range(60):
        answer = "b" if i % 20 == 0 else "a"
        link = 4 if i == 7 else 1 + i % 2
        records.append(Record(i + 1, (i * 37) % 256, i // 15, link, "en", answer, None))
    return records


def _dashboard() -> Dashboard:
    records = _records()
    responses, answers = frames(records)
    source = FrameSource(responses, answers, LINKS)
    release = releases_from_boundaries(release_boundaries(records, THRESHOLD, 5))[-1]
    plan = plan_release(source, release, THRESHOLD)
    return build_dashboard(source, SURVEY, plan, DisclosurePolicy(THRESHOLD))


def _csv_tables(text: str) -> dict[str, list[list[str]]]:
    """Each table of an exported CSV by its title: its header, then its rows."""
    tables: dict[str, list[list[str]]] = {}
    for block in text.lstrip("\ufeff").strip().split("\r\n\r\n"):
        title, *rows = list(csv.reader(io.StringIO(block)))
        tables[title[0]] = rows
    return tables


def test_each_question_table_is_a_dataframe_of_exactly_the_published_figures() -> None:
    dashboard = _dashboard()
    tables = {t.title: t for t in published_tables(dashboard)}
    question = dashboard.tables[0]
    frame = tables[question.title].frame
    assert list(frame.columns) == ["Answer", "People", "Percent"]
    for row, (_i, published) in zip(question.rows, frame.iterrows(), strict=True):
        assert published["Answer"] == row.label
        if row.cell.shown:
            assert (published["People"], published["Percent"]) == (
                row.cell.count,
                row.cell.percent,
            )
        else:
            assert pd.isna(published["People"]) and pd.isna(published["Percent"])
    # The small groups are there to hide: B (3 people), and nobody commented.
    assert pd.isna(frame.set_index("Answer").loc["B", "People"])
    answered = tables["Answered each question"].frame.set_index("Question")
    assert pd.isna(answered.loc["Anything else?", "Answered"])
    # The personal link is among "other" channels, never a group of its own.
    channels = tables["Responses by channel"].frame
    assert "Personal link for one pupil" not in set(channels["Channel"])


def test_the_export_says_what_the_dataframes_say_and_hides_every_hidden_figure() -> None:
    dashboard = _dashboard()
    exported = _csv_tables(to_csv(export_sheets(dashboard)))
    published = published_tables(dashboard)
    assert list(exported) == [t.title for t in published]
    for table in published:
        header, *rows = exported[table.title]
        assert header == list(table.frame.columns)
        figures = table.frame.select_dtypes("Int64")
        for exported_row, (_i, figures_row) in zip(rows, figures.iterrows(), strict=True):
            numbers = exported_row[-len(figures.columns) :]
            if pd.isna(figures_row.iloc[0]):
                # Hidden: the words, and no number beside them (not even the percent).
                assert numbers[0] == HIDDEN and all(n == "" for n in numbers[1:])
            else:
                assert [int(n) if n else None for n in numbers] == [
                    None if pd.isna(v) else int(v) for v in figures_row
                ]
    hidden_counts = {
        cell.count
        for t in dashboard.tables
        for row in t.rows
        for cell in [row.cell]
        if not cell.shown and cell.count is not None
    }
    assert hidden_counts == set(), "a hidden cell carries no count to leak"
    assert any(HIDDEN in row for rows in exported.values() for row in rows)
