"""Synthetic survey responses for the privacy tests: one closed question and one comment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboards.release import LinkInfo
from surveys import parse_survey

SURVEY = parse_survey(
    {
        "id": "privacy-test",
        "title": "Privacy test",
        "audience": "young_people",
        "questions": [
            {
                "id": "q",
                "type": "single_choice",
                "text": "Which?",
                "options": [
                    {"value": "a", "label": "A"},
                    {"value": "b", "label": "B"},
                    {"value": "c", "label": "C"},
                ],
            },
            {"id": "say", "type": "long_text", "text": "Anything else?"},
        ],
    }
)
FIRST_MONDAY = date(2026, 9, 7)
OPTIONS = ("a", "b", "c")


@dataclass(frozen=True)
class Record:
    id: int
    key: int
    week: int  # weeks after FIRST_MONDAY
    link: int
    language: str
    answer: str
    comment: str | None

    @property
    def monday(self) -> date:
        return FIRST_MONDAY + timedelta(weeks=self.week)


LINKS = (
    LinkInfo(1, "Youth club", "young_people", "13-18"),
    LinkInfo(2, "School", "young_people", "13-18"),
    LinkInfo(3, "Parents newsletter", "parents", ""),
    LinkInfo(4, "Personal link for one pupil", "young_people", "11-12"),
)


def frames(records: list[Record]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The responses and answers DataFrames that dashboards.frames.FrameSource reads."""
    responses = pd.DataFrame(
        [(r.id, r.key, r.monday + timedelta(days=r.id % 7), r.link, r.language) for r in records],
        columns=["response_id", "record_key", "submitted_on", "link_id", "language"],
    )
    answers = pd.DataFrame(
        [(r.id, "q", r.answer) for r in records]
        + [(r.id, "say", "") for r in records if r.comment],
        columns=["response_id", "item_key", "choice"],
    )
    return responses, answers


def release_boundaries(records: list[Record], threshold: int, weeks: int) -> list[date]:
    """The releases the service would cut, looking each Monday at the weeks since the last."""
    boundaries: list[date] = []
    since = 0
    for week in range(1, weeks + 1):
        arrived = sum(1 for r in records if since <= r.week < week)
        if arrived >= threshold:
            boundaries.append(FIRST_MONDAY + timedelta(weeks=week))
            since = week
    return boundaries
