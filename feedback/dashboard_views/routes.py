"""Dashboard pages. Every figure shown goes through the disclosure policy."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required
from sqlalchemy import select

from dashboards import DisclosurePolicy, question_tables
from feedback import queries
from feedback.catalogue import latest_version, survey_of
from feedback.db import db
from feedback.models import SurveyRecord

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")


def disclosure_policy() -> DisclosurePolicy:
    return DisclosurePolicy(threshold=current_app.config["DISCLOSURE_THRESHOLD"])


@bp.get("/<slug>")
@login_required
def overview(slug: str) -> ResponseReturnValue:
    record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == slug))
    version = latest_version(db.session, record.id) if record else None
    if record is None or version is None:
        abort(404)
    policy = disclosure_policy()
    survey = survey_of(version)
    tables = question_tables(
        survey,
        queries.choice_counts(db.session, record.id),
        queries.item_bases(db.session, record.id),
        policy,
    )
    total = policy.base(queries.response_total(db.session, record.id))
    return render_template("dashboards/overview.html", record=record, survey=survey,
                           total=total, tables=tables, threshold=policy.threshold)
