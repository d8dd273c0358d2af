"""`show_if` evaluation: which pages and questions a respondent sees.

Conditions refer only to questions on earlier pages, so one pass in page order
decides everything, and answers to anything hidden can be dropped in that pass.
"""

from __future__ import annotations

from collections.abc import Mapping

from surveys.model import Condition, Page, Question, Survey

# An answer: chosen option values, a whole number, or text.
AnswerValue = list[str] | int | str
Answers = Mapping[str, AnswerValue]


def is_answered(value: AnswerValue | None) -> bool:
    """Whether a stored value counts as an answer (an empty list or text does not)."""
    if value is None:
        return False
    if isinstance(value, int):
        return True
    return len(value) > 0


def condition_holds(condition: Condition | None, answers: Answers) -> bool:
    """True when there is no condition or the earlier answer meets it."""
    if condition is None:
        return True
    value = answers.get(condition.question)
    if condition.answered is not None:
        # A matrix's answers are stored per statement, under "question.statement".
        prefix = f"{condition.question}."
        answered = is_answered(value) or any(
            is_answered(v) for key, v in answers.items() if key.startswith(prefix)
        )
        return answered == condition.answered
    chosen = set(value) if isinstance(value, list) else set()
    if condition.equals is not None:
        return condition.equals in chosen
    return bool(chosen & set(condition.any_of or ()))


def visible_questions(page: Page, answers: Answers) -> tuple[Question, ...]:
    """The questions of a page the respondent should see, given earlier answers."""
    if not condition_holds(page.show_if, answers):
        return ()
    return tuple(q for q in page.questions if condition_holds(q.show_if, answers))


def visible_pages(survey: Survey, answers: Answers) -> tuple[Page, ...]:
    """Pages with at least one visible question, in order."""
    pruned = prune_hidden(survey, answers)
    return tuple(p for p in survey.pages if visible_questions(p, pruned))


def prune_hidden(survey: Survey, answers: Answers) -> dict[str, AnswerValue]:
    """Drop answers to questions that earlier answers now hide.

    A respondent may go back and change an answer that hid or revealed later
    questions; only what they can see again is kept, and only that is stored.
    """
    kept: dict[str, AnswerValue] = {}
    for page in survey.pages:
        for question in visible_questions(page, kept):
            for key in question.item_keys():
                if key in answers and is_answered(answers[key]):
                    kept[key] = answers[key]
    return kept
