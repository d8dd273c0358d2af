"""survey_to_definition: a loaded survey written back in the authored format loses nothing."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveys
from surveys.definition import condition_to_dict, survey_to_definition
from surveys.library import load_library
from surveys.loader import parse_survey, parse_survey_text
from surveys.model import AllOf, AnyOf, Comparison, Condition, Not, Page, QuestionType, Survey

BANK = surveys.bank_files()


def round_trip(survey: Survey) -> Survey:
    return parse_survey(survey_to_definition(survey), source="round trip")


def assert_round_trips(survey: Survey) -> None:
    again = round_trip(survey)
    assert again == survey
    assert again.content_hash() == survey.content_hash()


# -- the property on real surveys and questions --------------------------------------------


@pytest.mark.parametrize("path", BANK, ids=[p.stem for p in BANK])
def test_every_bank_survey_round_trips(path: Path) -> None:
    assert_round_trips(surveys.load_survey(path))


@pytest.mark.parametrize("path", BANK, ids=[p.stem for p in BANK])
def test_the_definition_survives_yaml(path: Path) -> None:
    # The editor stores and shows YAML: "yes"/"no" values and text must come back as text.
    survey = surveys.load_survey(path)
    text = yaml.safe_dump(survey_to_definition(survey), allow_unicode=True, sort_keys=False)
    assert parse_survey_text(text) == survey


def test_every_library_question_round_trips() -> None:
    questions = tuple(item.question for item in load_library())
    survey = Survey(
        id="library",
        title="Library",
        audience="mixed",
        pages=tuple(Page(id=q.id, questions=(q,)) for q in questions),
    )
    assert len(questions) > 50
    # Types the library lacks (short_text, number) are covered by the generated surveys below.
    assert {
        QuestionType.MATRIX,
        QuestionType.FACES,
        QuestionType.SCALE_0_10,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.LONG_TEXT,
    } <= {q.type for q in questions}
    assert_round_trips(survey)


def test_the_bank_covers_every_kind_of_show_if() -> None:
    # Guards the bank round trip above: if the bank lost these, it would prove less.
    loaded = [surveys.load_survey(path) for path in BANK]
    page_conditions = [p.show_if for s in loaded for p in s.pages if p.show_if]
    question_conditions = [q.show_if for s in loaded for q in s.questions() if q.show_if]
    assert page_conditions and question_conditions
    kinds = {
        ("answered" if c.answered is not None else "any_of" if c.any_of else "equals")
        for c in page_conditions + question_conditions
    }
    assert kinds == {"answered", "any_of", "equals"}


# -- what the definition looks like --------------------------------------------------------


def test_a_page_show_if_is_written_on_the_page() -> None:
    definition = survey_to_definition(
        surveys.load_survey(surveys.BANK_DIR / "sample-young-people.yaml")
    )
    safety = definition["pages"][1]
    assert safety["id"] == "safety"
    assert safety["show_if"] == {"question": "places_visited", "answered": True}
    assert "show_if" not in safety["questions"][0]
    assert "show_if" not in definition["pages"][0]


def test_question_show_ifs_are_written_on_the_question() -> None:
    design = survey_to_definition(
        surveys.load_survey(surveys.BANK_DIR / "young-people-design.yaml")
    )
    experience = survey_to_definition(
        surveys.load_survey(surveys.BANK_DIR / "parents-experience.yaml")
    )
    parks = _question(design, "place_safe_parks")
    assert parks["show_if"] == {"question": "places_spend_time", "equals": "parks"}
    why = _question(experience, "parent_felt_blamed_why")
    assert why["show_if"] == {"question": "parent_felt_blamed", "any_of": ["yes", "a_bit"]}


def _question(definition: dict[str, Any], question_id: str) -> dict[str, Any]:
    found = [q for p in definition["pages"] for q in p["questions"] if q["id"] == question_id]
    assert len(found) == 1
    return found[0]


SMALL: dict[str, Any] = {
    "id": "small",
    "title": " Small survey ",
    "audience": "parents",
    "minutes": 2,
    "pages": [
        {
            "id": "first",
            "title": "About you",
            "questions": [
                {
                    "id": "count",
                    "type": "number",
                    "text": "How many?",
                    "min": 0,
                    "max": 9,
                    "required": True,
                },
                {
                    "id": "score",
                    "type": "scale_0_10",
                    "text": "Score it",
                    "low_label": "Bad",
                    "high_label": "Good",
                    "dont_know": True,
                },
            ],
        },
        {
            "id": "second",
            "show_if": {"question": "count", "answered": False},
            "questions": [
                {
                    "id": "why",
                    "type": "short_text",
                    "text": "Why not?",
                    "show_if": {"question": "score", "any_of": ["0", "dont_know"]},
                },
            ],
        },
    ],
}


def test_the_canonical_form_of_a_small_survey() -> None:
    assert survey_to_definition(parse_survey(SMALL)) == {
        "id": "small",
        "title": "Small survey",
        "audience": "parents",
        "minutes": 2,
        # Written even though it is the default: see survey_to_definition.
        "retention_days": 365,
        "pages": [
            {
                "id": "first",
                "title": "About you",
                "questions": [
                    {
                        "id": "count",
                        "type": "number",
                        "text": "How many?",
                        "min": 0,
                        "max": 9,
                        "required": True,
                    },
                    {
                        "id": "score",
                        "type": "scale_0_10",
                        "text": "Score it",
                        "dont_know": True,
                        "low_label": "Bad",
                        "high_label": "Good",
                    },
                ],
            },
            {
                "id": "second",
                "show_if": {"question": "count", "answered": False},
                "questions": [
                    {
                        "id": "why",
                        "type": "short_text",
                        "text": "Why not?",
                        "max_length": 200,
                        "show_if": {"question": "score", "any_of": ["0", "dont_know"]},
                    },
                ],
            },
        ],
    }


def test_survey_fields_are_kept() -> None:
    survey = dataclasses.replace(
        parse_survey(SMALL),
        intro="Hello.",
        privacy="Nobody sees your name.",
        age_band="10-12",
        expected_population=40,
        retention_days=30,
    )
    definition = survey_to_definition(survey)
    assert {
        k: definition[k]
        for k in ("intro", "privacy", "age_band", "expected_population", "retention_days")
    } == {
        "intro": "Hello.",
        "privacy": "Nobody sees your name.",
        "age_band": "10-12",
        "expected_population": 40,
        "retention_days": 30,
    }
    assert_round_trips(survey)


def test_each_call_builds_fresh_data() -> None:
    survey = surveys.load_survey(surveys.BANK_DIR / "sample-young-people.yaml")
    first = survey_to_definition(survey)
    first["pages"][0]["questions"][0]["options"][0]["label"] = "Changed"
    first["pages"][1]["show_if"]["answered"] = False
    assert survey_to_definition(survey) != first
    assert_round_trips(survey)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (Condition("q1", equals="yes"), {"question": "q1", "equals": "yes"}),
        (Condition("q1", any_of=("a", "b")), {"question": "q1", "any_of": ["a", "b"]}),
        (Condition("q1", answered=True), {"question": "q1", "answered": True}),
        (Condition("q1", answered=False), {"question": "q1", "answered": False}),
    ],
)
def test_condition_to_dict(condition: Condition, expected: dict[str, Any]) -> None:
    assert condition_to_dict(condition) == expected


def test_a_condition_without_a_test_is_refused() -> None:
    with pytest.raises(ValueError, match="'q1' has no test"):
        condition_to_dict(Condition("q1"))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (Comparison("age", "at_least", 13), {"question": "age", "at_least": 13}),
        (Comparison("q1", "not_equals", "yes"), {"question": "q1", "not_equals": "yes"}),
        (
            AllOf(all=(Condition("q1", equals="no"), Comparison("age", "less_than", 18))),
            {"all": [{"question": "q1", "equals": "no"}, {"question": "age", "less_than": 18}]},
        ),
        (
            Not(negated=AnyOf(any=(Comparison("q2", "count_at_least", 2),))),
            {"not": {"any": [{"question": "q2", "count_at_least": 2}]}},
        ),
    ],
)
def test_combined_and_comparing_rules_to_dict(rule: Any, expected: dict[str, Any]) -> None:
    assert condition_to_dict(rule) == expected


def test_a_survey_with_combined_rules_round_trips() -> None:
    survey = parse_survey(
        {
            "id": "combined",
            "title": "Combined",
            "audience": "mixed",
            "pages": [
                {
                    "id": "about",
                    "questions": [
                        {"id": "age", "type": "number", "text": "Age?", "min": 5, "max": 25},
                        {"id": "mood", "type": "faces", "text": "Mood?", "points": 3},
                    ],
                },
                {
                    "id": "more",
                    "show_if": {
                        "any": [
                            {"question": "age", "greater_than": 12},
                            {"not": {"question": "mood", "at_least": 2}},
                        ]
                    },
                    "questions": [
                        {
                            "id": "why",
                            "type": "short_text",
                            "text": "Why?",
                            "show_if": {"all": [{"question": "mood", "not_equals": "3"}]},
                        }
                    ],
                },
            ],
        }
    )
    assert_round_trips(survey)


# -- the property on generated surveys -----------------------------------------------------

BASE = settings(
    deadline=None, database=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)
words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12
).filter(str.strip)
values = st.from_regex(r"\A[a-z0-9][a-z0-9_]{0,5}\Z").filter(
    lambda v: v not in ("dont_know", "rather_not_say")
)
option_lists = st.lists(values, min_size=2, max_size=5, unique=True).flatmap(
    lambda vs: st.tuples(*[st.tuples(words, st.booleans()) for _ in vs]).map(
        lambda labels: [
            {"value": v, "label": label, **({"exclusive": True} if exclusive else {})}
            for v, (label, exclusive) in zip(vs, labels, strict=True)
        ]
    )
)
AGREEMENT = [
    {"value": v, "label": label}
    for v, label in [
        ("strongly_agree", "Strongly agree"),
        ("agree", "Agree"),
        ("neither", "Neither agree nor disagree"),
        ("disagree", "Disagree"),
        ("strongly_disagree", "Strongly disagree"),
    ]
]


def _optional(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


COMMON = {"hint": words, "required": st.booleans()}
EXTRAS = {"dont_know": st.booleans(), "rather_not_say": st.booleans()}
BY_TYPE: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "single_choice": st.fixed_dictionaries({"options": option_lists}),
    "multiple_choice": st.fixed_dictionaries(
        {"options": option_lists, "max_choices": st.integers(1, 2)}
    ),
    "agreement": st.just({}),
    "faces": _optional(points=st.sampled_from([3, 5])),
    "scale_0_10": _optional(low_label=words, high_label=words),
    "matrix": st.fixed_dictionaries(
        {
            "statements": st.lists(
                st.from_regex(r"\A[a-z][a-z0-9_]{0,4}\Z"), min_size=1, max_size=3, unique=True
            ).map(lambda ids: [{"id": i, "text": f"Statement {i}"} for i in ids]),
            "scale": st.sampled_from(["agreement", "faces3", "faces5"])
            | option_lists
            | st.just(AGREEMENT),
        }
    ),
    "short_text": _optional(max_length=st.integers(1, 5000)),
    "long_text": _optional(max_length=st.integers(1, 5000)),
    "number": st.tuples(st.integers(-100, 100), st.integers(1, 100)).map(
        lambda t: {"min": t[0], "max": t[0] + t[1]}
    ),
}


@st.composite
def question_dicts(draw: st.DrawFn, qid: str) -> dict[str, Any]:
    qtype = draw(st.sampled_from(sorted(BY_TYPE)))
    data = {"id": qid, "type": qtype, "text": draw(words), **draw(BY_TYPE[qtype])}
    data.update(draw(_optional(**COMMON)))
    if qtype not in ("short_text", "long_text", "number"):
        data.update(draw(_optional(**EXTRAS)))
    return data


@st.composite
def survey_documents(draw: st.DrawFn) -> dict[str, Any]:
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=4))
    pages, number = [], 0
    for index, size in enumerate(sizes):
        questions = []
        for _ in range(size):
            number += 1
            questions.append(draw(question_dicts(f"q{number}")))
        page = {"id": f"p{index}", "questions": questions, **draw(_optional(title=words))}
        pages.append(page)
    fields = _optional(
        intro=words,
        privacy=words,
        age_band=words,
        minutes=st.integers(1, 120),
        expected_population=st.integers(1, 10_000_000),
        retention_days=st.integers(1, 3650),
        easy_read=st.booleans(),
    )
    return {
        "id": "generated",
        "title": draw(words),
        "audience": "mixed",
        "pages": pages,
        **draw(fields),
    }


def _condition(draw: st.DrawFn, earlier: list[Any]) -> dict[str, Any]:
    target = draw(st.sampled_from(earlier))
    offered = [o.value for o in target.options] if target.type is not QuestionType.MATRIX else []
    tests = [{"answered": draw(st.booleans())}]
    if offered:
        tests.append({"equals": draw(st.sampled_from(offered))})
        tests.append(
            {
                "any_of": draw(
                    st.lists(st.sampled_from(offered), min_size=1, max_size=3, unique=True)
                )
            }
        )
    return {"question": target.id, **draw(st.sampled_from(tests))}


def _add_conditions(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Conditions can only be chosen once the questions (and their options) are known."""
    loaded = parse_survey(document)
    earlier: list[Any] = []
    for page, raw in zip(loaded.pages, document["pages"], strict=True):
        if earlier and draw(st.booleans()):
            raw["show_if"] = _condition(draw, earlier)
        for raw_question in raw["questions"]:
            if earlier and draw(st.booleans()):
                raw_question["show_if"] = _condition(draw, earlier)
        earlier.extend(page.questions)


@BASE
@given(st.data())
def test_generated_surveys_round_trip(data: st.DataObject) -> None:
    document = data.draw(survey_documents())
    _add_conditions(data.draw, document)
    survey = parse_survey(document)
    assert_round_trips(survey)
    text = yaml.safe_dump(survey_to_definition(survey), allow_unicode=True, sort_keys=False)
    assert parse_survey_text(text) == survey


# -- stage, easy read, core questions, exclusive answers and pages for large audiences -------

LATER_FIELDS: dict[str, Any] = {
    "id": "later",
    "title": "Later",
    "audience": "young_people",
    "stage": "experience",
    "easy_read": True,
    "expected_population": 150,
    "pages": [
        {
            "id": "first",
            "questions": [
                {
                    "id": "worry",
                    "type": "multiple_choice",
                    "text": "Which worry you?",
                    "core": True,
                    "options": [
                        {"value": "parks", "label": "Parks"},
                        {"value": "shops", "label": "Shops"},
                        {"value": "no_places", "label": "No places", "exclusive": True},
                    ],
                },
                {
                    "id": "safe",
                    "type": "matrix",
                    "text": "How safe?",
                    "scale": "safety",
                    "statements": [{"id": "day", "text": "In the day"}],
                },
            ],
        },
        {
            "id": "about_you",
            "needs_population": 100,
            "questions": [
                {
                    "id": "age",
                    "type": "single_choice",
                    "text": "Age?",
                    "options": [
                        {"value": "young", "label": "10 to 12"},
                        {"value": "older", "label": "13 to 18"},
                    ],
                }
            ],
        },
        {
            "id": "more_about_you",
            "needs_population": 400,
            "questions": [
                {
                    "id": "group",
                    "type": "single_choice",
                    "text": "Group?",
                    "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                }
            ],
        },
    ],
}


def test_later_fields_are_written_back() -> None:
    survey = parse_survey(LATER_FIELDS)
    assert [p.id for p in survey.withheld_pages] == ["more_about_you"]
    definition = survey_to_definition(survey)
    assert (definition["stage"], definition["easy_read"]) == ("experience", True)
    assert [p["id"] for p in definition["pages"]] == ["first", "about_you", "more_about_you"]
    assert [p.get("needs_population") for p in definition["pages"]] == [None, 100, 400]
    worry = _question(definition, "worry")
    assert worry["core"] is True
    assert worry["options"][-1] == {"value": "no_places", "label": "No places", "exclusive": True}
    assert "exclusive" not in worry["options"][0]
    assert _question(definition, "safe")["scale"] == "safety"
    assert "core" not in _question(definition, "age")
    assert_round_trips(survey)


def test_unused_later_fields_are_not_written() -> None:
    definition = survey_to_definition(parse_survey(SMALL))
    assert not {"stage", "easy_read"} & set(definition)
    assert all("needs_population" not in page for page in definition["pages"])
