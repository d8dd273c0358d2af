"""diff_surveys: what a save changed, in words, on real bank surveys edited as definitions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import surveys
from surveys.definition import survey_to_definition
from surveys.diff import Change, Segment, describe_condition, diff_surveys, word_diff
from surveys.loader import parse_survey
from surveys.model import AllOf, AnyOf, Comparison, Condition, Not, Survey

BANK = surveys.bank_files()
SAMPLE = "sample-young-people"
DESIGN = "young-people-design"

Definition = dict[str, Any]


def load(name: str) -> Survey:
    return surveys.load_survey(surveys.BANK_DIR / f"{name}.yaml")


def edited(name: str, edit: Callable[[Definition], None]) -> tuple[Survey, Survey]:
    """The bank survey and a copy changed the way the editor changes it: via its definition."""
    old = load(name)
    definition = survey_to_definition(old)
    edit(definition)
    return old, parse_survey(definition, source="edited")


def question(definition: Definition, question_id: str) -> dict[str, Any]:
    return next(q for p in definition["pages"] for q in p["questions"] if q["id"] == question_id)


def page(definition: Definition, page_id: str) -> dict[str, Any]:
    return next(p for p in definition["pages"] if p["id"] == page_id)


def only(changes: list[Change]) -> Change:
    assert len(changes) == 1, changes
    return changes[0]


def summary(changes: list[Change]) -> list[tuple[str, str, str, str]]:
    return [(c.kind, c.subject, c.before, c.after) for c in changes]


# -- nothing changed -------------------------------------------------------------------------


@pytest.mark.parametrize("path", BANK, ids=[p.stem for p in BANK])
def test_identical_surveys_give_no_changes(path: Path) -> None:
    survey = surveys.load_survey(path)
    assert diff_surveys(survey, survey) == []
    # A separately built but equal version (what a save without edits produces).
    assert diff_surveys(survey, parse_survey(survey_to_definition(survey))) == []


def test_the_same_rule_written_on_the_question_instead_of_its_page_is_no_change() -> None:
    def move_rule(d: Definition) -> None:
        safety = page(d, "safety")
        safety["questions"][0]["show_if"] = safety.pop("show_if")

    assert diff_surveys(*edited(SAMPLE, move_rule)) == []


# -- survey-level fields ---------------------------------------------------------------------


def test_survey_fields_are_named_in_plain_words() -> None:
    def edit(d: Definition) -> None:
        d["title"] = "Feeling safe where you go"
        d["retention_days"] = 180
        d["audience"] = "mixed"
        del d["minutes"]
        d["expected_population"] = 250

    assert summary(diff_surveys(*edited(SAMPLE, edit))) == [
        ("survey", "Title", "Feeling safe where you spend time", "Feeling safe where you go"),
        ("survey", "Who it is for", "Young people", "Young people and parents"),
        ("survey", "How long it takes (minutes)", "3", "Not set"),
        ("survey", "How many people could answer", "Not set", "250"),
        ("survey", "How long responses are kept (days)", "365", "180"),
    ]


def test_survey_texts_carry_word_segments() -> None:
    def edit(d: Definition) -> None:
        d["title"] = "Feeling safe where you go"

    change = only(diff_surveys(*edited(SAMPLE, edit)))
    assert change.segments == (
        Segment("Feeling safe where you ", "same"),
        Segment("spend time", "removed"),
        Segment("go", "added"),
    )


def test_a_change_in_the_number_of_pages_is_reported() -> None:
    def merge(d: Definition) -> None:
        # The agreement question joins the previous page: same questions, one page fewer.
        told_first = d["pages"].pop(4)
        page(d, "workers")["questions"].extend(told_first["questions"])

    assert summary(diff_surveys(*edited(SAMPLE, merge))) == [
        ("survey", "Number of pages", "6", "5"),
    ]


# -- added, removed, moved -------------------------------------------------------------------


def test_an_added_question_names_its_wording_and_position() -> None:
    def add(d: Definition) -> None:
        d["pages"].insert(
            2,
            {
                "id": "age",
                "questions": [
                    {
                        "id": "age",
                        "type": "number",
                        "text": "How old are you?",
                        "min": 10,
                        "max": 25,
                    },
                ],
            },
        )

    old, new = edited(SAMPLE, add)
    changes = diff_surveys(old, new)
    assert changes == [
        Change("survey", "Number of pages", "6", "7"),
        Change(
            "added", "How old are you?", "", "Question 3", "Added as question 3.", question_id="age"
        ),
    ]


def test_an_added_question_with_a_rule_says_when_it_shows() -> None:
    def add(d: Definition) -> None:
        page(d, "one_change")["questions"].append(
            {
                "id": "which_worker",
                "type": "short_text",
                "text": "Which worker?",
                "show_if": {"question": "workers_with_group", "any_of": ["yes", "maybe"]},
            }
        )

    change = only(diff_surveys(*edited(SAMPLE, add)))
    assert change.kind == "added" and change.after == "Question 7"
    assert change.detail == (
        'Added as question 7. Shown only if "Would you want workers to work with your '
        'friendship group…" is "Yes" or "Maybe".'
    )


def test_a_removed_question_is_listed_where_it_was() -> None:
    def remove(d: Definition) -> None:
        del d["pages"][3]  # workers_with_group, question 4
        page(d, "one_change")["questions"][0]["text"] = "What one thing would make it safer?"

    changes = diff_surveys(*edited(SAMPLE, remove))
    assert [(c.kind, c.subject, c.before, c.after, c.detail) for c in changes] == [
        ("survey", "Number of pages", "6", "5", ""),
        (
            "removed",
            "Would you want workers to work with your friendship group together?",
            "Question 4",
            "",
            "Removed; it was question 4.",
        ),
        # Renumbered by the removal: it was question 6, and is now question 5.
        (
            "wording",
            "Question 5: wording",
            "What is one thing that would make your area safer?",
            "What one thing would make it safer?",
            "",
        ),
    ]


def test_moving_one_question_reports_only_that_question() -> None:
    def move(d: Definition) -> None:
        last = next(p for p in d["pages"] if p["id"] == "one_thing_safer")
        d["pages"].remove(last)
        d["pages"].insert(2, last)  # the last question before "About you" to third

    old, new = edited(DESIGN, move)
    assert [q.id for q in old.questions()].index("one_thing_safer") == 28
    change = only(diff_surveys(old, new))
    assert change == Change(
        "moved",
        "What is one thing that would make the places you go safer?",
        "Question 29",
        "Question 3",
        "Moved from position 29 to 3.",
        question_id="one_thing_safer",
    )


def test_swapping_neighbours_reports_one_move() -> None:
    def swap(d: Definition) -> None:
        pages = d["pages"]
        pages[17], pages[18] = pages[18], pages[17]

    change = only(diff_surveys(*edited(DESIGN, swap)))
    # Either of the two could be called the one that moved; difflib keeps the first in place.
    assert (change.kind, change.question_id, change.detail) == (
        "moved",
        "peer_map_who_sees",
        "Moved from position 19 to 18.",
    )


def test_adding_a_question_does_not_make_later_ones_moved() -> None:
    def add_first(d: Definition) -> None:
        d["pages"].insert(
            0,
            {
                "id": "hello",
                "questions": [
                    {"id": "hello", "type": "agreement", "text": "I like surveys."},
                ],
            },
        )

    changes = diff_surveys(*edited(SAMPLE, add_first))
    assert [c.kind for c in changes] == ["survey", "added"]


# -- wording ---------------------------------------------------------------------------------


def test_a_question_wording_change_has_word_segments() -> None:
    def edit(d: Definition) -> None:
        question(d, "feel_safe")["text"] = "How safe do those places feel at night?"

    change = only(diff_surveys(*edited(SAMPLE, edit)))
    assert (change.kind, change.subject, change.question_id) == (
        "wording",
        "Question 2: wording",
        "feel_safe",
    )
    assert (change.before, change.after) == (
        "How safe do those places usually feel?",
        "How safe do those places feel at night?",
    )
    assert change.segments == (
        Segment("How safe do those places ", "same"),
        Segment("usually ", "removed"),
        Segment("feel", "same"),
        Segment(" at night", "added"),
        Segment("?", "same"),
    )


def test_hint_and_answer_label_changes_name_the_part() -> None:
    def edit(d: Definition) -> None:
        places = question(d, "places_visited")
        places["hint"] = "Choose all the places."
        places["options"][4]["label"] = "Youth centre"

    assert summary(diff_surveys(*edited(SAMPLE, edit))) == [
        ("wording", "Question 1: hint", "Choose all that apply.", "Choose all the places."),
        ("wording", 'Question 1: answer "Youth club"', "Youth club", "Youth centre"),
    ]


def test_matrix_statement_and_scale_label_changes() -> None:
    def edit(d: Definition) -> None:
        grid = question(d, "peer_map_who_sees")
        grid["statements"][2]["text"] = "Staff at school"
        grid["scale"][1]["label"] = "Only if it is serious"

    assert summary(diff_surveys(*edited(DESIGN, edit))) == [
        (
            "wording",
            'Question 19: answer "Only if there is a serious worry"',
            "Only if there is a serious worry",
            "Only if it is serious",
        ),
        ("wording", 'Question 19: statement "School staff"', "School staff", "Staff at school"),
    ]


def test_low_and_high_labels() -> None:
    def edit(d: Definition) -> None:
        question(d, "ons_life_satisfaction")["low_label"] = "Not at all satisfied"
        question(d, "ons_life_satisfaction")["high_label"] = "Completely satisfied"

    assert summary(diff_surveys(*edited("young-people-experience", edit))) == [
        ("wording", "Question 1: label at the low end", "Not at all", "Not at all satisfied"),
        ("wording", "Question 1: label at the high end", "Completely", "Completely satisfied"),
    ]


def test_a_page_title_change() -> None:
    def edit(d: Definition) -> None:
        page(d, "safer")["title"] = "Feeling safer"

    change = only(diff_surveys(*edited(SAMPLE, edit)))
    assert (change.kind, change.subject, change.before, change.after) == (
        "wording",
        "Page 3: title",
        "",
        "Feeling safer",
    )
    assert change.segments == (Segment("Feeling safer", "added"),)


# -- conditions ------------------------------------------------------------------------------


def test_a_new_question_rule_is_described_with_labels() -> None:
    def edit(d: Definition) -> None:
        question(d, "listened_to")["show_if"] = {"question": "workers_with_group", "equals": "yes"}

    change = only(diff_surveys(*edited(SAMPLE, edit)))
    assert change == Change(
        "condition",
        "Question 5: when it is shown",
        "Always shown",
        'Shown only if "Would you want workers to work with your friendship group…" is "Yes"',
        question_id="listened_to",
    )


def test_a_changed_page_rule_is_reported_on_its_question() -> None:
    def edit(d: Definition) -> None:
        page(d, "safety")["show_if"] = {"question": "places_visited", "any_of": ["park", "shops"]}

    change = only(diff_surveys(*edited(SAMPLE, edit)))
    assert (change.kind, change.subject) == ("condition", "Question 2: when it is shown")
    assert change.before == (
        'Shown only if "Where do you spend time when you are not at home?" is answered'
    )
    assert change.after == (
        'Shown only if "Where do you spend time when you are not at home?" includes '
        '"Park or open space" or "Shops or shopping centre"'
    )


def test_a_removed_rule_reads_always_shown() -> None:
    def edit(d: Definition) -> None:
        del page(d, "safety")["show_if"]

    change = only(diff_surveys(*edited(SAMPLE, edit)))
    assert (change.kind, change.after) == ("condition", "Always shown")


def test_page_and_question_rules_together() -> None:
    def edit(d: Definition) -> None:
        question(d, "feel_safe")["show_if"] = {"question": "places_visited", "equals": "park"}

    change = only(diff_surveys(*edited(SAMPLE, edit)))
    assert change.after == (
        'Shown only if "Where do you spend time when you are not at home?" is answered and '
        '"Where do you spend time when you are not at home?" includes "Park or open space"'
    )


def test_describe_condition() -> None:
    survey = load(SAMPLE)
    assert describe_condition(survey, None) == "Always shown"
    assert describe_condition(survey, Condition("feel_safe", equals="1")) == (
        'Shown only if "How safe do those places usually feel?" is "Very unhappy"'
    )
    assert describe_condition(survey, Condition("feel_safe", any_of=("1", "dont_know"))) == (
        'Shown only if "How safe do those places usually feel?" is "Very unhappy" or '
        '"I don\'t know"'
    )
    assert describe_condition(survey, Condition("change_one_thing", answered=False)) == (
        'Shown only if "What is one thing that would make your area safer?" is not answered'
    )


@pytest.fixture
def rules_survey() -> Survey:
    """Questions of every kind a combined or comparing rule can test."""
    options = [{"value": v, "label": v.title()} for v in ("park", "shops", "school")]
    return parse_survey(
        {
            "id": "rules",
            "title": "Rules",
            "audience": "mixed",
            "questions": [
                {"id": "age", "type": "number", "text": "How old are you?", "min": 5, "max": 25},
                {"id": "mood", "type": "faces", "text": "How do you feel?", "points": 3},
                {"id": "score", "type": "scale_0_10", "text": "How likely?"},
                {"id": "places", "type": "multiple_choice", "text": "Where?", "options": options},
                {
                    "id": "safe",
                    "type": "single_choice",
                    "text": "Do you feel safe?",
                    "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
                },
            ],
        }
    )


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (Comparison("age", "at_least", 13), '"How old are you?" is 13 or more'),
        (Comparison("age", "at_most", 12), '"How old are you?" is 12 or less'),
        (Comparison("age", "greater_than", 12), '"How old are you?" is more than 12'),
        (Comparison("age", "less_than", 13), '"How old are you?" is less than 13'),
        (Comparison("score", "at_least", 9), '"How likely?" is 9 or more'),
        # Faces are named by their labels, not by the numbers stored for them.
        (Comparison("mood", "at_most", 2), '"How do you feel?" is "Not good" or "Okay"'),
        (Comparison("safe", "not_equals", "yes"), '"Do you feel safe?" is not "Yes"'),
        (Comparison("places", "not_equals", "park"), '"Where?" does not include "Park"'),
        (Comparison("places", "count_at_least", 1), '"Where?" has at least 1 answer chosen'),
        (Comparison("places", "count_at_least", 2), '"Where?" has at least 2 answers chosen'),
    ],
)
def test_comparing_rules_in_words(rules_survey: Survey, rule: Any, words: str) -> None:
    assert describe_condition(rules_survey, rule) == f"Shown only if {words}"


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (
            AllOf(all=(Comparison("age", "at_least", 13), Condition("safe", equals="no"))),
            '"How old are you?" is 13 or more and "Do you feel safe?" is "No"',
        ),
        (
            AnyOf(any=(Comparison("age", "less_than", 13), Condition("places", answered=False))),
            '"How old are you?" is less than 13 or "Where?" is not answered',
        ),
        (
            AllOf(
                all=(
                    Condition("safe", equals="no"),
                    AnyOf(
                        any=(
                            Condition("places", equals="park"),
                            Condition("places", equals="shops"),
                        )
                    ),
                )
            ),
            '"Do you feel safe?" is "No" and ("Where?" includes "Park" or "Where?" includes '
            '"Shops")',
        ),
        (Not(negated=Condition("safe", equals="yes")), '"Do you feel safe?" is not "Yes"'),
        (
            Not(negated=Condition("places", any_of=("park", "shops"))),
            '"Where?" includes none of "Park", "Shops"',
        ),
        (Not(negated=Condition("safe", answered=True)), '"Do you feel safe?" is not answered'),
        (Not(negated=Comparison("age", "at_least", 13)), '"How old are you?" is not 13 or more'),
        (
            Not(negated=Comparison("places", "count_at_least", 2)),
            '"Where?" has fewer than 2 answers chosen',
        ),
        (Not(negated=Comparison("safe", "not_equals", "no")), '"Do you feel safe?" is "No"'),
        (Not(negated=Not(negated=Condition("safe", equals="no"))), '"Do you feel safe?" is "No"'),
        # "Not all of" reads as "any of the opposites", which says the same thing plainly.
        (
            Not(
                negated=AllOf(all=(Condition("safe", equals="no"), Condition("age", answered=True)))
            ),
            '"Do you feel safe?" is not "No" or "How old are you?" is not answered',
        ),
    ],
)
def test_combined_rules_in_words(rules_survey: Survey, rule: Any, words: str) -> None:
    assert describe_condition(rules_survey, rule) == f"Shown only if {words}"


def test_a_combined_rule_on_a_page_and_its_question(rules_survey: Survey) -> None:
    definition = survey_to_definition(rules_survey)
    definition["pages"].append(
        {
            "id": "last",
            "show_if": {
                "any": [{"question": "age", "less_than": 13}, {"question": "mood", "equals": "1"}]
            },
            "questions": [{"id": "why", "type": "short_text", "text": "Why?"}],
        }
    )
    with_page_rule = parse_survey(definition)
    question(definition, "why")["show_if"] = {"question": "safe", "not_equals": "yes"}
    with_both = parse_survey(definition)

    change = only(diff_surveys(with_page_rule, with_both))
    assert change.before == (
        'Shown only if "How old are you?" is less than 13 or "How do you feel?" is "Not good"'
    )
    assert change.after == (
        'Shown only if ("How old are you?" is less than 13 or "How do you feel?" is "Not good") '
        'and "Do you feel safe?" is not "Yes"'
    )


# -- settings --------------------------------------------------------------------------------


def test_settings_are_named_in_words() -> None:
    def edit(d: Definition) -> None:
        safer = question(d, "makes_safer")
        safer["max_choices"] = 2
        safer["required"] = True
        del safer["dont_know"]

    assert summary(diff_surveys(*edited(SAMPLE, edit))) == [
        ("settings", "Question 3: answer required", "No", "Yes"),
        ("settings", 'Question 3: "I don\'t know" offered', "Yes", "No"),
        ("settings", "Question 3: most answers that can be chosen", "3", "2"),
    ]


def test_answers_added_removed_and_reordered() -> None:
    def edit(d: Definition) -> None:
        options = question(d, "workers_with_group")["options"]
        options.reverse()
        options[1:2] = [{"value": "not_sure", "label": "Not sure"}]

    assert summary(diff_surveys(*edited(SAMPLE, edit))) == [
        ("settings", "Question 4: answer removed", "Maybe", ""),
        ("settings", "Question 4: answer added", "", "Not sure"),
        ("settings", "Question 4: order of answers", "Yes / Maybe / No", "No / Not sure / Yes"),
    ]


def test_a_new_type_is_one_setting_not_a_list_of_labels() -> None:
    def edit(d: Definition) -> None:
        question(d, "feel_safe")["points"] = 3

    assert summary(diff_surveys(*edited(SAMPLE, edit))) == [
        ("settings", "Question 2: answer scale", "5 faces", "3 faces"),
    ]


def test_a_changed_type() -> None:
    def edit(d: Definition) -> None:
        listened = question(d, "listened_to")
        listened["type"] = "faces"

    assert summary(diff_surveys(*edited(SAMPLE, edit))) == [
        ("settings", "Question 5: type of question", "Agree or disagree scale", "Faces scale"),
        ("settings", "Question 5: answer scale", "", "5 faces"),
    ]


def test_a_statement_added() -> None:
    def edit(d: Definition) -> None:
        question(d, "peer_map_who_sees")["statements"].append({"id": "bus", "text": "Bus staff"})

    change = only(diff_surveys(*edited(DESIGN, edit)))
    assert (change.kind, change.subject, change.after) == (
        "settings",
        "Question 19: statement added",
        "Bus staff",
    )


# -- order of the whole list -----------------------------------------------------------------


def test_changes_come_in_survey_order() -> None:
    def edit(d: Definition) -> None:
        d["retention_days"] = 180
        pages = d["pages"]
        pages.insert(3, pages.pop(5))  # change_one_thing moves up to fourth
        pages.append(
            {
                "id": "age",
                "title": "About you",
                "questions": [
                    {
                        "id": "age",
                        "type": "number",
                        "text": "How old are you?",
                        "min": 10,
                        "max": 25,
                    },
                ],
            }
        )
        question(d, "places_visited")["text"] = "Where do you go?"
        del pages[1]  # feel_safe

    assert summary(diff_surveys(*edited(SAMPLE, edit))) == [
        ("survey", "How long responses are kept (days)", "365", "180"),
        (
            "wording",
            "Question 1: wording",
            "Where do you spend time when you are not at home?",
            "Where do you go?",
        ),
        ("removed", "How safe do those places usually feel?", "Question 2", ""),
        ("moved", "What is one thing that would make your area safer?", "Question 6", "Question 3"),
        ("added", "How old are you?", "", "Question 6"),
    ]


# -- word_diff -------------------------------------------------------------------------------


def test_word_diff_of_a_simple_sentence() -> None:
    assert word_diff("The big dog barked.", "The small dog barked.") == (
        Segment("The ", "same"),
        Segment("big", "removed"),
        Segment("small", "added"),
        Segment(" dog barked.", "same"),
    )


def test_word_diff_keeps_a_replaced_phrase_together() -> None:
    assert word_diff("a red big dog", "a blue small dog") == (
        Segment("a ", "same"),
        Segment("red big", "removed"),
        Segment("blue small", "added"),
        Segment(" dog", "same"),
    )


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("", "", ()),
        ("Same words.", "Same words.", (Segment("Same words.", "same"),)),
        ("", "New", (Segment("New", "added"),)),
        ("Old", "", (Segment("Old", "removed"),)),
    ],
)
def test_word_diff_edges(before: str, after: str, expected: tuple[Segment, ...]) -> None:
    assert word_diff(before, after) == expected


@settings(deadline=None, database=None, max_examples=200)
@given(st.text(alphabet=" \nabc,.?é", max_size=30), st.text(alphabet=" \nabc,.?é", max_size=30))
def test_word_diff_segments_rebuild_both_texts(before: str, after: str) -> None:
    segments = word_diff(before, after)
    assert "".join(s.text for s in segments if s.status != "added") == before
    assert "".join(s.text for s in segments if s.status != "removed") == after
    assert all(s.text for s in segments)
    # Kept text always separates changes: never two kept runs, or two of one kind, in a row.
    pairs = zip(segments, segments[1:], strict=False)
    assert all(a.status != b.status for a, b in pairs)


# -- stage, core questions and exclusive answers ---------------------------------------------------


def test_stage_and_easy_read_are_survey_fields() -> None:
    def edit(d: Definition) -> None:
        d["stage"] = "experience"
        d["expected_population"] = 80
        d["easy_read"] = True

    assert summary(diff_surveys(*edited(SAMPLE, edit))) == [
        ("survey", "Stage", "Design", "Experience"),
        ("survey", "Easy read", "No", "Yes"),
        ("survey", "How many people could answer", "Not set", "80"),
    ]


def test_marking_a_question_core_is_a_setting() -> None:
    def edit(d: Definition) -> None:
        question(d, "places_visited")["core"] = True

    assert summary(diff_surveys(*edited(SAMPLE, edit))) == [
        ("settings", "Question 1: core question (asked the same in every wave)", "No", "Yes"),
    ]


def test_an_answer_made_exclusive_is_a_setting() -> None:
    def edit(d: Definition) -> None:
        question(d, "places_visited")["options"][5]["exclusive"] = True

    assert summary(diff_surveys(*edited(SAMPLE, edit))) == [
        (
            "settings",
            "Question 1: answers that cannot be chosen with others",
            "None",
            "Online (games or social media)",
        ),
    ]


def test_the_safety_scale_is_named() -> None:
    def edit(d: Definition) -> None:
        grid = {
            "id": "grid",
            "type": "matrix",
            "text": "How safe?",
            "scale": "safety",
            "statements": [{"id": "day", "text": "In the day"}],
        }
        d["pages"].append({"id": "grid", "questions": [grid]})

    old, new = edited(SAMPLE, edit)

    def scale(d: Definition) -> None:
        edit(d)
        question(d, "grid")["scale"] = "agreement"

    changes = diff_surveys(new, edited(SAMPLE, scale)[1])
    assert summary(changes) == [
        ("settings", "Question 7: answer scale", "Safety", "Agree or disagree")
    ]
