"""Grouped counts for dashboards. Counting happens in the database, never in Python loops."""

from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from feedback.models import Answer, Response


def response_total(db: Session, survey_id: int) -> int:
    """How many responses a survey has (before disclosure control)."""
    return db.scalar(
        select(func.count()).select_from(Response).where(Response.survey_id == survey_id)
    ) or 0


def choice_counts(db: Session, survey_id: int) -> list[tuple[str, str, int]]:
    """(item key, option value, number of answers) for every chosen option."""
    rows = db.execute(
        select(Answer.item_key, Answer.choice, func.count())
        .where(Answer.survey_id == survey_id, Answer.choice != "")
        .group_by(Answer.item_key, Answer.choice)
    ).all()
    return [(key, choice, n) for key, choice, n in rows]


def item_bases(db: Session, survey_id: int) -> dict[str, int]:
    """How many responses answered each item: the base for its percentages."""
    rows = db.execute(
        select(Answer.item_key, func.count(distinct(Answer.response_id)))
        .where(Answer.survey_id == survey_id)
        .group_by(Answer.item_key)
    ).all()
    return {key: n for key, n in rows}
