"""Surveys and links in the database: loading definitions as versions, finding links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback.storage.codes import CODE_CHARS, random_code
from feedback.storage.memo import Memo
from feedback.storage.models import Link, SurveyRecord, SurveyVersion
from surveys import Survey, parse_survey

if TYPE_CHECKING:
    from surveys.rewording import PublishedVersion

CODE_LENGTH = 8


@dataclass(frozen=True)
class LoadResult:
    version: SurveyVersion
    created: bool


def store_survey(db: Session, survey: Survey, definition: dict, today: date) -> LoadResult:
    """Record `survey` as a new version, unless its latest version has the same content."""
    record = db.scalar(select(SurveyRecord).where(SurveyRecord.slug == survey.id))
    if record is None:
        record = SurveyRecord(slug=survey.id, title=survey.title, is_open=True, created_on=today)
        db.add(record)
        db.flush()
    latest = latest_version(db, record.id)
    content_hash = survey.content_hash()
    if latest is not None and latest.content_hash == content_hash:
        return LoadResult(latest, created=False)
    version = SurveyVersion(
        survey_id=record.id,
        number=(latest.number + 1) if latest else 1,
        content_hash=content_hash,
        definition=definition,
        published_on=today,
    )
    record.title = survey.title
    db.add(version)
    db.flush()
    return LoadResult(version, created=True)


def store_new_survey(
    db: Session, survey: Survey, definition: dict, today: date, made_from: str | None = None
) -> LoadResult:
    """Record `survey` as a survey of its own: under its id if free, else under a new one.

    Never a new version of an existing survey, so publishing a bank survey again cannot
    overwrite what a team changed in the copy it made before.
    """
    taken = set(db.scalars(select(SurveyRecord.slug)))
    slug = free_survey_id(survey.id, taken)
    if slug != survey.id:
        definition = {**definition, "id": slug}
        survey = parse_survey(definition)
    result = store_survey(db, survey, definition, today)
    result.version.survey.made_from = made_from
    return result


def free_survey_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... whichever is not taken (ids are at most 64)."""
    base, candidate, number = wanted[:56], wanted, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def surveys_made_from(db: Session, bank_name: str) -> list[SurveyRecord]:
    """The surveys made from one bank survey, oldest first."""
    return list(
        db.scalars(
            select(SurveyRecord)
            .where(SurveyRecord.made_from == bank_name)
            .order_by(SurveyRecord.id)
        )
    )


def latest_version(db: Session, survey_id: int) -> SurveyVersion | None:
    return db.scalar(
        select(SurveyVersion)
        .where(SurveyVersion.survey_id == survey_id)
        .order_by(SurveyVersion.number.desc())
        .limit(1)
    )


def survey_of(version: SurveyVersion) -> Survey:
    """The validated `Survey` for a stored version, parsed once per process.

    Versions never change, so (id, content hash) identifies the parse for good.
    """
    return _parsed_versions.get(
        (version.id, version.content_hash),
        lambda: parse_survey(version.definition, source=f"stored version {version.id}"),
    )


_parsed_versions: Memo[tuple[int, str], Survey] = Memo(size=256)


def published_versions(db: Session, survey_id: int) -> list[PublishedVersion]:
    """Every version of a survey, oldest first, as a question's wording history needs it."""
    # Here: wording histories (and the survey diff behind them) are for staff pages.
    from surveys.rewording import PublishedVersion

    versions = db.scalars(
        select(SurveyVersion)
        .where(SurveyVersion.survey_id == survey_id)
        .order_by(SurveyVersion.number)
    )
    return [
        PublishedVersion(v.published_on, survey_of(v), v.rewordings or {}, v.number)
        for v in versions
    ]


def published_survey(db: Session, slug: str) -> tuple[SurveyRecord, Survey] | None:
    """A survey by its id (slug) with its latest version, or None if there is none."""
    record = db.scalar(select(SurveyRecord).where(SurveyRecord.slug == slug))
    version = latest_version(db, record.id) if record else None
    if record is None or version is None:
        return None
    return record, survey_of(version)


def new_link_code(db: Session) -> str:
    """A short random code not yet used by any link."""
    while True:
        code = random_code(CODE_LENGTH)
        if db.scalar(select(func.count()).select_from(Link).where(Link.code == code)) == 0:
            return code


def create_link(
    db: Session,
    survey: SurveyRecord,
    channel: str,
    audience: str,
    language: str | None = None,
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> Link:
    """A new shared link for a channel (e.g. "Parents - family hub - WhatsApp")."""
    link = Link(
        code=new_link_code(db),
        survey_id=survey.id,
        channel=channel,
        audience=audience,
        language=language,
        opens_on=opens_on,
        closes_on=closes_on,
        is_active=True,
    )
    db.add(link)
    db.flush()
    return link


class LinkState(StrEnum):
    OPEN = "open"
    UNKNOWN = "unknown"
    NOT_YET_OPEN = "not_yet_open"
    # Switched off, or its survey is closed.
    CLOSED = "closed"
    # Its closing date has passed.
    EXPIRED = "expired"


def find_link(db: Session, code: str, today: date) -> tuple[LinkState, Link | None]:
    """Look a link code up and say whether it takes answers today."""
    if not plausible_code(code):
        return LinkState.UNKNOWN, None
    link = db.scalar(select(Link).where(Link.code == code.lower()))
    if link is None:
        return LinkState.UNKNOWN, None
    return link_state(link, today), link


def plausible_code(code: str) -> bool:
    """Whether `code` could be a link code at all (checked before the database is asked)."""
    return 4 <= len(code) <= 16 and set(code) <= CODE_CHARS


def link_state(link: Link, today: date) -> LinkState:
    """Whether a link takes answers today: its dates, its own switch and its survey's.

    A test link works while its survey is closed: trying a survey before opening it is
    what it is for, and nothing sent through it is stored.
    """
    if link.opens_on and today < link.opens_on:
        return LinkState.NOT_YET_OPEN
    if not link.is_active or not (link.survey.is_open or link.is_test):
        return LinkState.CLOSED
    if link.closes_on and today > link.closes_on:
        return LinkState.EXPIRED
    return LinkState.OPEN


def easy_read_candidates(db: Session, link: Link, survey: Survey) -> list[Link]:
    """The links to `survey`'s easy read version shared where `link` is, open or not,
    each with its survey loaded."""
    record = _easy_read_record(db, survey)
    candidates = _links_in_place_of(db, record, link) if record else []
    for candidate in candidates:
        candidate.survey  # noqa: B018 - loaded now (from the session), read later
    return candidates


def make_easy_read_link(db: Session, link: Link, survey: Survey) -> Link | None:
    """Share the easy read version wherever `link` is shared, if it is published and has no
    link there yet: the new link, or None."""
    record = _easy_read_record(db, survey)
    if record is None or _links_in_place_of(db, record, link):
        return None
    twin = create_link(
        db, record, link.channel, link.audience, link.language, link.opens_on, link.closes_on
    )
    twin.kiosk = link.kiosk
    return twin


def _easy_read_record(db: Session, survey: Survey) -> SurveyRecord | None:
    if not survey.easy_read_version:
        return None
    return db.scalar(select(SurveyRecord).where(SurveyRecord.slug == survey.easy_read_version))


def _links_in_place_of(db: Session, record: SurveyRecord, link: Link) -> list[Link]:
    """`record`'s links shared where `link` is: the same channel and audience."""
    return list(
        db.scalars(
            select(Link)
            .where(
                Link.survey_id == record.id,
                Link.channel == link.channel,
                Link.audience == link.audience,
            )
            .order_by(Link.id)
        )
    )
