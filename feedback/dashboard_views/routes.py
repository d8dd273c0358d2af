"""Dashboard pages. Every figure, chart, table and export goes through one disclosure policy."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

import plotly
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from dashboards import DisclosurePolicy
from dashboards.exports import to_csv, to_xlsx
from dashboards.filters import FilterProblem, parents, parse_filters
from dashboards.themes import THEMES
from feedback.dashboard_views.build import Dashboard, build_dashboard, comparison, export_sheets
from feedback.dashboard_views.forms import ChangeNoteForm, WaveForm
from feedback.storage import audit, dashboard_queries
from feedback.storage.dashboard_queries import Scope
from feedback.storage.db import db
from feedback.storage.models import ChangeNote, CommentReview, Link, SurveyRecord, Wave
from feedback.storage.tallies import week_start
from feedback.web.security import allow_chart_styles
from feedback.web.staff_access import survey_for_staff
from surveys import Survey

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")
bp.after_request(allow_chart_styles)
COMMENTS_PER_PAGE = 50
EDIT_ROLES = ("admin", "designer")
REVIEW_ROLES = ("admin", "reviewer")


def disclosure_policy() -> DisclosurePolicy:
    return DisclosurePolicy(threshold=current_app.config["DISCLOSURE_THRESHOLD"])


_survey = survey_for_staff


def _require_role(roles: tuple[str, ...]) -> None:
    if current_user.role not in roles:
        abort(403)


def _allowed_filters(record: SurveyRecord, closed_before: date) -> dict[str, list[str]]:
    links = list(db.session.scalars(select(Link).where(Link.survey_id == record.id)))
    weeks = dashboard_queries.closed_weeks(db.session, record.id, closed_before)
    waves = db.session.scalars(select(Wave.id).where(Wave.survey_id == record.id))
    return {
        "audience": sorted({link.audience for link in links}),
        "age_band": sorted({link.age_band for link in links if link.age_band}),
        "language": list(current_app.config["LANGUAGES"]),
        "channel": [str(link.id) for link in links],
        "wave": [str(wave_id) for wave_id in waves],
        "period": [f"week:{w.isoformat()}" for w in weeks]
                  + sorted({f"month:{w.isoformat()[:7]}" for w in weeks}),
    }


def _scope(record: SurveyRecord) -> Scope:
    closed_before = week_start(date.today())
    try:
        filters = parse_filters([f for f in request.args.getlist("f") if f],
                                _allowed_filters(record, closed_before))
    except FilterProblem as problem:
        page = render_template("dashboards/filter_problem.html", record=record,
                               problem=str(problem))
        abort(make_response(page, 400))
    return Scope(record.id, closed_before, filters)


def _dashboard(record: SurveyRecord, survey: Survey, scope: Scope) -> Dashboard:
    return build_dashboard(db.session, record, survey, scope, disclosure_policy(),
                           parents(scope.filters), by=request.args.get("by", "week"))


@bp.get("/<slug>")
@login_required
def overview(slug: str) -> ResponseReturnValue:
    record, survey = _survey(slug)
    scope = _scope(record)
    dashboard = _dashboard(record, survey, scope)
    return render_template(
        "dashboards/overview.html", record=record, survey=survey, dashboard=dashboard,
        threshold=disclosure_policy().threshold, closed_before=scope.closed_before,
        filters=scope.filters, filter_choices=_filter_choices(record, scope.closed_before),
        figures_json={t.item_key: json.dumps(f) for t, f in dashboard.figures.items() if f},
        waves=_waves(record), change_form=ChangeNoteForm(), wave_form=WaveForm(),
        can_edit=current_user.role in EDIT_ROLES, notes=_notes(record),
        text_items=[q for q in survey.questions() if q.is_text],
    )


@bp.get("/<slug>/report")
@login_required
def report(slug: str) -> ResponseReturnValue:
    record, survey = _survey(slug)
    scope = _scope(record)
    return render_template("dashboards/report.html", record=record, survey=survey,
                           dashboard=_dashboard(record, survey, scope), filters=scope.filters,
                           threshold=disclosure_policy().threshold,
                           closed_before=scope.closed_before, notes=_notes(record))


@bp.get("/<slug>/export.<kind>")
@login_required
def export(slug: str, kind: str) -> ResponseReturnValue:
    if kind not in ("csv", "xlsx"):
        abort(404)
    record, survey = _survey(slug)
    scope = _scope(record)
    sheets = export_sheets(_dashboard(record, survey, scope))
    audit.record(db.session, "exported results",
                 f"{slug} as {kind}" + (f", filters {', '.join(map(str, scope.filters))}"
                                        if scope.filters else ""))
    if kind == "csv":
        body, mimetype = to_csv(sheets).encode("utf-8-sig"), "text/csv"
    else:
        body = to_xlsx(sheets)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.{kind}"'
    return response


@bp.get("/<slug>/comments/<item_key>")
@login_required
def comments(slug: str, item_key: str) -> ResponseReturnValue:
    record, survey = _survey(slug)
    question = survey.question(item_key)
    if question is None or not question.is_text:
        abort(404)
    scope = _scope(record)
    policy = disclosure_policy()
    reviewer = current_user.role in REVIEW_ROLES
    dashboard = _dashboard(record, survey, scope)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    shown = dashboard.total.shown and policy.group(
        dashboard.counts.get((item_key, ""), 0),
        [p.get((item_key, ""), 0) for p in dashboard.parent_counts]).shown
    found = (dashboard_queries.comments(db.session, scope, item_key, reviewer,
                                        COMMENTS_PER_PAGE + 1, (page - 1) * COMMENTS_PER_PAGE)
             if shown else [])
    themes = (dashboard_queries.theme_counts(db.session, scope, item_key, reviewer, THEMES)
              if shown else {})
    theme_cells = policy.counts({k: v for k, v in themes.items() if k}, themes.get("", 0))
    return render_template(
        "dashboards/comments.html", record=record, question=question, shown=shown,
        comments=found[:COMMENTS_PER_PAGE], more=len(found) > COMMENTS_PER_PAGE, page=page,
        reviewer=reviewer, themes=theme_cells, threshold=policy.threshold,
        filters=scope.filters)


@bp.post("/<slug>/comments/<item_key>/<int:response_id>")
@login_required
def review_comment(slug: str, item_key: str, response_id: int) -> ResponseReturnValue:
    """A reviewer shows a comment to the team or hides it; the decision is recorded."""
    _require_role(REVIEW_ROLES)
    record, _survey_definition = _survey(slug)
    hidden = request.form.get("decision") == "hide"
    review = db.session.get(CommentReview, (response_id, item_key))
    if review is None:
        review = CommentReview(response_id=response_id, item_key=item_key)
        db.session.add(review)
    review.hidden, review.reviewed_by, review.reviewed_on = hidden, current_user.id, date.today()
    audit.record(db.session, "comment hidden" if hidden else "comment shown",
                 f"{slug}: {item_key}")
    return redirect(url_for(".comments", slug=slug, item_key=item_key,
                            page=request.args.get("page", 1)), 303)


@bp.get("/<slug>/compare")
@login_required
def compare(slug: str) -> ResponseReturnValue:
    record, survey = _survey(slug)
    waves = {str(w.id): w for w in _waves(record)}
    before, after = waves.get(request.args.get("a", "")), waves.get(request.args.get("b", ""))
    if before is None or after is None or before.id == after.id:
        page = render_template("dashboards/filter_problem.html", record=record,
                               problem="Choose two different waves to compare.")
        return page, 400
    rows = comparison(db.session, record, survey, week_start(date.today()), before, after,
                      disclosure_policy())
    return render_template("dashboards/compare.html", record=record, before=before, after=after,
                           rows=rows, threshold=disclosure_policy().threshold)


@bp.post("/<slug>/waves")
@login_required
def add_wave(slug: str) -> ResponseReturnValue:
    _require_role(EDIT_ROLES)
    record, _definition = _survey(slug)
    form = WaveForm()
    form.link.choices = [("", "")] + [(str(link.id), link.channel) for link in
                                      db.session.scalars(select(Link).where(
                                          Link.survey_id == record.id))]
    if not form.validate_on_submit():
        return render_template("dashboards/form_problem.html", record=record,
                               errors=form.errors), 400
    audit.record(db.session, "wave added", f"{slug}: {form.name.data}")
    db.session.add(Wave(survey_id=record.id, name=form.name.data, starts_on=form.starts_on.data,
                        ends_on=form.ends_on.data,
                        link_id=int(form.link.data) if form.link.data else None))
    return redirect(url_for(".overview", slug=slug), 303)


@bp.post("/<slug>/changes")
@login_required
def add_change_note(slug: str) -> ResponseReturnValue:
    """Record "You said, we did": shown to respondents on the survey's start page."""
    _require_role(EDIT_ROLES)
    record, _definition = _survey(slug)
    form = ChangeNoteForm()
    if not form.validate_on_submit():
        return render_template("dashboards/form_problem.html", record=record,
                               errors=form.errors), 400
    audit.record(db.session, "you said, we did added", slug)
    db.session.add(ChangeNote(survey_id=record.id, you_said=form.you_said.data.strip(),
                              we_did=form.we_did.data.strip(), published_on=date.today()))
    return redirect(url_for(".overview", slug=slug), 303)


@bp.get("/assets/plotly.min.js")
@login_required
def plotly_js() -> ResponseReturnValue:
    """plotly.js from the installed plotly package: served by us, never from a CDN."""
    response = Response(_plotly_bytes(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@lru_cache(maxsize=1)
def _plotly_bytes() -> bytes:
    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()


def _waves(record: SurveyRecord) -> list[Wave]:
    return list(db.session.scalars(select(Wave).where(Wave.survey_id == record.id)
                                   .order_by(Wave.id)))


def _notes(record: SurveyRecord) -> list[ChangeNote]:
    return list(db.session.scalars(select(ChangeNote).where(ChangeNote.survey_id == record.id)
                                   .order_by(ChangeNote.id.desc())))


def _filter_choices(record: SurveyRecord, closed_before: date) -> dict[str, list[tuple[str,
                                                                                    str]]]:
    allowed = _allowed_filters(record, closed_before)
    channels = {str(link.id): link.channel for link in db.session.scalars(
        select(Link).where(Link.survey_id == record.id))}
    waves = {str(w.id): w.name for w in _waves(record)}
    labels = {"channel": channels, "wave": waves}
    return {dimension: [(value, labels.get(dimension, {}).get(value, value)) for value in values]
            for dimension, values in allowed.items() if values}
