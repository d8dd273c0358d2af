"""Publication warnings: small audiences and questions that ask who someone is."""

from __future__ import annotations

from surveys import parse_survey
from surveys.checks import publication_warnings


def survey(text: str, population: int | None = None) -> object:
    document = {"id": "checks", "title": "C", "audience": "young_people",
                "questions": [{"id": "q1", "type": "short_text", "text": text}]}
    if population is not None:
        document["expected_population"] = population
    return parse_survey(document)


def test_a_small_expected_population_is_warned_about() -> None:
    warnings = publication_warnings(survey("What would help?", population=6), threshold=10)
    assert [w.code for w in warnings] == ["small_population"]
    assert "Only 6 people" in warnings[0].message
    assert publication_warnings(survey("What would help?", population=60), 10) == []


def test_questions_asking_for_names_or_contact_details_are_warned_about() -> None:
    for text in ["What is your name?", "Your email, so we can reply", "What is your postcode?",
                 "Which school do you go to?", "Give us a phone number"]:
        warnings = publication_warnings(survey(text), 10)
        assert [w.code for w in warnings] == ["identifying_question"], text
        assert warnings[0].where == "question 'q1'"


def test_ordinary_questions_and_reminders_not_to_give_names_pass() -> None:
    for text in ["What makes a park feel safe?", "Please don't write names of people here",
                 "How would you name this feeling?"]:
        assert publication_warnings(survey(text), 10) == [], text
