"""Warnings a design team must see before publishing: risks to the people who answer, and
parts of a survey that will not be asked or shown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from surveys.model import Page, Survey

# Asking for any of these in a question undoes the anonymity the survey promises.
IDENTIFYING = re.compile(
    r"\b(your (full |first |last )?name|names? of|e-?mail|phone|mobile number|address|"
    r"postcode|date of birth|which school|school (do|did) you|contact (you|details))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PublishWarning:
    code: str
    where: str
    message: str
    # A risk the designer must confirm they accept; otherwise a note of what the service
    # does to protect people (a page left out), shown but needing no box ticked.
    risk: bool = True


def any_risk(warnings: list[PublishWarning]) -> bool:
    """Whether publishing needs the designer to confirm they read the warnings."""
    return any(warning.risk for warning in warnings)


def publication_warnings(survey: Survey, threshold: int) -> list[PublishWarning]:
    """What could put respondents at risk or leave results empty: tiny audiences, pages left
    out for them, and identifying questions."""
    warnings = _population_warnings(survey, threshold)
    warnings += [_left_out(page, survey.expected_population) for page in survey.withheld_pages]
    for question in survey.questions():
        if IDENTIFYING.search(question.text) and not _tells_not_to(question.text):
            warnings.append(
                PublishWarning(
                    "identifying_question",
                    f"question '{question.id}'",
                    f'"{question.text}" seems to ask for names or contact details. Answers are '
                    "anonymous: asking for these breaks that promise.",
                )
            )
    return warnings


def _population_warnings(survey: Survey, threshold: int) -> list[PublishWarning]:
    expected = survey.expected_population
    if expected is None:
        return []
    if expected < threshold:
        return [
            PublishWarning(
                "small_population",
                "survey",
                f"Only {expected} people are expected to answer. Results are "
                f"hidden below {threshold}, and a group this small can be recognised from its "
                "answers. Consider talking with them instead, or pooling with other groups.",
            )
        ]
    # A group (an age band, a channel, a language) is shown only when it and everyone
    # else both reach the threshold, so below twice the threshold none ever can be.
    if expected < 2 * threshold:
        return [
            PublishWarning(
                "too_few_for_groups",
                "survey",
                f"Only {expected} people are expected to answer. A group of answers (by age, "
                f"channel or language) is shown only when it and the rest each have at least "
                f"{threshold}, so with fewer than {2 * threshold} the results can only be shown "
                "for everyone together.",
            )
        ]
    return []


def _left_out(page: Page, expected: int | None) -> PublishWarning:
    name = f'"{page.title}"' if page.title else f"'{page.id}'"
    expecting = (
        f"this survey expects {expected}"
        if expected is not None
        else "how many this survey expects is not set"
    )
    return PublishWarning(
        "page_left_out",
        f"page '{page.id}'",
        f"The page {name} is left out: it is asked only when at least "
        f"{page.needs_population} people are expected to answer, and {expecting}. With "
        "fewer, its groups would be too small to show and could single someone out.",
        risk=False,
    )


def _tells_not_to(text: str) -> bool:
    return bool(
        re.search(r"\b(do not|don't|please don't|never) (write|give|share)", text, re.IGNORECASE)
    )
