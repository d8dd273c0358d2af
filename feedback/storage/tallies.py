"""Keeping the dashboard tallies: incremented on submit, rebuilt from raw answers on demand."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import Date, and_, cast, delete, func, insert, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from feedback.storage.models import Answer, SurveyResponse, Tally
from surveys.conditions import AnswerValue

TOTAL = ("", "")


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
        {"survey_id": response.survey_id, "item_key": item_key, "choice": choice,
         "week_start": week_start(response.submitted_on), "link_id": response.link_id,
         "language": response.language, "count": 1}
        for item_key, choice in tally_keys(answers)
    ]
    upsert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = upsert(Tally).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[Tally.survey_id, Tally.item_key, Tally.choice, Tally.week_start,
                        Tally.link_id, Tally.language],
        set_={"count": Tally.count + statement.excluded.count},
    )
    db.execute(statement)


def _week_of(column: ColumnElement[date], dialect: str) -> ColumnElement[date]:
    if dialect == "postgresql":
        return cast(func.date_trunc("week", column), Date)
    # SQLite: the next-or-same Sunday, less six days, is the Monday.
    return func.date(column, "weekday 0", "-6 days")


def rebuild(db: Session, survey_id: int) -> None:
    """Recount a survey's tallies from its raw responses (after bulk loads or deletions)."""
    dialect = db.get_bind().dialect.name
    db.execute(delete(Tally).where(Tally.survey_id == survey_id))
    week = _week_of(SurveyResponse.submitted_on, dialect)
    columns = [Tally.survey_id, Tally.item_key, Tally.choice, Tally.week_start, Tally.link_id,
               Tally.language, Tally.count]
    dims = (SurveyResponse.link_id, SurveyResponse.language)
    totals = (select(literal(survey_id), literal(""), literal(""), week, *dims, func.count())
              .where(SurveyResponse.survey_id == survey_id)
              .group_by(week, *dims))
    joined = and_(Answer.response_id == SurveyResponse.id, SurveyResponse.survey_id == survey_id)
    bases = (select(literal(survey_id), Answer.item_key, literal(""), week, *dims,
                    func.count(func.distinct(Answer.response_id)))
             .join(SurveyResponse, joined)
             .where(Answer.survey_id == survey_id)
             .group_by(Answer.item_key, week, *dims))
    choices = (select(literal(survey_id), Answer.item_key, Answer.choice, week, *dims,
                      func.count())
               .join(SurveyResponse, joined)
               .where(Answer.survey_id == survey_id, Answer.choice != "")
               .group_by(Answer.item_key, Answer.choice, week, *dims))
    for query in (totals, bases, choices):
        db.execute(insert(Tally).from_select(columns, query))
    db.flush()


def rebuild_all(db: Session, survey_ids: Iterable[int]) -> None:
    for survey_id in survey_ids:
        rebuild(db, survey_id)
