"""The question library: loading, tags, filtering and assembling surveys from it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import surveys
from surveys.library import (
    LIBRARY_PATH,
    LibraryQuestion,
    assemble_survey,
    find_questions,
    load_library,
)
from surveys.loader import SurveyDefinitionError, parse_survey

KNOWN_THEMES = {
    "places",
    "safety",
    "friendships",
    "trust",
    "information_sharing",
    "information",
    "involvement",
    "experience",
    "wellbeing",
    "overall",
    "priorities",
    "about_you",
}
KNOWN_AUDIENCES = {"young_people", "parents"}

GOOD_ENTRY = """
  - id: good_one
    type: single_choice
    text: Do you like it?
    options:
      - {value: "yes", label: "Yes"}
      - {value: "no", label: "No"}
    themes: [overall]
    audiences: [parents]
"""


@pytest.fixture(scope="module")
def library() -> list[LibraryQuestion]:
    return load_library()


def write_library(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "questions.yaml"
    path.write_text("questions:\n" + entries.strip("\n") + "\n", encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(SurveyDefinitionError) as caught:
        load_library(path)
    return [f"{p.where}: {p.message}" for p in caught.value.problems]


# -- the shipped library --------------------------------------------------------------


def test_library_loads_from_its_default_path(library: list[LibraryQuestion]) -> None:
    assert LIBRARY_PATH.is_file()
    assert library and all(isinstance(item, LibraryQuestion) for item in library)
    with pytest.raises(dataclasses.FrozenInstanceError):
        library[0].themes = ("places",)  # type: ignore[misc]


def test_question_ids_are_unique(library: list[LibraryQuestion]) -> None:
    ids = [item.question.id for item in library]
    assert len(ids) == len(set(ids))


def test_every_bank_question_is_in_the_library_unchanged(
    library: list[LibraryQuestion],
) -> None:
    by_id = {item.question.id: item.question for item in library}
    for path in surveys.bank_files():
        for question in surveys.load_survey(path).questions():
            assert question.id in by_id, f"{path.name}: {question.id} is not in the library"
            # show_if belongs to the survey; everything else must match the library.
            assert dataclasses.replace(by_id[question.id], show_if=question.show_if) == question


def test_library_has_extras_beyond_the_bank(library: list[LibraryQuestion]) -> None:
    used = {q.id for p in surveys.bank_files() for q in surveys.load_survey(p).questions()}
    assert len({item.question.id for item in library} - used) >= 3


def test_tags_come_from_the_known_sets(library: list[LibraryQuestion]) -> None:
    for item in library:
        assert item.themes and set(item.themes) <= KNOWN_THEMES, item.question.id
        assert item.audiences and set(item.audiences) <= KNOWN_AUDIENCES, item.question.id


def test_no_library_question_has_show_if(library: list[LibraryQuestion]) -> None:
    assert not [item.question.id for item in library if item.question.show_if]


def test_verbatim_measures_carry_their_attribution(library: list[LibraryQuestion]) -> None:
    for item in library:
        if item.question.id.startswith("ons_"):
            assert "ONS" in item.source and "verbatim" in item.source
        if item.question.id == "fft_overall":
            assert "Friends and Family Test" in item.source and "verbatim" in item.source


def test_ons_anxiety_item_is_for_parents_only(library: list[LibraryQuestion]) -> None:
    anxious = [item for item in library if "anxious" in item.question.text]
    assert anxious
    assert all(item.audiences == ("parents",) for item in anxious)


# -- find_questions -------------------------------------------------------------------


def test_find_by_theme(library: list[LibraryQuestion]) -> None:
    found = find_questions(library, theme="trust")
    assert found
    assert all("trust" in item.themes for item in found)
    assert len(found) == sum("trust" in item.themes for item in library)


def test_find_by_audience(library: list[LibraryQuestion]) -> None:
    found = find_questions(library, audience="parents")
    assert found
    assert all("parents" in item.audiences for item in found)
    assert not any(item.question.id.startswith("easy_") for item in found)


def test_find_by_theme_and_audience(library: list[LibraryQuestion]) -> None:
    found = find_questions(library, theme="wellbeing", audience="young_people")
    ids = {item.question.id for item in found}
    assert "ons_life_satisfaction" in ids
    assert "ons_anxious_yesterday" not in ids


def test_find_without_filters_returns_everything(library: list[LibraryQuestion]) -> None:
    assert find_questions(library) == list(library)
    assert find_questions(library, theme="no_such_theme") == []


# -- assemble_survey ------------------------------------------------------------------


def test_assembled_survey_validates(library: list[LibraryQuestion]) -> None:
    ids = ["places_spend_time", "what_makes_safer", "who_talk_to", "one_thing_safer"]
    definition = assemble_survey(
        library,
        ids,
        survey_id="my-survey",
        title="Safer places",
        audience="young_people",
        intro="Tell us what you think.",
        privacy="We do not know who you are.",
    )
    survey = parse_survey(definition)
    assert survey.id == "my-survey" and survey.audience == "young_people"
    assert [p.questions[0].id for p in survey.pages] == ids
    assert all(len(p.questions) == 1 for p in survey.pages)


@pytest.mark.parametrize("audience", sorted(KNOWN_AUDIENCES))
def test_every_library_question_survives_assembly(
    library: list[LibraryQuestion], audience: str
) -> None:
    chosen = find_questions(library, audience=audience)
    definition = assemble_survey(
        library,
        [item.question.id for item in chosen],
        survey_id="everything",
        title="Everything",
        audience=audience,
        intro="Intro.",
        privacy="Privacy.",
    )
    survey = parse_survey(definition)
    assert list(survey.questions()) == [item.question for item in chosen]


def test_assembling_an_unknown_question_names_it(library: list[LibraryQuestion]) -> None:
    with pytest.raises(SurveyDefinitionError) as caught:
        assemble_survey(
            library,
            ["places_spend_time", "no_such_question"],
            survey_id="x-survey",
            title="X",
            audience="young_people",
            intro="i",
            privacy="p",
        )
    assert [p.where for p in caught.value.problems] == ["question 'no_such_question'"]


def test_assembling_for_the_wrong_audience_names_the_question(
    library: list[LibraryQuestion],
) -> None:
    with pytest.raises(SurveyDefinitionError) as caught:
        assemble_survey(
            library,
            ["ons_anxious_yesterday"],
            survey_id="x-survey",
            title="X",
            audience="young_people",
            intro="i",
            privacy="p",
        )
    assert "ons_anxious_yesterday" in str(caught.value)


# -- bad library files ----------------------------------------------------------------


def test_a_good_entry_loads(tmp_path: Path) -> None:
    [item] = load_library(write_library(tmp_path, GOOD_ENTRY))
    assert item.question.id == "good_one"
    assert item.themes == ("overall",) and item.audiences == ("parents",)
    assert item.source == ""


def test_unknown_type_names_the_question(tmp_path: Path) -> None:
    entry = """
  - id: bad_type
    type: slider
    text: How much?
    themes: [overall]
    audiences: [parents]
"""
    problems = problems_of(write_library(tmp_path, entry))
    assert any(p.startswith("question 'bad_type'") and "unknown type" in p for p in problems)


def test_missing_tags_name_the_question(tmp_path: Path) -> None:
    entry = """
  - id: no_tags
    type: agreement
    text: It is fine.
"""
    problems = problems_of(write_library(tmp_path, entry))
    assert "question 'no_tags': themes must be a non-empty list" in problems
    assert "question 'no_tags': audiences must be a non-empty list" in problems


def test_unknown_tags_name_the_question(tmp_path: Path) -> None:
    entry = """
  - id: odd_tags
    type: agreement
    text: It is fine.
    themes: [weather]
    audiences: [teachers]
"""
    problems = problems_of(write_library(tmp_path, entry))
    assert any(p.startswith("question 'odd_tags': unknown themes weather") for p in problems)
    assert any(p.startswith("question 'odd_tags': unknown audiences teachers") for p in problems)


def test_show_if_is_refused_in_the_library(tmp_path: Path) -> None:
    entry = (
        GOOD_ENTRY
        + """
  - id: follow_up
    type: long_text
    text: Why?
    show_if: {question: good_one, answered: true}
    themes: [overall]
    audiences: [parents]
"""
    )
    problems = problems_of(write_library(tmp_path, entry))
    assert len(problems) == 1 and problems[0].startswith("question 'follow_up': show_if")


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    problems = problems_of(write_library(tmp_path, GOOD_ENTRY + GOOD_ENTRY))
    assert problems == ["question 'good_one': duplicate question id"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    entries = """
  - id: first_bad
    type: single_choice
    text: Pick one.
    options:
      - {value: only, label: Only one}
    themes: [overall]
    audiences: [parents]
  - id: second_bad
    type: scale_0_10
    text: How much?
    themes: [overall]
    audiences: [nobody]
"""
    problems = problems_of(write_library(tmp_path, entries))
    assert any(p.startswith("question 'first_bad'") for p in problems)
    assert any(p.startswith("question 'second_bad'") for p in problems)


@pytest.mark.parametrize(
    "content",
    ["", "questions: []\n", "- just a list\n", "questions: [\n"],
    ids=["empty", "no questions", "not a mapping", "broken yaml"],
)
def test_unusable_files_give_a_definition_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "questions.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SurveyDefinitionError) as caught:
        load_library(path)
    assert all(p.source == str(path) for p in caught.value.problems)


def test_a_missing_file_gives_a_definition_error(tmp_path: Path) -> None:
    with pytest.raises(SurveyDefinitionError, match="cannot be read"):
        load_library(tmp_path / "nowhere.yaml")
