"""Grouped sums over the tallies, and the comments of a view. Counting happens in the database.

`SqlCountsSource` is the `dashboards.release.CountsSource` the app builds every
dashboard from: it reads only tallies of whole weeks inside the release being
shown, never a response submitted since.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from dashboards.disclosure import Tallied
from dashboards.release import LinkInfo, Selection
from feedback.storage.models import (
    Answer,
    CommentReview,
    Link,
    SurveyResponse,
    SurveyVersion,
    Tally,
)


def _within(query: Select, selection: Selection, week: Any, link_id: Any, language: Any) -> Select:
    query = query.where(week < selection.before)
    if selection.starts is not None:
        query = query.where(week >= selection.starts)
    if selection.link_ids is not None:
        query = query.where(link_id.in_(sorted(selection.link_ids)))
    if selection.languages is not None:
        query = query.where(language.in_(sorted(selection.languages)))
    return query


class SqlCountsSource:
    """Counts for one survey's dashboards, from its tallies."""

    def __init__(self, db: Session, survey_id: int) -> None:
        self.db = db
        self.survey_id = survey_id

    def _tallies(self, query: Select, selection: Selection) -> Select:
        query = query.where(Tally.survey_id == self.survey_id)
        return _within(query, selection, Tally.week_start, Tally.link_id, Tally.language)

    def counts(self, selection: Selection) -> dict[tuple[str, str], Tallied]:
        """(item key, choice) -> Tallied, in one grouped query."""
        query = self._tallies(
            select(
                Tally.item_key, Tally.choice, func.sum(Tally.count), func.sum(Tally.key_sum)
            ).group_by(Tally.item_key, Tally.choice),
            selection,
        )
        return {
            (item, choice): Tallied(int(n), int(keys))
            for item, choice, n, keys in self.db.execute(query)
        }

    def responses_by(self, selection: Selection, dimension: str) -> dict[object, Tallied]:
        column = {"link": Tally.link_id, "language": Tally.language, "week": Tally.week_start}[
            dimension
        ]
        query = self._tallies(
            select(column, func.sum(Tally.count), func.sum(Tally.key_sum))
            .where(Tally.item_key == "", Tally.choice == "")
            .group_by(column),
            selection,
        )
        return {_day(key): Tallied(int(n), int(keys)) for key, n, keys in self.db.execute(query)}

    def links(self) -> Sequence[LinkInfo]:
        rows = self.db.execute(
            select(Link.id, Link.channel, Link.audience, Link.age_band).where(
                Link.survey_id == self.survey_id
            )
        )
        return [LinkInfo(i, name, audience, age_band or "") for i, name, audience, age_band in rows]


def _day(value: object) -> object:
    # SQLite gives dates back as text when they come out of a GROUP BY.
    return (
        date.fromisoformat(value)
        if isinstance(value, str) and len(value) == 10 and value[4] == "-"
        else value
    )


def comments(
    db: Session, survey_id: int, selection: Selection, item_key: str, reviewer: bool
) -> list[tuple[int, str, bool | None, int]]:
    """(response id, text, hidden, record key) of free-text answers in a view.

    Reviewers see every comment with its review state (None: not reviewed yet);
    everyone else only comments a reviewer has shown. Ordered by the random
    response id: no meaningful order, never time.
    """
    query = (
        select(Answer.response_id, Answer.text, CommentReview.hidden, SurveyResponse.record_key)
        .select_from(Answer)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .outerjoin(
            CommentReview,
            (CommentReview.response_id == Answer.response_id)
            & (CommentReview.item_key == Answer.item_key),
        )
        .where(Answer.survey_id == survey_id, Answer.item_key == item_key, Answer.text.is_not(None))
        .order_by(Answer.response_id)
    )
    # Boundaries are Mondays, so comparing submission days with them keeps whole weeks.
    query = _within(
        query,
        selection,
        SurveyResponse.submitted_on,
        SurveyResponse.link_id,
        SurveyResponse.language,
    )
    if not reviewer:
        query = query.where(CommentReview.hidden.is_(False))
    # The text is never None here (filtered above); hidden is None where nobody reviewed yet.
    return [(rid, text or "", hidden, key) for rid, text, hidden, key in db.execute(query)]


def response_survey(db: Session, response_id: int) -> int | None:
    """Which survey a response belongs to (for checking ids that arrive in URLs)."""
    return db.scalar(select(SurveyResponse.survey_id).where(SurveyResponse.id == response_id))


def versions_by_week(
    db: Session, survey_id: int, weeks: Iterable[date]
) -> dict[date, tuple[int, int]]:
    """For each of `weeks` (Mondays), the lowest and highest version number answered in it.

    Asked only for the weeks a question's wording changed in, to say which wording
    the answers of the release period holding that week were given to: never shown
    as a figure, and a week's worth of responses at most per change.
    """
    found: dict[date, tuple[int, int]] = {}
    for monday in sorted(set(weeks)):
        low, high = db.execute(
            select(func.min(SurveyVersion.number), func.max(SurveyVersion.number))
            .select_from(SurveyResponse)
            .join(SurveyVersion, SurveyVersion.id == SurveyResponse.survey_version_id)
            .where(
                SurveyResponse.survey_id == survey_id,
                SurveyResponse.submitted_on >= monday,
                SurveyResponse.submitted_on < monday + timedelta(days=7),
            )
        ).one()
        if low is not None:
            found[monday] = (int(low), int(high))
    return found
