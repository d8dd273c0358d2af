"""show_if evaluation: which pages and questions a respondent sees, and what is kept."""

from __future__ import annotations

from typing import Any

import pytest

from surveys import parse_survey
from surveys.conditions import (
    MAX_RULE_DEPTH,
    condition_holds,
    is_answered,
    prune_hidden,
    visible_pages,
    visible_questions,
)
from surveys.loader import SurveyDefinitionError
from surveys.model import AllOf, AnyOf, Comparison, Condition, Not, Survey


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


# -- composite and comparing rules -----------------------------------------------------------


def number(qid: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "type": "number", "text": qid, "min": 0, "max": 120, **extra}


def rule_survey(rule: Any, *earlier: dict[str, Any]) -> Survey:
    """The earlier questions on page one; `later`, shown by `rule`, on page two."""
    return build(
        {"id": "first", "questions": list(earlier)},
        {"id": "second", "questions": [text("later", show_if=rule)]},
    )


def rule_of(survey: Survey) -> Any:
    later = survey.question("later")
    assert later is not None
    return later.show_if


def problems_for(rule: Any, *earlier: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(SurveyDefinitionError) as caught:
        rule_survey(rule, *earlier)
    return [(p.where, p.message) for p in caught.value.problems]


def test_the_three_simple_shapes_still_load_as_they_did() -> None:
    survey = rule_survey({"question": "safe", "equals": "no"}, single("safe", "yes", "no"))
    assert rule_of(survey) == Condition("safe", equals="no")
    # A published version's content hash covers its rules, so their stored form must not move.
    stored = survey.to_dict()["pages"][1]["questions"][0]["show_if"]
    assert stored == {"question": "safe", "equals": "no", "any_of": None, "answered": None}


def test_all_any_and_not_load_as_nested_rules() -> None:
    rule = {
        "all": [
            {"question": "age", "at_least": 13},
            {
                "any": [
                    {"question": "safe", "equals": "no"},
                    {"question": "safe", "answered": False},
                ]
            },
            {"not": {"question": "places", "count_at_least": 3}},
        ]
    }
    survey = rule_survey(
        rule,
        number("age"),
        single("safe", "yes", "no"),
        multiple("places", "park", "shops", "school"),
    )

    assert rule_of(survey) == AllOf(
        all=(
            Comparison("age", "at_least", 13),
            AnyOf(any=(Condition("safe", equals="no"), Condition("safe", answered=False))),
            Not(negated=Comparison("places", "count_at_least", 3)),
        )
    )


def test_all_and_any_of_the_same_rules_are_different_content() -> None:
    parts = [{"question": "safe", "equals": "no"}, {"question": "age", "at_least": 13}]
    earlier = (single("safe", "yes", "no"), number("age"))
    every = rule_survey({"all": parts}, *earlier)
    some = rule_survey({"any": parts}, *earlier)
    assert every.content_hash() != some.content_hash()


@pytest.mark.parametrize(
    ("test", "value", "answer", "holds"),
    [
        ("at_least", 13, 13, True),
        ("at_least", 13, 12, False),
        ("at_most", 13, 13, True),
        ("at_most", 13, 14, False),
        ("greater_than", 13, 14, True),
        ("greater_than", 13, 13, False),
        ("less_than", 13, 12, True),
        ("less_than", 13, 13, False),
        ("at_least", 0, 0, True),
        ("at_least", -5, -5, True),
    ],
)
def test_comparing_a_number(test: str, value: int, answer: int, holds: bool) -> None:
    assert condition_holds(Comparison("age", test, value), {"age": answer}) is holds


@pytest.mark.parametrize("test", ["at_least", "at_most", "greater_than", "less_than"])
def test_a_comparison_with_no_answer_does_not_hold(test: str) -> None:
    assert condition_holds(Comparison("age", test, 13), {}) is False
    assert condition_holds(Comparison("age", test, 13), {"age": "13"}) is False


@pytest.mark.parametrize(
    ("chosen", "holds"),
    [(["4"], True), (["5"], True), (["3"], False), (["dont_know"], False), ([], False)],
)
def test_comparing_a_scale_compares_the_chosen_point(chosen: list[str], holds: bool) -> None:
    assert condition_holds(Comparison("mood", "at_least", 4), {"mood": chosen}) is holds


@pytest.mark.parametrize(
    ("answers", "holds"),
    [({"safe": ["yes"]}, False), ({"safe": ["no"]}, True), ({}, True), ({"safe": []}, True)],
)
def test_not_equals_also_holds_when_unanswered(answers: dict[str, Any], holds: bool) -> None:
    assert condition_holds(Comparison("safe", "not_equals", "yes"), answers) is holds


@pytest.mark.parametrize(
    ("chosen", "holds"), [([], False), (["park"], False), (["park", "shops"], True)]
)
def test_count_at_least(chosen: list[str], holds: bool) -> None:
    assert condition_holds(Comparison("places", "count_at_least", 2), {"places": chosen}) is holds


def test_all_any_not_combine() -> None:
    teen = Comparison("age", "at_least", 13)
    unsafe = Condition("safe", equals="no")
    assert condition_holds(AllOf(all=(teen, unsafe)), {"age": 15, "safe": ["no"]}) is True
    assert condition_holds(AllOf(all=(teen, unsafe)), {"age": 12, "safe": ["no"]}) is False
    assert condition_holds(AnyOf(any=(teen, unsafe)), {"age": 12, "safe": ["no"]}) is True
    assert condition_holds(AnyOf(any=(teen, unsafe)), {"age": 12}) is False
    assert condition_holds(Not(negated=teen), {"age": 12}) is True
    assert condition_holds(Not(negated=AnyOf(any=(teen, unsafe))), {}) is True


def test_a_composite_page_rule_prunes_what_it_hides() -> None:
    survey = build(
        {"id": "p1", "questions": [number("age"), single("safe", "yes", "no")]},
        {
            "id": "p2",
            "show_if": {
                "all": [
                    {"question": "age", "at_least": 13},
                    {"not": {"question": "safe", "equals": "yes"}},
                ]
            },
            "questions": [text("why")],
        },
        {"id": "p3", "questions": [text("end")]},
    )
    shown = {"age": 14, "safe": ["no"], "why": "dark", "end": "bye"}
    assert prune_hidden(survey, shown) == shown
    assert prune_hidden(survey, {**shown, "age": 12}) == {"age": 12, "safe": ["no"], "end": "bye"}
    assert [p.id for p in visible_pages(survey, {"age": 14})] == ["p1", "p2", "p3"]
    assert [p.id for p in visible_pages(survey, {"age": 14, "safe": ["yes"]})] == ["p1", "p3"]


def test_comparisons_load_on_number_and_whole_number_scales() -> None:
    survey = rule_survey(
        {
            "any": [
                {"question": "age", "less_than": 13},
                {"question": "mood", "at_most": 2},
                {"question": "score", "greater_than": 8},
                {"question": "rating", "at_least": 4},
                {"question": "safe", "not_equals": "yes"},
            ]
        },
        number("age"),
        {"id": "mood", "type": "faces", "text": "Mood?", "points": 5, "rather_not_say": True},
        {"id": "score", "type": "scale_0_10", "text": "Score?"},
        single("rating", "1", "2", "3", "4", "5"),
        single("safe", "yes", "no"),
    )
    assert rule_of(survey).any[1] == Comparison("mood", "at_most", 2)


# -- validation of composite and comparing rules ----------------------------------------------


def test_a_nested_rule_on_a_later_question_names_where_it_is() -> None:
    problems = problems_for(
        {"all": [{"question": "safe", "equals": "no"}, {"question": "later", "answered": True}]},
        single("safe", "yes", "no"),
    )
    assert problems == [
        (
            "question 'later'",
            "show_if (all, rule 2) refers to 'later', which is not an earlier question",
        )
    ]


def test_a_rule_nested_twice_names_the_whole_path() -> None:
    problems = problems_for(
        {
            "any": [
                {"question": "safe", "answered": True},
                {"not": {"question": "safe", "equals": "maybe"}},
            ]
        },
        single("safe", "yes", "no"),
    )
    assert problems == [
        ("question 'later'", "show_if (any, rule 2; not) value 'maybe' is not an option of 'safe'")
    ]


def test_every_problem_in_a_composite_rule_is_reported() -> None:
    problems = problems_for(
        {"all": [{"question": "ghost", "answered": True}, {"question": "safe", "equals": "maybe"}]},
        single("safe", "yes", "no"),
    )
    assert [where for where, _ in problems] == ["question 'later'", "question 'later'"]
    assert "'ghost', which is not an earlier question" in problems[0][1]
    assert "'maybe' is not an option of 'safe'" in problems[1][1]


@pytest.mark.parametrize(
    ("rule", "phrase"),
    [
        ({"all": {"question": "safe", "equals": "no"}}, "show_if all must be a list of rules"),
        ({"any": []}, "show_if any must be a list of rules"),
        ({"not": [{"question": "safe", "equals": "no"}]}, "show_if not must be one rule"),
        (
            {"all": [{"question": "safe", "equals": "no"}], "question": "safe"},
            "show_if all, any and not take no other fields",
        ),
        (
            {"all": [{"question": "safe", "equals": "no"}], "any": []},
            "show_if all, any and not take no other fields",
        ),
        ({"question": "safe", "at_least": 1, "at_most": 2}, "show_if needs exactly one of"),
    ],
)
def test_malformed_composite_rules(rule: Any, phrase: str) -> None:
    problems = problems_for(rule, single("safe", "yes", "no"))
    assert len(problems) == 1
    assert problems[0][0] == "question 'later'"
    assert phrase in problems[0][1]


@pytest.mark.parametrize(
    ("rule", "phrase"),
    [
        (
            {"question": "why", "at_least": 3},
            "show_if at_least compares a number; 'why' is a short_text question",
        ),
        (
            {"question": "places", "less_than": 3},
            "show_if less_than compares a number; 'places' is a multiple_choice question",
        ),
        (
            {"question": "safe", "greater_than": 1},
            "show_if greater_than compares a number; 'safe' is a single_choice question",
        ),
        ({"question": "age", "at_most": "ten"}, "show_if at_most must be a whole number"),
        ({"question": "age", "at_most": True}, "show_if at_most must be a whole number"),
        (
            {"question": "age", "count_at_least": 1},
            "show_if count_at_least counts the answers chosen; 'age' has no options",
        ),
        (
            {"question": "places", "count_at_least": 0},
            "show_if count_at_least must be a whole number from 1 to 100",
        ),
        (
            {"question": "safe", "not_equals": "maybe"},
            "show_if value 'maybe' is not an option of 'safe'",
        ),
        (
            {"question": "age", "not_equals": "3"},
            "show_if can test the value only of a question with options; 'age' has none",
        ),
    ],
)
def test_comparisons_that_do_not_fit_their_question(rule: Any, phrase: str) -> None:
    earlier = (
        number("age"),
        text("why"),
        single("safe", "yes", "no"),
        multiple("places", "park", "shops"),
    )
    problems = problems_for(rule, *earlier)
    assert [where for where, _ in problems] == ["question 'later'"]
    assert phrase in problems[0][1]


def test_a_rule_nested_too_deeply_is_refused() -> None:
    rule: Any = {"question": "safe", "equals": "no"}
    for _ in range(MAX_RULE_DEPTH):
        rule = {"not": rule}
    problems = problems_for(rule, single("safe", "yes", "no"))
    assert problems == [
        ("question 'later'", f"show_if is nested too deeply: at most {MAX_RULE_DEPTH} levels")
    ]
    rule_survey(rule["not"], single("safe", "yes", "no"))  # one level less is fine


def test_a_composite_page_rule_on_its_own_question_is_refused() -> None:
    with pytest.raises(SurveyDefinitionError) as caught:
        build(
            {
                "id": "only",
                "show_if": {"any": [{"question": "q", "answered": True}]},
                "questions": [single("q", "yes", "no")],
            }
        )
    assert [(p.where, p.message) for p in caught.value.problems] == [
        (
            "page 'only'",
            "show_if (any, rule 1) refers to 'q', which is on the same page, not an earlier one",
        )
    ]
