"""Editing a survey in the browser: wording, order, questions from the library, show_if.

Nothing is stored until "Publish": the survey being edited travels with the form
(signed, so it comes back as it was sent), together with the number of the version
the edit started from. Publishing makes a new immutable version. If someone else
published in the meantime, the later save is refused and told so, with both sets
of changes shown and nothing of theirs lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale
from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from feedback.storage import audit
from feedback.storage.db import db
from feedback.storage.models import SurveyRecord, SurveyTranslation, SurveyVersion
from feedback.storage.survey_versions import store_survey, survey_of
from feedback.web.staff_access import (
    EDITORS,
    latest_version_or_404,
    require_role,
    survey_for_staff,
)
from feedback.workspace.library import library_by_id, library_questions
from feedback.workspace.routes import bp
from surveys import Survey, SurveyDefinitionError, parse_survey
from surveys.checks import any_risk, publication_warnings
from surveys.core import core_changes
from surveys.definition import survey_to_definition
from surveys.diff import MATRIX_SCALE_NAMES, TYPE_NAMES, Change, diff_surveys
from surveys.editing import (
    ConditionChoice,
    EditProblem,
    add_question,
    apply_fields,
    condition_choices,
    describe_rule,
    encode_condition,
    merge_edits,
    move_page,
    question_ids,
    remove_question,
)
from surveys.library import question_to_dict
from surveys.loader import DefinitionProblem
from surveys.own_questions import (
    OWN_QUESTION_TYPES,
    History,
    NewQuestion,
    add_item,
    editable_items,
    move_item,
    new_question,
    remove_item,
)
from surveys.rewording import CHOICES as REWORDING_CHOICES
from surveys.rewording import reworded_questions

Errors = list[tuple[str, str, str]]


@dataclass
class Edit:
    """A survey being edited: the definition so far, and the version it started from."""

    record: SurveyRecord
    base: int
    definition: dict[str, Any]

    @property
    def slug(self) -> str:
        return self.record.slug

    def signed(self) -> str:
        return _signer().dumps({"base": self.base, "definition": self.definition})


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-edit")


def _edit_from_form(record: SurveyRecord) -> Edit:
    """The edit the form carries; refused unless it is this survey's, unaltered."""
    try:
        state = _signer().loads(request.form.get("edit", ""))
    except BadSignature:
        abort(400)
    if state["definition"].get("id") != record.slug:
        abort(400)  # signed for another survey: the id is not editable
    return Edit(record, int(state["base"]), state["definition"])


def _version(record: SurveyRecord, number: int) -> SurveyVersion:
    version = db.session.scalar(
        select(SurveyVersion).where(
            SurveyVersion.survey_id == record.id, SurveyVersion.number == number
        )
    )
    if version is None:
        abort(404)
    return version


@bp.get("/workspace/surveys/<slug>/edit")
@require_role(*EDITORS)
def edit_survey(slug: str) -> ResponseReturnValue:
    record, survey = survey_for_staff(slug)
    base = latest_version_or_404(record)
    return _edit_page(Edit(record, base.number, survey_to_definition(survey)))


@bp.post("/workspace/surveys/<slug>/edit")
@require_role(*EDITORS)
def change_survey(slug: str) -> ResponseReturnValue:
    """Apply what was typed, then the button pressed: move, remove, add, or check and review."""
    record, _survey = survey_for_staff(slug)
    edit = _edit_from_form(record)
    edit.definition = apply_fields(edit.definition, request.form)
    action, _, target = request.form.get("action", "").partition(":")
    try:
        if action in ("up", "down"):
            edit.definition = move_page(edit.definition, target, -1 if action == "up" else 1)
        elif action == "remove":
            edit.definition = remove_question(edit.definition, target)
        elif action == "add":
            edit.definition = add_question(
                edit.definition, _library_question(request.form.get("library_question", ""))
            )
        elif action == "own":
            question = new_question(edit.definition, _new_question_from_form(), _history(record))
            edit.definition = add_question(edit.definition, question)
            return _edit_page(edit, added=question["id"])
        elif action in ITEM_ACTIONS:
            edit.definition = _change_item(edit, action, target)
    except EditProblem as problem:
        return _edit_page(
            edit, [(_anchor_for_action(action, target), "action", str(problem))], status=400
        )
    if action == "condition":
        # One question's rule at a time: a choice for every earlier answer on every
        # question would make the page grow with the square of the survey.
        return _edit_page(edit, open_condition=target)
    if action == "merge":
        edit, conflicts = _merged_with_latest(edit)
        return _review(edit, conflicts)
    if action == "review":
        return _review(edit)
    # The pressed button's formaction carries a #fragment, so the page opens where it was.
    return _edit_page(edit)


def _merged_with_latest(edit: Edit) -> tuple[Edit, tuple[str, ...]]:
    """This edit's changes applied on top of the versions published since it started."""
    latest = latest_version_or_404(edit.record)
    if latest.number == edit.base:
        return edit, ()
    merge = merge_edits(
        survey_to_definition(survey_of(_version(edit.record, edit.base))),
        edit.definition,
        survey_to_definition(survey_of(latest)),
    )
    return Edit(edit.record, latest.number, merge.definition), merge.conflicts


# Buttons that change one question's answers (option-...) or a grid's rows (row-...).
ITEM_ACTIONS = frozenset(
    f"{kind}-{verb}" for kind in ("option", "row") for verb in ("add", "remove", "up", "down")
)


def _change_item(edit: Edit, action: str, target: str) -> dict[str, Any]:
    """Add, remove or move one answer (or grid row) of one question."""
    kind, _, verb = action.partition("-")
    question_id, _, code = target.partition(":")
    if verb == "add":
        text = request.form.get(f"{question_id}-new-{kind}", "")
        return add_item(edit.definition, question_id, kind, text, _history(edit.record))
    if verb == "remove":
        return remove_item(edit.definition, question_id, kind, code)
    return move_item(edit.definition, question_id, kind, code, -1 if verb == "up" else 1)


def _history(record: SurveyRecord) -> History:
    """Every id and code the survey has used, in all its versions: new ones never reuse them,
    so the dashboard never counts one answer under another's words."""
    definitions = db.session.scalars(
        select(SurveyVersion.definition).where(SurveyVersion.survey_id == record.id)
    ).all()
    return History.of(definitions)


def _new_question_from_form() -> NewQuestion:
    form = request.form
    return NewQuestion(
        type=form.get("new_question_type", ""),
        text=form.get("new_question_text", ""),
        answers=(form.get("new_question_answers", ""),),
        rows=(form.get("new_question_rows", ""),),
        minimum=form.get("new_question_min", ""),
        maximum=form.get("new_question_max", ""),
        scale=form.get("new_question_scale", "agreement"),
        points=form.get("new_question_points", "5"),
    )


def _anchor_for_action(action: str, target: str) -> str:
    if action == "add":
        return "library_question"
    if action == "own":
        return "new_question_text"
    if action in ITEM_ACTIONS:
        kind = action.partition("-")[0]
        return f"{target.partition(':')[0]}-new-{kind}"
    return f"page-{target}" if action in ("up", "down") else f"{target}-text"


def _library_question(question_id: str) -> dict[str, Any]:
    item = library_by_id().get(question_id)
    if item is None:
        raise EditProblem("Choose a question from the library to add")
    return question_to_dict(item.question)


def _edit_page(
    edit: Edit,
    errors: Errors | None = None,
    status: int = 200,
    open_condition: str = "",
    added: str = "",
) -> ResponseReturnValue:
    in_survey = set(question_ids(edit.definition))
    audience = edit.definition.get("audience")
    library = [
        item
        for item in library_questions()
        if item.question.id not in in_survey and (audience == "mixed" or audience in item.audiences)
    ]
    pages = [
        (index, page, _choices_if_open(edit, index, page, open_condition))
        for index, page in enumerate(edit.definition.get("pages", []))
    ]
    return render_template(
        "workspace/edit_survey.html",
        record=edit.record,
        edit=edit,
        pages=pages,
        library=library,
        errors=errors or [],
        open_condition=open_condition,
        added=added,
        # What was typed for a new question is kept until it is added.
        new_question=({} if added else request.form) if request.method == "POST" else {},
        question_types=[(qtype.value, TYPE_NAMES[qtype]) for qtype in OWN_QUESTION_TYPES],
        matrix_scales=MATRIX_SCALE_NAMES,
        editable_items=editable_items,
        encode_condition=encode_condition,
        describe_rule=lambda rule: describe_rule(edit.definition, rule),
    ), status


def _choices_if_open(
    edit: Edit, index: int, page: dict[str, Any], open_condition: str
) -> list[ConditionChoice]:
    opened = {f"page-{page['id']}", *(q["id"] for q in page.get("questions", []))}
    return condition_choices(edit.definition, index) if open_condition in opened else []


def _review(edit: Edit, conflicts: tuple[str, ...] = ()) -> ResponseReturnValue:
    """Check the edited survey; if it is valid and changed, show what changed before publishing."""
    try:
        survey = parse_survey(edit.definition, source="your changes")
    except SurveyDefinitionError as error:
        return _edit_page(edit, _errors_for(edit, error.problems), status=400)
    base = _version(edit.record, edit.base)
    core_errors = _core_errors(edit, survey_of(base), survey)
    if core_errors:
        return _edit_page(edit, core_errors, status=400)
    if survey.content_hash() == base.content_hash:
        return _edit_page(
            edit, [("title", "action", gettext("You have not changed anything yet"))], status=400
        )
    latest = latest_version_or_404(edit.record)
    if latest.number != edit.base:
        return _stale_page(edit, survey, latest)
    return _review_page(edit, survey, base, conflicts=conflicts)


def _errors_for(edit: Edit, problems: list[DefinitionProblem]) -> Errors:
    """Loader problems as error summary entries that link to the fields concerned, naming
    questions by their number, as the editor shows them."""
    numbers = {qid: number for number, qid in enumerate(question_ids(edit.definition), 1)}
    pages = {
        page["id"]: f"Question {numbers[page['questions'][0]['id']]}"
        if len(page["questions"]) == 1
        else f"Page {index}"
        for index, page in enumerate(edit.definition["pages"], 1)
        if page["questions"]
    }
    errors = []
    for problem in problems:
        target, key, message = _error_for(problem)
        message = message.replace("show_if", "when it is shown")
        for page_id, name in pages.items():
            message = message.replace(f"Page '{page_id}'", name)
        for qid, number in numbers.items():
            message = message.replace(f"Question '{qid}'", f"Question {number}")
            message = message.replace(f"'{qid}'", f"question {number}")
        errors.append((target, key, message))
    return errors


def _core_errors(edit: Edit, before: Survey, after: Survey) -> Errors:
    """Changes to core questions, refused: they are asked the same way at every wave, so
    that a later wave can be compared with the first. A new wording is a new question."""
    numbers = {qid: number for number, qid in enumerate(question_ids(edit.definition), 1)}
    errors = []
    for change in core_changes(before, after):
        number = numbers.get(change.question_id)
        name = (
            gettext("Question %(number)s", number=number) if number else gettext("A core question")
        )
        errors.append(
            (
                f"{change.question_id}-text" if number else "title",
                "core",
                gettext(
                    "%(question)s is a core question, asked the same way at every wave so that "
                    "results can be compared: it %(change)s. Undo that change, or add a new "
                    "question for the new version.",
                    question=name,
                    change=change.message,
                ),
            )
        )
    return errors


def _error_for(problem: DefinitionProblem) -> tuple[str, str, str]:
    """A loader problem as an error summary entry that links to the field concerned."""
    where, message = problem.where, problem.message
    if where == "survey":
        if message.startswith("retention_days"):
            return (
                "retention_days",
                "retention_days",
                gettext("Enter how many days to keep responses: a whole number from 1 to 3650"),
            )
        field = next((name for name in ("title", "intro", "privacy") if name in message), "title")
        return field, field, f"The survey: {message}"
    for prefix, anchor in (("question '", "{}-text"), ("page '", "page-{}")):
        if where.startswith(prefix) and where.endswith("'"):
            return (
                anchor.format(where[len(prefix) : -1]),
                "field",
                f"{where.capitalize()}: {message}",
            )
    return "title", "field", f"{where.capitalize()}: {message}"


def _review_page(
    edit: Edit,
    survey: Survey,
    base: SurveyVersion,
    missing_acknowledgement: bool = False,
    conflicts: tuple[str, ...] = (),
) -> ResponseReturnValue:
    old = survey_of(base)
    translated = db.session.scalars(
        select(SurveyTranslation.language).where(SurveyTranslation.survey_id == base.survey_id)
    ).all()
    warnings = publication_warnings(survey, current_app.config["DISCLOSURE_THRESHOLD"])
    errors = (
        [
            (
                "acknowledged",
                "acknowledged",
                gettext("Tick the box to say you have read the warnings"),
            )
        ]
        if missing_acknowledgement
        else []
    )
    changes = diff_surveys(old, survey)
    return render_template(
        "workspace/review_edit.html",
        edit=edit,
        survey=survey,
        changes=changes,
        new_words=any(_has_new_words(change) for change in changes),
        rewordings=_rewordings(old, survey),
        base=base,
        translated=_language_names(translated),
        warnings=warnings,
        conflicts=conflicts,
        errors=errors,
    ), 400 if errors else 200


def _rewordings(old: Survey, new: Survey) -> list[tuple[str, int, str, str]]:
    """(question id, number, wording before, wording after) of each reworded closed question:
    the team says whether each is the same question or a new one."""
    numbers = {q.id: number for number, q in enumerate(new.questions(), 1)}
    found = []
    for question_id in reworded_questions(old, new):
        before, after = old.question(question_id), new.question(question_id)
        if before is not None and after is not None:
            found.append((question_id, numbers[question_id], before.text, after.text))
    return found


def _rewording_choices(old: Survey, new: Survey) -> dict[str, str]:
    """What the team chose for each reworded question (none chosen: shown apart)."""
    chosen = {}
    for question_id in reworded_questions(old, new):
        value = request.form.get(f"rewording-{question_id}", "")
        if value in REWORDING_CHOICES:
            chosen[question_id] = value
    return chosen


def _has_new_words(change: Change) -> bool:
    """Whether a change brings words a translation does not have yet (new answers too)."""
    return change.kind in ("wording", "added", "survey") or change.subject.endswith(" added")


def _language_names(codes: Iterable[str]) -> list[str]:
    """Language names in the staff member's own interface language, for a sentence."""
    here = str(get_locale() or "en")
    return sorted(Locale.parse(code).get_display_name(here) or code for code in codes)


def _stale_page(edit: Edit, survey: Survey, latest: SurveyVersion) -> ResponseReturnValue:
    """Someone published while this edit was open: say so, show both, lose neither."""
    base = survey_of(_version(edit.record, edit.base))
    theirs = survey_of(latest)
    rebased = Edit(edit.record, latest.number, edit.definition)
    return render_template(
        "workspace/stale_edit.html",
        record=edit.record,
        edit=rebased,
        started_from=edit.base,
        latest=latest,
        original=edit,
        their_changes=diff_surveys(base, theirs),
        your_changes=diff_surveys(base, survey),
    ), 409


@bp.post("/workspace/surveys/<slug>/edit/publish")
@require_role(*EDITORS)
def publish_edit(slug: str) -> ResponseReturnValue:
    record, _current = survey_for_staff(slug)
    edit = _edit_from_form(record)
    try:
        survey = parse_survey(edit.definition, source="your changes")
    except SurveyDefinitionError as error:
        return _edit_page(edit, _errors_for(edit, error.problems), status=400)
    latest = latest_version_or_404(record)
    if latest.number != edit.base:
        return _stale_page(edit, survey, latest)
    core_errors = _core_errors(edit, survey_of(latest), survey)
    if core_errors:
        return _edit_page(edit, core_errors, status=400)
    warnings = publication_warnings(survey, current_app.config["DISCLOSURE_THRESHOLD"])
    if any_risk(warnings) and request.form.get("acknowledged") != "yes":
        return _review_page(edit, survey, latest, missing_acknowledgement=True)
    try:
        result = store_survey(
            db.session, survey, json.loads(json.dumps(edit.definition)), date.today()
        )
    except IntegrityError:
        # Another publish took the same version number in the same moment.
        db.session.rollback()
        return _stale_page(edit, survey, latest_version_or_404(record))
    if not result.created:
        return redirect(url_for(".survey_detail", slug=slug, unchanged=1), 303)
    choices = _rewording_choices(survey_of(latest), survey)
    result.version.rewordings = choices or None
    audit.record(
        db.session,
        "survey edited",
        f"{slug}: version {result.version.number} from version {edit.base}"
        + "".join(
            f"; {qid} reworded as {'the same' if c == 'same' else 'a new'} question"
            for qid, c in choices.items()
        ),
    )
    return redirect(url_for(".survey_detail", slug=slug, published=result.version.number), 303)


@bp.get("/workspace/surveys/<slug>/versions/<int:number>")
@require_role(*EDITORS)
def version_changes(slug: str, number: int) -> ResponseReturnValue:
    """What changed in a version, against the one before it."""
    record, _survey = survey_for_staff(slug)
    version = _version(record, number)
    previous = _version(record, number - 1) if number > 1 else None
    changes = diff_surveys(survey_of(previous), survey_of(version)) if previous else []
    return render_template(
        "workspace/version_changes.html",
        record=record,
        version=version,
        previous=previous,
        changes=changes,
    )
