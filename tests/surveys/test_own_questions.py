"""A team's own questions and answers: codes made from words, never reused, always valid."""

from __future__ import annotations

import pytest

from surveys import QuestionType, parse_survey
from surveys.editing import EditProblem, add_question
from surveys.own_questions import (
    OWN_QUESTION_TYPES,
    History,
    NewQuestion,
    add_item,
    code_from_words,
    move_item,
    new_question,
    remove_item,
)

SURVEY = {
    "id": "own",
    "title": "Own",
    "audience": "young_people",
    "pages": [
        {
            "id": "getting_there",
            "questions": [
                {
                    "id": "getting_there",
                    "type": "single_choice",
                    "text": "How do you get there?",
                    "options": [
                        {"value": "walk", "label": "Walk"},
                        {"value": "bus", "label": "Bus"},
                    ],
                }
            ],
        },
        {
            "id": "later",
            "show_if": {"question": "getting_there", "equals": "bus"},
            "questions": [{"id": "later", "type": "short_text", "text": "Which bus?"}],
        },
    ],
}

EVERY_TYPE = {
    QuestionType.SINGLE_CHOICE: NewQuestion("single_choice", "Pick one", answers=("A\nB",)),
    QuestionType.MULTIPLE_CHOICE: NewQuestion("multiple_choice", "Pick", answers=("A\nB\nC",)),
    QuestionType.AGREEMENT: NewQuestion("agreement", "Parks feel safe"),
    QuestionType.FACES: NewQuestion("faces", "How do you feel?", points="3"),
    QuestionType.SCALE_0_10: NewQuestion("scale_0_10", "How likely?"),
    QuestionType.MATRIX: NewQuestion("matrix", "Your area", rows=("It is clean\nIt is lit",)),
    QuestionType.SHORT_TEXT: NewQuestion("short_text", "One word"),
    QuestionType.LONG_TEXT: NewQuestion("long_text", "Tell us more"),
    QuestionType.NUMBER: NewQuestion("number", "How many times?", minimum="0", maximum="50"),
}


def test_every_type_of_the_format_can_be_added_and_asked() -> None:
    assert set(OWN_QUESTION_TYPES) == set(QuestionType) == set(EVERY_TYPE)
    for qtype, wanted in EVERY_TYPE.items():
        question = new_question(SURVEY, wanted, History())
        survey = parse_survey(add_question(SURVEY, question))
        assert survey.question(question["id"]).type is qtype


def test_codes_come_from_the_words_and_are_never_reused_from_the_history() -> None:
    assert code_from_words("Walk, with friends!", set()) == "walk_with_friends"
    assert code_from_words("Ćwiczenia", set()) == "cwiczenia"
    assert code_from_words("مدرسة", set()) == "answer"
    assert code_from_words("2 buses", set()) == "answer_2_buses"
    assert code_from_words("Don't know", {"don_t_know"}) == "don_t_know_2"
    history = History.of(
        [
            SURVEY,
            {
                "pages": [
                    {
                        "id": "p",
                        "questions": [
                            {
                                "id": "getting_there",
                                "options": [{"value": "cycle", "label": "Cycle"}],
                            }
                        ],
                    }
                ]
            },
        ]
    )
    # "Cycle" was an answer in an earlier version and was removed: its code is retired.
    added = add_item(SURVEY, "getting_there", "option", "Cycle", history)
    options = added["pages"][0]["questions"][0]["options"]
    assert options[-1] == {"value": "cycle_2", "label": "Cycle"}
    assert SURVEY["pages"][0]["questions"][0]["options"][-1]["value"] == "bus"  # input untouched
    question = new_question(SURVEY, NewQuestion("short_text", "How do you get there?"), history)
    assert question["id"] == "how_do_you_get_there"
    again = new_question(
        SURVEY, NewQuestion("short_text", "Getting there"), History(frozenset({"getting_there"}))
    )
    assert again["id"] == "getting_there_2"


def test_answers_are_moved_and_removed_but_never_from_under_a_rule() -> None:
    moved = move_item(SURVEY, "getting_there", "option", "bus", -1)
    assert [o["value"] for o in moved["pages"][0]["questions"][0]["options"]] == ["bus", "walk"]
    with pytest.raises(EditProblem, match="depends on this answer"):
        remove_item(SURVEY, "getting_there", "option", "bus")
    with pytest.raises(EditProblem, match="at least two answers"):
        remove_item(SURVEY, "getting_there", "option", "walk")
    with pytest.raises(EditProblem, match="no longer in the question"):
        remove_item(SURVEY, "getting_there", "option", "tram")
    with pytest.raises(EditProblem, match="fixed scale"):
        add_item(
            add_question(SURVEY, new_question(SURVEY, EVERY_TYPE[QuestionType.FACES], History())),
            "how_do_you_feel",
            "option",
            "Angry",
            History(),
        )


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        (NewQuestion("", "Words"), "Choose the type"),
        (NewQuestion("single_choice", "  "), "Enter the wording"),
        (NewQuestion("single_choice", "Pick", answers=("Only one",)), "at least two answers"),
        (NewQuestion("matrix", "Grid"), "at least one statement"),
        (NewQuestion("number", "How many?", minimum="ten", maximum="5"), "smallest number"),
        (NewQuestion("number", "How many?", minimum="9", maximum="5"), "Min must be smaller"),
    ],
)
def test_a_question_that_could_not_be_asked_is_refused_in_words(
    wanted: NewQuestion, message: str
) -> None:
    with pytest.raises(EditProblem, match=message):
        new_question(SURVEY, wanted, History())
