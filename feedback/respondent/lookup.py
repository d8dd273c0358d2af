"""The one query behind every respondent page: a link, its survey and its latest version.

`catalogue.find_link` and `catalogue.latest_version` answer the same questions in three
queries (the link, its survey on first use, then the version). Every respondent page
asks them, so here they are one statement, built once per process. The version's
definition is deferred: `survey_of` parses each stored version once per process, so the
JSON is loaded only the first time a process sees a version.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session, contains_eager, defer

from feedback.storage.models import ChangeNote, Link, SurveyRecord, SurveyVersion
from feedback.storage.survey_versions import LinkState, link_state, plausible_code

_LATEST_NUMBER = (
    select(func.max(SurveyVersion.number))
    .where(SurveyVersion.survey_id == Link.survey_id)
    .correlate(Link)
    .scalar_subquery()
)

_LINK_WITH_LATEST_VERSION = (
    select(Link, SurveyVersion)
    .join(SurveyRecord, Link.survey_id == SurveyRecord.id)
    .outerjoin(
        SurveyVersion,
        and_(SurveyVersion.survey_id == Link.survey_id, SurveyVersion.number == _LATEST_NUMBER),
    )
    .options(contains_eager(Link.survey), defer(SurveyVersion.definition))
    .where(Link.code == bindparam("code"))
)

_RECENT_NOTES = (
    select(ChangeNote)
    .where(ChangeNote.survey_id == bindparam("survey_id"))
    .order_by(ChangeNote.id.desc())
    .limit(5)
)


def find_link_and_version(
    db: Session, code: str, today: date
) -> tuple[LinkState, Link | None, SurveyVersion | None]:
    """As `catalogue.find_link`, with the survey's latest version (None if it has none)."""
    if not plausible_code(code):
        return LinkState.UNKNOWN, None, None
    row = db.execute(_LINK_WITH_LATEST_VERSION, {"code": code.lower()}).first()
    if row is None:
        return LinkState.UNKNOWN, None, None
    link, version = row
    return link_state(link, today), link, version


def recent_notes(db: Session, survey_id: int) -> list[ChangeNote]:
    """The five newest "You said, we did" notes for a survey."""
    return list(db.scalars(_RECENT_NOTES, {"survey_id": survey_id}).all())
