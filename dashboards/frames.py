"""Dashboards from pandas: the same figures in a notebook as on the pages.

`FrameSource` is a `CountsSource` over microdata held in two DataFrames, so an
analyst can build the dashboard of a release without the web app; `table_frame`
turns any disclosure-controlled table into a DataFrame (the exports use it).

responses: one row per response, columns response_id, record_key (0-255),
    submitted_on (date), link_id, language.
answers: one row per answer part, columns response_id, item_key, choice
    ("" for answers without options: numbers and text).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

import pandas as pd

from dashboards.disclosure import Tallied
from dashboards.exports import Sheet
from dashboards.release import TOTAL, LinkInfo, Selection


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


def sheet_frame(sheet: Sheet) -> pd.DataFrame:
    """One exported table as a DataFrame (hidden figures as their words, never a number)."""
    return pd.DataFrame(list(sheet.rows), columns=list(sheet.header))
