"""A respondent's way through a survey: drafts, page answers, and the one submit.

The browser holds a random draft token in its session cookie; the server keeps
the answers so far under the token's hash until submit, exit or expiry.
Submitting *claims* the draft by deleting it, and stores the response in the
same transaction, so a refresh, a back-and-resubmit or a double tap finds no
draft the second time and cannot store a second response.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from dashboards.perturbation import KEY_RANGE
from feedback.storage import tallies
from feedback.storage.access_codes import use_code
from feedback.storage.codes import stored_hash
from feedback.storage.db import rows_changed, table_of
from feedback.storage.models import Answer, Draft, Link, SurveyResponse, SurveyVersion
from surveys.conditions import AnswerValue, prune_hidden
from surveys.model import Page, Survey


def utcnow() -> datetime:
    """Naive UTC, as stored in the drafts table."""
    return datetime.now(UTC).replace(tzinfo=None)


def expiry_after(lifetime: timedelta) -> datetime:
    """When a draft saved now expires, rounded up to the hour.

    A time to the second would record when the person was answering; the hour is
    as much as expiry needs.
    """
    due = utcnow() + lifetime
    whole_hour = due.replace(minute=0, second=0, microsecond=0)
    return whole_hour if whole_hour == due else whole_hour + timedelta(hours=1)


def start_draft(
    db: Session,
    link: Link,
    version: SurveyVersion,
    lifetime: timedelta,
    access_code_hash: str | None = None,
) -> str:
    """Begin a draft for a respondent; returns the token for their session cookie."""
    purge_expired_drafts(db)
    token = secrets.token_urlsafe(32)
    db.add(
        Draft(
            token_hash=stored_hash(token),
            link_id=link.id,
            survey_version_id=version.id,
            answers={},
            access_code_hash=access_code_hash,
            expires_at=expiry_after(lifetime),
        )
    )
    db.flush()
    return token


@dataclass
class LiveDraft:
    """A respondent's answers so far, as a page reads and saves them."""

    token_hash: str
    answers: dict[str, Any]


# Every question page reads the draft and every answer saves it: one Core statement each,
# built once, rather than the ORM's identity map and unit of work for a single row.
_drafts = table_of(Draft)
_READ_DRAFT = select(_drafts.c.answers).where(
    _drafts.c.token_hash == bindparam("token_hash"),
    _drafts.c.link_id == bindparam("link_id"),
    _drafts.c.expires_at > bindparam("now"),
)
_SAVE_DRAFT = (
    update(_drafts)
    .where(_drafts.c.token_hash == bindparam("key"))
    .values(answers=bindparam("answers"), expires_at=bindparam("expires_at"))
)


def find_draft(db: Session, token: str | None, link: Link) -> LiveDraft | None:
    """The respondent's live draft for this link, or None if absent or expired."""
    if not token:
        return None
    token_hash = stored_hash(token)
    answers = (
        db.connection()
        .execute(_READ_DRAFT, {"token_hash": token_hash, "link_id": link.id, "now": utcnow()})
        .scalar()
    )
    return None if answers is None else LiveDraft(token_hash, answers)


def save_page(
    db: Session,
    draft: LiveDraft,
    survey: Survey,
    page: Page,
    page_answers: dict[str, AnswerValue],
    lifetime: timedelta,
) -> None:
    """Replace the page's answers in the draft, dropping any answers now hidden."""
    page_keys = {key for q in page.questions for key in q.item_keys()}
    merged = {k: v for k, v in draft.answers.items() if k not in page_keys}
    merged.update(page_answers)
    draft.answers = prune_hidden(survey, merged)
    db.connection().execute(
        _SAVE_DRAFT,
        {
            "key": draft.token_hash,
            "answers": draft.answers,
            "expires_at": expiry_after(lifetime),
        },
    )


def discard_draft(db: Session, token: str | None) -> None:
    """Delete a draft at once (quick exit, starting again)."""
    if token:
        db.execute(delete(Draft).where(Draft.token_hash == stored_hash(token)))


def purge_expired_drafts(db: Session) -> int:
    """Delete drafts past their expiry; returns how many."""
    return rows_changed(db, delete(Draft).where(Draft.expires_at <= utcnow()))


class Submitted(StrEnum):
    STORED = "stored"
    # Through a test link: the draft is claimed and deleted, nothing is stored.
    DISCARDED = "discarded"
    NO_DRAFT = "no_draft"
    CODE_USED = "code_used"


def submit(
    db: Session, token: str | None, link: Link, survey: Survey, language: str, today: date
) -> Submitted:
    """Store the draft as one response, exactly once (through a test link: never).

    On CODE_USED the caller must roll back: the draft stays, nothing is stored.
    """
    if not token:
        return Submitted.NO_DRAFT
    claimed = db.execute(
        delete(Draft)
        .where(
            Draft.token_hash == stored_hash(token),
            Draft.link_id == link.id,
            Draft.expires_at > utcnow(),
        )
        .returning(Draft.survey_version_id, Draft.answers, Draft.access_code_hash)
    ).first()
    if claimed is None:
        return Submitted.NO_DRAFT
    version_id, answers, code_hash = claimed
    if link.is_test:
        # A designer trying the survey: no response, no answers, no tally, so no release,
        # band or figure can ever include it.
        return Submitted.DISCARDED
    if code_hash is not None and not use_code(db, code_hash):
        return Submitted.CODE_USED
    response = SurveyResponse(
        id=_random_id(),
        survey_id=link.survey_id,
        survey_version_id=version_id,
        link_id=link.id,
        language=language,
        submitted_on=today,
        record_key=secrets.randbelow(KEY_RANGE),
    )
    db.add(response)
    db.flush()
    kept = prune_hidden(survey, answers)
    db.add_all(answer_rows(response, kept))
    db.flush()
    tallies.add_response(db, response, kept)
    return Submitted.STORED


def answer_rows(response: SurveyResponse, answers: dict[str, AnswerValue]) -> list[Answer]:
    """One row per chosen option, number or text: the shape dashboards count in SQL."""
    rows: list[Answer] = []
    for key, value in answers.items():
        if isinstance(value, list):
            rows.extend(
                Answer(
                    response_id=response.id,
                    item_key=key,
                    choice=choice,
                    survey_id=response.survey_id,
                )
                for choice in value
            )
        elif isinstance(value, int):
            rows.append(
                Answer(
                    response_id=response.id,
                    item_key=key,
                    choice="",
                    survey_id=response.survey_id,
                    number=value,
                )
            )
        else:
            rows.append(
                Answer(
                    response_id=response.id,
                    item_key=key,
                    choice="",
                    survey_id=response.survey_id,
                    text=value,
                )
            )
    return rows


def _random_id() -> int:
    # Random, not sequential: ids must not reveal the order responses arrived in.
    return secrets.randbits(62) + 1
