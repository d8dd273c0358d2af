"""Property-based tests: the loader, read_page, scrub and prune_hidden on arbitrary input."""

from __future__ import annotations

import re
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import parse_survey, parse_survey_text
from surveys.answers import read_page
from surveys.conditions import is_answered, prune_hidden, visible_questions
from surveys.loader import PAGE_KEYS, QUESTION_KEYS, SURVEY_KEYS, SurveyDefinitionError
from surveys.model import Question, QuestionType, Survey
from surveys.scrub import PHONE_LIKE, REMOVED, scrub

# No example database: it would leave a .hypothesis directory in the working tree.
BASE = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
FAST = settings(BASE, max_examples=150)
MORE = settings(BASE, max_examples=300)

# -- the loader ------------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-10, max_value=10)
    | st.integers()
    | st.sampled_from([3.0, 5.0, 0.5, -1.5])
    | st.text(max_size=8)
    | st.sampled_from([t.value for t in QuestionType])
    | st.sampled_from(["young_people", "parents", "agreement", "faces3", "q1", "a", "yes"])
)
anything = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)
FIELD_NAMES = sorted(
    SURVEY_KEYS
    | PAGE_KEYS
    | QUESTION_KEYS
    | {"value", "label", "text", "question", "equals", "any_of", "answered"}
)


def _plausible(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mappings whose keys are real field names, so validation goes deep."""
    return st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(FIELD_NAMES), children, max_size=8
    )


plausible = st.recursive(scalars, _plausible, max_leaves=30)


def _check_loader(document: Any) -> None:
    try:
        survey = parse_survey(document, source="prop")
    except SurveyDefinitionError as exc:
        assert exc.problems
        assert all(p.source == "prop" and p.where and p.message for p in exc.problems)
    else:
        assert isinstance(survey, Survey)
        assert survey.questions()


@FAST
@given(anything)
def test_loader_on_arbitrary_documents(document: Any) -> None:
    _check_loader(document)


@FAST
@given(plausible)
def test_loader_on_documents_made_of_field_names(document: Any) -> None:
    _check_loader(document)


def _survey_with(question: dict[str, Any], condition: Any) -> dict[str, Any]:
    return {
        "id": "prop-survey",
        "title": "T",
        "audience": "parents",
        "pages": [
            {
                "id": "p1",
                "questions": [
                    {
                        "id": "q1",
                        "type": "single_choice",
                        "text": "Q",
                        "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                    },
                ],
            },
            {"id": "p2", "show_if": condition, "questions": [question]},
        ],
    }


@settings(BASE, max_examples=100)
@given(
    question=st.fixed_dictionaries(
        {
            "id": st.sampled_from(["q2", "Q2", "q1"]),
            "type": st.sampled_from([t.value for t in QuestionType]),
        },
        optional={key: plausible for key in sorted(QUESTION_KEYS - {"id", "type"})},
    ),
    condition=st.none()
    | st.fixed_dictionaries(
        {"question": st.sampled_from(["q1", "q2", "zz"])},
        optional={"equals": plausible, "any_of": plausible, "answered": plausible},
    ),
)
def test_loader_on_nearly_valid_questions(question: dict[str, Any], condition: Any) -> None:
    _check_loader(_survey_with(question, condition))


@FAST
@given(anything)
def test_loader_on_documents_sent_as_yaml(document: Any) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    try:
        parse_survey_text(text, source="prop.yaml")
    except SurveyDefinitionError as exc:
        assert all(p.source == "prop.yaml" for p in exc.problems)


yaml_tokens = st.sampled_from(
    [
        "yes",
        "no",
        "~",
        "1",
        "3.0",
        "2024-01-01",
        "2024-13-45",
        "!!int abc",
        "!!float x",
        "!!timestamp x",
        "!!binary x",
        "!!set {a}",
        "!!python/name:os.system",
        "&a x",
        "*a",
        "[a, b]",
        "{value: a, label: A}",
        "|",
        "'q'",
        '"\\x"',
        "single_choice",
        "faces",
    ]
)
yaml_lines = st.lists(
    st.tuples(st.sampled_from(FIELD_NAMES), yaml_tokens).map(": ".join), min_size=1, max_size=6
).map("\n".join)
# Deep enough to exhaust Python's recursion limit in PyYAML's composer without the cap.
deep = st.tuples(st.integers(0, 1500), st.sampled_from(["[", "{a: ", "- "])).map(
    lambda t: t[1] * t[0]
)


@FAST
@given(
    st.text(max_size=200)
    | st.text(alphabet="-:[]{}&*!|>'\"#%?@ \n\tab1yesno.,", max_size=80)
    | yaml_lines
    | deep
)
def test_loader_on_arbitrary_text(text: str) -> None:
    try:
        parse_survey_text(text, source="t")
    except SurveyDefinitionError as exc:
        assert exc.problems and all(p.source == "t" for p in exc.problems)


@FAST
@given(st.binary(max_size=200))
def test_loader_on_arbitrary_bytes(data: bytes) -> None:
    try:
        parse_survey_text(data, source="b")
    except SurveyDefinitionError as exc:
        assert exc.problems and all(p.source == "b" for p in exc.problems)


# -- read_page -------------------------------------------------------------------------------


def _options(*values: str) -> list[dict[str, str]]:
    return [{"value": v, "label": v} for v in values]


PAGE_SURVEY = parse_survey(
    {
        "id": "every-type",
        "title": "Every type",
        "audience": "mixed",
        "pages": [
            {
                "id": "all",
                "questions": [
                    {
                        "id": "single",
                        "type": "single_choice",
                        "text": "x",
                        "options": _options("a", "b"),
                        "dont_know": True,
                    },
                    {
                        "id": "multi",
                        "type": "multiple_choice",
                        "text": "x",
                        "options": _options("a", "b", "c", "d", "e", "f"),
                        "max_choices": 2,
                        "rather_not_say": True,
                        "dont_know": True,
                    },
                    {"id": "agree", "type": "agreement", "text": "x", "required": True},
                    {"id": "faces", "type": "faces", "points": 3, "text": "x"},
                    {"id": "score", "type": "scale_0_10", "text": "x"},
                    {
                        "id": "grid",
                        "type": "matrix",
                        "text": "x",
                        "required": True,
                        "statements": [{"id": "s1", "text": "x"}, {"id": "s2", "text": "y"}],
                    },
                    {"id": "short", "type": "short_text", "text": "x", "max_length": 25},
                    {
                        "id": "long",
                        "type": "long_text",
                        "text": "x",
                        "required": True,
                        "max_length": 60,
                    },
                    {"id": "count", "type": "number", "text": "x", "min": -3, "max": 120},
                ],
            }
        ],
    }
)
QUESTIONS = PAGE_SURVEY.questions()
KEYS = [key for q in QUESTIONS for key in q.item_keys()]
OWNER = {key: q for q in QUESTIONS for key in q.item_keys()}

form_value = (
    st.text(max_size=30)
    | st.sampled_from(
        [
            "",
            "a",
            "b",
            "c",
            "1",
            "3",
            "10",
            "11",
            "dont_know",
            "rather_not_say",
            "agree",
            "strongly_agree",
            "-3",
            "120",
            "1,2",
            "\uff11\uff12",
            "12.5",
            "\ufffd",
            "\x00",
            " 5 ",
            "a@b.co",
            "07700 900123",
            "a@b.co x@y.io",
            "ring 07700 900123 now",
        ]
    )
    | st.from_regex(r"\A[+-]?[\d,]{1,12}\Z")
)
TEXT_VALUES = [
    "a@b.co x@y.io",
    "ring 07700 900123 now",
    " \r\nline\x00 two\t",
    "x" * 26,
    "y" * 61,
    "www.example.com/" + "z" * 10,
]


def _likely_values(question: Question) -> st.SearchStrategy[str]:
    """Values this question could accept."""
    if question.options:
        return st.sampled_from([o.value for o in question.options])
    if question.type is QuestionType.NUMBER:
        return st.integers(-10, 130).map(str)
    return st.sampled_from(TEXT_VALUES) | st.text(max_size=70)


def _lists_for(question: Question) -> st.SearchStrategy[list[str]]:
    """Lists of values for one field: plausible ones, and plausible mixed with anything."""
    likely = _likely_values(question)
    return (
        st.lists(likely, max_size=5, unique=True)
        | st.lists(likely, max_size=3)
        | st.lists(likely | form_value, max_size=5)
    )


forms = st.fixed_dictionaries(
    {},
    optional={key: _lists_for(OWNER[key]) for key in KEYS}
    | {"unrelated": st.lists(form_value, max_size=2)},
)


def _assert_valid(key: str, question: Question, value: Any) -> None:
    if question.options:
        assert isinstance(value, list) and value
        assert len(set(value)) == len(value)
        assert all(question.option(v) is not None for v in value)
        if question.type is not QuestionType.MULTIPLE_CHOICE:
            assert len(value) == 1
        if len(value) > 1:
            assert not any(question.option(v).exclusive for v in value)  # type: ignore[union-attr]
        if question.max_choices:
            assert len(value) <= question.max_choices
    elif question.type is QuestionType.NUMBER:
        assert type(value) is int
        assert question.minimum is not None and question.maximum is not None
        assert question.minimum <= value <= question.maximum
    else:
        assert isinstance(value, str) and value
        # The limit is on what was typed: the scrubber's markers may add to the stored text.
        typed_part = re.sub("|".join(map(re.escape, REMOVED.values())), "", value)
        assert question.max_length is not None and len(typed_part) <= question.max_length
        assert value == value.strip()
        assert "\ufffd" not in value and "\r" not in value
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", value)
        assert scrub(value) == value


@MORE
@given(forms)
def test_read_page_never_raises_and_returns_only_valid_answers(form: dict[str, list[str]]) -> None:
    result = read_page(QUESTIONS, form)
    assert set(result.answers) <= set(KEYS)
    for key, value in result.answers.items():
        _assert_valid(key, OWNER[key], value)
    problem_fields = [p.field for p in result.problems]
    assert set(problem_fields) <= set(KEYS)
    assert len(problem_fields) == len(set(problem_fields))
    # A field is either answered or has a problem, never both.
    assert not set(problem_fields) & set(result.answers)
    assert result.ok == (not result.problems)
    # Required questions end with an answer or a problem.
    for q in QUESTIONS:
        if q.required:
            for key in q.item_keys():
                assert key in result.answers or key in problem_fields


@MORE
@given(st.data())
def test_read_page_one_question_at_a_time(data: st.DataObject) -> None:
    question = data.draw(st.sampled_from(QUESTIONS))
    values = data.draw(_lists_for(question))
    form = {key: values for key in question.item_keys()}
    result = read_page([question], form)
    for key, value in result.answers.items():
        assert key in question.item_keys()
        _assert_valid(key, question, value)
    if not values or all(v == "" for v in values):
        assert result.answers == {}


@FAST
@given(st.sampled_from([q for q in QUESTIONS if q.is_text]), st.text(max_size=80))
def test_accepted_text_can_be_sent_again_unchanged(question: Question, text: str) -> None:
    first = read_page([question], {question.id: [text]})
    if question.id in first.answers:
        stored = first.answers[question.id]
        again = read_page([question], {question.id: [str(stored)]})
        assert again.ok
        assert again.answers == {question.id: stored}


# -- scrub -----------------------------------------------------------------------------------

words = st.sampled_from(
    [
        "I",
        "am",
        "14",
        "in",
        "year",
        "10",
        "at",
        "@",
        "me",
        "home",
        ".",
        ",",
        "-",
        "(",
        ")",
        "+44",
        "07700",
        "900123",
        "020",
        "7946",
        "0958",
        "SW1A",
        "1AA",
        "m1",
        "1ae",
        "www.",
        "example",
        ".com",
        ".co.uk",
        "http://",
        "/path",
        "kid",
        "@some_user",
        "2024",
        "3",
        "or",
        "4",
        "times",
        "\n",
        " ",
        "  ",
    ]
)
realistic = st.lists(words, max_size=25).map(" ".join) | st.lists(words, max_size=25).map("".join)
any_text = (
    st.text(max_size=80)
    | st.text(alphabet="0123456789 +()-.@_abcSWAe\n", max_size=40)
    | st.text(alphabet="@0a._ ", max_size=12)
)


def _phone_like_runs(text: str) -> list[str]:
    return [m.group() for m in PHONE_LIKE.finditer(text)]


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


@FAST
@given(realistic | any_text)
def test_scrub_is_idempotent(text: str) -> None:
    once = scrub(text)
    assert scrub(once) == once


@FAST
@given(realistic | any_text)
def test_scrub_leaves_no_phone_numbers_and_adds_no_digits(text: str) -> None:
    out = scrub(text)
    assert _digits(out) <= _digits(text)
    for run in _phone_like_runs(out):
        assert _digits(run) < 9, (text, out)


@FAST
@given(realistic | any_text)
def test_scrub_only_replaces_with_markers(text: str) -> None:
    out = scrub(text)
    if out != text:
        assert any(marker in out for marker in REMOVED.values())
    # Without a marker in it, nothing was removed.
    if not any(marker in out for marker in REMOVED.values()):
        assert out == text


# -- prune_hidden ----------------------------------------------------------------------------

CHAIN = parse_survey(
    {
        "id": "chain",
        "title": "Chain",
        "audience": "mixed",
        "pages": [
            {
                "id": "p1",
                "questions": [
                    {
                        "id": "a",
                        "type": "multiple_choice",
                        "text": "x",
                        "options": _options("x", "y", "z"),
                    },
                ],
            },
            {
                "id": "p2",
                "questions": [
                    {
                        "id": "b",
                        "type": "single_choice",
                        "text": "x",
                        "options": _options("x", "y"),
                        "show_if": {"question": "a", "any_of": ["x", "y"]},
                    },
                    {
                        "id": "c",
                        "type": "short_text",
                        "text": "x",
                        "show_if": {"question": "a", "answered": False},
                    },
                ],
            },
            {
                "id": "p3",
                "show_if": {"question": "b", "equals": "y"},
                "questions": [
                    {
                        "id": "grid",
                        "type": "matrix",
                        "text": "x",
                        "statements": [{"id": "s1", "text": "x"}, {"id": "s2", "text": "x"}],
                    },
                ],
            },
            {
                "id": "p4",
                "questions": [
                    {
                        "id": "d",
                        "type": "number",
                        "text": "x",
                        "min": 0,
                        "max": 9,
                        "show_if": {"question": "grid", "answered": True},
                    },
                    {
                        "id": "e",
                        "type": "long_text",
                        "text": "x",
                        "show_if": {"question": "c", "answered": True},
                    },
                ],
            },
        ],
    }
)
CHAIN_KEYS = [key for q in CHAIN.questions() for key in q.item_keys()]
answer_values = (
    st.lists(st.sampled_from(["x", "y", "z", "1", "agree"]), max_size=3)
    | st.integers(min_value=-2, max_value=12)
    | st.text(max_size=5)
)
answer_sets = st.dictionaries(
    st.sampled_from([*CHAIN_KEYS, "grid", "other"]), answer_values, max_size=10
)


@settings(BASE, max_examples=200)
@given(answer_sets)
def test_prune_hidden_keeps_a_subset(answers: dict[str, Any]) -> None:
    kept = prune_hidden(CHAIN, answers)
    assert kept.items() <= answers.items()
    assert all(is_answered(v) for v in kept.values())
    assert prune_hidden(CHAIN, kept) == kept
    visible = {
        key for page in CHAIN.pages for q in visible_questions(page, kept) for key in q.item_keys()
    }
    assert set(kept) <= visible
    # Everything visible and answered is kept.
    assert {k for k in visible if k in answers and is_answered(answers[k])} == set(kept)


@settings(BASE, max_examples=200)
@given(answer_sets)
def test_prune_hidden_ignores_keys_that_are_not_answers(answers: dict[str, Any]) -> None:
    known = {k: v for k, v in answers.items() if k in CHAIN_KEYS}
    kept = prune_hidden(CHAIN, answers)
    assert kept == prune_hidden(CHAIN, known)
    assert "grid" not in kept and "other" not in kept
    # The first question has no condition: its answer is always kept.
    if is_answered(answers.get("a")):
        assert kept["a"] == answers["a"]
