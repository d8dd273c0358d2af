"""Dashboard pages. Every figure, chart, table, comment and export comes from one release.

The latest protected release of a survey (feedback.storage.releases) is the only
thing these pages read: never a response submitted since. See docs/adr/0007.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

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
from flask_login import current_user
from sqlalchemy import select

from dashboards import DisclosurePolicy
from dashboards.charts import question_figure
from dashboards.dashboard import (
    Dashboard,
    WaveOf,
    build_dashboard,
    comments_shown,
    comparison,
    export_sheets,
    offered_filters,
    parse_view,
    selection_of,
)
from dashboards.disclosure import NOTHING, Tallied
from dashboards.exports import to_csv, to_xlsx
from dashboards.filters import Filter, FilterProblem
from dashboards.release import (
    DIMENSIONS,
    Group,
    ReleasePlan,
    WaveSpan,
    plan_release,
    wave_groups,
)
from dashboards.themes import ThemeProblem, theme_tallies, themes_from_text, themes_to_text
from feedback.dashboard_views.forms import ChangeNoteForm, WaveForm
from feedback.dashboard_views.presenters import labels, period_label
from feedback.storage import audit, dashboard_queries, releases
from feedback.storage.comment_themes import save_themes, themes_for
from feedback.storage.dashboard_queries import SqlCountsSource
from feedback.storage.db import db
from feedback.storage.models import ChangeNote, CommentReview, SurveyRecord, Wave
from feedback.storage.survey_access import may_see, visible_to
from feedback.storage.survey_versions import published_survey, published_versions
from feedback.storage.tallies import week_start
from feedback.web.security import allow_chart_styles
from feedback.web.staff_access import (
    EDITORS,
    REVIEWERS,
    STAFF,
    THEME_EDITORS,
    has_role,
    require_role,
    survey_for_staff,
)
from feedback.web.templating import dimension_name
from surveys import Survey
from surveys.core import comparable_questions
from surveys.rewording import Wording, wording_histories

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")
bp.after_request(allow_chart_styles)
COMMENTS_PER_PAGE = 50
MAX_PAGE = 100_000
DECISIONS = {"show": False, "hide": True}


def disclosure_policy() -> DisclosurePolicy:
    return DisclosurePolicy(threshold=current_app.config["DISCLOSURE_THRESHOLD"])


_survey = survey_for_staff


def _plan(record: SurveyRecord) -> ReleasePlan | None:
    """The survey's latest release, cutting a new one first if enough responses arrived."""
    threshold = disclosure_policy().threshold
    if releases.cut_due(db.session, record.id, date.today(), threshold):
        db.start_writing()
        releases.cut(db.session, record.id, date.today(), threshold)
    release = releases.latest(db.session, record.id)
    if release is None:
        return None
    return plan_release(SqlCountsSource(db.session, record.id), release, threshold)


def _waves(record: SurveyRecord) -> list[Wave]:
    return list(
        db.session.scalars(select(Wave).where(Wave.survey_id == record.id).order_by(Wave.id))
    )


def _wave_groups(record: SurveyRecord, plan: ReleasePlan) -> tuple[Group, ...]:
    spans = [WaveSpan(w.id, w.name, w.starts_on, w.ends_on) for w in _waves(record)]
    return wave_groups(plan, spans)


def _filters(
    record: SurveyRecord, plan: ReleasePlan, waves: tuple[Group, ...]
) -> tuple[Filter, ...]:
    try:
        return parse_view(plan, [f for f in request.args.getlist("f") if f], waves)
    except FilterProblem as problem:
        page = render_template(
            "dashboards/filter_problem.html", record=record, problem=str(problem)
        )
        abort(make_response(page, 400))


def _view(
    slug: str,
) -> tuple[SurveyRecord, Survey, ReleasePlan | None, tuple[Group, ...], tuple[Filter, ...]]:
    record, survey = _survey(slug)
    plan = _plan(record)
    if plan is None:
        return record, survey, None, (), ()
    waves = _wave_groups(record, plan)
    return record, survey, plan, waves, _filters(record, plan, waves)


def _dashboard(
    survey: Survey,
    record: SurveyRecord,
    plan: ReleasePlan,
    waves: tuple[Group, ...],
    filters: tuple[Filter, ...],
) -> Dashboard:
    return build_dashboard(
        SqlCountsSource(db.session, record.id),
        survey,
        plan,
        disclosure_policy(),
        filters,
        waves,
        *_wording_history(record),
    )


def _wording_history(
    record: SurveyRecord,
) -> tuple[dict[str, tuple[Wording, ...]], dict[date, tuple[int, int]]]:
    """Each reworded question's wordings, and the versions answered in the weeks they changed."""
    histories = wording_histories(published_versions(db.session, record.id))
    changed = [w.since for h in histories.values() for w in h[1:] if w.since is not None]
    weeks = dashboard_queries.versions_by_week(db.session, record.id, map(week_start, changed))
    return histories, weeks


def _words(plan: ReleasePlan, waves: tuple[Group, ...]) -> dict[str, dict[str, str]]:
    return labels({**offered_filters(plan, waves), "period": plan.periods()})


def _no_release(record: SurveyRecord, survey: Survey) -> ResponseReturnValue:
    return render_template(
        "dashboards/no_release.html",
        record=record,
        survey=survey,
        threshold=disclosure_policy().threshold,
        notes=_notes(record),
        change_form=ChangeNoteForm(),
    )


@bp.get("/<slug>")
@require_role(*STAFF)
def overview(slug: str) -> ResponseReturnValue:
    record, survey, plan, waves, filters = _view(slug)
    if plan is None:
        return _no_release(record, survey)
    dashboard = _dashboard(survey, record, plan, waves, filters)
    figures = {t.item_key: question_figure(t) for t in dashboard.tables}
    for split in dashboard.wordings.values():
        for part in split.tables:
            figures[f"{split.item_key}~{part.group.key}"] = question_figure(part.table)
    return render_template(
        "dashboards/overview.html",
        record=record,
        survey=survey,
        dashboard=dashboard,
        threshold=disclosure_policy().threshold,
        release=plan.release,
        filters=filters,
        words=_words(plan, waves),
        filter_choices=offered_filters(plan, waves),
        figures_json={key: json.dumps(f) for key, f in figures.items() if f},
        waves=waves,
        other_waves=_comparable_waves(record, survey),
        periods=plan.periods(),
        change_form=ChangeNoteForm(),
        wave_form=WaveForm(),
        notes=_notes(record),
        text_items=[q for q in survey.questions() if q.is_text],
    )


@bp.get("/<slug>/report")
@require_role(*STAFF)
def report(slug: str) -> ResponseReturnValue:
    record, survey, plan, waves, filters = _view(slug)
    if plan is None:
        return _no_release(record, survey)
    return render_template(
        "dashboards/report.html",
        record=record,
        survey=survey,
        dashboard=_dashboard(survey, record, plan, waves, filters),
        filters=filters,
        words=_words(plan, waves),
        threshold=disclosure_policy().threshold,
        release=plan.release,
        notes=_notes(record),
    )


@bp.get("/<slug>/export.<kind>")
@require_role(*STAFF)
def export(slug: str, kind: str) -> ResponseReturnValue:
    if kind not in ("csv", "xlsx"):
        abort(404)
    record, survey, plan, waves, filters = _view(slug)
    if plan is None:
        return _no_release(record, survey)
    words = _words(plan, waves)
    sheets = export_sheets(
        _dashboard(survey, record, plan, waves, filters),
        words,
        {d: dimension_name(d) for d in (*DIMENSIONS, "period", "wave")},
    )
    # The trail names filters as the page does, not as the address spells them.
    named = "; ".join(
        f"{dimension_name(f.dimension)}: {words[f.dimension][f.value]}" for f in filters
    )
    audit.record(
        db.session,
        "exported results",
        f"{slug} as {kind}" + (f", filtered by {named}" if named else ""),
    )
    if kind == "csv":
        body, mimetype = to_csv(sheets).encode("utf-8-sig"), "text/csv"
    else:
        body = to_xlsx(sheets)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.{kind}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _page() -> int:
    page = request.args.get("page", 1, type=int) or 1
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    return page


@bp.get("/<slug>/comments/<item_key>")
@require_role(*STAFF)
def comments(slug: str, item_key: str) -> ResponseReturnValue:
    record, survey, plan, waves, filters = _view(slug)
    question = survey.question(item_key)
    if question is None or not question.is_text:
        abort(404)
    if plan is None:
        return _no_release(record, survey)
    policy = disclosure_policy()
    reviewer = has_role(*REVIEWERS)
    dashboard = _dashboard(survey, record, plan, waves, filters)
    page = _page()
    shown = comments_shown(dashboard, item_key, policy)
    found = (
        dashboard_queries.comments(
            db.session, record.id, selection_of(plan, filters, waves), item_key, reviewer
        )
        if shown
        else []
    )
    total = sum((Tallied(1, key) for *_rest, key in found), NOTHING)
    base = policy.count(total)
    themes = {
        theme: policy.count(tallied, base)
        for theme, tallied in theme_tallies(
            ((text, key) for _i, text, _h, key in found), themes_for(db.session, record.id)
        ).items()
    }
    start = (page - 1) * COMMENTS_PER_PAGE
    return render_template(
        "dashboards/comments.html",
        record=record,
        question=question,
        shown=shown,
        comments=[row[:3] for row in found[start : start + COMMENTS_PER_PAGE]],
        more=len(found) > start + COMMENTS_PER_PAGE,
        page=page,
        reviewer=reviewer,
        may_edit_themes=has_role(*THEME_EDITORS),
        decided=_decided_notice(),
        themes=themes,
        threshold=policy.threshold,
        filters=filters,
        words=_words(plan, waves),
    )


@bp.post("/<slug>/comments/<item_key>/<int:response_id>")
@require_role(*REVIEWERS)
def review_comment(slug: str, item_key: str, response_id: int) -> ResponseReturnValue:
    """A reviewer shows a comment to the team or hides it; the decision is recorded."""
    record, _survey_definition = _survey(slug, response_id=response_id, question_id=item_key)
    hidden = request.form.get("decision") == "hide"
    review = db.session.get(CommentReview, (response_id, item_key))
    if review is None:
        review = CommentReview(response_id=response_id, item_key=item_key)
        db.session.add(review)
    review.hidden, review.reviewed_by, review.reviewed_on = hidden, current_user.id, date.today()
    audit.record(db.session, "comment hidden" if hidden else "comment shown", f"{slug}: {item_key}")
    return redirect(
        url_for(
            ".comments", slug=slug, item_key=item_key, page=request.args.get("page", 1, type=int)
        ),
        303,
    )


@bp.post("/<slug>/comments/<item_key>/review")
@require_role(*REVIEWERS)
def review_comments(slug: str, item_key: str) -> ResponseReturnValue:
    """A reviewer shows several comments to the team, or hides them, in one go: all of them
    or, if any id is not a comment of this release's list, none (and says so). The list
    opens again at the first comment decided, so the reviewer carries on where they were."""
    record, survey, plan, _waves_, _filters_ = _view(slug)
    question = survey.question(item_key)
    if question is None or not question.is_text:
        abort(404)
    page = _page()
    single = request.form.get("one", "")
    decision, _, one_id = (
        single.partition(":") if single else (request.form.get("decision"), "", "")
    )
    chosen = [one_id] if single else request.form.getlist("comment")
    problem = _batch_problem(record, plan, item_key, decision, chosen)
    if problem:
        return render_template(
            "dashboards/review_refused.html",
            record=record,
            question=question,
            problem=problem,
            back=url_for(".comments", slug=slug, item_key=item_key, page=page),
        ), 400
    ids = sorted({int(value) for value in chosen})
    hidden = DECISIONS[str(decision)]
    for response_id in ids:
        review = db.session.get(CommentReview, (response_id, item_key))
        if review is None:
            review = CommentReview(response_id=response_id, item_key=item_key)
            db.session.add(review)
        review.hidden, review.reviewed_by, review.reviewed_on = (
            hidden,
            current_user.id,
            date.today(),
        )
    action = "comment hidden" if hidden else "comment shown"
    audit.record(db.session, action, f"{slug}: {item_key}, {len(ids)} comment(s)")
    first = next(value for value in chosen)
    return redirect(
        url_for(
            ".comments",
            slug=slug,
            item_key=item_key,
            page=page,
            decided=f"{decision}:{len(ids)}",
            _anchor=f"comment-{first}",
        ),
        303,
    )


def _batch_problem(
    record: SurveyRecord,
    plan: ReleasePlan | None,
    item_key: str,
    decision: str | None,
    chosen: list[str],
) -> str:
    """Why a batch of decisions cannot be made, or "" if every part of it can."""
    if plan is None:
        return "There are no results to review yet, so nothing was changed."
    if decision not in DECISIONS:
        return "Choose whether to show the comments to the team or hide them."
    if not chosen:
        return "Tick at least one comment first, then choose what to do with them."
    in_list = {
        response_id
        for response_id, *_rest in dashboard_queries.comments(
            db.session, record.id, selection_of(plan, (), ()), item_key, True
        )
    }
    unknown = [value for value in chosen if not value.isdigit() or int(value) not in in_list]
    if unknown:
        return (
            f"{len(unknown)} of the {len(chosen)} comments chosen are not in this list any more "
            "(they may have been deleted when their time was up), so nothing was changed. "
            "Go back to the list, which is up to date, and choose again."
        )
    return ""


def _decided_notice() -> str:
    """What the last batch did, for the status line at the top of the list."""
    decision, _, count = request.args.get("decided", "").partition(":")
    if decision not in DECISIONS or not count.isdigit():
        return ""
    number = int(count)
    noun = "comment" if number == 1 else "comments"
    return f"{number} {noun} {'hidden from' if DECISIONS[decision] else 'shown to'} the team."


@bp.route("/<slug>/themes", methods=["GET", "POST"])
@require_role(*THEME_EDITORS)
def edit_themes(slug: str) -> ResponseReturnValue:
    """The survey's own comment themes, as one list a team edits (defaults until saved)."""
    record, survey = _survey(slug)
    back = request.args.get("question", "")
    if survey.question(back) is None:
        back = ""
    if request.method == "GET":
        text, problems, status = themes_to_text(themes_for(db.session, record.id)), [], 200
    else:
        text = request.form.get("themes", "")[:20_000]
        try:
            themes = themes_from_text(text)
        except ThemeProblem as refused:
            problems, status = refused.problems, 400
        else:
            save_themes(db.session, record.id, themes)
            audit.record(db.session, "comment themes changed", f"{slug}: {len(themes)} themes")
            target = (
                url_for(".comments", slug=slug, item_key=back, saved=1)
                if back
                else url_for(".edit_themes", slug=slug, saved=1)
            )
            return redirect(target, 303)
    return render_template(
        "dashboards/themes.html",
        record=record,
        text=text,
        problems=problems,
        back=back,
        saved=request.args.get("saved") == "1",
    ), status


@bp.get("/<slug>/compare")
@require_role(*STAFF)
def compare(slug: str) -> ResponseReturnValue:
    """Two waves side by side: of this survey, or this survey's and another's (a design-stage
    baseline beside a later experience survey), comparing only questions asked alike."""
    record, survey, plan, waves, _filters_ = _view(slug)
    before = _this_wave(record, survey, plan, waves, request.args.get("a", ""))
    after = _wave_named(record, survey, plan, waves, request.args.get("b", ""))
    if before is None or after is None or before.wave == after.wave:
        page = render_template(
            "dashboards/filter_problem.html",
            record=record,
            problem="Choose two different waves to compare. Each wave is a run of whole "
            "release periods, and waves cannot overlap.",
        )
        return page, 400
    result = comparison(before, after, disclosure_policy(), *_wording_history(record))
    return render_template(
        "dashboards/compare.html",
        record=record,
        before=before.wave,
        after=after.wave,
        rows=result.rows,
        not_compared=result.not_compared,
        threshold=disclosure_policy().threshold,
    )


def _this_wave(
    record: SurveyRecord,
    survey: Survey,
    plan: ReleasePlan | None,
    waves: tuple[Group, ...],
    key: str,
) -> WaveOf | None:
    wave = next((g for g in waves if g.key == key), None)
    if plan is None or wave is None:
        return None
    return WaveOf(SqlCountsSource(db.session, record.id), survey, plan, wave)


def _wave_named(
    record: SurveyRecord,
    survey: Survey,
    plan: ReleasePlan | None,
    waves: tuple[Group, ...],
    value: str,
) -> WaveOf | None:
    """A wave of this survey ("3") or of another the person may see ("other-slug/3")."""
    other_slug, _, key = value.rpartition("/")
    if not other_slug:
        return _this_wave(record, survey, plan, waves, key)
    other = _other_survey(other_slug)
    if other is None:
        return None
    other_record, other_survey, other_plan = other
    other_waves = _wave_groups(other_record, other_plan)
    wave = next((g for g in other_waves if g.key == key), None)
    if wave is None:
        return None
    labelled = Group(wave.key, f"{other_survey.title}: {wave.label}", wave.selection)
    return WaveOf(SqlCountsSource(db.session, other_record.id), other_survey, other_plan, labelled)


def _other_survey(slug: str) -> tuple[SurveyRecord, Survey, ReleasePlan] | None:
    found = published_survey(db.session, slug)
    if found is None or not may_see(db.session, current_user, found[0]):
        return None
    record, survey = found
    release = releases.latest(db.session, record.id)
    if release is None:
        return None
    plan = plan_release(
        SqlCountsSource(db.session, record.id), release, disclosure_policy().threshold
    )
    return record, survey, plan


def _comparable_waves(record: SurveyRecord, survey: Survey) -> list[tuple[str, str]]:
    """Waves of other surveys that share core questions with this one, asked alike."""
    options: list[tuple[str, str]] = []
    for other in db.session.scalars(
        select(SurveyRecord)
        .where(SurveyRecord.id != record.id, visible_to(current_user))
        .order_by(SurveyRecord.slug)
    ):
        found = _other_survey(other.slug)
        if found is None or not comparable_questions(survey, found[1]).core:
            continue
        options.extend(
            (f"{other.slug}/{g.key}", f"{found[1].title}: {g.label}")
            for g in _wave_groups(other, found[2])
        )
    return options


@bp.post("/<slug>/waves")
@require_role(*EDITORS)
def add_wave(slug: str) -> ResponseReturnValue:
    record, _definition = _survey(slug)
    plan = _plan(record)
    periods = plan.periods() if plan else ()
    form = WaveForm()
    form.first.choices = [(g.key, period_label(g)) for g in periods]
    form.last.choices = [(g.key, period_label(g)) for g in periods]
    problem = None if form.validate_on_submit() else form.errors
    if problem is None:
        first, last = (
            next(g for g in periods if g.key == key) for key in (form.first.data, form.last.data)
        )
        span = WaveSpan(
            0, form.name.data, first.selection.starts, last.selection.before - timedelta(days=1)
        )
        if last.selection.before <= (first.selection.starts or date.min):
            problem = {"last": ["The last period must not come before the first."]}
        elif plan is not None and len(wave_groups(plan, [*_spans(record), span])) <= len(
            _wave_groups(record, plan)
        ):
            problem = {"first": ["Waves cannot overlap: choose periods no other wave covers."]}
    if problem is not None:
        return render_template("dashboards/form_problem.html", record=record, errors=problem), 400
    audit.record(db.session, "wave added", f"{slug}: {form.name.data}")
    db.session.add(
        Wave(
            survey_id=record.id, name=form.name.data, starts_on=span.starts_on, ends_on=span.ends_on
        )
    )
    return redirect(url_for(".overview", slug=slug), 303)


def _spans(record: SurveyRecord) -> list[WaveSpan]:
    return [WaveSpan(w.id, w.name, w.starts_on, w.ends_on) for w in _waves(record)]


@bp.post("/<slug>/changes")
@require_role(*EDITORS)
def add_change_note(slug: str) -> ResponseReturnValue:
    """Record "You said, we did": shown to respondents on the survey's start page."""
    record, _definition = _survey(slug)
    form = ChangeNoteForm()
    if not form.validate_on_submit():
        return render_template(
            "dashboards/form_problem.html", record=record, errors=form.errors
        ), 400
    audit.record(db.session, "you said, we did added", slug)
    db.session.add(
        ChangeNote(
            survey_id=record.id,
            you_said=form.you_said.data.strip(),
            we_did=form.we_did.data.strip(),
            published_on=date.today(),
        )
    )
    return redirect(url_for(".overview", slug=slug), 303)


def _notes(record: SurveyRecord) -> list[ChangeNote]:
    return list(
        db.session.scalars(
            select(ChangeNote)
            .where(ChangeNote.survey_id == record.id)
            .order_by(ChangeNote.id.desc())
        )
    )
