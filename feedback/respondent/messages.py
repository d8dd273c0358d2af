"""The words for answer problems found by `surveys.answers`, in the respondent's language
and the voice for their audience."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from feedback.web.locale import option_label, say
from surveys.answers import AnswerProblem
from surveys.model import Question

_Params = Mapping[str, int | str]

# One entry per problem code; each builds its message when the page is drawn, in the
# language chosen for that request.
_MESSAGES: dict[str, Callable[[_Params], str]] = {
    "choose_one": lambda p: say("Choose an answer"),
    "choose_any": lambda p: say("Choose at least one answer"),
    "one_answer_only": lambda p: say("Choose only one answer"),
    "not_an_option": lambda p: say("Choose one of the answers shown"),
    "exclusive_combined": lambda p: say(
        "You cannot choose \u201c%(option)s\u201d with other answers."
        " Choose \u201c%(option)s\u201d or the others",
        option=p["label"],
    ),
    "too_many_choices": lambda p: say("Choose up to %(max)s answers", max=p["max"]),
    "enter_number": lambda p: say("Enter a number"),
    "not_a_whole_number": lambda p: say("Enter a whole number, like 12"),
    "number_out_of_range": lambda p: say(
        "Enter a number from %(min)s to %(max)s", min=p["min"], max=p["max"]
    ),
    "enter_text": lambda p: say("Write an answer"),
    "too_long": lambda p: say(
        "Your answer is %(length)s characters. Shorten it to %(max)s or fewer",
        length=p["length"],
        max=p["max"],
    ),
    "unreadable_text": lambda p: say("Some characters could not be read. Type your answer again"),
}


def problem_message(problem: AnswerProblem, questions: Sequence[Question] = ()) -> str:
    """A clear, kind message for one problem with an answer; `questions` (the page's) give
    the label of an answer the message names, in the respondent's language."""
    build = _MESSAGES.get(problem.code)
    if build is None:
        return say("Check your answer")
    return build({**problem.params, "label": _option_label(problem, questions)})


def _option_label(problem: AnswerProblem, questions: Sequence[Question]) -> str:
    code = str(problem.params.get("option", ""))
    base_key = problem.field.split(".")[0]
    for question in questions:
        option = question.option(code) if question.id == base_key else None
        if option is not None:
            return option_label(option)
    return code
