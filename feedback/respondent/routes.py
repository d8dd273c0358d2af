"""Respondent pages: anonymous, no login, server-rendered, complete without JavaScript.

Start page -> one page at a time -> check your answers -> submit -> confirmation.
Answers travel only in POST bodies, never in URLs.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from werkzeug.wrappers import Response as WerkzeugResponse

from feedback.respondent.cache import respondent_cache
from feedback.respondent.lookup import FoundLink, easy_read_link, find_link, recent_notes
from feedback.respondent.messages import problem_message
from feedback.respondent.presenters import answer_summary, field_id, form_values
from feedback.storage import responses
from feedback.storage.access_codes import usable_code
from feedback.storage.db import db
from feedback.storage.models import Link
from feedback.storage.responses import LiveDraft, Submitted
from feedback.storage.survey_translations import contains_fallback, localised
from feedback.storage.survey_versions import LinkState
from feedback.web.limits import limiter, respondent_limit
from feedback.web.locale import say
from surveys.answers import read_page
from surveys.conditions import visible_pages, visible_questions
from surveys.model import Page, Question, Survey

bp = Blueprint("respondent", __name__)


@bp.after_request
def never_cache(response: WerkzeugResponse) -> WerkzeugResponse:
    # Shared and watched phones: the back button or history must not replay answers.
    response.headers["Cache-Control"] = "no-store"
    return response


def _lifetime() -> timedelta:
    return timedelta(minutes=current_app.config["DRAFT_LIFETIME_MINUTES"])


def _open_link(code: str) -> tuple[Link, Survey]:
    """The link and its survey's current version, or a friendly page explaining why not."""
    found = find_link(db.session, code, date.today())
    link, state = found.link, found.state
    if link is not None:
        g.link = link
        g.link_language = link.language
    if state is LinkState.UNKNOWN or link is None:
        abort(make_response(render_template("respondent/link_unknown.html"), 404))
    if state is not LinkState.OPEN:
        page = render_template("respondent/link_closed.html", state=state.value, link=link)
        gone = state in (LinkState.CLOSED, LinkState.EXPIRED)
        abort(make_response(page, 410 if gone else 403))
    if found.version is None:
        abort(make_response(render_template("respondent/link_unknown.html"), 404))
    g.survey_version = found.version
    return link, _localised_survey(found)


def _localised_survey(found: FoundLink) -> Survey:
    """The survey in the page's language; its organisation is the one the page speaks for."""
    assert found.link is not None and found.version is not None and found.survey is not None
    g.survey_organisation = found.survey.organisation
    language = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if language == default:
        return found.survey
    survey_id, content_hash, survey = found.link.survey_id, found.version.content_hash, found.survey
    return respondent_cache().get(
        ("localised", survey_id, content_hash, language),
        lambda: localised(db.session, survey_id, content_hash, survey, language, default),
    )


def _draft_or_ended(link: Link) -> LiveDraft:
    draft = responses.find_draft(db.session, session.get("draft"), link)
    if draft is None:
        abort(make_response(render_template("respondent/session_ended.html", code=link.code), 410))
    return draft


@bp.get("/s/<code>")
def start(code: str) -> ResponseReturnValue:
    link, survey = _open_link(code)
    has_draft = responses.find_draft(db.session, session.get("draft"), link) is not None
    return _render_start(link, survey, has_draft, errors=[])


def _render_start(
    link: Link, survey: Survey, has_draft: bool, errors: list[tuple[str, str, str]]
) -> str:
    notes = recent_notes(db.session, link.survey_id)
    return render_template(
        "respondent/start.html",
        survey=survey,
        link=link,
        has_draft=has_draft,
        errors=errors,
        notes=notes,
        easy_read=easy_read_link(db.session, link, survey, date.today()),
        has_fallback=contains_fallback(survey.title, survey.intro, survey.privacy),
        error_by_key={key: msg for _id, key, msg in errors},
    )


@bp.post("/s/<code>/start")
@limiter.limit(respondent_limit)
def begin(code: str) -> ResponseReturnValue:
    link, survey = _open_link(code)
    draft = responses.find_draft(db.session, session.get("draft"), link)
    if draft is None:
        code_hash = None
        if link.requires_code:
            code_hash = usable_code(db.session, link, request.form.get("access_code", ""))
            if code_hash is None:
                message = say("Enter the code from your card. Each code works once.")
                errors = [("access_code", "access_code", message)]
                return _render_start(link, survey, False, errors), 400
        responses.discard_draft(db.session, session.get("draft"))
        session["draft"] = responses.start_draft(
            db.session, link, g.survey_version, _lifetime(), access_code_hash=code_hash
        )
    if not session.get("exit_explained"):
        return redirect(url_for(".about_exit", code=code), 303)
    return redirect(_first_page_url(link, survey, draft.answers if draft else {}), 303)


def _first_page_url(link: Link, survey: Survey, answers: dict[str, Any]) -> str:
    first = visible_pages(survey, answers)[0]
    return url_for(".question_page", code=link.code, page_id=first.id)


@bp.get("/s/<code>/before-you-start")
def about_exit(code: str) -> ResponseReturnValue:
    """The one-time explanation of Exit this page, before the first question."""
    link, survey = _open_link(code)
    draft = _draft_or_ended(link)
    session["exit_explained"] = True
    return render_template(
        "respondent/about_exit.html",
        link=link,
        survey=survey,
        next_url=_first_page_url(link, survey, draft.answers),
    )


@bp.route("/s/<code>/q/<page_id>", methods=["GET", "POST"])
def question_page(code: str, page_id: str) -> ResponseReturnValue:
    link, survey = _open_link(code)
    draft = _draft_or_ended(link)
    pages = visible_pages(survey, draft.answers)
    page = survey.page(page_id)
    if page is None or page not in pages:
        # A hidden or unknown page: go to the first page instead of showing it.
        return redirect(url_for(".question_page", code=code, page_id=pages[0].id), 303)
    questions = visible_questions(page, draft.answers)
    if request.method == "GET":
        values = form_values(questions, draft.answers)
        return _render_page(link, survey, page, pages, questions, values, [])
    result = read_page(questions, request.form.to_dict(flat=False))
    if not result.ok:
        errors = [
            (field_id(p.field, questions), p.field, problem_message(p, questions))
            for p in result.problems
        ]
        submitted = {k: request.form.getlist(k) for k in request.form}
        return _render_page(link, survey, page, pages, questions, submitted, errors), 400
    responses.save_page(db.session, draft, survey, page, result.answers, _lifetime())
    return redirect(_next_url(code, survey, page, draft.answers), 303)


def _next_url(code: str, survey: Survey, page: Page, answers: dict[str, Any]) -> str:
    pages = visible_pages(survey, answers)
    order = [p.id for p in survey.pages]
    later = [p for p in pages if order.index(p.id) > order.index(page.id)]
    if request.args.get("from") == "check" or not later:
        return url_for(".check_answers", code=code)
    return url_for(".question_page", code=code, page_id=later[0].id)


def _render_page(
    link: Link,
    survey: Survey,
    page: Page,
    pages: tuple[Page, ...],
    questions: tuple[Question, ...],
    values: dict[str, Any],
    errors: list[tuple[str, str, str]],
) -> str:
    index = pages.index(page)
    back_url = (
        url_for(".question_page", code=link.code, page_id=pages[index - 1].id)
        if index > 0
        else url_for(".start", code=link.code)
    )
    return render_template(
        "respondent/question_page.html",
        link=link,
        survey=survey,
        page=page,
        questions=questions,
        has_fallback=contains_fallback(page.title, questions),
        values=values,
        errors=errors,
        error_by_key={key: msg for _id, key, msg in errors},
        back_url=back_url,
        **_progress(survey, page),
        from_check=request.args.get("from") == "check",
    )


def _progress(survey: Survey, page: Page) -> dict[str, int]:
    """ "Page n of N" over every page the survey has, shown or not: a page that show_if
    brings in or leaves out changes neither number, so progress only moves forward."""
    order = [p.id for p in survey.pages]
    return {"page_number": order.index(page.id) + 1, "page_count": len(order)}


@bp.get("/s/<code>/check")
def check_answers(code: str) -> ResponseReturnValue:
    link, survey = _open_link(code)
    draft = _draft_or_ended(link)
    summary = answer_summary(survey, draft.answers)
    return render_template(
        "respondent/check_answers.html",
        survey=survey,
        link=link,
        summary=summary,
        has_fallback=contains_fallback(summary),
    )


@bp.post("/s/<code>/submit")
@limiter.limit(respondent_limit)
def submit(code: str) -> ResponseReturnValue:
    link, survey = _open_link(code)
    language = str(get_locale() or "en")
    outcome = responses.submit(
        db.session, session.get("draft"), link, survey, language=language, today=date.today()
    )
    if outcome in (Submitted.STORED, Submitted.DISCARDED):
        # Nothing about the visit stays on the device: the cookie goes with the session.
        # The language travels in the address of the thank-you page instead.
        session.clear()
        return redirect(url_for(".done", code=code, lang=language), 303)
    if outcome is Submitted.CODE_USED:
        # Rolled back by the request boundary: the draft and its answers stay.
        return render_template("respondent/code_used.html", link=link), 409
    return render_template("respondent/session_ended.html", code=code), 410


@bp.get("/s/<code>/done")
def done(code: str) -> ResponseReturnValue:
    """The thank-you page. It shows nothing about anyone's answers, so it needs no session."""
    link, survey = _open_link(code)
    return render_template("respondent/done.html", survey=survey, link=link)


@bp.get("/exit")
def quick_exit() -> ResponseReturnValue:
    """Exit this page: drop the draft and the session, then show a neutral site."""
    return _forget_visit(current_app.config["EXIT_URL"])


@bp.get("/s/<code>/reset")
def kiosk_reset(code: str) -> ResponseReturnValue:
    """A shared tablet going back to the start for the next person, leaving nothing behind."""
    return _forget_visit(url_for(".start", code=code))


def _forget_visit(destination: str) -> WerkzeugResponse:
    db.start_writing()
    responses.discard_draft(db.session, session.get("draft"))
    session.clear()
    response = redirect(destination, 303)
    response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    return response


@bp.get("/")
def home() -> ResponseReturnValue:
    return render_template("respondent/home.html")


@bp.get("/help")
def get_help() -> ResponseReturnValue:
    return render_template("respondent/help.html", back_url=None)


_PAGE_ID = re.compile(r"[\w-]{1,64}")


@bp.get("/s/<code>/help")
def link_help(code: str) -> ResponseReturnValue:
    """Help for the people a link was sent to: in their voice, with a way back to the page
    they left (?page=), or to the start. Help stays open when the link is closed."""
    found = find_link(db.session, code, date.today())
    state, link = found.state, found.link
    if link is None:
        return redirect(url_for(".get_help"), 303)
    g.link, g.link_language = link, link.language
    if found.survey is not None:
        g.survey_organisation = found.survey.organisation
    back_url = None
    if state is LinkState.OPEN:
        page_id = request.args.get("page", "")
        back_url = (
            url_for(".question_page", code=link.code, page_id=page_id)
            if _PAGE_ID.fullmatch(page_id)
            else url_for(".start", code=link.code)
        )
    return render_template("respondent/help.html", back_url=back_url)


PRIVACY_AUDIENCES = ("young-people", "parents")


@bp.get("/privacy", defaults={"audience": "young-people"})
@bp.get("/privacy/<audience>")
def privacy(audience: str) -> ResponseReturnValue:
    """The short notice: what happens to answers, in a few plain sentences."""
    return _privacy_page(audience, "privacy_" + audience.replace("-", "_"), survey=None)


@bp.get("/privacy/<audience>/full")
def privacy_full(audience: str) -> ResponseReturnValue:
    """The full notice (UK GDPR Article 13), for the service as a whole."""
    return _privacy_page(audience, "privacy_full", survey=None)


@bp.get("/s/<code>/privacy/<audience>")
def survey_privacy(code: str, audience: str) -> ResponseReturnValue:
    """The short notice for one survey: who runs it, and how long its answers are kept.
    Like help, it stays open when the link is closed."""
    survey = _survey_for_notice(code)
    return _privacy_page(audience, "privacy_" + audience.replace("-", "_"), survey=survey)


@bp.get("/s/<code>/privacy/<audience>/full")
def survey_privacy_full(code: str, audience: str) -> ResponseReturnValue:
    """The full notice for one survey."""
    return _privacy_page(audience, "privacy_full", survey=_survey_for_notice(code))


def _survey_for_notice(code: str) -> Survey:
    """The survey a link belongs to, open or not (its notice must stay readable)."""
    found = find_link(db.session, code, date.today())
    if found.link is None or found.version is None:
        abort(make_response(render_template("respondent/link_unknown.html"), 404))
    g.link, g.link_language = found.link, found.link.language
    return _localised_survey(found)


def _privacy_page(audience: str, template: str, survey: Survey | None) -> ResponseReturnValue:
    if audience not in PRIVACY_AUDIENCES:
        abort(404)
    g.audience = audience.replace("-", "_")  # the page speaks to its own audience throughout
    other = next(a for a in PRIVACY_AUDIENCES if a != audience)
    return render_template(
        f"respondent/{template}.html", audience=audience, other_audience=other, survey=survey
    )


@bp.get("/accessibility")
def accessibility() -> ResponseReturnValue:
    """The accessibility statement, in the GOV.UK model format."""
    return render_template("respondent/accessibility.html")


@bp.get("/s/<code>/accessibility")
def survey_accessibility(code: str) -> ResponseReturnValue:
    """The same statement, reached from a survey: in its language, with a way back."""
    found = find_link(db.session, code, date.today())
    state, link = found.state, found.link
    if link is None:
        return redirect(url_for(".accessibility"), 303)
    g.link, g.link_language = link, link.language
    back_url = url_for(".start", code=link.code) if state is LinkState.OPEN else None
    return render_template("respondent/accessibility.html", back_url=back_url)
