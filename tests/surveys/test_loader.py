"""The survey loader: every validation problem names the file, the place and what is wrong."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from surveys import BANK_DIR, load_survey, parse_survey, parse_survey_text
from surveys.loader import DefinitionProblem, SurveyDefinitionError
from surveys.model import DONT_KNOW, RATHER_NOT_SAY, QuestionType
from surveys.yaml_io import MAX_FILE_BYTES

SOURCE = "test-survey.yaml"


def choice(qid: str, *values: str, qtype: str = "single_choice", **extra: Any) -> dict[str, Any]:
    options = [{"value": v, "label": v.title()} for v in values or ("yes", "no")]
    return {"id": qid, "type": qtype, "text": f"Question {qid}?", "options": options, **extra}


def text_q(qid: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "type": "short_text", "text": f"Question {qid}?", **extra}


def survey_doc(*pages: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A valid survey document; pages default to two simple pages."""
    doc: dict[str, Any] = {
        "id": "test-survey",
        "title": "A test survey",
        "audience": "young_people",
        "pages": list(pages)
        or [
            {"id": "first", "questions": [choice("q1")]},
            {"id": "second", "questions": [text_q("q2")]},
        ],
    }
    doc.update(fields)
    return doc


def as_yaml(doc: Any) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def problems_in(data: Any) -> list[DefinitionProblem]:
    """The problems the loader reports for a document (dict, YAML text or bytes)."""
    text = data if isinstance(data, str | bytes) else as_yaml(data)
    with pytest.raises(SurveyDefinitionError) as caught:
        parse_survey_text(text, source=SOURCE)
    problems = caught.value.problems
    assert problems, "an error must list at least one problem"
    return problems


def assert_problem(
    problems: list[DefinitionProblem], where: str, phrase: str, source: str = SOURCE
) -> DefinitionProblem:
    """One problem has this source and place and its message contains the phrase."""
    for problem in problems:
        if problem.source == source and problem.where == where and phrase in problem.message:
            # The printed form names all three, for the command line.
            assert str(problem) == f"{source}: {where}: {problem.message}"
            return problem
    listed = "\n".join(str(p) for p in problems)
    raise AssertionError(f"no problem at {where!r} saying {phrase!r}; got:\n{listed}")


def one_page(*questions: dict[str, Any], page_id: str = "only", **page: Any) -> dict[str, Any]:
    return survey_doc({"id": page_id, "questions": list(questions), **page})


# -- the happy path -------------------------------------------------------------


def test_valid_document_loads_with_every_field() -> None:
    doc = survey_doc(
        {
            "id": "about",
            "title": "About you",
            "questions": [
                choice(
                    "places",
                    "park",
                    "shops",
                    "school",
                    qtype="multiple_choice",
                    max_choices=2,
                    dont_know=True,
                    rather_not_say=True,
                ),
                {"id": "mood", "type": "faces", "points": 3, "text": "How do you feel?"},
                {"id": "agree", "type": "agreement", "text": "Adults listen."},
            ],
        },
        {
            "id": "more",
            "show_if": {"question": "places", "any_of": ["park", "shops"]},
            "questions": [
                {
                    "id": "score",
                    "type": "scale_0_10",
                    "text": "Score?",
                    "low_label": "Bad",
                    "high_label": "Good",
                },
                {
                    "id": "grid",
                    "type": "matrix",
                    "text": "How much do you agree?",
                    "statements": [
                        {"id": "safe", "text": "I feel safe"},
                        {"id": "heard", "text": "I feel heard"},
                    ],
                    "scale": "faces5",
                },
                {
                    "id": "age",
                    "type": "number",
                    "text": "How old are you?",
                    "min": 11,
                    "max": 25,
                    "show_if": {"question": "mood", "equals": "1"},
                },
                {"id": "story", "type": "long_text", "text": "Tell us more", "required": True},
            ],
        },
        age_band="13-18",
        minutes=4,
        expected_population=300,
        retention_days=90,
        intro="  Why we ask  ",
        privacy="Who sees it",
    )
    survey = parse_survey_text(as_yaml(doc), source=SOURCE)
    assert survey.source == SOURCE
    assert survey.id == "test-survey"
    assert survey.audience == "young_people"
    assert (survey.minutes, survey.expected_population, survey.retention_days) == (4, 300, 90)
    assert survey.intro == "Why we ask"
    assert [p.id for p in survey.pages] == ["about", "more"]
    places = survey.question("places")
    assert places is not None and places.max_choices == 2
    assert [o.value for o in places.options] == [
        "park",
        "shops",
        "school",
        DONT_KNOW,
        RATHER_NOT_SAY,
    ]
    assert [o.exclusive for o in places.options] == [False, False, False, True, True]
    mood = survey.question("mood")
    assert mood is not None and [o.value for o in mood.options] == ["1", "2", "3"]
    grid = survey.question("grid")
    assert grid is not None and grid.item_keys() == ("grid.safe", "grid.heard")
    assert [o.value for o in grid.options] == ["1", "2", "3", "4", "5"]
    age = survey.question("age")
    assert age is not None and (age.minimum, age.maximum) == (11, 25)
    assert age.show_if is not None and age.show_if.equals == "1"
    story = survey.question("story")
    assert story is not None and story.required and story.max_length == 2000
    page = survey.page("more")
    assert page is not None and page.show_if is not None
    assert page.show_if.any_of == ("park", "shops")


def test_text_questions_get_default_max_lengths() -> None:
    survey = parse_survey(
        one_page(
            text_q("short"),
            {"id": "long", "type": "long_text", "text": "More?", "max_length": 5000},
        )
    )
    assert survey.question("short").max_length == 200  # type: ignore[union-attr]
    assert survey.question("long").max_length == 5000  # type: ignore[union-attr]


def test_yes_and_no_option_values_stay_text() -> None:
    text = """\
id: yes-no
title: Yes or no
audience: parents
questions:
  - id: agree
    type: single_choice
    text: Do you agree?
    options:
      - {value: yes, label: Yes}
      - {value: no, label: No}
      - {value: on, label: On}
      - {value: off, label: Off}
    required: true
"""
    survey = parse_survey_text(text, source=SOURCE)
    question = survey.question("agree")
    assert question is not None
    assert [o.value for o in question.options] == ["yes", "no", "on", "off"]
    assert [o.label for o in question.options] == ["Yes", "No", "On", "Off"]
    assert question.required is True


def test_yes_as_required_is_not_a_boolean() -> None:
    problems = problems_in(one_page(choice("q1", required="yes")))
    assert_problem(problems, "question 'q1'", "required must be true or false")


def test_content_hash_is_stable_and_follows_the_text(tmp_path: Path) -> None:
    path = tmp_path / "survey.yaml"
    path.write_text(as_yaml(survey_doc()), encoding="utf-8")
    first, second = load_survey(path), load_survey(path)
    assert first == second
    assert first.content_hash() == second.content_hash()
    assert len(first.content_hash()) == 64
    assert first.source == str(path)

    changed = survey_doc()
    changed["pages"][1]["questions"][0]["text"] = "A different question?"
    path.write_text(as_yaml(changed), encoding="utf-8")
    third = load_survey(path)
    assert third.content_hash() != first.content_hash()


def test_content_hash_ignores_where_the_file_came_from() -> None:
    text = as_yaml(survey_doc())
    a = parse_survey_text(text, source="a.yaml")
    b = parse_survey_text(text.encode("utf-8"), source="b.yaml")
    assert a.content_hash() == b.content_hash()
    assert "source" not in a.to_dict()


def test_questions_shorthand_makes_one_page_per_question() -> None:
    doc = survey_doc()
    del doc["pages"]
    doc["questions"] = [choice("q1"), text_q("q2", show_if={"question": "q1", "equals": "yes"})]
    survey = parse_survey_text(as_yaml(doc), source=SOURCE)
    assert [p.id for p in survey.pages] == ["q1", "q2"]
    assert [[q.id for q in p.questions] for p in survey.pages] == [["q1"], ["q2"]]
    # Each question is on its own page, so a later question may depend on an earlier one.
    assert survey.question("q2").show_if.equals == "yes"  # type: ignore[union-attr]


def test_sample_survey_in_the_bank_loads() -> None:
    path = BANK_DIR / "sample-young-people.yaml"
    survey = load_survey(path)
    assert survey.id == "sample-young-people"
    assert survey.source == str(path)
    workers = survey.question("workers_with_group")
    assert workers is not None
    assert [o.value for o in workers.options][:3] == ["yes", "maybe", "no"]
    safety = survey.page("safety")
    assert safety is not None and safety.show_if is not None
    assert safety.show_if.question == "places_visited" and safety.show_if.answered is True
    assert survey.question("makes_safer").max_choices == 3  # type: ignore[union-attr]
    assert survey.question("change_one_thing").type is QuestionType.LONG_TEXT  # type: ignore[union-attr]


# -- file-level problems (yaml_io and load_survey) ---------------------------------


def test_file_that_cannot_be_read(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(SurveyDefinitionError) as caught:
        load_survey(missing)
    assert_problem(caught.value.problems, "file", "cannot be read", source=str(missing))


def test_directory_cannot_be_read_as_a_survey(tmp_path: Path) -> None:
    with pytest.raises(SurveyDefinitionError) as caught:
        load_survey(tmp_path)
    assert_problem(caught.value.problems, "file", "cannot be read", source=str(tmp_path))


def test_problems_from_a_file_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(as_yaml(survey_doc(audience="everyone")), encoding="utf-8")
    with pytest.raises(SurveyDefinitionError) as caught:
        load_survey(path)
    assert_problem(caught.value.problems, "survey", "audience must be one of", source=str(path))
    assert str(path) in str(caught.value)


def test_non_utf8_bytes() -> None:
    data = as_yaml(survey_doc()).encode("utf-8") + b"\nintro: caf\xe9\n"
    problem = assert_problem(problems_in(data), "file", "not UTF-8")
    assert f"byte {len(data) - 2}" in problem.message


def test_yaml_syntax_error_names_the_line() -> None:
    text = "id: broken\ntitle: Broken\naudience: parents\npages: [\n  - id: x\n"
    problems = problems_in(text)
    assert len(problems) == 1
    problem = assert_problem(problems, "file", "line 5, column 3:")
    assert "expected the node content" in problem.message


def test_yaml_syntax_error_on_a_known_line() -> None:
    text = "id: broken\ntitle: Broken\naudience: parents\n  bad indent: here\n"
    assert_problem(problems_in(text), "file", "line 4, column 13: mapping values are not allowed")


@pytest.mark.parametrize("data", ["id: a\x07b\n", b"id: a\x00b\n"])
def test_characters_yaml_does_not_allow(data: str | bytes) -> None:
    problem = assert_problem(problems_in(data), "file", "not valid YAML")
    assert "unacceptable character" in problem.message


def test_aliases_are_refused() -> None:
    text = (
        "id: aliases\ntitle: Aliases\naudience: parents\n"
        "questions:\n"
        "  - &q {id: q1, type: short_text, text: Hi}\n"
        "  - *q\n"
    )
    problem = assert_problem(problems_in(text), "file", "aliases (*name) are not allowed")
    assert problem.message.startswith("line 6:")


def test_billion_laughs_is_refused_without_expanding() -> None:
    text = 'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    assert_problem(problems_in(text), "file", "aliases")


@pytest.mark.parametrize("kind", [bytes, str])
def test_oversized_file(kind: type) -> None:
    text = "# " + "x" * MAX_FILE_BYTES + "\n" + as_yaml(survey_doc())
    data = text.encode("utf-8") if kind is bytes else text
    assert_problem(problems_in(data), "file", "larger than 1000 KB")


def test_file_just_under_the_limit_is_read() -> None:
    body = as_yaml(survey_doc())
    padding = "#" * (MAX_FILE_BYTES - len(body) - 1) + "\n"
    survey = parse_survey_text((padding + body).encode("utf-8"), source=SOURCE)
    assert survey.id == "test-survey"


def test_deeply_nested_yaml_is_refused_not_crashed() -> None:
    assert_problem(problems_in("[" * 5000), "file", "nested more than")


@pytest.mark.parametrize(
    "value",
    [
        "2024-13-45",
        "!!int abc",
        "!!float abc",
        "!!timestamp nonsense",
        "!!int",
        "!!bool",
        "!!int ':'",
        "!!int 0x",
    ],
)
def test_values_yaml_cannot_construct_are_reported(value: str) -> None:
    text = f"id: odd-values\ntitle: Odd\naudience: parents\nage_band: {value}\n"
    assert_problem(problems_in(text), "file", "a value cannot be read")


@pytest.mark.parametrize("text", ["", "just some words", "- a\n- b\n", "42"])
def test_document_must_be_a_mapping(text: str) -> None:
    problems = problems_in(text)
    assert len(problems) == 1
    assert_problem(problems, "survey", "must be a mapping of fields")


def test_python_tags_are_refused() -> None:
    text = "id: !!python/object/apply:os.system ['true']\ntitle: T\naudience: parents\n"
    assert_problem(problems_in(text), "file", "could not determine a constructor")


# -- survey-level problems ----------------------------------------------------------


def test_missing_title() -> None:
    doc = survey_doc()
    del doc["title"]
    assert_problem(problems_in(doc), "survey", "title is missing")


@pytest.mark.parametrize("title", ["   ", 12, ["a"]])
def test_title_must_be_text(title: Any) -> None:
    assert_problem(problems_in(survey_doc(title=title)), "survey", "title must be text")


def test_missing_id() -> None:
    doc = survey_doc()
    del doc["id"]
    assert_problem(problems_in(doc), "survey", "id is missing")


@pytest.mark.parametrize("survey_id", ["Has-Capitals", "x", "under_score", "-leading", "a" * 65])
def test_bad_survey_id(survey_id: str) -> None:
    problem = assert_problem(
        problems_in(survey_doc(id=survey_id)), "survey", "lower-case letters, digits and dashes"
    )
    assert survey_id in problem.message


@pytest.mark.parametrize("audience", ["everyone", None, "Parents", ["parents"]])
def test_bad_audience(audience: Any) -> None:
    problem = assert_problem(problems_in(survey_doc(audience=audience)), "survey", "audience")
    assert "young_people, parents, mixed" in problem.message


@pytest.mark.parametrize("audience", ["young_people", "parents", "mixed"])
def test_each_audience_is_accepted(audience: str) -> None:
    assert parse_survey(survey_doc(audience=audience)).audience == audience


def test_unknown_survey_field() -> None:
    problem = assert_problem(problems_in(survey_doc(titel="Typo")), "survey", "unknown field")
    assert "'titel'" in problem.message


@pytest.mark.parametrize(
    ("field", "value", "bounds"),
    [
        ("minutes", 0, "from 1 to 120"),
        ("minutes", 121, "from 1 to 120"),
        ("minutes", "five", "from 1 to 120"),
        ("minutes", True, "from 1 to 120"),
        ("expected_population", 0, "from 1 to 10000000"),
        ("retention_days", 4000, "from 1 to 3650"),
        ("retention_days", 1.5, "from 1 to 3650"),
    ],
)
def test_survey_numbers_out_of_range(field: str, value: Any, bounds: str) -> None:
    problem = assert_problem(problems_in(survey_doc(**{field: value})), "survey", field)
    assert f"must be a whole number {bounds}" in problem.message


@pytest.mark.parametrize("field", ["intro", "privacy"])
def test_intro_and_privacy_must_be_text(field: str) -> None:
    problems = problems_in(survey_doc(**{field: ["a list"]}))
    assert_problem(problems, "survey", f"{field} must be text")


def test_pages_and_questions_both_given() -> None:
    problems = problems_in(survey_doc(questions=[text_q("q9")]))
    assert_problem(problems, "survey", "either pages or questions, not both")


@pytest.mark.parametrize("key", ["pages", "questions"])
def test_pages_or_questions_must_be_a_list(key: str) -> None:
    doc = survey_doc()
    del doc["pages"]
    doc[key] = {"id": "not-a-list"}
    assert_problem(problems_in(doc), "survey", f"{key} must be a list")


def test_neither_pages_nor_questions() -> None:
    doc = survey_doc()
    del doc["pages"]
    assert_problem(problems_in(doc), "survey", "pages must be a list")


def test_empty_survey_has_no_questions() -> None:
    doc = survey_doc()
    doc["pages"] = []
    problems = problems_in(doc)
    assert problems == [DefinitionProblem(SOURCE, "survey", "has no questions")]


# -- page problems -------------------------------------------------------------------


def test_duplicate_page_id() -> None:
    doc = survey_doc(
        {"id": "same", "questions": [text_q("q1")]},
        {"id": "same", "questions": [text_q("q2")]},
    )
    problems = problems_in(doc)
    assert_problem(problems, "page 'same'", "duplicate page id")
    assert len(problems) == 1


@pytest.mark.parametrize("page_id", ["Capital", "1st", "with-dash", "", "a" * 65])
def test_bad_page_id(page_id: str) -> None:
    doc = survey_doc({"id": page_id, "questions": [text_q("q1")]})
    assert_problem(problems_in(doc), f"page '{page_id}'", "id must start with a letter")


def test_page_without_string_id_is_named_by_position() -> None:
    doc = survey_doc({"id": "fine", "questions": [text_q("q1")]}, {"questions": [text_q("q2")]})
    assert_problem(problems_in(doc), "page 2", "id must start with a letter")


def test_page_must_be_a_mapping() -> None:
    doc = survey_doc({"id": "fine", "questions": [text_q("q1")]}, "just text")
    assert_problem(problems_in(doc), "page 2", "must be a mapping with id and questions")


def test_unknown_page_field() -> None:
    doc = survey_doc({"id": "only", "questions": [text_q("q1")], "showif": {"question": "x"}})
    problem = assert_problem(problems_in(doc), "page 'only'", "unknown field")
    assert "'showif'" in problem.message


def test_page_with_no_questions() -> None:
    doc = survey_doc({"id": "fine", "questions": [text_q("q1")]}, {"id": "empty", "questions": []})
    assert_problem(problems_in(doc), "page 'empty'", "has no questions")


def test_page_questions_must_be_a_list() -> None:
    doc = survey_doc({"id": "only", "questions": text_q("q1")})
    assert_problem(problems_in(doc), "page 'only'", "questions must be a list")


def test_page_title_must_be_text() -> None:
    doc = survey_doc({"id": "only", "title": ["x"], "questions": [text_q("q1")]})
    assert_problem(problems_in(doc), "page 'only'", "title must be text")


# -- question problems -----------------------------------------------------------------


def test_unknown_question_type() -> None:
    problem = assert_problem(
        problems_in(one_page({"id": "q1", "type": "dropdown", "text": "Pick"})),
        "question 'q1'",
        "unknown type 'dropdown'",
    )
    assert "single_choice" in problem.message and "number" in problem.message


def test_missing_question_type() -> None:
    assert_problem(
        problems_in(one_page({"id": "q1", "text": "Pick"})), "question 'q1'", "unknown type 'None'"
    )


def test_duplicate_question_id_across_pages() -> None:
    doc = survey_doc(
        {"id": "one", "questions": [text_q("same")]},
        {"id": "two", "questions": [text_q("other"), text_q("same")]},
    )
    problems = problems_in(doc)
    assert_problem(problems, "question 'same'", "duplicate question id")
    assert len(problems) == 1


def test_duplicate_question_id_on_one_page() -> None:
    assert_problem(
        problems_in(one_page(text_q("same"), choice("same"))),
        "question 'same'",
        "duplicate question id",
    )


@pytest.mark.parametrize("qid", ["Q1", "1q", "with-dash", "has space", "_leading", "a" * 65])
def test_bad_question_id(qid: str) -> None:
    assert_problem(
        problems_in(one_page(text_q(qid))),
        f"question '{qid}'",
        "id must start with a letter and use only a-z, 0-9 and _",
    )


def test_question_without_string_id_is_named_by_page_and_position() -> None:
    doc = one_page(text_q("fine"), {"type": "short_text", "text": "No id"}, page_id="pg")
    assert_problem(problems_in(doc), "page 'pg', question 2", "id must start with a letter")


def test_question_must_be_a_mapping() -> None:
    doc = one_page(text_q("fine"), "not a question", page_id="pg")
    assert_problem(problems_in(doc), "page 'pg', question 2", "must be a mapping with id, type")


@pytest.mark.parametrize("typo", ["showif", "option", "Text", "maxlength"])
def test_unknown_question_field(typo: str) -> None:
    problem = assert_problem(
        problems_in(one_page(text_q("q1", **{typo: "x"}))), "question 'q1'", "unknown field"
    )
    assert f"'{typo}'" in problem.message


def test_missing_question_text() -> None:
    assert_problem(
        problems_in(one_page({"id": "q1", "type": "short_text"})),
        "question 'q1'",
        "text is missing",
    )


def test_hint_must_be_text() -> None:
    assert_problem(
        problems_in(one_page(text_q("q1", hint=["a"]))), "question 'q1'", "hint must be text"
    )


# -- options --------------------------------------------------------------------------


@pytest.mark.parametrize("qtype", ["single_choice", "multiple_choice"])
def test_choice_question_without_options(qtype: str) -> None:
    question = {"id": "q1", "type": qtype, "text": "Pick"}
    assert_problem(
        problems_in(one_page(question)), "question 'q1'", "needs a list of at least 2 options"
    )


def test_choice_question_with_one_option() -> None:
    assert_problem(
        problems_in(one_page(choice("q1", "only"))),
        "question 'q1'",
        "needs a list of at least 2 options",
    )


def test_choice_options_must_be_a_list() -> None:
    question = choice("q1")
    question["options"] = {"value": "a", "label": "A"}
    assert_problem(problems_in(one_page(question)), "question 'q1'", "at least 2 options")


def test_duplicate_option_value() -> None:
    assert_problem(
        problems_in(one_page(choice("q1", "park", "shops", "park"))),
        "question 'q1'",
        "duplicate option value 'park'",
    )


@pytest.mark.parametrize("value", [DONT_KNOW, RATHER_NOT_SAY])
def test_reserved_option_value(value: str) -> None:
    problem = assert_problem(
        problems_in(one_page(choice("q1", "a", value))),
        "question 'q1'",
        f"option value '{value}' is reserved",
    )
    assert f"use {value}: true" in problem.message


@pytest.mark.parametrize("value", ["Park", "open space", "-x", "café", "", 5, True])
def test_bad_option_value(value: Any) -> None:
    question = choice("q1", "a", "b")
    question["options"].append({"value": value, "label": "Odd"})
    assert_problem(
        problems_in(one_page(question)),
        "question 'q1'",
        "option 3 value must be lower-case letters, digits and _",
    )


@pytest.mark.parametrize(
    "option", [{"value": "c"}, {"value": "c", "label": "  "}, {"value": "c", "label": 3}]
)
def test_option_needs_a_label(option: dict[str, Any]) -> None:
    question = choice("q1", "a", "b")
    question["options"].append(option)
    assert_problem(problems_in(one_page(question)), "question 'q1'", "option 'c' needs a label")


@pytest.mark.parametrize("option", ["c", {"value": "c", "label": "C", "hint": "x"}, ["c"]])
def test_option_must_have_exactly_value_and_label(option: Any) -> None:
    question = choice("q1", "a", "b")
    question["options"].append(option)
    assert_problem(
        problems_in(one_page(question)),
        "question 'q1'",
        "option 3 must have exactly a value and a label",
    )


@pytest.mark.parametrize("key", [DONT_KNOW, RATHER_NOT_SAY])
def test_escape_flags_must_be_booleans(key: str) -> None:
    assert_problem(
        problems_in(one_page(choice("q1", **{key: "yes"}))),
        "question 'q1'",
        f"{key} must be true or false",
    )


@pytest.mark.parametrize("qtype", ["short_text", "long_text"])
def test_escape_options_on_a_text_question(qtype: str) -> None:
    question = {"id": "q1", "type": qtype, "text": "Tell us", "dont_know": True}
    assert_problem(
        problems_in(one_page(question)),
        "question 'q1'",
        "dont_know and rather_not_say apply only to questions with options",
    )


def test_escape_options_on_a_number_question() -> None:
    question = {
        "id": "q1",
        "type": "number",
        "text": "Age",
        "min": 1,
        "max": 9,
        "rather_not_say": True,
    }
    assert_problem(
        problems_in(one_page(question)), "question 'q1'", "apply only to questions with options"
    )


@pytest.mark.parametrize("qtype", ["agreement", "faces", "scale_0_10", "short_text"])
def test_options_on_a_question_with_built_in_options(qtype: str) -> None:
    question = {
        "id": "q1",
        "type": qtype,
        "text": "Pick",
        "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
    }
    assert_problem(
        problems_in(one_page(question)),
        "question 'q1'",
        f"a {qtype} question has built-in options; remove options",
    )


# -- faces, numbers, text, max_choices ---------------------------------------------------


@pytest.mark.parametrize("points", [4, 2, 7, "5", 3.0, True, None])
def test_faces_points_must_be_3_or_5(points: Any) -> None:
    question = {"id": "q1", "type": "faces", "text": "Mood?", "points": points}
    assert_problem(
        problems_in(one_page(question)), "question 'q1'", "a faces scale has 3 or 5 points"
    )


def test_points_only_on_faces() -> None:
    assert_problem(
        problems_in(one_page(choice("q1", points=5))),
        "question 'q1'",
        "points applies only to faces questions",
    )


@pytest.mark.parametrize("bounds", [{}, {"min": 1}, {"max": 10}])
def test_number_without_min_and_max(bounds: dict[str, int]) -> None:
    question = {"id": "q1", "type": "number", "text": "How many?", **bounds}
    assert_problem(
        problems_in(one_page(question)), "question 'q1'", "a number question needs both min and max"
    )


@pytest.mark.parametrize(("low", "high"), [(10, 10), (11, 10)])
def test_number_min_not_below_max(low: int, high: int) -> None:
    question = {"id": "q1", "type": "number", "text": "How many?", "min": low, "max": high}
    assert_problem(problems_in(one_page(question)), "question 'q1'", "min must be smaller than max")


def test_number_bounds_must_be_whole_numbers_in_range() -> None:
    question = {"id": "q1", "type": "number", "text": "How many?", "min": 0.5, "max": 2_000_000}
    problems = problems_in(one_page(question))
    assert_problem(problems, "question 'q1'", "min must be a whole number from -1000000")
    assert_problem(problems, "question 'q1'", "max must be a whole number from -1000000")


def test_min_and_max_only_on_numbers() -> None:
    assert_problem(
        problems_in(one_page(text_q("q1", min=1))),
        "question 'q1'",
        "min and max apply only to number questions",
    )


@pytest.mark.parametrize("qtype", ["single_choice", "multiple_choice", "number"])
def test_max_length_on_a_non_text_question(qtype: str) -> None:
    question = choice("q1", qtype=qtype, max_length=50)
    if qtype == "number":
        question = {
            "id": "q1",
            "type": "number",
            "text": "Age?",
            "min": 1,
            "max": 99,
            "max_length": 50,
        }
    assert_problem(
        problems_in(one_page(question)),
        "question 'q1'",
        "max_length applies only to text questions",
    )


@pytest.mark.parametrize("limit", [0, 5001, "long"])
def test_max_length_out_of_range(limit: Any) -> None:
    assert_problem(
        problems_in(one_page(text_q("q1", max_length=limit))),
        "question 'q1'",
        "max_length must be a whole number from 1 to 5000",
    )


def test_max_choices_more_than_options() -> None:
    question = choice("q1", "a", "b", "c", qtype="multiple_choice", max_choices=4)
    assert_problem(
        problems_in(one_page(question)),
        "question 'q1'",
        "max_choices is more than the number of options",
    )


def test_max_choices_counts_escape_options() -> None:
    question = choice("q1", "a", "b", "c", qtype="multiple_choice", max_choices=4, dont_know=True)
    survey = parse_survey(one_page(question))
    assert survey.question("q1").max_choices == 4  # type: ignore[union-attr]


def test_max_choices_only_on_multiple_choice() -> None:
    assert_problem(
        problems_in(one_page(choice("q1", "a", "b", "c", max_choices=2))),
        "question 'q1'",
        "max_choices applies only to multiple_choice questions",
    )


def test_max_choices_must_be_positive() -> None:
    question = choice("q1", "a", "b", qtype="multiple_choice", max_choices=0)
    assert_problem(
        problems_in(one_page(question)),
        "question 'q1'",
        "max_choices must be a whole number from 1 to 100",
    )


# -- matrix ------------------------------------------------------------------------------


def matrix(**extra: Any) -> dict[str, Any]:
    return {
        "id": "grid",
        "type": "matrix",
        "text": "How much do you agree?",
        "statements": [{"id": "safe", "text": "I feel safe"}],
        **extra,
    }


@pytest.mark.parametrize("statements", [None, [], "safe"])
def test_matrix_without_statements(statements: Any) -> None:
    question = matrix()
    if statements is None:
        del question["statements"]
    else:
        question["statements"] = statements
    assert_problem(
        problems_in(one_page(question)),
        "question 'grid'",
        "a matrix needs a list of statements, each with id and text",
    )


@pytest.mark.parametrize(
    "statement", [{"id": "Bad", "text": "x"}, {"id": "ok"}, "ok", {"text": "no id"}]
)
def test_matrix_statement_needs_id_and_text(statement: Any) -> None:
    question = matrix()
    question["statements"].append(statement)
    assert_problem(
        problems_in(one_page(question)),
        "question 'grid'",
        "statement 2 needs an id (a-z, 0-9, _) and text",
    )


def test_matrix_duplicate_statement_id() -> None:
    question = matrix()
    question["statements"].append({"id": "safe", "text": "Again"})
    assert_problem(
        problems_in(one_page(question)), "question 'grid'", "duplicate statement id 'safe'"
    )


@pytest.mark.parametrize("scale", ["faces4", 5, {"a": "b"}])
def test_matrix_bad_scale(scale: Any) -> None:
    assert_problem(
        problems_in(one_page(matrix(scale=scale))),
        "question 'grid'",
        "matrix scale must be agreement, faces3, faces5, safety or a list of options",
    )


def test_matrix_scale_of_authored_options_is_checked() -> None:
    question = matrix(scale=[{"value": "often", "label": "Often"}])
    assert_problem(problems_in(one_page(question)), "question 'grid'", "at least 2 options")


def test_matrix_with_authored_scale_loads() -> None:
    question = matrix(
        scale=[{"value": "often", "label": "Often"}, {"value": "never", "label": "Never"}],
        rather_not_say=True,
    )
    grid = parse_survey(one_page(question)).question("grid")
    assert grid is not None
    assert [o.value for o in grid.options] == ["often", "never", RATHER_NOT_SAY]


@pytest.mark.parametrize("key", ["statements", "scale"])
def test_statements_and_scale_only_on_matrix(key: str) -> None:
    assert_problem(
        problems_in(one_page(choice("q1", **{key: "agreement"}))),
        "question 'q1'",
        "statements and scale apply only to matrix questions",
    )


# -- show_if -------------------------------------------------------------------------------


def with_condition(
    condition: Any, target: dict[str, Any] | None = None, on_page: bool = False
) -> dict[str, Any]:
    """q1 on page one; q2 (with the condition) on page two, or the page itself has it."""
    later = text_q("q2") if on_page else text_q("q2", show_if=condition)
    second: dict[str, Any] = {"id": "second", "questions": [later]}
    if on_page:
        second["show_if"] = condition
    return survey_doc({"id": "first", "questions": [target or choice("q1")]}, second)


@pytest.mark.parametrize("on_page", [False, True])
def test_show_if_on_a_later_question(on_page: bool) -> None:
    doc = survey_doc(
        {"id": "first", "questions": [text_q("q1")]},
        {"id": "second", "questions": [choice("q2")]},
    )
    if on_page:
        doc["pages"][0]["show_if"] = {"question": "q2", "equals": "yes"}
        where = "page 'first'"
    else:
        doc["pages"][0]["questions"][0]["show_if"] = {"question": "q2", "equals": "yes"}
        where = "question 'q1'"
    assert_problem(
        problems_in(doc), where, "show_if refers to 'q2', which is not an earlier question"
    )


@pytest.mark.parametrize("on_page", [False, True])
def test_show_if_on_a_missing_question(on_page: bool) -> None:
    doc = with_condition({"question": "ghost", "answered": True}, on_page=on_page)
    where = "page 'second'" if on_page else "question 'q2'"
    assert_problem(
        problems_in(doc), where, "show_if refers to 'ghost', which is not an earlier question"
    )


def test_show_if_on_itself() -> None:
    doc = one_page(text_q("q1", show_if={"question": "q1", "answered": True}))
    assert_problem(problems_in(doc), "question 'q1'", "which is not an earlier question")


def test_show_if_on_a_question_on_the_same_page() -> None:
    doc = one_page(choice("q1"), text_q("q2", show_if={"question": "q1", "equals": "yes"}))
    assert_problem(
        problems_in(doc),
        "question 'q2'",
        "show_if refers to 'q1', which is on the same page, not an earlier one",
    )


def test_page_show_if_on_its_own_question() -> None:
    doc = one_page(choice("q1"), text_q("q2"), show_if={"question": "q1", "answered": True})
    assert_problem(problems_in(doc), "page 'only'", "which is on the same page")


@pytest.mark.parametrize("on_page", [False, True])
def test_show_if_value_not_an_option(on_page: bool) -> None:
    doc = with_condition({"question": "q1", "equals": "maybe"}, on_page=on_page)
    where = "page 'second'" if on_page else "question 'q2'"
    assert_problem(problems_in(doc), where, "show_if value 'maybe' is not an option of 'q1'")


def test_show_if_any_of_value_not_an_option() -> None:
    doc = with_condition({"question": "q1", "any_of": ["yes", "nope"]})
    assert_problem(problems_in(doc), "question 'q2'", "show_if value 'nope' is not an option")


def test_show_if_unquoted_number_is_not_a_faces_value() -> None:
    faces = {"id": "q1", "type": "faces", "text": "Mood?", "points": 3}
    doc = with_condition({"question": "q1", "equals": 1}, target=faces)
    assert_problem(problems_in(doc), "question 'q2'", "show_if value '1' is not an option")


@pytest.mark.parametrize("value", [[["yes"]], [{"a": "b"}]])
def test_show_if_any_of_unhashable_values_are_reported(value: Any) -> None:
    doc = with_condition({"question": "q1", "any_of": value})
    assert_problem(problems_in(doc), "question 'q2'", "is not an option of 'q1'")


def test_show_if_equals_a_list_is_reported() -> None:
    doc = with_condition({"question": "q1", "equals": ["yes"]})
    assert_problem(problems_in(doc), "question 'q2'", "is not an option of 'q1'")


@pytest.mark.parametrize("any_of", ["yes", [], {"yes": 1}])
def test_show_if_any_of_not_a_list(any_of: Any) -> None:
    doc = with_condition({"question": "q1", "any_of": any_of})
    assert_problem(
        problems_in(doc), "question 'q2'", "show_if any_of must be a list of option values"
    )


@pytest.mark.parametrize(
    "condition",
    [
        {"question": "q1", "equals": "yes", "answered": True},
        {"question": "q1", "equals": "yes", "any_of": ["yes"]},
        {"question": "q1"},
        {"question": "q1", "equals": "yes", "is": "yes"},
    ],
)
def test_show_if_needs_exactly_one_test(condition: dict[str, Any]) -> None:
    assert_problem(
        problems_in(with_condition(condition)),
        "question 'q2'",
        "show_if needs exactly one of equals, any_of or answered",
    )


@pytest.mark.parametrize("condition", ["q1", ["q1"], {"equals": "yes"}, {"question": 1}])
def test_show_if_must_name_a_question(condition: Any) -> None:
    assert_problem(
        problems_in(with_condition(condition)), "question 'q2'", "show_if must name a question"
    )


@pytest.mark.parametrize("test", ["equals", "any_of"])
def test_show_if_value_test_on_a_text_question(test: str) -> None:
    value = "hello" if test == "equals" else ["hello"]
    doc = with_condition({"question": "q1", test: value}, target=text_q("q1"))
    assert_problem(
        problems_in(doc),
        "question 'q2'",
        "show_if can test the value only of a question with options; 'q1' has none (use answered)",
    )


def test_show_if_value_test_on_a_matrix() -> None:
    doc = with_condition({"question": "grid", "equals": "agree"}, target=matrix())
    assert_problem(problems_in(doc), "question 'q2'", "'grid' has none (use answered)")


def test_show_if_answered_must_be_boolean() -> None:
    doc = with_condition({"question": "q1", "answered": "yes"})
    assert_problem(problems_in(doc), "question 'q2'", "show_if answered must be true or false")


def test_show_if_answered_works_on_a_text_question() -> None:
    doc = with_condition({"question": "q1", "answered": False}, target=text_q("q1"))
    q2 = parse_survey(doc).question("q2")
    assert q2 is not None and q2.show_if is not None
    assert (q2.show_if.question, q2.show_if.answered) == ("q1", False)


def test_show_if_can_test_an_escape_option() -> None:
    doc = with_condition(
        {"question": "q1", "equals": DONT_KNOW}, target=choice("q1", dont_know=True)
    )
    assert parse_survey(doc).question("q2").show_if.equals == DONT_KNOW  # type: ignore[union-attr]


# -- several problems at once -------------------------------------------------------------


def test_all_problems_are_reported_at_once() -> None:
    doc = survey_doc(
        {
            "id": "first",
            "questions": [
                choice("q1", "only"),
                {"id": "q2", "type": "dropdown", "text": "x"},
                text_q("q3", showif={"question": "q1", "equals": "yes"}),
            ],
        },
        {
            "id": "first",
            "questions": [
                {"id": "q4", "type": "number", "text": "Age"},
                text_q("q1"),
                text_q("q5", show_if={"question": "q9", "answered": True}),
            ],
        },
        audience="all",
    )
    del doc["title"]
    problems = problems_in(doc)
    expected = [
        ("survey", "title is missing"),
        ("survey", "audience must be one of"),
        ("question 'q1'", "at least 2 options"),
        ("question 'q2'", "unknown type 'dropdown'"),
        ("question 'q3'", "unknown field 'showif'"),
        ("question 'q4'", "needs both min and max"),
        ("question 'q1'", "duplicate question id"),
        ("question 'q5'", "refers to 'q9'"),
        ("page 'first'", "duplicate page id"),
    ]
    for where, phrase in expected:
        assert_problem(problems, where, phrase)
    assert len(problems) == len(expected)
    message = str(SurveyDefinitionError(problems))
    assert message.count(f"{SOURCE}: ") == len(expected)


def test_error_is_a_value_error_listing_every_problem() -> None:
    doc = survey_doc(audience="x", minutes=0)
    with pytest.raises(ValueError, match="audience must be one of") as caught:
        parse_survey(copy.deepcopy(doc), source="upload")
    assert isinstance(caught.value, SurveyDefinitionError)
    assert [p.source for p in caught.value.problems] == ["upload", "upload"]
    assert "minutes must be a whole number" in str(caught.value)


# -- stage, expected population and pages kept for large audiences -------------------------


def gated_page(needs: Any = 200, page_id: str = "about_you") -> dict[str, Any]:
    """An "About you" page asked only when `needs` people or more are expected."""
    return {
        "id": page_id,
        "needs_population": needs,
        "questions": [choice(f"{page_id}_age", "young", "old", rather_not_say=True)],
    }


def test_stage_is_design_unless_given() -> None:
    assert parse_survey(survey_doc()).stage == "design"
    survey = parse_survey(survey_doc(stage="experience", expected_population=50))
    assert survey.stage == "experience"


@pytest.mark.parametrize("stage", ["after", "", 1, True])
def test_stage_must_be_design_or_experience(stage: Any) -> None:
    assert_problem(
        problems_in(survey_doc(stage=stage)), "survey", "stage must be design or experience"
    )


def test_an_experience_survey_must_say_how_many_could_answer(tmp_path: Path) -> None:
    path = tmp_path / "later.yaml"
    path.write_text(as_yaml(survey_doc(stage="experience")), encoding="utf-8")
    with pytest.raises(SurveyDefinitionError) as caught:
        load_survey(path)
    [problem] = caught.value.problems
    assert (problem.source, problem.where) == (str(path), "survey")
    assert "expected_population is missing" in problem.message
    assert "experience" in problem.message


@pytest.mark.parametrize("flag", ["yes", 1, None])
def test_easy_read_must_be_true_or_false(flag: Any) -> None:
    assert_problem(
        problems_in(survey_doc(easy_read=flag)), "survey", "easy_read must be true or false"
    )
    assert parse_survey(survey_doc(easy_read=True)).easy_read is True
    assert parse_survey(survey_doc()).easy_read is False


def test_a_page_for_large_audiences_is_kept_when_enough_are_expected() -> None:
    doc = survey_doc(
        {"id": "first", "questions": [choice("q1")]}, gated_page(200), expected_population=200
    )
    survey = parse_survey(doc)
    assert [p.id for p in survey.pages] == ["first", "about_you"]
    assert survey.page("about_you").needs_population == 200  # type: ignore[union-attr]
    assert survey.withheld_pages == ()


@pytest.mark.parametrize("population", [199, None])
def test_a_page_for_large_audiences_is_left_out_below_its_number(population: Any) -> None:
    doc = survey_doc({"id": "first", "questions": [choice("q1")]}, gated_page(200))
    if population is not None:
        doc["expected_population"] = population
    survey = parse_survey(doc)
    assert [p.id for p in survey.pages] == ["first"]
    assert [p.id for p in survey.withheld_pages] == ["about_you"]
    assert survey.question("about_you_age") is None
    assert "about_you_age" not in [q.id for q in survey.questions()]


@pytest.mark.parametrize("needs", [0, -5, "many", 2.5, True])
def test_needs_population_must_be_a_whole_number(needs: Any) -> None:
    doc = survey_doc({"id": "first", "questions": [choice("q1")]}, gated_page(needs))
    assert_problem(problems_in(doc), "page 'about_you'", "needs_population must be a whole number")


def test_pages_for_large_audiences_come_last() -> None:
    doc = survey_doc(
        gated_page(200), {"id": "last", "questions": [choice("q1")]}, expected_population=500
    )
    assert_problem(
        problems_in(doc), "page 'about_you'", "must come after every page without needs_population"
    )


def test_pages_for_larger_audiences_come_after_those_for_smaller_ones() -> None:
    # So the pages left out are always the last ones, and writing a survey back out puts
    # them where they were.
    doc = survey_doc(
        {"id": "first", "questions": [choice("q1")]},
        gated_page(300),
        gated_page(200, "more_about_you"),
        expected_population=500,
    )
    assert_problem(
        problems_in(doc),
        "page 'more_about_you'",
        "needs_population must be at least that of the page before it (300)",
    )


def test_nothing_may_depend_on_a_page_for_large_audiences() -> None:
    later = gated_page(300, "more_about_you")
    later["questions"][0]["show_if"] = {"question": "about_you_age", "equals": "young"}
    doc = survey_doc(
        {"id": "first", "questions": [choice("q1")]},
        gated_page(200),
        later,
        expected_population=500,
    )
    assert_problem(
        problems_in(doc),
        "question 'more_about_you_age'",
        "refers to 'about_you_age', which is on a page asked only of large audiences",
    )


def test_a_survey_needs_a_page_asked_of_everyone() -> None:
    doc = survey_doc(gated_page(200), expected_population=500)
    assert_problem(problems_in(doc), "survey", "every page has needs_population")


def test_ids_on_left_out_pages_still_count_as_taken() -> None:
    doc = survey_doc({"id": "first", "questions": [choice("about_you_age")]}, gated_page(200))
    assert_problem(problems_in(doc), "question 'about_you_age'", "duplicate question id")


# -- exclusive answers ------------------------------------------------------------------------


def test_an_option_can_be_exclusive() -> None:
    question = choice("q1", "park", "shops", qtype="multiple_choice", dont_know=True)
    question["options"].append({"value": "none", "label": "None of these", "exclusive": True})
    loaded = parse_survey(one_page(question)).question("q1")
    assert loaded is not None
    assert [(o.value, o.exclusive) for o in loaded.options] == [
        ("park", False),
        ("shops", False),
        ("none", True),
        (DONT_KNOW, True),
    ]


def test_a_matrix_scale_option_can_be_exclusive() -> None:
    question = matrix(
        scale=[
            {"value": "often", "label": "Often"},
            {"value": "never", "label": "Never"},
            {"value": "not_there", "label": "I'm not there", "exclusive": True},
        ]
    )
    grid = parse_survey(one_page(question)).question("grid")
    assert grid is not None and grid.options[-1].exclusive


@pytest.mark.parametrize("flag", ["yes", 1, None])
def test_exclusive_must_be_true_or_false(flag: Any) -> None:
    question = choice("q1", "a", "b", qtype="multiple_choice")
    question["options"][1]["exclusive"] = flag
    assert_problem(
        problems_in(one_page(question)),
        "question 'q1'",
        "option 'b': exclusive must be true or false",
    )


# -- core questions ---------------------------------------------------------------------------


def test_a_question_can_be_core() -> None:
    survey = parse_survey(
        survey_doc(
            {"id": "first", "questions": [choice("q1", core=True)]},
            {"id": "second", "questions": [text_q("q2")]},
        )
    )
    assert survey.question("q1").core is True  # type: ignore[union-attr]
    assert survey.question("q2").core is False  # type: ignore[union-attr]


def test_core_must_be_true_or_false() -> None:
    assert_problem(
        problems_in(one_page(choice("q1", core="yes"))),
        "question 'q1'",
        "core must be true or false",
    )


@pytest.mark.parametrize(
    "question",
    [
        text_q("q1", core=True),
        {"id": "q1", "type": "number", "text": "How many?", "min": 0, "max": 9, "core": True},
    ],
)
def test_core_questions_have_answers_to_count(question: dict[str, Any]) -> None:
    assert_problem(
        problems_in(one_page(question)),
        "question 'q1'",
        "core applies only to questions with answers to choose",
    )


def test_a_core_question_depends_only_on_core_questions() -> None:
    doc = survey_doc(
        {"id": "first", "questions": [choice("q1"), choice("q2", core=True)]},
        {
            "id": "second",
            "questions": [
                choice("q3", core=True, show_if={"question": "q1", "equals": "yes"}),
                choice("q4", core=True, show_if={"question": "q2", "equals": "yes"}),
                choice(
                    "q5",
                    core=True,
                    show_if={
                        "not": {
                            "any": [
                                {"question": "q2", "equals": "no"},
                                {"question": "q1", "answered": True},
                            ]
                        }
                    },
                ),
            ],
        },
    )
    problems = problems_in(doc)
    assert_problem(problems, "question 'q3'", "depends on 'q1', which is not a core question")
    assert_problem(problems, "question 'q5'", "depends on 'q1', which is not a core question")
    assert len(problems) == 2


def test_a_core_question_is_not_on_a_page_for_large_audiences() -> None:
    page = gated_page(100)
    page["questions"][0]["core"] = True
    doc = survey_doc({"id": "first", "questions": [choice("q1")]}, page, expected_population=100)
    assert_problem(
        problems_in(doc), "question 'about_you_age'", "a core question is asked of everyone"
    )


# -- the safety scale ---------------------------------------------------------------------------


def test_a_matrix_can_use_the_safety_scale() -> None:
    grid = parse_survey(one_page(matrix(scale="safety", dont_know=True))).question("grid")
    assert grid is not None
    assert [o.label for o in grid.options] == [
        "Very safe",
        "Fairly safe",
        "A bit unsafe",
        "Very unsafe",
        "I don't know",
    ]


# -- the content hash of surveys that use none of this --------------------------------------


def test_unused_later_fields_leave_the_content_hash_as_it_was() -> None:
    survey = parse_survey(survey_doc())
    data = survey.to_dict()
    assert not {"stage", "easy_read", "withheld_pages"} & set(data)
    assert all("needs_population" not in page for page in data["pages"])
    assert all("core" not in q for page in data["pages"] for q in page["questions"])
    core = survey_doc()
    core["pages"][0]["questions"][0]["core"] = True
    assert parse_survey(core).content_hash() != survey.content_hash()
    later = parse_survey(survey_doc(stage="experience", expected_population=40))
    assert later.content_hash() != parse_survey(survey_doc(expected_population=40)).content_hash()


@pytest.mark.parametrize(
    "extra",
    [
        {"easy_read_version": "Not An Id"},
        {"easy_read_version": 7},
        {"easy_read_version": "simple"},  # itself
        {"easy_read_version": "simple-easy-read", "easy_read": True},
    ],
)
def test_an_easy_read_version_must_name_another_survey(extra: dict) -> None:
    document = {
        "id": "simple",
        "title": "Simple",
        "audience": "young_people",
        "questions": [{"id": "q1", "type": "short_text", "text": "Why?"}],
        **extra,
    }
    with pytest.raises(SurveyDefinitionError, match="easy_read_version|easy read survey"):
        parse_survey(document)


def test_an_easy_read_version_is_kept() -> None:
    document = {
        "id": "simple",
        "title": "Simple",
        "audience": "young_people",
        "easy_read_version": "simple-easy-read",
        "questions": [{"id": "q1", "type": "short_text", "text": "Why?"}],
    }
    assert parse_survey(document).easy_read_version == "simple-easy-read"
