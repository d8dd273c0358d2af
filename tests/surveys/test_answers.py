"""read_page: what a respondent sent for one page, cleaned and checked."""

from __future__ import annotations

from typing import Any

import pytest

from surveys import parse_survey
from surveys.answers import AnswerProblem, PageInput, clean_text, read_page
from surveys.model import Question


def opts(*values: str) -> list[dict[str, str]]:
    return [{"value": v, "label": v.title()} for v in values]


QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "single",
        "type": "single_choice",
        "text": "One?",
        "options": opts("a", "b", "c"),
        "dont_know": True,
    },
    {
        "id": "single_req",
        "type": "single_choice",
        "text": "One!",
        "options": opts("a", "b"),
        "required": True,
    },
    {
        "id": "multi",
        "type": "multiple_choice",
        "text": "Any?",
        "options": opts("a", "b", "c", "d"),
        "max_choices": 2,
        "dont_know": True,
        "rather_not_say": True,
    },
    {
        "id": "multi_req",
        "type": "multiple_choice",
        "text": "Any!",
        "options": opts("a", "b"),
        "required": True,
    },
    {"id": "agree", "type": "agreement", "text": "Agree?"},
    {"id": "faces", "type": "faces", "points": 3, "text": "Mood?"},
    {"id": "score", "type": "scale_0_10", "text": "Score?"},
    {
        "id": "grid",
        "type": "matrix",
        "text": "Grid?",
        "scale": "faces5",
        "required": True,
        "statements": [{"id": "one", "text": "One"}, {"id": "two", "text": "Two"}],
    },
    {"id": "age", "type": "number", "text": "Age?", "min": 11, "max": 25},
    {
        "id": "big",
        "type": "number",
        "text": "Count?",
        "min": -5,
        "max": 1_000_000,
        "required": True,
    },
    {"id": "short", "type": "short_text", "text": "Short?", "max_length": 20},
    {"id": "long", "type": "long_text", "text": "Long?", "required": True},
]
SURVEY = parse_survey(
    {
        "id": "answers",
        "title": "Answers",
        "audience": "mixed",
        "pages": [{"id": "everything", "questions": QUESTIONS}],
    }
)


def q(question_id: str) -> Question:
    question = SURVEY.question(question_id)
    assert question is not None
    return question


def read(question_id: str, *values: str, key: str | None = None) -> PageInput:
    return read_page([q(question_id)], {key or question_id: list(values)})


def codes(result: PageInput) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in result.problems]


def only_problem(result: PageInput) -> AnswerProblem:
    assert result.answers == {}
    assert not result.ok
    assert len(result.problems) == 1
    return result.problems[0]


# -- choices -------------------------------------------------------------------------------


@pytest.mark.parametrize("qid", ["single", "agree", "faces", "score"])
def test_empty_optional_single_choice_is_simply_absent(qid: str) -> None:
    for form in ({}, {qid: []}, {qid: [""]}):
        result = read_page([q(qid)], form)
        assert result.ok and result.answers == {}


def test_choose_one_only_when_required() -> None:
    assert only_problem(read("single_req")) == AnswerProblem("single_req", "choose_one")
    assert only_problem(read("single_req", "")) == AnswerProblem("single_req", "choose_one")
    assert read("single").ok


def test_choose_any_only_when_required() -> None:
    assert only_problem(read("multi_req")) == AnswerProblem("multi_req", "choose_any")
    assert read("multi").ok and read("multi").answers == {}


def test_single_choice_answer() -> None:
    result = read("single", "b")
    assert result.ok and result.answers == {"single": ["b"]}


@pytest.mark.parametrize(
    ("qid", "value"),
    [
        ("agree", "strongly_disagree"),
        ("faces", "3"),
        ("score", "0"),
        ("score", "10"),
        ("single", "dont_know"),
    ],
)
def test_built_in_and_escape_options_are_accepted(qid: str, value: str) -> None:
    assert read(qid, value).answers == {qid: [value]}


def test_two_values_to_a_single_choice() -> None:
    assert only_problem(read("single", "a", "b")) == AnswerProblem("single", "one_answer_only")


def test_blank_values_do_not_count_as_a_second_answer() -> None:
    assert read("single", "", "a", "").answers == {"single": ["a"]}


@pytest.mark.parametrize(
    ("qid", "values"),
    [
        ("single", ["z"]),
        ("single", ["A"]),
        ("single", ["a "]),
        ("faces", ["4"]),  # a 3-point scale
        ("score", ["11"]),
        ("agree", ["rather_not_say"]),  # not offered on this question
        ("multi", ["a", "forged"]),
        ("multi", ["a", "a"]),  # duplicates
    ],
)
def test_not_an_option(qid: str, values: list[str]) -> None:
    assert only_problem(read(qid, *values)) == AnswerProblem(qid, "not_an_option")


def test_multiple_choice_answer_keeps_the_order_sent() -> None:
    assert read("multi", "c", "a").answers == {"multi": ["c", "a"]}


@pytest.mark.parametrize(
    "values", [["a", "dont_know"], ["rather_not_say", "b"], ["dont_know", "rather_not_say"]]
)
def test_exclusive_combined(values: list[str]) -> None:
    # The problem names the exclusive answer chosen, so the page can say which one.
    exclusive = next(v for v in values if v in ("dont_know", "rather_not_say"))
    assert only_problem(read("multi", *values)) == AnswerProblem(
        "multi", "exclusive_combined", {"option": exclusive}
    )


@pytest.mark.parametrize("value", ["dont_know", "rather_not_say"])
def test_exclusive_option_alone_is_fine(value: str) -> None:
    assert read("multi", value).answers == {"multi": [value]}


def test_too_many_choices() -> None:
    problem = only_problem(read("multi", "a", "b", "c"))
    assert problem.code == "too_many_choices"
    assert problem.field == "multi"
    assert problem.params == {"max": 2}
    assert read("multi", "a", "d").answers == {"multi": ["a", "d"]}


def test_matrix_reads_each_statement() -> None:
    result = read_page([q("grid")], {"grid.one": ["5"], "grid.two": ["1"], "grid": ["3"]})
    assert result.ok
    assert result.answers == {"grid.one": ["5"], "grid.two": ["1"]}


def test_matrix_problems_name_the_statement() -> None:
    result = read_page([q("grid")], {"grid.one": ["6"]})
    assert codes(result) == [("grid.one", "not_an_option"), ("grid.two", "choose_one")]
    result = read_page([q("grid")], {"grid.one": ["1", "2"], "grid.two": ["2"]})
    assert codes(result) == [("grid.one", "one_answer_only")]
    assert result.answers == {"grid.two": ["2"]}


# -- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("14", 14),
        (" 14 ", 14),
        ("+14", 14),
        ("\uff11\uff14", 14),
        ("1,000", 1000),
        ("1,000,000", 1_000_000),
        ("-5", -5),
        ("\uff0d\uff15", -5),
        ("0", 0),
    ],
)
def test_numbers_are_normalised(raw: str, number: int) -> None:
    qid = "age" if 11 <= number <= 25 else "big"
    result = read(qid, raw)
    assert result.ok, result.problems
    assert result.answers == {qid: number}
    assert type(result.answers[qid]) is int


@pytest.mark.parametrize(
    "raw", ["12.5", "ten", "1e5", "1 000", "0x10", "--5", "12a", "½", "1234567890"]
)
def test_not_a_whole_number(raw: str) -> None:
    assert only_problem(read("big", raw)) == AnswerProblem("big", "not_a_whole_number")


@pytest.mark.parametrize("raw", ["10", "26", "-1", "999", "1,000,001"])
def test_number_out_of_range(raw: str) -> None:
    assert only_problem(read("age", raw)) == AnswerProblem(
        "age", "number_out_of_range", {"min": 11, "max": 25}
    )


@pytest.mark.parametrize("raw", ["11", "25"])
def test_number_range_is_inclusive(raw: str) -> None:
    assert read("age", raw).answers == {"age": int(raw)}


def test_enter_number_only_when_required() -> None:
    assert only_problem(read("big")) == AnswerProblem("big", "enter_number")
    assert only_problem(read("big", "   ")) == AnswerProblem("big", "enter_number")
    for result in (read("age"), read("age", ""), read("age", "  ")):
        assert result.ok and result.answers == {}


def test_two_values_to_a_number() -> None:
    assert only_problem(read("age", "12", "13")) == AnswerProblem("age", "one_answer_only")


# -- text ----------------------------------------------------------------------------------


def test_text_answer_is_stripped() -> None:
    assert read("short", "  hello  ").answers == {"short": "hello"}


def test_two_values_to_a_text_field() -> None:
    assert only_problem(read("short", "one", "two")) == AnswerProblem("short", "one_answer_only")


def test_enter_text_only_when_required() -> None:
    assert only_problem(read("long")) == AnswerProblem("long", "enter_text")
    assert only_problem(read("long", " \n\t ")) == AnswerProblem("long", "enter_text")
    assert only_problem(read("long", "\x00\x07")) == AnswerProblem("long", "enter_text")
    for result in (read("short"), read("short", ""), read("short", "   ")):
        assert result.ok and result.answers == {}


def test_too_long() -> None:
    problem = only_problem(read("short", "x" * 21))
    assert problem == AnswerProblem("short", "too_long", {"max": 20, "length": 21})
    assert read("short", "x" * 20).answers == {"short": "x" * 20}


def test_long_text_default_limit() -> None:
    assert read("long", "y" * 2000).ok
    assert only_problem(read("long", "y" * 2001)).code == "too_long"


def test_length_is_counted_after_cleaning() -> None:
    assert read("short", "  " + "x" * 20 + "\x00\x00  ").answers == {"short": "x" * 20}


def test_unreadable_text() -> None:
    assert only_problem(read("short", "caf\ufffd")) == AnswerProblem("short", "unreadable_text")


def test_control_characters_are_stripped() -> None:
    raw = "a\x00b\x01c\x08d\x0be\x0cf\x1bg\x7fh"
    assert read("long", raw).answers == {"long": "abcdefgh"}


def test_tab_and_newline_are_kept_and_crlf_normalised() -> None:
    assert read("long", "one\r\ntwo\rthree\n\tfour").answers == {"long": "one\ntwo\nthree\n\tfour"}


def test_clean_text() -> None:
    assert clean_text("\r\n  x\x00y\r\n\r\n") == "xy"
    assert clean_text("a\r\rb") == "a\n\nb"


def test_text_is_scrubbed() -> None:
    result = read("long", "Mail me at kid@example.com or ring 07700 900123")
    assert result.answers == {"long": "Mail me at [email removed] or ring [phone number removed]"}


def test_the_limit_counts_what_was_typed_not_the_scrubbed_text() -> None:
    # The live counter under the box counts what the person typed; the check must agree
    # with it. 13 characters typed fit a 20-character limit even though the stored text,
    # with the scrubber's markers, is 31 characters.
    assert read("short", "a@b.co a@b.co").answers == {"short": "[email removed] [email removed]"}
    problem = only_problem(read("short", "a@b.co " + "x" * 14))
    assert problem == AnswerProblem("short", "too_long", {"max": 20, "length": 21})


def test_the_length_counts_characters_not_utf16_units() -> None:
    # An emoji is one character to the person (and to the counter, which counts code points).
    assert read("short", "\N{GRINNING FACE}" * 20).ok


def test_stored_scrubbed_text_can_be_sent_again_unchanged() -> None:
    first = read("long", "ring 07700 900123 or see www.example.com/page")
    stored = first.answers["long"]
    assert read("long", str(stored)).answers == {"long": stored}


def test_scrubbing_can_bring_typed_text_within_the_limit_only_if_typed_text_fits() -> None:
    # A 24-character URL typed into a 20-character field is still too long.
    problem = only_problem(read("short", "http://example.com/abcde"))
    assert problem.code == "too_long"
    assert problem.params == {"max": 20, "length": 24}


# -- the page as a whole ---------------------------------------------------------------------


def test_fields_not_on_the_page_are_ignored() -> None:
    form = {"single": ["a"], "age": ["12"], "sneaky": ["x"], "csrf_token": ["t"], "multi": ["a"]}
    result = read_page([q("single"), q("age")], form)
    assert result.ok
    assert result.answers == {"single": ["a"], "age": 12}


def test_whole_page_collects_every_problem_and_every_good_answer() -> None:
    questions = [q(i) for i in ("single", "single_req", "multi", "grid", "age", "short", "long")]
    form = {
        "single": ["c"],
        "multi": ["a", "dont_know"],
        "grid.one": ["2"],
        "age": ["ten"],
        "short": ["fine"],
    }
    result = read_page(questions, form)
    assert result.answers == {"single": ["c"], "grid.one": ["2"], "short": "fine"}
    assert codes(result) == [
        ("single_req", "choose_one"),
        ("multi", "exclusive_combined"),
        ("grid.two", "choose_one"),
        ("age", "not_a_whole_number"),
        ("long", "enter_text"),
    ]
    assert not result.ok


def test_empty_form_for_optional_questions() -> None:
    optional = [question for question in SURVEY.questions() if not question.required]
    result = read_page(optional, {})
    assert result.ok and result.answers == {}


def test_form_values_may_be_tuples() -> None:
    assert read_page([q("multi")], {"multi": ("a", "b")}).answers == {"multi": ["a", "b"]}


# -- an author's own exclusive answer ("None of these") --------------------------------------

PLACES = parse_survey(
    {
        "id": "places",
        "title": "Places",
        "audience": "parents",
        "questions": [
            {
                "id": "worry",
                "type": "multiple_choice",
                "text": "Which places worry you?",
                "options": [
                    *opts("parks", "shops"),
                    {"value": "no_places", "label": "No places worry me", "exclusive": True},
                ],
                "dont_know": True,
            }
        ],
    }
).questions()[0]


@pytest.mark.parametrize("values", [["parks", "no_places"], ["no_places", "dont_know"]])
def test_an_authored_exclusive_answer_cannot_be_combined(values: list[str]) -> None:
    result = read_page([PLACES], {"worry": values})
    assert only_problem(result) == AnswerProblem(
        "worry", "exclusive_combined", {"option": "no_places"}
    )


def test_an_authored_exclusive_answer_alone_is_fine() -> None:
    assert read_page([PLACES], {"worry": ["no_places"]}).answers == {"worry": ["no_places"]}
    assert read_page([PLACES], {"worry": ["parks", "shops"]}).answers == {
        "worry": ["parks", "shops"]
    }
