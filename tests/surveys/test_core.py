"""Core questions: what a change to one is, and which questions two surveys can compare."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import surveys
from surveys import parse_survey
from surveys.core import comparable_questions, core_changes, core_questions
from surveys.i18n import FallbackText, survey_messages
from surveys.model import Survey
from surveys.po import read_po_bytes, survey_catalogue

BASE: dict[str, Any] = {
    "id": "waves",
    "title": "Waves",
    "audience": "young_people",
    "pages": [
        {
            "id": "safety",
            "questions": [
                {
                    "id": "safe_day",
                    "type": "single_choice",
                    "text": "How safe do you feel in the day?",
                    "hint": "Think about the last month.",
                    "core": True,
                    "options": [
                        {"value": "very_safe", "label": "Very safe"},
                        {"value": "very_unsafe", "label": "Very unsafe"},
                        {"value": "not_out", "label": "I don't go out then", "exclusive": True},
                    ],
                    "dont_know": True,
                },
            ],
        },
        {
            "id": "places",
            "questions": [
                {
                    "id": "places_go",
                    "type": "multiple_choice",
                    "text": "Where do you go?",
                    "core": True,
                    "options": [
                        {"value": "parks", "label": "Parks"},
                        {"value": "shops", "label": "Shops"},
                    ],
                },
            ],
        },
        {
            "id": "park",
            "questions": [
                {
                    "id": "safe_park",
                    "type": "single_choice",
                    "text": "How safe do you feel in parks?",
                    "core": True,
                    "show_if": {"question": "places_go", "equals": "parks"},
                    "options": [
                        {"value": "very_safe", "label": "Very safe"},
                        {"value": "very_unsafe", "label": "Very unsafe"},
                    ],
                },
                {"id": "idea", "type": "long_text", "text": "One idea?"},
            ],
        },
    ],
}


def survey(change: Any = None, **fields: Any) -> Survey:
    document = copy.deepcopy(BASE)
    if change is not None:
        change(document)
    document.update(fields)
    return parse_survey(document)


def question(document: dict[str, Any], question_id: str) -> dict[str, Any]:
    return next(q for p in document["pages"] for q in p["questions"] if q["id"] == question_id)


def reword(document: dict[str, Any]) -> None:
    question(document, "safe_day")["text"] = "How safe do you feel in daylight?"


def new_hint(document: dict[str, Any]) -> None:
    question(document, "safe_day")["hint"] = "Think about this year."


def relabel(document: dict[str, Any]) -> None:
    question(document, "safe_day")["options"][0]["label"] = "Safe"


def recode(document: dict[str, Any]) -> None:
    question(document, "places_go")["options"][1]["value"] = "shops_cafes"


def reorder(document: dict[str, Any]) -> None:
    question(document, "places_go")["options"].reverse()


def not_exclusive(document: dict[str, Any]) -> None:
    del question(document, "safe_day")["options"][2]["exclusive"]


def reroute(document: dict[str, Any]) -> None:
    question(document, "safe_park")["show_if"] = {"question": "places_go", "answered": True}


def uncore(document: dict[str, Any]) -> None:
    del question(document, "safe_day")["core"]


def drop_escape(document: dict[str, Any]) -> None:
    del question(document, "safe_day")["dont_know"]


def remove(document: dict[str, Any]) -> None:
    document["pages"][0]["questions"] = [{"id": "other", "type": "agreement", "text": "OK?"}]


def move(document: dict[str, Any]) -> None:
    document["pages"][0], document["pages"][1] = document["pages"][1], document["pages"][0]


def test_core_questions_in_survey_order() -> None:
    assert [q.id for q in core_questions(survey())] == ["safe_day", "places_go", "safe_park"]


def test_a_survey_compared_with_itself_has_no_core_changes() -> None:
    assert core_changes(survey(), survey()) == []


@pytest.mark.parametrize(
    ("change", "question_id", "part"),
    [
        (reword, "safe_day", "wording"),
        (new_hint, "safe_day", "wording"),
        (relabel, "safe_day", "answers"),
        (recode, "places_go", "answers"),
        (reorder, "places_go", "answers"),
        (not_exclusive, "safe_day", "answers"),
        (drop_escape, "safe_day", "answers"),
        (reroute, "safe_park", "when it is shown"),
        (uncore, "safe_day", "no longer core"),
        (remove, "safe_day", "removed"),
        (move, "safe_day", "order"),
    ],
)
def test_each_change_to_a_core_question_is_named(change: Any, question_id: str, part: str) -> None:
    changes = core_changes(survey(), survey(change))
    assert [(c.question_id, c.part) for c in changes] == [(question_id, part)]
    assert question_id in changes[0].message


def test_changes_to_other_questions_and_survey_fields_are_not_core_changes() -> None:
    def other(document: dict[str, Any]) -> None:
        question(document, "idea")["text"] = "Any ideas?"
        document["pages"][2]["title"] = "Parks"

    assert core_changes(survey(), survey(other, title="Another title")) == []


def test_a_new_core_question_is_not_a_change_to_one() -> None:
    def add(document: dict[str, Any]) -> None:
        document["pages"].append(
            {
                "id": "more",
                "questions": [
                    {"id": "trust", "type": "agreement", "text": "I trust workers.", "core": True}
                ],
            }
        )

    assert core_changes(survey(), survey(add)) == []


def test_comparable_questions_are_those_asked_the_same_way() -> None:
    compared = comparable_questions(survey(), survey(reword))
    assert compared.same == ("places_go", "safe_park", "idea")
    assert compared.core == ("places_go", "safe_park")
    assert compared.changed == ("safe_day",)
    assert compared.only_first == compared.only_second == ()


def test_comparable_questions_name_those_in_one_survey_only() -> None:
    compared = comparable_questions(survey(), survey(remove))
    assert compared.only_first == ("safe_day",)
    assert compared.only_second == ("other",)
    assert "safe_day" not in compared.same


# -- translations of the bank's core questions are the same in every catalogue ----------------

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations" / "surveys"


def core_translations() -> dict[tuple[str, str, str], dict[str, str]]:
    """(language, message context, English) -> {survey id: translation}, for core questions
    whose catalogue holds an up-to-date translation."""
    found: dict[tuple[str, str, str], dict[str, str]] = {}
    for path in surveys.bank_files():
        survey = surveys.load_survey(path)
        core = {f"q.{q.id}." for q in core_questions(survey)}
        messages = [
            m
            for m in survey_messages(survey)
            if any(m.context.startswith(prefix) for prefix in core)
        ]
        for po_path in sorted((TRANSLATIONS / survey.id).glob("*.po")):
            catalogue = survey_catalogue(read_po_bytes(po_path.read_bytes(), po_path.stem))
            for message in messages:
                text = catalogue.lookup(message.context, message.text)
                if not isinstance(text, FallbackText):
                    key = (po_path.stem, message.context, message.text)
                    found.setdefault(key, {})[survey.id] = text
    return found


def test_a_core_question_is_translated_the_same_way_in_every_survey() -> None:
    # Translation is part of asking a question the same way: a Welsh wave compared with a
    # Welsh baseline must have been asked in the same Welsh words.
    different = {
        key: by_survey
        for key, by_survey in core_translations().items()
        if len(set(by_survey.values())) > 1
    }
    assert different == {}


def test_safety_answers_are_translated_once_with_the_interface() -> None:
    # The same four words in every safety question of every survey, translated once, so a
    # core safety question reads the same in every survey's language.
    survey = surveys.load_survey(surveys.BANK_DIR / "young-people-design.yaml")
    contexts = {m.context for m in survey_messages(survey)}
    assert "q.safe_area_dark.option.very_safe" not in contexts
    assert "q.safe_area_dark.option.not_out" in contexts
    assert "q.safe_area_dark.text" in contexts
