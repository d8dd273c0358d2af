"""The preview: each page of a survey as a phone shows it, in any language the service offers.

The page itself is a staff page; each survey page is drawn in a frame 360 pixels wide (a
small phone), from a page of its own, so the layout is the one a phone's screen width
gives, not a shrunken desktop page. Language and page are chosen with plain links, so it
works without JavaScript. Nothing in the frame can be sent or followed: the controls are
inert and the frame has no Exit, help or language links that would leave the workspace.
"""

from __future__ import annotations

from flask import abort, current_app, g, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from feedback.storage.db import db
from feedback.storage.survey_translations import localised
from feedback.storage.survey_versions import latest_version
from feedback.web.locale import audience_context
from feedback.web.security import CONTENT_SECURITY_POLICY
from feedback.web.staff_access import EDITORS, require_role, survey_for_staff
from feedback.workspace.routes import bp
from surveys import Survey

START = "start"
PHONE_WIDTH = 360
PHONE_HEIGHT = 740
# The frame may be shown inside the workspace's own pages, and nowhere else.
FRAME_POLICY = "frame-ancestors 'self'"


def _pages(survey: Survey) -> list[str]:
    """What can be previewed, in order: the start page, then every page of questions."""
    return [START, *(page.id for page in survey.pages)]


def _chosen_language() -> str:
    language = request.args.get("language") or request.args.get("lang") or ""
    languages = current_app.config["LANGUAGES"]
    return language if language in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.get("/workspace/surveys/<slug>/preview")
@require_role(*EDITORS)
def preview(slug: str) -> ResponseReturnValue:
    """One page of the survey at a phone's width, with links to every page and language."""
    record, survey = survey_for_staff(slug)
    pages = _pages(survey)
    page_id = request.args.get("page", START)
    if page_id not in pages:
        abort(404)
    language = _chosen_language()
    index = pages.index(page_id)

    def address(page: str = page_id, language: str = language) -> str:
        return url_for(".preview", slug=slug, page=page, language=language)

    return render_template(
        "workspace/preview.html",
        record=record,
        survey=survey,
        pages=pages,
        page_id=page_id,
        index=index,
        language=language,
        languages=current_app.config["LANGUAGES"],
        address=address,
        previous=address(page=pages[index - 1]) if index > 0 else "",
        following=address(page=pages[index + 1]) if index + 1 < len(pages) else "",
        frame_url=url_for(".preview_frame", slug=slug, page=page_id, lang=language),
        width=PHONE_WIDTH,
        height=PHONE_HEIGHT,
    )


@bp.get("/workspace/surveys/<slug>/preview/frame")
@require_role(*EDITORS)
def preview_frame(slug: str) -> ResponseReturnValue:
    """One survey page as respondents see it, in the language asked for (?lang=)."""
    record, survey = survey_for_staff(slug)
    page_id = request.args.get("page", START)
    if page_id not in _pages(survey):
        abort(404)
    version = latest_version(db.session, record.id)
    if version is None:
        abort(404)
    language = _chosen_language()
    shown = localised(
        db.session,
        record.id,
        version.content_hash,
        survey,
        language,
        current_app.config["BABEL_DEFAULT_LOCALE"],
    )
    # The survey's own audience decides the voice, as on a link to it.
    g.audience = audience_context(survey.audience)
    page = shown.page(page_id)
    body = render_template(
        "workspace/preview_frame.html",
        survey=shown,
        page=page,
        page_number=_pages(survey).index(page_id),
        page_count=len(survey.pages),
    )
    response = Response(body, mimetype="text/html")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", FRAME_POLICY
    )
    return response
