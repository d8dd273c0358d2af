"""Each survey's own list of comment themes, kept in order; the defaults until a team saves one."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dashboards.themes import THEMES
from feedback.storage.models import CommentTheme


def themes_for(db: Session, survey_id: int) -> dict[str, tuple[str, ...]]:
    """The survey's themes in the team's order, or the default list if it has none."""
    rows = db.scalars(
        select(CommentTheme)
        .where(CommentTheme.survey_id == survey_id)
        .order_by(CommentTheme.position)
    ).all()
    if not rows:
        return dict(THEMES)
    return {row.name: tuple(row.terms) for row in rows}


def save_themes(db: Session, survey_id: int, themes: Mapping[str, tuple[str, ...]]) -> None:
    """Replace the survey's list with `themes` (already checked by `themes_from_text`)."""
    db.execute(delete(CommentTheme).where(CommentTheme.survey_id == survey_id))
    db.flush()
    for position, (name, terms) in enumerate(themes.items()):
        db.add(CommentTheme(survey_id=survey_id, position=position, name=name, terms=list(terms)))
    db.flush()
