"""Keeping the dashboard tallies: incremented on submit, rebuilt from raw answers on demand.

Each tally keeps a count and the sum of the counted responses' record keys, so the
cell key method can perturb any grouped sum without reading a single response.
Tallies of weeks that a release covers are never recounted: they outlive the
responses when retention deletes those, so the baseline a comparison needs stays.
"""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Date, and_, cast, delete, func, insert, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, SQLColumnExpression
from sqlalchemy.sql.expression import Executable

from dashboards.count_keys import TOTAL
from feedback.storage.db import table_of
from feedback.storage.models import Answer, SurveyResponse, Tally
from surveys.conditions import AnswerValue


def week_start(day: date) -> date:
    """The Monday of the week `day` falls in: tallies and reports count whole weeks."""
    return day - timedelta(days=day.weekday())


def tally_keys(answers: dict[str, AnswerValue]) -> list[tuple[str, str]]:
    """What one response adds: the total, each item it answered, and each option chosen."""
    keys = [TOTAL]
    for item_key, value in answers.items():
        keys.append((item_key, ""))
        if isinstance(value, list):
            keys.extend((item_key, choice) for choice in value)
    return keys


def add_response(db: Session, response: SurveyResponse, answers: dict[str, AnswerValue]) -> None:
    """Add one response to the tallies, in the submit's transaction."""
    rows = [
        {
            "survey_id": response.survey_id,
            "item_key": item_key,
            "choice": choice,
            "week_start": week_start(response.submitted_on),
            "link_id": response.link_id,
            "language": response.language,
            "count": 1,
            "key_sum": response.record_key,
        }
        for item_key, choice in tally_keys(answers)
    ]
    # One statement, compiled once per process, run for every row (executemany): a
    # multi-row VALUES differs in length from response to response and was compiled anew
    # on each submit, the largest part of a submit's cost.
    db.connection().execute(_upsert(db.get_bind().dialect.name), rows)


@cache
def _upsert(dialect: str) -> Executable:
    # The dialect's own module, imported by the first submit: a server on SQLite never
    # imports PostgreSQL's (and all its drivers' dialects).
    dialect_insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
    tallies = table_of(Tally)
    statement = dialect_insert(tallies)
    return statement.on_conflict_do_update(
        index_elements=[
            tallies.c.survey_id,
            tallies.c.item_key,
            tallies.c.choice,
            tallies.c.week_start,
            tallies.c.link_id,
            tallies.c.language,
        ],
        set_={
            "count": tallies.c.count + statement.excluded.count,
            "key_sum": tallies.c.key_sum + statement.excluded.key_sum,
        },
    )


def _week_of(column: SQLColumnExpression[date], dialect: str) -> ColumnElement[date]:
    if dialect == "postgresql":
        return cast(func.date_trunc("week", column), Date)
    # SQLite: the next-or-same Sunday, less six days, is the Monday.
    return func.date(column, "weekday 0", "-6 days")


def rebuild(db: Session, survey_id: int, from_week: date | None = None) -> None:
    """Recount a survey's tallies from its raw responses, for weeks from `from_week` on.

    Weeks before `from_week` (those a release covers) keep their tallies as they are.
    """
    dialect = db.get_bind().dialect.name
    first_day = from_week or date.min
    db.execute(delete(Tally).where(Tally.survey_id == survey_id, Tally.week_start >= first_day))
    week = _week_of(SurveyResponse.submitted_on, dialect)
    columns = [
        Tally.survey_id,
        Tally.item_key,
        Tally.choice,
        Tally.week_start,
        Tally.link_id,
        Tally.language,
        Tally.count,
        Tally.key_sum,
    ]
    dims = (SurveyResponse.link_id, SurveyResponse.language)
    keys = func.sum(SurveyResponse.record_key)
    mine = and_(SurveyResponse.survey_id == survey_id, SurveyResponse.submitted_on >= first_day)
    totals = (
        select(literal(survey_id), literal(""), literal(""), week, *dims, func.count(), keys)
        .where(mine)
        .group_by(week, *dims)
    )
    answered = (
        select(Answer.response_id, Answer.item_key)
        .distinct()
        .where(Answer.survey_id == survey_id)
        .subquery()
    )
    bases = (
        select(
            literal(survey_id), answered.c.item_key, literal(""), week, *dims, func.count(), keys
        )
        .join(SurveyResponse, SurveyResponse.id == answered.c.response_id)
        .where(mine)
        .group_by(answered.c.item_key, week, *dims)
    )
    choices = (
        select(literal(survey_id), Answer.item_key, Answer.choice, week, *dims, func.count(), keys)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .where(mine, Answer.survey_id == survey_id, Answer.choice != "")
        .group_by(Answer.item_key, Answer.choice, week, *dims)
    )
    for query in (totals, bases, choices):
        db.execute(insert(Tally).from_select(columns, query))
    db.flush()
