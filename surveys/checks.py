"""Warnings a design team must see before publishing: risks to the people who answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from surveys.model import Survey

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


def publication_warnings(survey: Survey, threshold: int) -> list[PublishWarning]:
    """What could put respondents at risk: tiny audiences and identifying questions."""
    warnings = []
    if survey.expected_population is not None and survey.expected_population < threshold:
        warnings.append(PublishWarning(
            "small_population", "survey",
            f"Only {survey.expected_population} people are expected to answer. Results are "
            f"hidden below {threshold}, and a group this small can be recognised from its "
            "answers. Consider talking with them instead, or pooling with other groups."))
    for question in survey.questions():
        if IDENTIFYING.search(question.text) and not _tells_not_to(question.text):
            warnings.append(PublishWarning(
                "identifying_question", f"question '{question.id}'",
                f"\"{question.text}\" seems to ask for names or contact details. Answers are "
                "anonymous: asking for these breaks that promise."))
    return warnings


def _tells_not_to(text: str) -> bool:
    return bool(re.search(r"\b(do not|don't|please don't|never) (write|give|share)", text,
                          re.IGNORECASE))
