"""Grouped sums over the tallies. Counting happens in the database, never in Python loops.

Every query covers closed weeks only (before `closed_before`, this week's Monday):
figures never change while someone watches, so a single submission cannot be
spotted by refreshing the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, case, func, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from dashboards.filters import Filter
from feedback.storage.models import Answer, CommentReview, Link, SurveyResponse, Tally, Wave
from feedback.storage.tallies import week_start


@dataclass(frozen=True)
class Scope:
    """Which tallies a view covers: one survey, closed weeks, and its filters."""

    survey_id: int
    closed_before: date
    filters: tuple[Filter, ...] = ()


def month_bounds(month: str) -> tuple[date, date]:
    """First day of `YYYY-MM` and of the month after."""
    year, number = (int(part) for part in month.split("-"))
    start = date(year, number, 1)
    end = date(year + number // 12, number % 12 + 1, 1)
    return start, end


@dataclass(frozen=True)
class _Columns:
    """Where a filter looks: the tallies (by week) or raw responses (by day)."""

    language: Any
    link_id: Any
    day: Any


TALLY_COLUMNS = _Columns(Tally.language, Tally.link_id, Tally.week_start)
RESPONSE_COLUMNS = _Columns(
    SurveyResponse.language, SurveyResponse.link_id, SurveyResponse.submitted_on
)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _weeks(f: Filter, wave: Wave | None) -> tuple[date | None, date | None]:
    """The Mondays a period or wave runs from (inclusive) and to (exclusive)."""
    if wave is not None:
        return (week_start(wave.starts_on) if wave.starts_on else None,
                week_start(wave.ends_on) + timedelta(days=7) if wave.ends_on else None)
    kind, _, value = f.value.partition(":")
    if kind == "week":
        start = date.fromisoformat(value)
        return start, start + timedelta(days=7)
    # A month is the whole weeks starting in it.
    first, after = month_bounds(value)
    return _monday_on_or_after(first), _monday_on_or_after(after)


def _condition(db: Session, f: Filter, columns: _Columns = TALLY_COLUMNS
               ) -> ColumnElement[bool]:
    if f.dimension == "language":
        return columns.language == f.value
    if f.dimension == "channel":
        return columns.link_id == int(f.value)
    if f.dimension in ("audience", "age_band"):
        column = Link.audience if f.dimension == "audience" else Link.age_band
        return columns.link_id.in_(select(Link.id).where(column == f.value))
    wave = db.get(Wave, int(f.value)) if f.dimension == "wave" else None
    start, end = _weeks(f, wave)
    result: ColumnElement[bool] = true()
    if start is not None:
        result = result & (columns.day >= start)
    if end is not None:
        result = result & (columns.day < end)
    if wave is not None and wave.link_id:
        result = result & (columns.link_id == wave.link_id)
    return result


def _scoped(db: Session, query: Select, scope: Scope) -> Select:
    query = query.where(Tally.survey_id == scope.survey_id,
                        Tally.week_start < scope.closed_before)
    for f in scope.filters:
        query = query.where(_condition(db, f))
    return query


def counts(db: Session, scope: Scope) -> dict[tuple[str, str], int]:
    """(item key, choice) -> count, in one grouped query over the tallies."""
    query = _scoped(db, select(Tally.item_key, Tally.choice, func.sum(Tally.count))
                    .group_by(Tally.item_key, Tally.choice), scope)
    return {(item, choice): int(n) for item, choice, n in db.execute(query)}


def responses_by(db: Session, scope: Scope, dimension: str) -> dict[str, int]:
    """Responses in view, split by language, channel, audience, age band or week."""
    column = {
        "language": Tally.language,
        "channel": Tally.link_id,
        "week": Tally.week_start,
        "audience": Link.audience,
        "age_band": Link.age_band,
    }[dimension]
    query = select(column, func.sum(Tally.count)).where(Tally.item_key == "",
                                                        Tally.choice == "")
    if dimension in ("audience", "age_band"):
        query = query.join(Link, Link.id == Tally.link_id)
    query = _scoped(db, query.group_by(column), scope)
    return {str(key) if key is not None else "": int(n) for key, n in db.execute(query)}


def responses_by_month(weekly: Mapping[str, int]) -> dict[str, int]:
    """Weekly totals gathered into months (a month's figures are the weeks starting in it)."""
    months: dict[str, int] = {}
    for week, n in sorted(weekly.items()):
        months[week[:7]] = months.get(week[:7], 0) + n
    return months


def closed_weeks(db: Session, survey_id: int, closed_before: date) -> list[date]:
    query = (select(Tally.week_start).distinct()
             .where(Tally.survey_id == survey_id, Tally.week_start < closed_before)
             .order_by(Tally.week_start))
    return list(db.scalars(query))


def all_counts(db: Session, scope: Scope, parent_filters: Sequence[tuple[Filter, ...]]
               ) -> tuple[dict[tuple[str, str], int], list[dict[tuple[str, str], int]]]:
    """Counts for a view and for each of its parent views (one filter fewer)."""
    mine = counts(db, scope)
    theirs = [counts(db, Scope(scope.survey_id, scope.closed_before, p)) for p in parent_filters]
    return mine, theirs


def comments(db: Session, scope: Scope, item_key: str, reviewer: bool, limit: int,
             offset: int) -> list[tuple[int, str, bool | None]]:
    """(response id, text, hidden) of free-text answers in view, in random-id order.

    Reviewers see every comment with its review state (None: not reviewed yet);
    everyone else only comments a reviewer has shown. Ordering by the random
    response id gives no meaningful order, never time, which could link a comment
    to a person.
    """
    query = _comment_query(db, select(Answer.response_id, Answer.text, CommentReview.hidden),
                           scope, item_key, reviewer)
    query = query.order_by(Answer.response_id).limit(limit).offset(offset)
    return [(rid, text, hidden) for rid, text, hidden in db.execute(query)]


def theme_counts(db: Session, scope: Scope, item_key: str, reviewer: bool,
                 themes: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """How many comments in view mention each theme ("" holds the number of comments)."""
    text = func.lower(Answer.text)
    sums = [func.sum(case((or_(*(text.like(f"%{word}%") for word in words)), 1), else_=0))
            for words in themes.values()]
    query = _comment_query(db, select(func.count(), *sums), scope, item_key, reviewer)
    total, *counts = db.execute(query).one()
    named = {name: int(n or 0) for name, n in zip(themes, counts, strict=True)}
    return {"": int(total or 0), **named}


def _comment_query(db: Session, query: Select, scope: Scope, item_key: str,
                   reviewer: bool) -> Select:
    query = (query.select_from(Answer)
             .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
             .outerjoin(CommentReview, (CommentReview.response_id == Answer.response_id)
                        & (CommentReview.item_key == Answer.item_key))
             .where(Answer.survey_id == scope.survey_id, Answer.item_key == item_key,
                    Answer.text.is_not(None), SurveyResponse.submitted_on < scope.closed_before))
    for f in scope.filters:
        query = query.where(_condition(db, f, RESPONSE_COLUMNS))
    if not reviewer:
        query = query.where(CommentReview.hidden.is_(False))
    return query
