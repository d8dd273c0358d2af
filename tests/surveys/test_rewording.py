"""Which questions a version rewords, and each question's wordings over its versions."""

from __future__ import annotations

from datetime import date

from surveys import parse_survey
from surveys.rewording import (
    NEW,
    SAME,
    PublishedVersion,
    Wording,
    reworded_questions,
    wording_histories,
)


def survey(text: str, hint: str = "", say: str = "Anything else?", label: str = "Park") -> object:
    return parse_survey(
        {
            "id": "sv",
            "title": "S",
            "audience": "young_people",
            "questions": [
                {
                    "id": "where",
                    "type": "single_choice",
                    "text": text,
                    "hint": hint,
                    "options": [
                        {"value": "park", "label": label},
                        {"value": "shop", "label": "Shop"},
                    ],
                },
                {"id": "say", "type": "long_text", "text": say},
            ],
        }
    )


def test_rewordings_are_closed_questions_whose_words_changed() -> None:
    old = survey("Where do you go?")
    assert reworded_questions(old, survey("Where do you go?", say="Tell us more")) == {}
    assert set(reworded_questions(old, survey("Where do you usually go?"))) == {"where"}
    assert set(reworded_questions(old, survey("Where do you go?", label="Park or field"))) == {
        "where"
    }
    assert set(reworded_questions(old, survey("Where do you go?", hint="Think of last week"))) == {
        "where"
    }


def test_a_typo_fix_keeps_the_wording_and_a_new_question_starts_one() -> None:
    days = [date(2026, 10, d) for d in (1, 8, 15, 22)]
    versions = [
        PublishedVersion(days[0], survey("Wher do you go?"), {}, 1),
        PublishedVersion(days[1], survey("Where do you go?"), {"where": SAME}, 2),
        PublishedVersion(days[2], survey("Where do you go after school?"), {"where": NEW}, 3),
        # No choice recorded (an upload): kept apart, never combined silently.
        PublishedVersion(days[3], survey("Where do you go at weekends?"), {}, 4),
    ]
    assert wording_histories(versions)["where"] == (
        Wording("Where do you go?", None),
        Wording("Where do you go after school?", days[2], 3),
        Wording("Where do you go at weekends?", days[3], 4),
    )
    assert "say" not in wording_histories(versions)
    assert wording_histories(versions[:2])["where"] == (Wording("Where do you go?", None),)


def test_two_rewordings_on_one_day_are_one_change() -> None:
    day = date(2026, 10, 8)
    versions = [
        PublishedVersion(date(2026, 10, 1), survey("Where do you go?"), {}, 1),
        PublishedVersion(day, survey("Where do you go now?"), {"where": NEW}, 2),
        PublishedVersion(day, survey("Where do you go these days?"), {"where": NEW}, 3),
    ]
    assert wording_histories(versions)["where"] == (
        Wording("Where do you go?", None),
        Wording("Where do you go these days?", day, 2),
    )
