"""show_if evaluation: which pages and questions a respondent sees, and what is kept."""

from __future__ import annotations

from typing import Any

import pytest

from surveys import parse_survey
from surveys.conditions import (
    condition_holds,
    is_answered,
    prune_hidden,
    visible_pages,
    visible_questions,
)
from surveys.model import Condition, Survey


def opts(*values: str) -> list[dict[str, str]]:
    return [{"value": v, "label": v.title()} for v in values]


def build(*pages: dict[str, Any]) -> Survey:
    return parse_survey(
        {"id": "conditions", "title": "Conditions", "audience": "mixed", "pages": list(pages)}
    )


def single(qid: str, *values: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "type": "single_choice", "text": qid, "options": opts(*values), **extra}


def multiple(qid: str, *values: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "type": "multiple_choice", "text": qid, "options": opts(*values), **extra}


def text(qid: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "type": "short_text", "text": qid, **extra}


# -- is_answered and condition_holds -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "answered"),
    [(None, False), ([], False), ("", False), (["a"], True), ("hi", True), (0, True), (-3, True)],
)
def test_is_answered(value: Any, answered: bool) -> None:
    assert is_answered(value) is answered


def test_no_condition_always_holds() -> None:
    assert condition_holds(None, {}) is True


@pytest.mark.parametrize(
    ("answers", "holds"),
    [
        ({"q": ["yes"]}, True),
        ({"q": ["no"]}, False),
        ({}, False),
        ({"q": []}, False),
        ({"q": "yes"}, False),
    ],
)
def test_equals_on_single_choice(answers: dict[str, Any], holds: bool) -> None:
    assert condition_holds(Condition("q", equals="yes"), answers) is holds


@pytest.mark.parametrize(
    ("chosen", "holds"),
    [(["park"], True), (["shops", "park"], True), (["shops"], False), ([], False)],
)
def test_equals_on_multiple_choice_means_among_those_chosen(chosen: list[str], holds: bool) -> None:
    assert condition_holds(Condition("q", equals="park"), {"q": chosen}) is holds


@pytest.mark.parametrize(
    ("chosen", "holds"),
    [
        (["park"], True),
        (["school", "shops"], True),
        (["school"], False),
        ([], False),
        (["school", "online"], False),
    ],
)
def test_any_of(chosen: list[str], holds: bool) -> None:
    condition = Condition("q", any_of=("park", "shops"))
    assert condition_holds(condition, {"q": chosen}) is holds


def test_any_of_with_nothing_answered() -> None:
    assert condition_holds(Condition("q", any_of=("park",)), {}) is False


@pytest.mark.parametrize(
    ("answers", "answered_true", "answered_false"),
    [
        ({}, False, True),
        ({"q": []}, False, True),
        ({"q": ""}, False, True),
        ({"q": ["x"]}, True, False),
        ({"q": "some text"}, True, False),
        ({"q": 0}, True, False),
        ({"other": ["x"]}, False, True),
    ],
)
def test_answered_true_and_false(
    answers: dict[str, Any], answered_true: bool, answered_false: bool
) -> None:
    assert condition_holds(Condition("q", answered=True), answers) is answered_true
    assert condition_holds(Condition("q", answered=False), answers) is answered_false


# -- questions and pages on a loaded survey ------------------------------------------------


@pytest.fixture
def places_survey() -> Survey:
    return build(
        {
            "id": "start",
            "questions": [
                multiple("places", "park", "shops", "school", rather_not_say=True),
                single("safe", "yes", "no", dont_know=True),
            ],
        },
        {
            "id": "detail",
            "questions": [
                text("why_unsafe", show_if={"question": "safe", "equals": "no"}),
                text("outdoors", show_if={"question": "places", "any_of": ["park", "shops"]}),
                text("anything"),
            ],
        },
        {
            "id": "park_page",
            "show_if": {"question": "places", "equals": "park"},
            "questions": [text("park_detail")],
        },
        {
            "id": "skipped",
            "show_if": {"question": "places", "answered": False},
            "questions": [text("why_skip")],
        },
    )


def question_ids(survey: Survey, page_id: str, answers: dict[str, Any]) -> list[str]:
    page = survey.page(page_id)
    assert page is not None
    return [q.id for q in visible_questions(page, answers)]


def test_question_show_if_equals_on_single_choice(places_survey: Survey) -> None:
    assert "why_unsafe" in question_ids(places_survey, "detail", {"safe": ["no"]})
    assert "why_unsafe" not in question_ids(places_survey, "detail", {"safe": ["yes"]})
    assert "why_unsafe" not in question_ids(places_survey, "detail", {"safe": ["dont_know"]})
    assert "why_unsafe" not in question_ids(places_survey, "detail", {})


def test_question_show_if_any_of_on_multiple_choice(places_survey: Survey) -> None:
    assert question_ids(places_survey, "detail", {"places": ["school", "shops"]}) == [
        "outdoors",
        "anything",
    ]
    assert question_ids(places_survey, "detail", {"places": ["school"]}) == ["anything"]
    assert question_ids(places_survey, "detail", {"places": ["rather_not_say"]}) == ["anything"]


def test_page_show_if_hides_every_question_on_it(places_survey: Survey) -> None:
    assert question_ids(places_survey, "park_page", {"places": ["park"]}) == ["park_detail"]
    assert question_ids(places_survey, "park_page", {"places": ["shops"]}) == []
    assert question_ids(places_survey, "skipped", {}) == ["why_skip"]
    assert question_ids(places_survey, "skipped", {"places": ["shops"]}) == []


def test_visible_pages_follow_the_answers(places_survey: Survey) -> None:
    def pages(answers: dict[str, Any]) -> list[str]:
        return [p.id for p in visible_pages(places_survey, answers)]

    assert pages({}) == ["start", "detail", "skipped"]
    assert pages({"places": ["park"]}) == ["start", "detail", "park_page"]
    assert pages({"places": ["school"], "safe": ["no"]}) == ["start", "detail"]


def test_page_whose_questions_are_all_hidden_is_not_visible() -> None:
    survey = build(
        {"id": "one", "questions": [single("go", "yes", "no")]},
        {"id": "two", "questions": [text("more", show_if={"question": "go", "equals": "yes"})]},
        {"id": "three", "questions": [text("end")]},
    )
    assert [p.id for p in visible_pages(survey, {"go": ["no"]})] == ["one", "three"]
    assert [p.id for p in visible_pages(survey, {"go": ["yes"]})] == ["one", "two", "three"]


def test_visible_pages_ignore_answers_to_hidden_questions() -> None:
    # go=no hides `more`; a stale answer to `more` must not reveal page three.
    survey = build(
        {"id": "one", "questions": [single("go", "yes", "no")]},
        {"id": "two", "questions": [text("more", show_if={"question": "go", "equals": "yes"})]},
        {
            "id": "three",
            "show_if": {"question": "more", "answered": True},
            "questions": [text("end")],
        },
    )
    stale = {"go": ["no"], "more": "left over"}
    assert [p.id for p in visible_pages(survey, stale)] == ["one"]
    assert [p.id for p in visible_pages(survey, {**stale, "go": ["yes"]})] == [
        "one",
        "two",
        "three",
    ]


# -- prune_hidden --------------------------------------------------------------------------


def test_prune_keeps_visible_answers(places_survey: Survey) -> None:
    answers = {
        "places": ["park"],
        "safe": ["no"],
        "why_unsafe": "dark",
        "outdoors": "yes",
        "anything": "no",
        "park_detail": "big",
    }
    assert prune_hidden(places_survey, answers) == answers


def test_prune_drops_answer_hidden_by_a_changed_answer(places_survey: Survey) -> None:
    before = {"places": ["park"], "safe": ["no"], "why_unsafe": "dark", "park_detail": "big"}
    after = prune_hidden(places_survey, {**before, "safe": ["yes"]})
    assert after == {"places": ["park"], "safe": ["yes"], "park_detail": "big"}


def test_prune_drops_answers_on_a_page_hidden_by_a_changed_answer(places_survey: Survey) -> None:
    answers = {"places": ["shops"], "outdoors": "busy", "park_detail": "big"}
    assert prune_hidden(places_survey, answers) == {"places": ["shops"], "outdoors": "busy"}


def test_prune_drops_unknown_keys_and_empty_answers(places_survey: Survey) -> None:
    answers = {"places": [], "safe": ["yes"], "anything": "", "not_a_question": "x"}
    assert prune_hidden(places_survey, answers) == {"safe": ["yes"]}


def test_prune_does_not_change_its_input(places_survey: Survey) -> None:
    answers = {"safe": ["yes"], "why_unsafe": "dark"}
    prune_hidden(places_survey, answers)
    assert answers == {"safe": ["yes"], "why_unsafe": "dark"}


@pytest.fixture
def chain_survey() -> Survey:
    """A reveals B; B's answer reveals C; C's answer reveals page D."""
    return build(
        {"id": "pa", "questions": [single("a", "yes", "no")]},
        {
            "id": "pb",
            "questions": [single("b", "yes", "no", show_if={"question": "a", "equals": "yes"})],
        },
        {
            "id": "pc",
            "questions": [multiple("c", "x", "y", show_if={"question": "b", "any_of": ["yes"]})],
        },
        {"id": "pd", "show_if": {"question": "c", "answered": True}, "questions": [text("d")]},
        {"id": "pe", "questions": [text("e")]},
    )


def test_chain_kept_while_each_link_holds(chain_survey: Survey) -> None:
    answers = {"a": ["yes"], "b": ["yes"], "c": ["x"], "d": "deep", "e": "end"}
    assert prune_hidden(chain_survey, answers) == answers
    assert [p.id for p in visible_pages(chain_survey, answers)] == ["pa", "pb", "pc", "pd", "pe"]


def test_chain_changing_the_first_answer_drops_everything_it_revealed(
    chain_survey: Survey,
) -> None:
    answers = {"a": ["no"], "b": ["yes"], "c": ["x"], "d": "deep", "e": "end"}
    assert prune_hidden(chain_survey, answers) == {"a": ["no"], "e": "end"}
    assert [p.id for p in visible_pages(chain_survey, answers)] == ["pa", "pe"]


def test_chain_changing_a_middle_answer_drops_only_what_follows(chain_survey: Survey) -> None:
    answers = {"a": ["yes"], "b": ["no"], "c": ["x"], "d": "deep", "e": "end"}
    assert prune_hidden(chain_survey, answers) == {"a": ["yes"], "b": ["no"], "e": "end"}


def test_chain_with_first_answer_removed(chain_survey: Survey) -> None:
    answers = {"b": ["yes"], "c": ["y"], "d": "deep"}
    assert prune_hidden(chain_survey, answers) == {}


def test_answered_false_reveals_when_earlier_question_is_pruned() -> None:
    survey = build(
        {"id": "p1", "questions": [single("a", "yes", "no")]},
        {"id": "p2", "questions": [text("b", show_if={"question": "a", "equals": "yes"})]},
        {"id": "p3", "questions": [text("c", show_if={"question": "b", "answered": False})]},
    )
    # b's stale answer is dropped, so c (shown when b is unanswered) becomes visible.
    assert prune_hidden(survey, {"a": ["no"], "b": "stale", "c": "kept"}) == {
        "a": ["no"],
        "c": "kept",
    }
    assert prune_hidden(survey, {"a": ["yes"], "b": "real", "c": "stale"}) == {
        "a": ["yes"],
        "b": "real",
    }


# -- matrix ------------------------------------------------------------------------------


@pytest.fixture
def matrix_survey() -> Survey:
    return build(
        {"id": "p1", "questions": [single("a", "yes", "no")]},
        {
            "id": "p2",
            "questions": [
                {
                    "id": "grid",
                    "type": "matrix",
                    "text": "Agree?",
                    "scale": "faces3",
                    "statements": [
                        {"id": "safe", "text": "Safe"},
                        {"id": "heard", "text": "Heard"},
                    ],
                    "show_if": {"question": "a", "equals": "yes"},
                },
            ],
        },
        {
            "id": "p3",
            "show_if": {"question": "grid", "answered": True},
            "questions": [text("after")],
        },
    )


def test_matrix_answers_are_kept_under_statement_keys(matrix_survey: Survey) -> None:
    answers = {"a": ["yes"], "grid.safe": ["1"], "grid.heard": ["3"], "grid": ["2"]}
    # Only the statement keys are answers to a matrix; a bare `grid` key is not.
    assert prune_hidden(matrix_survey, answers) == {
        "a": ["yes"],
        "grid.safe": ["1"],
        "grid.heard": ["3"],
    }


def test_matrix_answers_dropped_when_matrix_hidden(matrix_survey: Survey) -> None:
    answers = {"a": ["no"], "grid.safe": ["1"], "grid.heard": ["3"]}
    assert prune_hidden(matrix_survey, answers) == {"a": ["no"]}


def test_matrix_item_keys(matrix_survey: Survey) -> None:
    grid = matrix_survey.question("grid")
    assert grid is not None
    assert grid.item_keys() == ("grid.safe", "grid.heard")
    a = matrix_survey.question("a")
    assert a is not None and a.item_keys() == ("a",)


def test_answered_on_a_matrix_counts_any_statement(matrix_survey: Survey) -> None:
    # The condition names the matrix; its answers live under statement keys.
    def pages(answers: dict[str, Any]) -> list[str]:
        return [p.id for p in visible_pages(matrix_survey, answers)]

    assert pages({"a": ["yes"], "grid.safe": ["1"], "grid.heard": ["2"]}) == ["p1", "p2", "p3"]
    assert pages({"a": ["yes"], "grid.heard": ["2"]}) == ["p1", "p2", "p3"]
    assert pages({"a": ["yes"]}) == ["p1", "p2"]
    assert pages({"a": ["yes"], "grid.safe": []}) == ["p1", "p2"]
    # Hidden matrix: its stale answers do not reveal the page that depends on it.
    assert pages({"a": ["no"], "grid.safe": ["1"]}) == ["p1"]


def test_answered_on_a_matrix_keeps_the_dependent_answer(matrix_survey: Survey) -> None:
    answers = {"a": ["yes"], "grid.safe": ["1"], "after": "kept"}
    assert prune_hidden(matrix_survey, answers) == answers
    assert prune_hidden(matrix_survey, {"a": ["yes"], "after": "dropped"}) == {"a": ["yes"]}


def test_answered_false_on_a_matrix() -> None:
    condition = Condition("grid", answered=False)
    assert condition_holds(condition, {}) is True
    assert condition_holds(condition, {"grid.safe": ["1"]}) is False
    # A question whose id merely starts the same way is a different question.
    assert condition_holds(condition, {"grid_other": ["1"], "gridx.safe": ["1"]}) is True
