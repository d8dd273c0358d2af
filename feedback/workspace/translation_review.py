"""A fluent speaker reviews a language's respondent text beside the English (ADR 0011)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from feedback.storage import audit
from feedback.storage.db import db
from feedback.storage.models import SurveyRecord
from feedback.storage.survey_access import visible_to
from feedback.storage.translation_reviews import (
    CHANGED,
    DRAFT,
    INTERFACE,
    REVIEWED,
    CorrectionRefused,
    NotYetReviewable,
    ReviewedMessage,
    accept,
    correct,
    find_message,
    glossary_terms,
    has_catalogue,
    language_state,
    mark_reviewed,
    register_notes,
    reviewed_messages,
    survey_catalogue_name,
)
from feedback.web.staff_access import REVIEWERS, require_role, survey_for_staff
from feedback.workspace.routes import bp

PAGE_SIZE = 25
STATES = (DRAFT, CHANGED, REVIEWED, "all")


def english_name(language: str) -> str:
    """A language's name in English, for staff pages (the native name is shown beside it)."""
    return Locale.parse(language).get_display_name("en") or language


def _reviewable(language: str) -> str:
    """`language` if it is offered and has a respondent catalogue, else 404."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if language == default or language not in current_app.config["LANGUAGES"]:
        abort(404)
    if not has_catalogue(language):
        abort(404)
    return language


@dataclass(frozen=True)
class Catalogue:
    """What is being reviewed: the respondent interface, or one survey's own text."""

    name: str
    survey: SurveyRecord | None = None


def _chosen_catalogue() -> Catalogue:
    """The survey named by `survey` (one the reviewer may see), else the interface."""
    slug = request.values.get("survey")
    if not slug:
        return Catalogue(INTERFACE)
    record, _survey = survey_for_staff(slug)
    return Catalogue(survey_catalogue_name(record.id), record)


def _visible_surveys() -> list[SurveyRecord]:
    return list(
        db.session.scalars(
            select(SurveyRecord).where(visible_to(current_user)).order_by(SurveyRecord.title)
        )
    )


def _chosen_state() -> str:
    state = request.values.get("state", DRAFT)
    return state if state in STATES else DRAFT


def _page_number(count: int) -> int:
    pages = max(1, -(-count // PAGE_SIZE))
    raw = request.values.get("page", "1")
    number = int(raw) if raw.isdigit() else 1
    return min(max(number, 1), pages)


@bp.get("/workspace/translations/<language>/review")
@require_role(*REVIEWERS)
def review_language(language: str) -> ResponseReturnValue:
    return _review_page(_reviewable(language))


def _review_page(
    language: str,
    errors: list[tuple[str, str, str]] | None = None,
    typed: Any = None,
    at: str | None = None,
) -> ResponseReturnValue:
    """A page of the review list; with `at`, the page holding that message (where a refused
    correction is shown again with what was typed)."""
    errors = errors or []
    state = _chosen_state()
    catalogue = _chosen_catalogue()
    messages = reviewed_messages(db.session, language, catalogue.name)
    counts = {name: sum(1 for m in messages if m.state == name) for name in STATES[:-1]}
    counts["all"] = len(messages)
    shown = [m for m in messages if state == "all" or m.state == state]
    keys = [m.key for m in shown]
    page = keys.index(at) // PAGE_SIZE + 1 if at in keys else _page_number(len(shown))
    rows = shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return render_template(
        "workspace/review_language.html",
        language=language,
        language_english=english_name(language),
        overall=language_state(db.session, language, catalogue.name),
        catalogue=catalogue,
        surveys=_visible_surveys(),
        counts=counts,
        state=state,
        page=page,
        pages=max(1, -(-len(shown) // PAGE_SIZE)),
        rows=[_row(message, language) for message in rows],
        registers=register_notes(language),
        errors=errors,
        typed=typed or {},
    ), 400 if errors else 200


def _row(message: ReviewedMessage, language: str) -> dict[str, Any]:
    return {
        "message": message,
        "terms": glossary_terms(message.shipped, language),
    }


@bp.post("/workspace/translations/<language>/review/<key>")
@require_role(*REVIEWERS)
def review_message(language: str, key: str) -> ResponseReturnValue:
    """Accept a message's translation as it is, or save a correction of it."""
    language = _reviewable(language)
    catalogue = _chosen_catalogue()
    message = find_message(db.session, language, key, catalogue.name)
    if message is None:
        abort(404)
    action = request.form.get("action")
    forms = request.form.getlist("translation")
    try:
        if action == "accept":
            accept(db.session, language, message, current_user.role, date.today(), catalogue.name)
            done = gettext("Accepted.")
        elif action == "correct":
            correct(
                db.session,
                language,
                message,
                forms,
                current_user.role,
                date.today(),
                catalogue.name,
            )
            done = gettext("Correction saved.")
        else:
            abort(400)
    except CorrectionRefused as refused:
        errors = [(f"m-{key}-0", "translation", problem) for problem in refused.problems]
        return _review_page(language, errors, {key: forms}, at=key)
    where = catalogue.survey.slug if catalogue.survey else "interface"
    audit.record(
        db.session, f"translation {action}ed", f"{language} {where}: {message.english[0][:80]}"
    )
    flash(done)
    return _back_to_list(language, key)


def _back_to_list(language: str, key: str) -> ResponseReturnValue:
    """The same list and page, at the next message, so a keyboard carries straight on."""
    state = _chosen_state()
    catalogue = _chosen_catalogue()
    messages = reviewed_messages(db.session, language, catalogue.name)
    keys = [m.key for m in messages if state == "all" or m.state == state]
    order = [m.key for m in messages]
    after = order[order.index(key) + 1 :] if key in order else []
    following = next((k for k in after if k in keys), None)
    page = (keys.index(following) // PAGE_SIZE + 1) if following else _page_number(len(keys))
    return redirect(
        url_for(
            ".review_language",
            language=language,
            survey=catalogue.survey.slug if catalogue.survey else None,
            state=state,
            page=page,
            _anchor=f"m-{following}" if following else "mark-reviewed",
        ),
        303,
    )


@bp.post("/workspace/translations/<language>/reviewed")
@require_role(*REVIEWERS)
def mark_language_reviewed(language: str) -> ResponseReturnValue:
    language = _reviewable(language)
    catalogue = _chosen_catalogue()
    try:
        mark_reviewed(db.session, language, current_user.role, date.today(), catalogue.name)
    except NotYetReviewable:
        drafts = language_state(db.session, language, catalogue.name).drafts
        message = gettext(
            "%(language)s cannot be marked reviewed yet: %(count)s messages are still draft.",
            language=english_name(language),
            count=drafts,
        )
        return _review_page(language, [("draft-list", "reviewed", message)])
    slug = catalogue.survey.slug if catalogue.survey else None
    audit.record(db.session, "translation marked reviewed", f"{language} {slug or 'interface'}")
    flash(gettext("%(language)s marked reviewed.", language=english_name(language)))
    return redirect(
        url_for(".review_language", language=language, survey=slug, state=REVIEWED), 303
    )
