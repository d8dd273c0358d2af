"""A team's own questions and answers, made in the browser editor.

A designer writes words; the survey format needs ids and answer codes. Both are made here
from the words, once, and then never change: answers are stored under the question id and
the answer code, so a code that changed, or was given again to a different answer, would
put answers under the wrong words on the dashboard. So a new code is never one the survey
has used before in any version, even for an answer that has since been removed.

Every function returns a new definition (the canonical form of `surveys.definition`) and
leaves its input alone. Whether the result is a valid survey is still the loader's call.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys.editing import EditProblem, question_ids, questions_of
from surveys.loader import MATRIX_SCALES, SurveyDefinitionError, parse_survey
from surveys.model import RESERVED_VALUES, QuestionType

# Every type the survey format supports, in the order a designer is offered them.
OWN_QUESTION_TYPES: tuple[QuestionType, ...] = tuple(QuestionType)
AUTHORED_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})
CODE_LENGTH = 40
ID_WORDS = 5


@dataclass(frozen=True)
class History:
    """The ids and codes a survey has used in any version, which new ones must not reuse."""

    question_ids: frozenset[str] = frozenset()
    # Per question id: the answer codes and matrix row ids it has had.
    codes: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, definitions: Iterable[Mapping[str, Any]]) -> History:
        ids: set[str] = set()
        codes: dict[str, set[str]] = {}
        for definition in definitions:
            for page in definition.get("pages", []):
                ids.add(str(page.get("id", "")))
            for question in questions_of(definition):
                ids.add(question["id"])
                used = codes.setdefault(question["id"], set())
                for kind in ("option", "row"):
                    used.update(str(item.get(_KEY[kind])) for item in _items(question, kind))
        return cls(frozenset(ids), {qid: frozenset(values) for qid, values in codes.items()})

    def codes_of(self, question_id: str) -> frozenset[str]:
        return self.codes.get(question_id, frozenset())


def code_from_words(words: str, taken: Iterable[str], fallback: str = "answer") -> str:
    """A code made from the first few words of `words` (lower case, a-z, 0-9 and _), with a
    number added if it is taken. Words in other scripts give `fallback`."""
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii")
    parts = re.findall(r"[a-z0-9]+", plain.lower())[:ID_WORDS]
    stem = "_".join(parts)[:CODE_LENGTH].strip("_") or fallback
    if not stem[0].isalpha():
        stem = f"{fallback}_{stem}"[:CODE_LENGTH]
    used = set(taken) | RESERVED_VALUES
    code, number = stem, 2
    while code in used:
        code, number = f"{stem}_{number}", number + 1
    return code


# -- a new question -----------------------------------------------------------------------


@dataclass(frozen=True)
class NewQuestion:
    """What a designer fills in to add a question of their own."""

    type: str
    text: str
    answers: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    minimum: str = ""
    maximum: str = ""
    scale: str = "agreement"
    points: str = "5"


def new_question(
    definition: Mapping[str, Any], wanted: NewQuestion, history: History
) -> dict[str, Any]:
    """The question `wanted` describes, with an id and codes the survey has never used;
    refused, in words, if it could not be asked as it is."""
    try:
        qtype = QuestionType(wanted.type)
    except ValueError:
        raise EditProblem("Choose the type of answer for your question") from None
    text = " ".join(wanted.text.split())
    if not text:
        raise EditProblem("Enter the wording of your question")
    taken = history.question_ids | set(question_ids(definition)) | _page_ids(definition)
    question: dict[str, Any] = {
        "id": code_from_words(text, taken, fallback="question"),
        "type": qtype.value,
        "text": text,
    }
    question.update(_type_fields(qtype, wanted))
    _check_alone(question)
    return question


def _type_fields(qtype: QuestionType, wanted: NewQuestion) -> dict[str, Any]:
    if qtype in AUTHORED_TYPES:
        labels = _lines(wanted.answers)
        if len(labels) < 2:
            raise EditProblem("Give at least two answers to choose from, one on each line")
        return {"options": _coded(labels, "value", "label", set())}
    if qtype is QuestionType.FACES:
        return {"points": 3 if wanted.points == "3" else 5}
    if qtype is QuestionType.MATRIX:
        statements = _lines(wanted.rows)
        if not statements:
            raise EditProblem("Give at least one statement for the grid, one on each line")
        scale = wanted.scale if wanted.scale in MATRIX_SCALES else "agreement"
        return {"statements": _coded(statements, "id", "text", set()), "scale": scale}
    if qtype is QuestionType.NUMBER:
        return {"min": _whole(wanted.minimum, "smallest"), "max": _whole(wanted.maximum, "largest")}
    return {}


def _whole(value: str, which: str) -> int:
    text = value.strip().replace("\u2212", "-")
    if not re.fullmatch(r"-?\d{1,7}", text):
        raise EditProblem(f"Enter the {which} number allowed as a whole number, like 0 or 100")
    return int(text)


def _lines(texts: Iterable[str]) -> list[str]:
    """Non-empty lines, each with its spaces tidied; a repeated line is kept once."""
    seen: dict[str, None] = {}
    for text in texts:
        for line in text.splitlines():
            tidy = " ".join(line.split())
            if tidy:
                seen.setdefault(tidy, None)
    return list(seen)


def _coded(texts: list[str], key: str, text_key: str, taken: set[str]) -> list[dict[str, str]]:
    items = []
    for text in texts:
        code = code_from_words(text, taken, fallback="answer" if key == "value" else "row")
        taken.add(code)
        items.append({key: code, text_key: text})
    return items


def _check_alone(question: Mapping[str, Any]) -> None:
    """Refuse a question the loader would refuse, in its words, before it joins the survey."""
    try:
        parse_survey(
            {"id": "new-question", "title": "new", "audience": "mixed", "questions": [question]}
        )
    except SurveyDefinitionError as error:
        message = "; ".join(problem.message for problem in error.problems)
        raise EditProblem(message[:1].upper() + message[1:]) from None


def _page_ids(definition: Mapping[str, Any]) -> set[str]:
    return {str(page.get("id")) for page in definition.get("pages", [])}


# -- answers and rows ---------------------------------------------------------------------

_KEY = {"option": "value", "row": "id"}
_TEXT = {"option": "label", "row": "text"}
_NAMES = {"option": "answer", "row": "statement"}


def _items(question: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    """A question's own answers (its options, or a matrix's own scale) or its matrix rows;
    [] when it has none the designer can change (a built-in scale)."""
    if kind == "row":
        rows = question.get("statements")
        return rows if isinstance(rows, list) else []
    for key in ("options", "scale"):
        if isinstance(question.get(key), list):
            return question[key]  # type: ignore[no-any-return]
    return []


def editable_items(question: Mapping[str, Any], kind: str) -> bool:
    """Whether the question has answers (or rows) of its own to add to and take from."""
    if kind == "row":
        return question.get("type") == QuestionType.MATRIX.value
    return bool(_items(question, kind))


def add_item(
    definition: Mapping[str, Any], question_id: str, kind: str, text: str, history: History
) -> dict[str, Any]:
    """The definition with a new answer (or matrix row) at the end of a question's list,
    coded from its words and never with a code the question has had before."""
    edited = copy.deepcopy(dict(definition))
    question = _question(edited, question_id)
    if not editable_items(question, kind):
        raise EditProblem(f"This question's {_NAMES[kind]}s are a fixed scale")
    words = " ".join(text.split())
    if not words:
        raise EditProblem(f"Enter the words of the new {_NAMES[kind]}")
    items = _items(question, kind)
    if any(item.get(_TEXT[kind]) == words for item in items):
        raise EditProblem(f"The question already has the {_NAMES[kind]} “{words}”")
    taken = {str(item.get(_KEY[kind])) for item in items} | history.codes_of(question_id)
    code = code_from_words(words, taken, fallback="answer" if kind == "option" else "row")
    if kind == "row" and "statements" not in question:
        question["statements"] = items
    items.append({_KEY[kind]: code, _TEXT[kind]: words})
    return edited


def remove_item(
    definition: Mapping[str, Any], question_id: str, kind: str, code: str
) -> dict[str, Any]:
    """The definition without one answer (or row); refused while a rule tests that answer,
    or if too few would be left to ask the question."""
    edited = copy.deepcopy(dict(definition))
    question = _question(edited, question_id)
    items = _items(question, kind)
    kept = [item for item in items if item.get(_KEY[kind]) != code]
    if len(kept) == len(items):
        raise EditProblem(f"That {_NAMES[kind]} is no longer in the question")
    if kind == "option":
        _refuse_if_tested(edited, question_id, code)
    least = 1 if kind == "row" else 2
    if len(kept) < least:
        raise EditProblem(
            "A question needs at least two answers to choose from"
            if kind == "option"
            else "A grid needs at least one statement"
        )
    items[:] = kept
    return edited


def move_item(
    definition: Mapping[str, Any], question_id: str, kind: str, code: str, step: int
) -> dict[str, Any]:
    """The definition with one answer (or row) moved `step` places, within bounds."""
    edited = copy.deepcopy(dict(definition))
    items = _items(_question(edited, question_id), kind)
    index = next((i for i, item in enumerate(items) if item.get(_KEY[kind]) == code), None)
    if index is None:
        raise EditProblem(f"That {_NAMES[kind]} is no longer in the question")
    target = min(max(index + step, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    return edited


def _question(definition: Mapping[str, Any], question_id: str) -> dict[str, Any]:
    found = next((q for q in questions_of(definition) if q["id"] == question_id), None)
    if found is None:
        raise EditProblem("That question is no longer in the survey")
    return found


def _refuse_if_tested(definition: Mapping[str, Any], question_id: str, value: str) -> None:
    for page_number, page in enumerate(definition.get("pages", []), start=1):
        owners = [(f"page {page_number}", page)] + [
            (f"“{q.get('text', q['id'])}”", q) for q in page.get("questions", [])
        ]
        for where, owner in owners:
            if _tests_value(owner.get("show_if"), question_id, value):
                raise EditProblem(f"Change when {where} is shown first: it depends on this answer")


def _tests_value(rule: Any, question_id: str, value: str) -> bool:
    if not isinstance(rule, Mapping):
        return False
    if "not" in rule:
        return _tests_value(rule["not"], question_id, value)
    for key in ("all", "any"):
        if isinstance(rule.get(key), list):
            return any(_tests_value(part, question_id, value) for part in rule[key])
    if rule.get("question") != question_id:
        return False
    tested = [rule.get("equals"), rule.get("not_equals"), *(rule.get("any_of") or [])]
    return value in tested
