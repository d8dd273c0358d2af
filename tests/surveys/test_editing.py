"""Browser edits applied to a survey definition, and two edits of one version combined."""

from __future__ import annotations

import copy

import pytest

from surveys import BANK_DIR, load_survey, parse_survey
from surveys.definition import survey_to_definition
from surveys.editing import (
    EditProblem,
    add_question,
    apply_fields,
    condition_choices,
    decode_condition,
    encode_condition,
    merge_edits,
    move_page,
    question_ids,
    remove_question,
)

SAMPLE = BANK_DIR / "sample-young-people.yaml"


@pytest.fixture
def base() -> dict:
    return survey_to_definition(load_survey(SAMPLE))


def question(definition: dict, qid: str) -> dict:
    return next(q for page in definition["pages"] for q in page["questions"] if q["id"] == qid)


def test_typed_fields_change_wording_labels_and_retention(base: dict) -> None:
    edited = apply_fields(
        base,
        {
            "title": "  Safer places  ",
            "retention_days": "90",
            "feel_safe-text": "How safe do they feel?",
            "feel_safe-hint": "",
            "workers_with_group-option-maybe": "  Not  sure ",
            "workers_with_group-show_if": "equals:places_visited:park",
        },
    )
    survey = parse_survey(edited)
    assert survey.title == "Safer places" and survey.retention_days == 90
    assert survey.question("feel_safe").text == "How safe do they feel?"
    assert survey.question("workers_with_group").option("maybe").label == "Not sure"
    assert survey.question("workers_with_group").show_if.equals == "park"
    assert base["title"] == "Feeling safe where you spend time"  # the input is untouched


def test_an_emptied_optional_field_is_removed_and_a_bad_number_left_for_the_loader(
    base: dict,
) -> None:
    edited = apply_fields(base, {"places_visited-hint": " ", "retention_days": "soon"})
    assert "hint" not in question(edited, "places_visited")
    assert edited["retention_days"] == "soon"


def test_conditions_round_trip_through_one_choice() -> None:
    for rule in ({"question": "q1", "answered": True}, {"question": "q1", "equals": "yes"}):
        assert decode_condition(encode_condition(rule)) == rule
    assert encode_condition(None) == "" and decode_condition("") is None
    assert encode_condition({"question": "q1", "any_of": ["a", "b"]}) == "keep"


def test_condition_choices_offer_earlier_questions_and_their_answers(base: dict) -> None:
    choices = condition_choices(base, 2)
    values = [choice.value for choice in choices]
    assert values[0] == "answered:places_visited"
    assert "equals:feel_safe:5" in values  # a built-in faces scale
    assert not any("makes_safer" in value for value in values)  # not earlier
    assert condition_choices(base, 0) == []


def test_moving_a_page_stays_within_bounds(base: dict) -> None:
    assert question_ids(move_page(base, "workers", -1))[2:4] == [
        "workers_with_group",
        "makes_safer",
    ]
    assert question_ids(move_page(base, "places", -1)) == question_ids(base)
    with pytest.raises(EditProblem):
        move_page(base, "no_such_page", 1)


def test_a_question_others_depend_on_cannot_be_removed(base: dict) -> None:
    with pytest.raises(EditProblem, match="depends on this question"):
        remove_question(base, "places_visited")
    assert "makes_safer" not in question_ids(remove_question(base, "makes_safer"))


def test_adding_a_question_twice_is_refused(base: dict) -> None:
    new = {"id": "extra", "type": "short_text", "text": "Anything else?"}
    added = add_question(base, new)
    assert question_ids(added)[-1] == "extra"
    with pytest.raises(EditProblem, match="already in the survey"):
        add_question(added, new)
    parse_survey(added)


def test_edits_to_different_questions_are_combined(base: dict) -> None:
    mine = apply_fields(base, {"feel_safe-text": "Mine?"})
    theirs = move_page(apply_fields(base, {"title": "Theirs"}), "one_change", -1)
    merge = merge_edits(base, mine, theirs)
    survey = parse_survey(merge.definition)
    assert merge.conflicts == ()
    assert survey.title == "Theirs" and survey.question("feel_safe").text == "Mine?"
    assert question_ids(merge.definition) == question_ids(theirs)


def test_both_changing_one_thing_uses_mine_and_says_so(base: dict) -> None:
    mine = apply_fields(base, {"feel_safe-text": "Mine?"})
    theirs = apply_fields(base, {"feel_safe-text": "Theirs?"})
    merge = merge_edits(base, mine, theirs)
    assert question(merge.definition, "feel_safe")["text"] == "Mine?"
    assert merge.conflicts == ("“How safe do those places usually feel?”: wording",)


def test_both_changing_the_order_keeps_theirs_with_my_removals_and_additions(base: dict) -> None:
    mine = add_question(
        remove_question(move_page(base, "workers", -1), "makes_safer"),
        {"id": "extra", "type": "short_text", "text": "Anything else?"},
    )
    theirs = move_page(base, "one_change", -1)
    merge = merge_edits(base, mine, theirs)
    assert question_ids(merge.definition) == [
        "places_visited",
        "feel_safe",
        "workers_with_group",
        "change_one_thing",
        "listened_to",
        "extra",
    ]
    assert any("order of the questions" in note for note in merge.conflicts)
    parse_survey(merge.definition)


def test_a_removed_question_that_the_other_changed_stays_removed_and_is_said(base: dict) -> None:
    mine = remove_question(base, "makes_safer")
    theirs = apply_fields(base, {"makes_safer-text": "What would help?"})
    merge = merge_edits(base, mine, copy.deepcopy(theirs))
    assert "makes_safer" not in question_ids(merge.definition)
    assert merge.conflicts == (
        "“What would make places feel safer for you?”: you removed it "
        "and they changed it; it stays removed",
    )


def test_rules_are_described_with_wording_and_labels(base: dict) -> None:
    from surveys.editing import describe_rule

    assert describe_rule(base, None) == "Always"
    assert (
        describe_rule(base, {"question": "places_visited", "answered": True})
        == "Only if “Where do you spend time when you are not at home?” is answered"
    )
    assert (
        describe_rule(base, {"question": "workers_with_group", "any_of": ["yes", "maybe"]})
        == "Only if “Would you want workers to work with your friendship group together?” "
        "is “Yes” or “Maybe”"
    )


def test_relabelling_different_answers_of_one_question_is_combined(base: dict) -> None:
    mine = apply_fields(base, {"workers_with_group-option-maybe": "Not sure"})
    theirs = apply_fields(base, {"workers_with_group-option-no": "No thanks"})
    merge = merge_edits(base, mine, theirs)
    options = {
        o["value"]: o["label"] for o in question(merge.definition, "workers_with_group")["options"]
    }
    assert options == {"yes": "Yes", "maybe": "Not sure", "no": "No thanks"}
    assert merge.conflicts == ()
    clash = merge_edits(
        base, mine, apply_fields(base, {"workers_with_group-option-maybe": "Perhaps"})
    )
    assert clash.conflicts == (
        "“Would you want workers to work with your friendship group…”: answers “Maybe”",
    )
    assert question(clash.definition, "workers_with_group")["options"][1]["label"] == "Not sure"


# -- combined and comparing rules ------------------------------------------------------------

COMBINED = {
    "any": [
        {"question": "places_visited", "count_at_least": 2},
        {"not": {"question": "feel_safe", "at_least": 3}},
    ]
}


def with_combined_rule(definition: dict) -> dict:
    edited = copy.deepcopy(definition)
    question(edited, "makes_safer")["show_if"] = COMBINED
    parse_survey(edited)  # a rule the loader accepts
    return edited


@pytest.mark.parametrize(
    "rule",
    [COMBINED, {"question": "feel_safe", "at_most": 2}, {"question": "q1", "not_equals": "a"}],
)
def test_a_rule_the_one_choice_cannot_show_is_kept(base: dict, rule: dict) -> None:
    assert encode_condition(rule) == "keep"
    edited = with_combined_rule(base)
    for form in ({}, {"makes_safer-show_if": "keep", "makes_safer-text": "What would help?"}):
        kept = apply_fields(edited, form)
        assert question(kept, "makes_safer")["show_if"] == COMBINED
        parse_survey(kept)


def test_a_question_a_combined_rule_depends_on_cannot_be_removed(base: dict) -> None:
    edited = with_combined_rule(base)
    question(edited, "listened_to").pop("show_if", None)
    with pytest.raises(EditProblem, match="depends on this question"):
        remove_question(edited, "feel_safe")


def test_combined_and_comparing_rules_are_described(base: dict) -> None:
    from surveys.editing import describe_rule

    assert describe_rule(base, COMBINED) == (
        "Only if “Where do you spend time when you are not at home?” has at least 2 answers "
        "chosen or not (“How safe do those places usually feel?” is 3 or more)"
    )
    assert describe_rule(
        base,
        {
            "all": [
                {"question": "workers_with_group", "not_equals": "no"},
                {
                    "any": [
                        {"question": "feel_safe", "less_than": 2},
                        {"question": "feel_safe", "greater_than": 4},
                    ]
                },
            ]
        },
    ) == (
        "Only if “Would you want workers to work with your friendship group together?” is not "
        "“No” and (“How safe do those places usually feel?” is less than 2 or “How safe do "
        "those places usually feel?” is more than 4)"
    )
    assert describe_rule(base, {"question": "feel_safe", "at_most": 1}) == (
        "Only if “How safe do those places usually feel?” is 1 or less"
    )


def test_a_question_added_goes_before_the_pages_asked_only_of_large_audiences() -> None:
    from surveys import BANK_DIR
    from surveys.yaml_io import read_yaml

    definition = survey_to_definition(
        parse_survey(read_yaml((BANK_DIR / "young-people-design.yaml").read_bytes()))
    )
    extra = {"id": "extra_question", "type": "short_text", "text": "Anything else?"}
    edited = add_question(definition, extra)
    pages = [page["id"] for page in edited["pages"]]
    first_optional = next(i for i, page in enumerate(edited["pages"]) if "needs_population" in page)
    assert pages.index("extra_question") == first_optional - 1
    parse_survey(edited)  # still a valid survey
