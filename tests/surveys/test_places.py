"""The shared list of place types: how a question is recognised as using it."""

from __future__ import annotations

from typing import Any

import pytest

from surveys import parse_survey
from surveys.model import Question
from surveys.places import PLACE_TYPES, SOMEWHERE_ELSE, asks_about_places, uses_shared_places

SHARED = [{"value": o.value, "label": o.label} for o in PLACE_TYPES]


def question(options: list[dict[str, Any]]) -> Question:
    survey = parse_survey(
        {
            "id": "places",
            "title": "P",
            "audience": "parents",
            "questions": [
                {
                    "id": "where",
                    "type": "multiple_choice",
                    "text": "Where?",
                    "options": options,
                    "dont_know": True,
                }
            ],
        }
    )
    return survey.questions()[0]


def test_the_list_has_unique_codes_and_labels() -> None:
    assert len({o.value for o in PLACE_TYPES}) == len({o.label for o in PLACE_TYPES}) == 8
    assert SOMEWHERE_ELSE not in PLACE_TYPES


@pytest.mark.parametrize(
    "options",
    [
        SHARED,
        [*SHARED, {"value": "somewhere_else", "label": "Somewhere else"}],
        [*SHARED, {"value": "no_places", "label": "No places worry me", "exclusive": True}],
    ],
    ids=["alone", "somewhere else", "an exclusive none"],
)
def test_the_shared_list_is_recognised(options: list[dict[str, Any]]) -> None:
    assert asks_about_places(question(options))
    assert uses_shared_places(question(options))


@pytest.mark.parametrize(
    "change",
    [
        lambda options: options[3].update(label="Shops"),
        lambda options: options[3].update(value="shopping"),
        lambda options: options.reverse(),
        lambda options: options.pop(),
        lambda options: options.append({"value": "beach", "label": "The beach"}),
    ],
    ids=["label", "code", "order", "one missing", "one more"],
)
def test_a_list_that_differs_is_not_the_shared_one(change: Any) -> None:
    options = [dict(o) for o in SHARED]
    change(options)
    assert asks_about_places(question(options))
    assert not uses_shared_places(question(options))


def test_other_questions_do_not_ask_about_places() -> None:
    assert not asks_about_places(
        question([{"value": "yes", "label": "Yes"}, {"value": "online", "label": "Online"}])
    )
