"""Turn stored answers into what the question and check-answers pages show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import g
from flask_babel import force_locale

from feedback.web.locale import option_label, say, say_to
from surveys.conditions import AnswerValue, visible_pages, visible_questions
from surveys.model import Question, QuestionType, Survey


def html_id(key: str) -> str:
    """An HTML id for an answer key (matrix keys contain a dot)."""
    return key.replace(".", "--")


def field_id(key: str, questions: Sequence[Question]) -> str:
    """The id of the input an error summary link should focus for `key`."""
    question = next((q for q in questions if key in q.item_keys()), None)
    if question is not None and question.options:
        return f"{html_id(key)}-0"
    return html_id(key)


def form_values(
    questions: Sequence[Question], answers: Mapping[str, AnswerValue]
) -> dict[str, Any]:
    """Stored answers in the shape the form templates read: lists of values per field."""
    values: dict[str, Any] = {}
    for question in questions:
        for key in question.item_keys():
            value = answers.get(key)
            if isinstance(value, list):
                values[key] = value
            elif value is not None:
                values[key] = [str(value)]
    return values


@dataclass(frozen=True)
class SummaryRow:
    page_id: str
    question: str
    answer: list[str]


def answer_summary(survey: Survey, answers: Mapping[str, AnswerValue]) -> list[SummaryRow]:
    """One row per visible question (or matrix statement), with the answer as text."""
    rows = []
    for page in visible_pages(survey, answers):
        for question in visible_questions(page, answers):
            for key, label in _items(question):
                rows.append(SummaryRow(page.id, label, _answer_text(question, answers.get(key))))
    return rows


def _items(question: Question) -> list[tuple[str, str]]:
    if question.type is QuestionType.MATRIX:
        return [
            (f"{question.id}.{s.id}", f"{question.text} \u2013 {s.text}")
            for s in question.statements
        ]
    return [(question.id, question.text)]


def _answer_text(question: Question, value: AnswerValue | None) -> list[str]:
    if value is None or value == [] or value == "":
        return [say("Not answered")]
    if isinstance(value, list):
        return [option_label(o) for v in value if (o := question.option(v)) is not None]
    return [str(value)]


def poster_text(language: str, audience: str | None = None) -> str:
    """The invitation printed on a poster, in the poster's language (not the designer's)
    and the voice for the audience of its link."""
    with force_locale(language):
        g.pop("ui_translations", None)  # the request's cached catalogue is the designer's
        text = say_to(
            audience,
            "Have your say: scan the code with your phone camera, or type "
            "the address. You do not give your name.",
        )
    g.pop("ui_translations", None)
    return text
