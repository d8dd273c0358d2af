"""What a respondent page reads before it answers: the link, its survey's latest version
(parsed), the "You said, we did" notes and the easy read link, all through the
per-process cache (`feedback.respondent.cache`).

The link, its survey and the version come from one statement, built once per process.
The version's definition is deferred: `survey_of` parses each stored version once per
process, so the JSON is loaded only the first time a process sees a version. What is
cached is detached from the request's session; only the link's state is worked out per
request, since it depends on the day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session, contains_eager, defer

from feedback.respondent.cache import respondent_cache
from feedback.storage.models import ChangeNote, Link, SurveyRecord, SurveyVersion
from feedback.storage.survey_versions import (
    LinkState,
    easy_read_candidates,
    link_state,
    plausible_code,
    survey_of,
)
from surveys.model import Survey

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


@dataclass(frozen=True)
class FoundLink:
    """A link as a respondent page sees it today (all None but `state` when unknown)."""

    state: LinkState
    link: Link | None = None
    version: SurveyVersion | None = None
    survey: Survey | None = None  # `version`, parsed


_UNKNOWN = FoundLink(LinkState.UNKNOWN)
_Stored = tuple[Link, SurveyVersion | None, Survey | None] | None


def find_link(db: Session, code: str, today: date) -> FoundLink:
    """The link with this code, its survey's latest version and that version parsed."""
    if not plausible_code(code):
        return _UNKNOWN
    code = code.lower()
    stored: _Stored = respondent_cache().get(("link", code), lambda: _read_link(db, code))
    if stored is None:
        return _UNKNOWN
    link, version, survey = stored
    return FoundLink(link_state(link, today), link, version, survey)


def _read_link(db: Session, code: str) -> _Stored:
    row = db.execute(_LINK_WITH_LATEST_VERSION, {"code": code}).first()
    if row is None:
        return None
    link, version = row
    survey = survey_of(version) if version is not None else None
    _detach(db, (link, link.survey, version))
    return link, version, survey


def recent_notes(db: Session, survey_id: int) -> list[ChangeNote]:
    """The five newest "You said, we did" notes for a survey."""

    def read() -> list[ChangeNote]:
        notes = list(db.scalars(_RECENT_NOTES, {"survey_id": survey_id}).all())
        _detach(db, notes)
        return notes

    notes: list[ChangeNote] = respondent_cache().get(("notes", survey_id), read)
    return notes


def easy_read_link(db: Session, link: Link, survey: Survey, today: date) -> Link | None:
    """An open link to `survey`'s easy read version shared in the same place as `link`."""

    def read() -> list[Link]:
        candidates = easy_read_candidates(db, link, survey)
        _detach(db, [part for c in candidates for part in (c, c.survey)])
        return candidates

    candidates: list[Link] = respondent_cache().get(("easy read", link.id), read)
    return next((c for c in candidates if link_state(c, today) is LinkState.OPEN), None)


def _detach(db: Session, objects: Iterable[object | None]) -> None:
    """Take loaded objects out of the request's session, so that ending it (or rolling
    it back) leaves them as they are for the next request that finds them cached."""
    for each in objects:
        if each is not None and each in db:
            db.expunge(each)
