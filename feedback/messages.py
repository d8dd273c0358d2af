"""The words for answer problems found by `surveys.answers`, in the respondent's language."""

from __future__ import annotations

from flask_babel import gettext

from surveys.answers import AnswerProblem


def problem_message(problem: AnswerProblem) -> str:
    """A clear, kind message for one problem with an answer."""
    params = dict(problem.params)
    code = problem.code
    if code == "choose_one":
        return gettext("Choose an answer")
    if code == "choose_any":
        return gettext("Choose at least one answer")
    if code == "one_answer_only":
        return gettext("Choose only one answer")
    if code == "not_an_option":
        return gettext("Choose one of the answers shown")
    if code == "exclusive_combined":
        return gettext(
            "You chose \u201cI don't know\u201d or \u201cI'd rather not say\u201d with other answers."
            " Choose one or the other"
        )
    if code == "too_many_choices":
        return gettext("Choose up to %(max)s answers", max=params["max"])
    if code == "enter_number":
        return gettext("Enter a number")
    if code == "not_a_whole_number":
        return gettext("Enter a whole number, like 12")
    if code == "number_out_of_range":
        return gettext("Enter a number from %(min)s to %(max)s", min=params["min"],
                       max=params["max"])
    if code == "enter_text":
        return gettext("Write an answer")
    if code == "too_long":
        return gettext("Your answer is %(length)s characters. Shorten it to %(max)s or fewer",
                       length=params["length"], max=params["max"])
    if code == "unreadable_text":
        return gettext("Some characters could not be read. Type your answer again")
    return gettext("Check your answer")
