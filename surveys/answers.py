"""Read and validate what a respondent sent for one page.

Input is the raw form as a mapping of field name to the list of values sent
(a browser, or someone forging requests, may send anything). Output is clean
answers plus a list of problems, each with a code the web app turns into a
translated message. Nothing here raises on bad input.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from surveys.conditions import AnswerValue
from surveys.model import Question, QuestionType
from surveys.scrub import scrub

# Control characters other than tab and newline have no place in an answer (and
# PostgreSQL refuses NUL outright).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_REPLACEMENT_CHAR = "\ufffd"
_NUMBER = re.compile(r"^[+-]?\d{1,9}$")


@dataclass(frozen=True)
class AnswerProblem:
    field: str
    code: str
    # dataclasses.field in full: the attribute `field` above hides the name in this class.
    params: Mapping[str, int | str] = dataclasses.field(default_factory=dict)


@dataclass
class PageInput:
    answers: dict[str, AnswerValue]
    problems: list[AnswerProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def read_page(questions: Sequence[Question], form: Mapping[str, Sequence[str]]) -> PageInput:
    """Validate the answers to the given (visible) questions from a submitted form."""
    result = PageInput(answers={}, problems=[])
    for question in questions:
        if question.type is QuestionType.MATRIX:
            for key in question.item_keys():
                _read_choice(question, key, list(form.get(key, ())), result, single=True)
        elif question.type is QuestionType.MULTIPLE_CHOICE:
            _read_choice(
                question, question.id, list(form.get(question.id, ())), result, single=False
            )
        elif question.options:
            _read_choice(
                question, question.id, list(form.get(question.id, ())), result, single=True
            )
        elif question.type is QuestionType.NUMBER:
            _read_number(question, list(form.get(question.id, ())), result)
        else:
            _read_text(question, list(form.get(question.id, ())), result)
    return result


def _read_choice(
    question: Question, key: str, values: list[str], result: PageInput, single: bool
) -> None:
    values = [v for v in values if v != ""]
    if not values:
        if question.required:
            result.problems.append(AnswerProblem(key, "choose_one" if single else "choose_any"))
        return
    if single and len(values) > 1:
        result.problems.append(AnswerProblem(key, "one_answer_only"))
        return
    if len(set(values)) != len(values) or any(question.option(v) is None for v in values):
        result.problems.append(AnswerProblem(key, "not_an_option"))
        return
    exclusive = [v for v in values if question.option(v).exclusive]  # type: ignore[union-attr]
    if len(values) > 1 and exclusive:
        # Named, so the page can say which answer ("None of these") must stand alone.
        result.problems.append(AnswerProblem(key, "exclusive_combined", {"option": exclusive[0]}))
        return
    if question.max_choices and len(values) > question.max_choices:
        result.problems.append(
            AnswerProblem(key, "too_many_choices", {"max": question.max_choices})
        )
        return
    result.answers[key] = values


def _single_value(question: Question, values: list[str], result: PageInput) -> str | None:
    """The one value sent for a text or number field, or None after noting a problem."""
    if len(values) > 1:
        result.problems.append(AnswerProblem(question.id, "one_answer_only"))
        return None
    return values[0] if values else ""


def _read_number(question: Question, values: list[str], result: PageInput) -> None:
    raw = _single_value(question, values, result)
    if raw is None:
        return
    raw = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
    if not raw:
        if question.required:
            result.problems.append(AnswerProblem(question.id, "enter_number"))
        return
    if not _NUMBER.match(raw):
        result.problems.append(AnswerProblem(question.id, "not_a_whole_number"))
        return
    number = int(raw)
    low, high = question.minimum or 0, question.maximum or 0
    if not low <= number <= high:
        result.problems.append(
            AnswerProblem(question.id, "number_out_of_range", {"min": low, "max": high})
        )
        return
    result.answers[question.id] = number


def clean_text(raw: str) -> str:
    """Normalise line endings, drop control characters and surrounding space."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _read_text(question: Question, values: list[str], result: PageInput) -> None:
    raw = _single_value(question, values, result)
    if raw is None:
        return
    if _REPLACEMENT_CHAR in raw:
        # Undecodable bytes were sent; storing the mangled text would lose meaning.
        result.problems.append(AnswerProblem(question.id, "unreadable_text"))
        return
    text = clean_text(raw)
    if not text:
        if question.required:
            result.problems.append(AnswerProblem(question.id, "enter_text"))
        return
    limit = question.max_length or 0
    # Counted as the person typed it, in characters (code points), the way the live
    # counter under the box counts: the error must give the number the counter shows.
    # The scrubber's markers may make the stored text longer; they are ours, not theirs.
    if len(text) > limit:
        result.problems.append(
            AnswerProblem(question.id, "too_long", {"max": limit, "length": len(text)})
        )
        return
    result.answers[question.id] = scrub(text)
