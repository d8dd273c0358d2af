"""Surveys in the workspace: start from the bank or a file, publish, open and close, links."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from feedback.storage import audit
from feedback.storage.access_codes import generate_codes
from feedback.storage.db import db
from feedback.storage.models import Link, SurveyRecord, SurveyVersion, User
from feedback.storage.survey_access import access_of, may_see, teams_with_members
from feedback.storage.survey_translations import (
    TranslationRefused,
    export_translation,
    import_translation,
    load_shipped_translations,
    localised,
)
from feedback.storage.survey_versions import (
    create_link,
    make_easy_read_link,
    store_new_survey,
    store_survey,
    surveys_made_from,
)
from feedback.web.link_addresses import public_link_url
from feedback.web.staff_access import (
    EDITORS,
    latest_version_or_404,
    require_role,
    survey_for_staff,
)
from feedback.workspace.library import library_by_id, library_questions
from feedback.workspace.link_labels import band_label, status_label
from feedback.workspace.links import bands_for, date_errors, survey_links
from feedback.workspace.routes import bp, qr_svg
from surveys import (
    Survey,
    SurveyDefinitionError,
    bank_files,
    load_survey,
    parse_survey,
)
from surveys.checks import PublishWarning, any_risk, publication_warnings
from surveys.library import STARTER_TEXTS, assemble_survey, survey_id_for
from surveys.loader import DefinitionProblem
from surveys.nations import bank_survey_for_nation
from surveys.uploads import read_uploaded_survey

MAX_UPLOAD_BYTES = 1_000_000
AUDIENCES = ("young_people", "parents", "mixed")


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-to-publish")


@bp.get("/workspace/surveys/new")
@require_role(*EDITORS)
def new_survey() -> ResponseReturnValue:
    return _new_survey_page()


def _new_survey_page(
    problems: list[DefinitionProblem] | None = None,
    errors: list[tuple[str, str, str]] | None = None,
) -> str:
    bank = [(path.stem, load_survey(path)) for path in bank_files()]
    return render_template(
        "workspace/new_survey.html",
        bank=bank,
        problems=problems or [],
        errors=errors or [],
        library=library_questions(),
    )


@bp.post("/workspace/surveys/from-library")
@require_role(*EDITORS)
def survey_from_library() -> ResponseReturnValue:
    """A new survey assembled from library questions, with starting texts to change later."""
    form = request.form
    title = " ".join(form.get("title", "").split())
    audience = form.get("audience", "")
    chosen = form.getlist("question")
    errors = _library_form_errors(title, audience, chosen)
    if errors:
        return _new_survey_page(errors=errors), 400
    intro, privacy = STARTER_TEXTS[audience]
    taken = db.session.scalars(select(SurveyRecord.slug))
    definition = assemble_survey(
        library_questions(),
        chosen,
        survey_id=survey_id_for(title, taken),
        title=title,
        audience=audience,
        intro=intro,
        privacy=privacy,
    )
    return _publish_or_warn(parse_survey(definition), definition)


def _library_form_errors(
    title: str, audience: str, chosen: list[str]
) -> list[tuple[str, str, str]]:
    errors = []
    if not title or len(title) > 200:
        errors.append(("title", "title", gettext("Enter a title of up to 200 characters")))
    if audience not in STARTER_TEXTS:
        errors.append(
            ("audience-young_people", "audience", gettext("Choose who the survey is for"))
        )
    if not chosen:
        errors.append(("question-list", "question", gettext("Choose at least one question")))
    for question_id in chosen:
        item = library_by_id().get(question_id)
        if item is None:
            errors.append(("question-list", "question", gettext("Choose questions from the list")))
        elif audience in STARTER_TEXTS and audience not in item.audiences:
            errors.append(
                (
                    f"question-{question_id}",
                    "question",
                    gettext(
                        "“%(question)s” is written for %(audiences)s: untick it "
                        "or choose another question",
                        question=item.question.text,
                        audiences=" and ".join(a.replace("_", " ") for a in item.audiences),
                    ),
                )
            )
    return errors


@bp.post("/workspace/surveys/from-bank")
@require_role(*EDITORS)
def survey_from_bank() -> ResponseReturnValue:
    """A survey of the team's own, made from a bank survey: a template, never overwritten.

    When the team already has one made from it, they are asked first: open theirs, or
    make another copy.
    """
    name = request.form.get("name", "")
    path = {path.stem: path for path in bank_files()}.get(name)
    if path is None:
        abort(404)
    bank_survey, definition = bank_survey_for_nation(path, current_app.config["NATION"])
    yours = [
        record
        for record in surveys_made_from(db.session, name)
        if may_see(db.session, current_user, record)
    ]
    if yours and request.form.get("copy") != "yes":
        return render_template(
            "workspace/bank_survey_made.html", name=name, bank_survey=bank_survey, yours=yours
        )
    return _publish_or_warn(bank_survey, definition, made_from=name)


@bp.post("/workspace/surveys/upload")
@require_role(*EDITORS)
def upload_survey() -> ResponseReturnValue:
    upload = request.files.get("file")
    data = upload.read(MAX_UPLOAD_BYTES + 1) if upload else b""
    name = Path(upload.filename or "upload").name if upload else "upload"
    if upload:
        upload.close()  # large uploads are spooled to a temporary file
    try:
        if not data:
            raise SurveyDefinitionError([_problem(name, "choose a file to upload")])
        if len(data) > MAX_UPLOAD_BYTES:
            raise SurveyDefinitionError([_problem(name, "the file is larger than 1 MB")])
        # In a separate process, bounded in size, shape and time: see surveys.uploads.
        uploaded = read_uploaded_survey(data, name)
    except SurveyDefinitionError as problem:
        return _new_survey_page(problem.problems), 400
    return _publish_or_warn(uploaded.survey, uploaded.definition)


def _problem(source: str, message: str) -> DefinitionProblem:
    return DefinitionProblem(source, "file", message)


@bp.post("/workspace/surveys/confirm")
@require_role(*EDITORS)
def confirm_survey() -> ResponseReturnValue:
    """Publish after the warnings were read and acknowledged."""
    try:
        signed = _signer().loads(request.form.get("definition", ""))
    except BadSignature:
        abort(400)
    definition, made_from = signed["definition"], signed.get("made_from")
    survey = parse_survey(definition)
    warnings = publication_warnings(survey, current_app.config["DISCLOSURE_THRESHOLD"])
    if any_risk(warnings) and request.form.get("acknowledged") != "yes":
        return _warnings_page(
            survey, definition, warnings, made_from=made_from, missing_acknowledgement=True
        ), 400
    return _publish(survey, definition, made_from)


def _publish_or_warn(
    survey: Survey, definition: dict, made_from: str | None = None
) -> ResponseReturnValue:
    """Publish, or first list the warnings to acknowledge. A survey made from the bank
    (`made_from`) is always a new survey of its own, under a free id."""
    if made_from is None and _taken_by_a_limited_survey(survey.id):
        return _taken_page(survey.id)
    warnings = publication_warnings(survey, current_app.config["DISCLOSURE_THRESHOLD"])
    if warnings:
        return _warnings_page(survey, definition, warnings=warnings, made_from=made_from)
    return _publish(survey, definition, made_from)


def _warnings_page(
    survey: Survey,
    definition: dict,
    warnings: list[PublishWarning] | None = None,
    made_from: str | None = None,
    missing_acknowledgement: bool = False,
) -> str:
    warnings = warnings or publication_warnings(survey, current_app.config["DISCLOSURE_THRESHOLD"])
    to_publish = {"definition": json.loads(json.dumps(definition)), "made_from": made_from}
    return render_template(
        "workspace/survey_warnings.html",
        survey=survey,
        warnings=warnings,
        signed=_signer().dumps(to_publish),
        missing_acknowledgement=missing_acknowledgement,
    )


def _taken_by_a_limited_survey(slug: str) -> bool:
    """A new version may not be slipped into a survey limited to other teams."""
    record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == slug))
    return record is not None and not may_see(db.session, current_user, record)


def _taken_page(slug: str) -> ResponseReturnValue:
    problem = _problem(
        slug,
        "a survey with this id already exists and is limited to other "
        "teams: give yours a different id",
    )
    return _new_survey_page([problem]), 409


def _publish(survey: Survey, definition: dict, made_from: str | None = None) -> ResponseReturnValue:
    if made_from is not None:
        result = store_new_survey(db.session, survey, definition, date.today(), made_from)
    elif _taken_by_a_limited_survey(survey.id):
        return _taken_page(survey.id)
    else:
        result = store_survey(db.session, survey, definition, date.today())
    # Found by the bank survey's own id, so a copy under a new id gets them too.
    load_shipped_translations(db.session, result.version.survey_id, survey)
    slug = result.version.survey.slug
    if result.created:
        detail = f"{slug} version {result.version.number}"
        if made_from is not None:
            detail += f", made from the bank survey {made_from}"
        audit.record(db.session, "survey published", detail)
    return redirect(url_for(".survey_detail", slug=slug, published=result.version.number), 303)


_record = survey_for_staff


@bp.get("/workspace/surveys/<slug>")
@require_role(*EDITORS)
def survey_detail(slug: str) -> ResponseReturnValue:
    return survey_page(slug)


def survey_page(slug: str, errors: list[tuple[str, str, str]] | None = None) -> str:
    """The survey's page: state, versions, who can see it, links (with any form errors)."""
    record, survey = _record(slug)
    links, test_link = survey_links(record)
    versions = db.session.scalars(
        select(SurveyVersion)
        .where(SurveyVersion.survey_id == record.id)
        .order_by(SurveyVersion.number.desc())
    ).all()
    return render_template(
        "workspace/survey.html",
        record=record,
        survey=survey,
        links=links,
        test_link=test_link,
        bands=bands_for(record, links),
        band_label=band_label,
        status_of=lambda link: status_label(link, date.today()),
        version=versions[0],
        versions=versions,
        errors=errors or [],
        published=request.args.get("published"),
        unchanged=request.args.get("unchanged"),
        languages=current_app.config["LANGUAGES"],
        access=access_of(db.session, record.id),
        teams=teams_with_members(db.session),
        people=db.session.scalars(select(User).where(User.is_active).order_by(User.email)).all(),
    )


@bp.post("/workspace/surveys/<slug>/state")
@require_role(*EDITORS)
def survey_state(slug: str) -> ResponseReturnValue:
    record, _survey = _record(slug)
    record.is_open = request.form.get("open") == "yes"
    audit.record(db.session, "survey opened" if record.is_open else "survey closed", slug)
    return redirect(url_for(".survey_detail", slug=slug), 303)


@bp.post("/workspace/surveys/<slug>/links")
@require_role(*EDITORS)
def add_link(slug: str) -> ResponseReturnValue:
    record, survey = _record(slug)
    form = request.form
    errors = _link_errors(form)
    if errors:
        return survey_page(slug, errors), 400
    link = create_link(
        db.session,
        record,
        channel=form["channel"].strip(),
        audience=form["audience"],
        language=form.get("language") or None,
        opens_on=_day(form.get("opens_on")),
        closes_on=_day(form.get("closes_on")),
    )
    link.kiosk = form.get("kiosk") == "yes"
    link.age_band = (form.get("age_band") or "").strip()[:20] or None
    codes = (
        generate_codes(db.session, link, int(form.get("codes") or 0)) if form.get("codes") else []
    )
    audit.record(db.session, "link created", f"{slug}: {link.channel}")
    easy_read = make_easy_read_link(db.session, link, survey)
    if easy_read is not None:
        audit.record(db.session, "link created", f"{survey.easy_read_version}: {link.channel}")
    return render_template(
        "workspace/link_created.html", record=record, link=link, codes=codes, easy_read=easy_read
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _link_errors(form: MultiDict[str, str]) -> list[tuple[str, str, str]]:
    errors = []
    channel = (form.get("channel") or "").strip()
    if not channel or len(channel) > 120:
        errors.append(
            (
                "channel",
                "channel",
                "Say who the link is for and how it is sent, in up to 120 characters",
            )
        )
    if form.get("audience") not in AUDIENCES:
        errors.append(("audience", "audience", "Choose who the link is for"))
    language = form.get("language")
    if language and language not in current_app.config["LANGUAGES"]:
        errors.append(("language", "language", "Choose one of the offered languages"))
    codes = form.get("codes") or "0"
    if not re.fullmatch(r"[0-9]{1,4}", codes) or int(codes) > 2000:
        errors.append(("codes", "codes", "Enter a number of codes from 0 to 2000"))
    errors.extend(date_errors(form, date.today()))
    return errors


@bp.get("/workspace/links/<code>/poster")
@require_role(*EDITORS)
def poster(code: str) -> ResponseReturnValue:
    """A printable A4 poster for a link, in any offered language, with its QR code."""
    link = db.session.scalar(select(Link).where(Link.code == code))
    if link is None:
        abort(404)
    record, survey = _record(link.survey.slug)
    version = latest_version_or_404(record)
    language = request.args.get("lang", link.language or "en")
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    survey = localised(db.session, record.id, version.content_hash, survey, language)
    return render_template(
        "workspace/poster.html",
        link=link,
        survey=survey,
        language=language,
        url=public_link_url(link),
        qr=Markup(qr_svg(public_link_url(link), link.channel)),  # noqa: S704 - segno's SVG
    )


@bp.get("/workspace/surveys/<slug>/translations/<language>.po")
@require_role(*EDITORS)
def export_survey_translation(slug: str, language: str) -> ResponseReturnValue:
    """A survey's .po for one language, for a translator's Poedit or Weblate."""
    record, survey = _record(slug)
    if language not in current_app.config["LANGUAGES"] or language == "en":
        abort(404)
    response = Response(
        export_translation(db.session, record.id, survey, language),
        mimetype="text/x-gettext-translation",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-{language}.po"'
    return response


@bp.post("/workspace/surveys/<slug>/translations")
@require_role(*EDITORS)
def import_survey_translation(slug: str) -> ResponseReturnValue:
    """Check and store a translator's .po; on any problem the previous one is kept."""
    record, survey = _record(slug)
    language = request.form.get("language", "")
    upload = request.files.get("file")
    raw = upload.read(MAX_UPLOAD_BYTES + 1) if upload else b""
    if upload:
        upload.close()
    try:
        if not raw or len(raw) > MAX_UPLOAD_BYTES:
            raise TranslationRefused(["choose a .po file of at most 1 MB"])
        import_translation(
            db.session,
            record.id,
            survey,
            language,
            raw,
            current_app.config["LANGUAGES"],
            date.today(),
        )
    except TranslationRefused as refused:
        return render_template(
            "workspace/translation_refused.html", record=record, problems=refused.problems
        ), 400
    audit.record(db.session, "translation imported", f"{slug}: {language}")
    return redirect(url_for(".translation_status", imported=f"{slug}:{language}"), 303)
