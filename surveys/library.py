"""The question library: single, tagged questions that surveys can be assembled from.

Each entry is a question in the survey format plus the library's own tags
(`themes`, `audiences`, `source`). Questions are validated by the survey loader
itself, so a library question is valid exactly when it would be valid in a survey.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from surveys.loader import DefinitionProblem, SurveyDefinitionError, parse_survey
from surveys.model import RESERVED_VALUES, Option, Question, QuestionType
from surveys.scales import built_in_options
from surveys.yaml_io import YamlProblem, read_yaml

LIBRARY_PATH = Path(__file__).parent / "library" / "questions.yaml"

THEMES = frozenset(
    {
        "places",
        "safety",
        "friendships",
        "trust",
        "information_sharing",
        "information",
        "involvement",
        "experience",
        "wellbeing",
        "overall",
        "priorities",
        "about_you",
    }
)
LIBRARY_AUDIENCES = frozenset({"young_people", "parents"})
TAG_KEYS = ("themes", "audiences", "source")
NAMED_SCALES = ("agreement", "faces3", "faces5", "safety")


@dataclass(frozen=True)
class LibraryQuestion:
    question: Question
    themes: tuple[str, ...]
    audiences: tuple[str, ...]
    source: str = ""


def load_library(path: str | Path = LIBRARY_PATH) -> list[LibraryQuestion]:
    """Read and validate the question library, reporting every problem at once."""
    source = str(path)
    try:
        document = read_yaml(Path(path).read_bytes())
    except OSError as exc:
        raise SurveyDefinitionError(
            [DefinitionProblem(source, "file", f"cannot be read ({exc.strerror})")]
        ) from None
    except YamlProblem as exc:
        raise SurveyDefinitionError([DefinitionProblem(source, "file", str(exc))]) from None
    return parse_library(document, source=source)


def parse_library(document: Any, source: str = "<library>") -> list[LibraryQuestion]:
    """Validate an already-parsed library (a mapping with a `questions` list)."""
    entries = document.get("questions") if isinstance(document, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise SurveyDefinitionError(
            [DefinitionProblem(source, "file", "must have a non-empty list of questions")]
        )
    problems: list[DefinitionProblem] = []
    library: list[LibraryQuestion] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        where = _entry_name(entry, index)
        item = _library_question(entry, where, source, problems)
        if item is None:
            continue
        if item.question.id in seen:
            problems.append(DefinitionProblem(source, where, "duplicate question id"))
        seen.add(item.question.id)
        library.append(item)
    if problems:
        raise SurveyDefinitionError(problems)
    return library


def find_questions(
    library: Iterable[LibraryQuestion], theme: str | None = None, audience: str | None = None
) -> list[LibraryQuestion]:
    """The library questions with the given theme and for the given audience (None: any)."""
    return [
        item
        for item in library
        if (theme is None or theme in item.themes)
        and (audience is None or audience in item.audiences)
    ]


def assemble_survey(
    library: Iterable[LibraryQuestion],
    question_ids: Iterable[str],
    *,
    survey_id: str,
    title: str,
    audience: str,
    intro: str,
    privacy: str,
) -> dict[str, Any]:
    """A survey definition (one question per page) built from library questions, in order."""
    by_id = {item.question.id: item for item in library}
    problems, questions = [], []
    for qid in question_ids:
        item = by_id.get(qid)
        if item is None:
            problems.append(
                DefinitionProblem("<library>", f"question '{qid}'", "is not in the library")
            )
        elif audience in LIBRARY_AUDIENCES and audience not in item.audiences:
            problems.append(
                DefinitionProblem(
                    "<library>", f"question '{qid}'", f"is not tagged for the audience '{audience}'"
                )
            )
        else:
            questions.append(question_to_dict(item.question))
    if problems:
        raise SurveyDefinitionError(problems)
    return {
        "id": survey_id,
        "title": title,
        "audience": audience,
        "intro": intro,
        "privacy": privacy,
        "questions": questions,
    }


def question_to_dict(question: Question) -> dict[str, Any]:
    """The survey-format mapping that the loader turns back into this question."""
    data: dict[str, Any] = {"id": question.id, "type": question.type.value, "text": question.text}
    if question.hint:
        data["hint"] = question.hint
    data.update(_options_fields(question))
    if question.statements:
        data["statements"] = [{"id": s.id, "text": s.text} for s in question.statements]
    optional = {
        "min": question.minimum,
        "max": question.maximum,
        "max_length": question.max_length,
        "max_choices": question.max_choices,
        "low_label": question.low_label or None,
        "high_label": question.high_label or None,
        "required": question.required or None,
        "core": question.core or None,
    }
    data.update({key: value for key, value in optional.items() if value is not None})
    return data


def _options_fields(question: Question) -> dict[str, Any]:
    """Options, scale or points, plus the dont_know / rather_not_say flags."""
    own = [o for o in question.options if o.value not in RESERVED_VALUES]
    fields: dict[str, Any] = {
        flag: True for flag in sorted(RESERVED_VALUES) if question.option(flag) is not None
    }
    if question.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        fields["options"] = _option_dicts(own)
    elif question.type is QuestionType.FACES:
        fields["points"] = len(own)
    elif question.type is QuestionType.MATRIX:
        fields["scale"] = _matrix_scale(own)
    return fields


def _matrix_scale(options: list[Option]) -> str | list[dict[str, str]]:
    """A built-in scale's name when the options are one, else the options themselves."""
    for name in NAMED_SCALES:
        if tuple(options) == built_in_options(name):
            return name
    return _option_dicts(options)


def _option_dicts(options: Iterable[Option]) -> list[dict[str, Any]]:
    """Authored options in the file's form (`exclusive` only where it is set)."""
    return [
        {"value": o.value, "label": o.label, **({"exclusive": True} if o.exclusive else {})}
        for o in options
    ]


def _entry_name(entry: Any, index: int) -> str:
    """How problems name an entry: by its id when it has a usable one."""
    qid = entry.get("id") if isinstance(entry, Mapping) else None
    return f"question '{qid}'" if isinstance(qid, str) and qid else f"question {index}"


def _library_question(
    entry: Any, where: str, source: str, problems: list[DefinitionProblem]
) -> LibraryQuestion | None:
    """Validate one entry: its tags here, the question itself by the survey loader."""
    if not isinstance(entry, Mapping):
        problems.append(DefinitionProblem(source, where, "must be a mapping with id, type, text"))
        return None
    themes = _tags(entry, "themes", THEMES, where, source, problems)
    audiences = _tags(entry, "audiences", LIBRARY_AUDIENCES, where, source, problems)
    note = entry.get("source", "")
    if not isinstance(note, str):
        problems.append(DefinitionProblem(source, where, "source must be text"))
    question = _validated_question(entry, where, source, problems)
    if question is None or themes is None or audiences is None or not isinstance(note, str):
        return None
    return LibraryQuestion(question, themes, audiences, note.strip())


def _tags(
    entry: Mapping[str, Any],
    key: str,
    known: frozenset[str],
    where: str,
    source: str,
    problems: list[DefinitionProblem],
) -> tuple[str, ...] | None:
    """A non-empty list of known tags, or None after recording what is wrong."""
    value = entry.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.append(DefinitionProblem(source, where, f"{key} must be a non-empty list"))
        return None
    unknown = sorted(set(value) - known)
    if unknown:
        allowed = ", ".join(sorted(known))
        problems.append(
            DefinitionProblem(
                source, where, f"unknown {key} {', '.join(unknown)} (known: {allowed})"
            )
        )
        return None
    return tuple(value)


def _validated_question(
    entry: Mapping[str, Any], where: str, source: str, problems: list[DefinitionProblem]
) -> Question | None:
    """The question built by the survey loader from a one-question survey."""
    if "show_if" in entry:
        problems.append(
            DefinitionProblem(
                source, where, "show_if belongs to the survey that uses a question, not the library"
            )
        )
        return None
    raw = {key: value for key, value in entry.items() if key not in TAG_KEYS}
    wrapper = {"id": "library", "title": "Library", "audience": "mixed", "questions": [raw]}
    try:
        survey = parse_survey(wrapper, source=source)
    except SurveyDefinitionError as exc:
        # The one-page wrapper can report the same fault for the page and the question.
        messages = dict.fromkeys(p.message for p in exc.problems)
        problems.extend(DefinitionProblem(source, where, message) for message in messages)
        return None
    return survey.questions()[0]


# Starting texts for a survey assembled from the library; the designer changes them in the
# editor. The privacy text makes only promises the service keeps (no names, nothing shown
# from fewer than 10 people).
STARTER_TEXTS = {
    "young_people": (
        "We want to hear what you think, so we can make the places where young people spend "
        "time safer.\nThere are no right or wrong answers. You can skip any question.",
        "You do not give your name. We do not know who you are, so we cannot reply to you.\n"
        "Your parent or carer cannot see your answers.\n"
        "Only the people planning the service see the answers.\n"
        "They see the answers added up from at least 10 people.",
    ),
    "parents": (
        "We want to hear from parents and carers about how we help keep young people safe "
        "outside the home.\nThere are no right or wrong answers. You can skip any question.",
        "You do not give your name. We do not know who you are, so we cannot reply to you.\n"
        "Your child cannot see your answers.\n"
        "Only the people planning the service see the answers.\n"
        "They see the answers added up from at least 10 people.",
    ),
}


def survey_id_for(title: str, taken: Iterable[str]) -> str:
    """A survey id (its address in the workspace) made from its title, unlike any taken."""
    base = (
        "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in title.lower()).split())[
            :56
        ].strip("-")
        or "survey"
    )
    if len(base) < 2:
        base = f"survey-{base}"
    taken = set(taken)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
