"""Deleting responses once a survey's retention period has passed."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from feedback.storage import tallies
from feedback.storage.db import rows_changed
from feedback.storage.models import SurveyRecord, SurveyResponse
from feedback.storage.releases import boundaries
from feedback.storage.survey_versions import latest_version, survey_of


def delete_expired(db: Session, today: date) -> dict[str, int]:
    """Delete each survey's responses older than its retention period.

    The tallies of weeks a release covers stay as they are: the release's figures,
    which a later comparison needs as its baseline, outlive the responses. Only
    tallies of weeks no release covers yet are recounted.

    Returns how many responses were deleted per survey id (slug).
    """
    deleted = {}
    for record in db.scalars(select(SurveyRecord)):
        version = latest_version(db, record.id)
        if version is None:
            continue
        cutoff = today - timedelta(days=survey_of(version).retention_days)
        count = rows_changed(
            db,
            delete(SurveyResponse).where(
                SurveyResponse.survey_id == record.id, SurveyResponse.submitted_on < cutoff
            ),
        )
        if count:
            released = boundaries(db, record.id)
            tallies.rebuild(db, record.id, from_week=released[-1] if released else None)
            deleted[record.slug] = count
    return deleted
