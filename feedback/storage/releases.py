"""Cutting protected releases, and reading a survey's releases back.

A release is cut on whole closed weeks (its boundary is this week's Monday) and
only when at least the disclosure threshold of responses arrived since the last
one. Cutting is idempotent and safe to race: the unique (survey, number) pair
lets only one of two simultaneous cuts in.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboards.release import Release, releases_from_boundaries
from feedback.storage.models import Release as ReleaseRow
from feedback.storage.models import Tally
from feedback.storage.tallies import week_start


def boundaries(db: Session, survey_id: int) -> list[date]:
    return list(
        db.scalars(
            select(ReleaseRow.covers_before)
            .where(ReleaseRow.survey_id == survey_id)
            .order_by(ReleaseRow.number)
        )
    )


def latest(db: Session, survey_id: int) -> Release | None:
    """The release every staff-facing figure of the survey is read from (None: none yet)."""
    releases = releases_from_boundaries(boundaries(db, survey_id))
    return releases[-1] if releases else None


def responses_since(db: Session, survey_id: int, since: date | None, before: date) -> int:
    """True number of responses in the whole weeks from `since` to `before` (never shown)."""
    query = select(func.coalesce(func.sum(Tally.count), 0)).where(
        Tally.survey_id == survey_id,
        Tally.item_key == "",
        Tally.choice == "",
        Tally.week_start < before,
    )
    if since is not None:
        query = query.where(Tally.week_start >= since)
    return int(db.scalar(query) or 0)


def waiting_by_link(db: Session, survey_id: int) -> dict[int, int]:
    """True number of responses per link since the last release's boundary, this week's
    included: what the next releases will hold (never shown; only bands made from it)."""
    done = boundaries(db, survey_id)
    query = (
        select(Tally.link_id, func.sum(Tally.count))
        .where(Tally.survey_id == survey_id, Tally.item_key == "", Tally.choice == "")
        .group_by(Tally.link_id)
    )
    if done:
        query = query.where(Tally.week_start >= done[-1])
    return {int(link_id): int(count) for link_id, count in db.execute(query).all()}


def cut_due(db: Session, survey_id: int, today: date, threshold: int) -> bool:
    """Whether enough responses arrived in closed weeks to cut a new release."""
    done = boundaries(db, survey_id)
    since = done[-1] if done else None
    boundary = week_start(today)
    if since is not None and boundary <= since:
        return False
    return responses_since(db, survey_id, since, boundary) >= threshold


def cut(db: Session, survey_id: int, today: date, threshold: int) -> Release | None:
    """Cut a new release if one is due; returns the new release, or None."""
    if not cut_due(db, survey_id, today, threshold):
        return None
    number = len(boundaries(db, survey_id)) + 1
    try:
        with db.begin_nested():
            db.add(
                ReleaseRow(
                    survey_id=survey_id,
                    number=number,
                    covers_before=week_start(today),
                    cut_on=today,
                )
            )
    except IntegrityError:
        return None  # another process cut it first
    return latest(db, survey_id)
