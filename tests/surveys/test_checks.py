"""Publication warnings: small audiences and questions that ask who someone is."""

from __future__ import annotations

from surveys import parse_survey
from surveys.checks import publication_warnings


def survey(text: str, population: int | None = None) -> object:
    document = {
        "id": "checks",
        "title": "C",
        "audience": "young_people",
        "questions": [{"id": "q1", "type": "short_text", "text": text}],
    }
    if population is not None:
        document["expected_population"] = population
    return parse_survey(document)


def test_a_small_expected_population_is_warned_about() -> None:
    warnings = publication_warnings(survey("What would help?", population=6), threshold=10)
    assert [w.code for w in warnings] == ["small_population"]
    assert "Only 6 people" in warnings[0].message
    assert publication_warnings(survey("What would help?", population=60), 10) == []


def test_questions_asking_for_names_or_contact_details_are_warned_about() -> None:
    for text in [
        "What is your name?",
        "Your email, so we can reply",
        "What is your postcode?",
        "Which school do you go to?",
        "Give us a phone number",
    ]:
        warnings = publication_warnings(survey(text), 10)
        assert [w.code for w in warnings] == ["identifying_question"], text
        assert warnings[0].where == "question 'q1'"


def test_ordinary_questions_and_reminders_not_to_give_names_pass() -> None:
    for text in [
        "What makes a park feel safe?",
        "Please don't write names of people here",
        "How would you name this feeling?",
    ]:
        assert publication_warnings(survey(text), 10) == [], text


def test_too_few_for_any_group_to_be_shown_is_warned_about() -> None:
    # A group is shown only when it and the rest both reach the threshold: below twice the
    # threshold no group (by age, channel or language) can ever be shown.
    warnings = publication_warnings(survey("What would help?", population=19), threshold=10)
    assert [w.code for w in warnings] == ["too_few_for_groups"]
    assert "19 people" in warnings[0].message and "20" in warnings[0].message
    assert publication_warnings(survey("What would help?", population=20), 10) == []
    bigger = publication_warnings(survey("What would help?", population=39), threshold=20)
    assert [w.code for w in bigger] == ["too_few_for_groups"]


def test_a_page_left_out_for_a_small_audience_is_named() -> None:
    document = {
        "id": "checks",
        "title": "C",
        "audience": "young_people",
        "expected_population": 150,
        "pages": [
            {"id": "main", "questions": [{"id": "q1", "type": "short_text", "text": "Why?"}]},
            {
                "id": "about_you",
                "title": "About you",
                "needs_population": 200,
                "questions": [
                    {
                        "id": "age",
                        "type": "single_choice",
                        "text": "How old are you?",
                        "options": [
                            {"value": "young", "label": "10 to 12"},
                            {"value": "older", "label": "13 to 18"},
                        ],
                    }
                ],
            },
        ],
    }
    [warning] = publication_warnings(parse_survey(document), 10)
    assert (warning.code, warning.where) == ("page_left_out", "page 'about_you'")
    assert "About you" in warning.message
    assert "200" in warning.message and "150" in warning.message
    document["expected_population"] = 200
    assert publication_warnings(parse_survey(document), 10) == []
    del document["expected_population"]
    [unknown] = publication_warnings(parse_survey(document), 10)
    assert unknown.code == "page_left_out" and "not set" in unknown.message
