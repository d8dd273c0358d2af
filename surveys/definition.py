"""Turn a loaded `Survey` back into the authored survey format (the YAML file's mapping).

The browser editor works on this form: it is what a designer's change is made to and what
each saved version is parsed from. So it must lose nothing: for any survey the loader
built, `parse_survey(survey_to_definition(survey)) == survey`, and the content hash is the
same. Questions are written by `surveys.library.question_to_dict`, so there is one writer
of the question format, shared with the question library.
"""

from __future__ import annotations

from typing import Any

from surveys.library import question_to_dict
from surveys.model import (
    DEFAULT_STAGE,
    AllOf,
    AnyOf,
    Comparison,
    Not,
    Page,
    Question,
    ShowIf,
    Survey,
)
from surveys.organisation import override_to_dict

# The loader's default; written out anyway (see `survey_to_definition`).
DEFAULT_RETENTION_DAYS = 365


def survey_to_definition(survey: Survey) -> dict[str, Any]:
    """The canonical authored form of a survey, always in the `pages:` layout.

    Optional fields are left out when empty so the form stays as short as a hand-written
    file. `retention_days` is the exception: how long answers are kept is a promise made
    to respondents, so a designer should always see it, even when it is the default.
    The result is freshly built plain data (dicts, lists, str, int, bool): callers may
    change it, dump it as YAML or JSON, and parse it again.
    """
    data: dict[str, Any] = {"id": survey.id, "title": survey.title, "audience": survey.audience}
    optional: dict[str, Any] = {
        "stage": survey.stage if survey.stage != DEFAULT_STAGE else None,
        "easy_read": survey.easy_read or None,
        "easy_read_version": survey.easy_read_version or None,
        "age_band": survey.age_band or None,
        "minutes": survey.minutes,
        "expected_population": survey.expected_population,
        "retention_days": survey.retention_days,
        "intro": survey.intro or None,
        "privacy": survey.privacy or None,
    }
    data.update({key: value for key, value in optional.items() if value is not None})
    if survey.organisation is not None:
        data["organisation"] = override_to_dict(survey.organisation)
    # Pages left out for a small audience always come last (the loader sees to it), so
    # writing them after the others puts them back where the author had them.
    data["pages"] = [page_to_dict(page) for page in (*survey.pages, *survey.withheld_pages)]
    return data


def page_to_dict(page: Page) -> dict[str, Any]:
    """One page in the authored form: id, optional title and show_if, then its questions."""
    data: dict[str, Any] = {"id": page.id}
    if page.title:
        data["title"] = page.title
    if page.needs_population is not None:
        data["needs_population"] = page.needs_population
    if page.show_if is not None:
        data["show_if"] = condition_to_dict(page.show_if)
    data["questions"] = [survey_question_to_dict(question) for question in page.questions]
    return data


def survey_question_to_dict(question: Question) -> dict[str, Any]:
    """A question as a survey writes it: the library's form plus the survey's own show_if.

    `question_to_dict` leaves show_if out on purpose (a library question has none), so the
    survey adds it here rather than teaching the library about conditions.
    """
    data = question_to_dict(question)
    if question.show_if is not None:
        data["show_if"] = condition_to_dict(question.show_if)
    return data


def condition_to_dict(condition: ShowIf) -> dict[str, Any]:
    """A show_if mapping in the loader's syntax: one test on a question, or a combination.

    Raises ValueError for a condition with no test, which the loader never builds: writing
    it out would only move the error to the next load, further from its cause.
    """
    if isinstance(condition, AllOf):
        return {"all": [condition_to_dict(rule) for rule in condition.all]}
    if isinstance(condition, AnyOf):
        return {"any": [condition_to_dict(rule) for rule in condition.any]}
    if isinstance(condition, Not):
        return {"not": condition_to_dict(condition.negated)}
    if isinstance(condition, Comparison):
        return {"question": condition.question, condition.test: condition.value}
    data: dict[str, Any] = {"question": condition.question}
    if condition.answered is not None:
        data["answered"] = condition.answered
    elif condition.any_of is not None:
        data["any_of"] = list(condition.any_of)
    elif condition.equals is not None:
        data["equals"] = condition.equals
    else:
        raise ValueError(
            f"show_if on '{condition.question}' has no test (equals, any_of or answered)"
        )
    return data
