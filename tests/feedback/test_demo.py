"""The demo's made-up answers look like a real survey's, so its dashboards are worth a look."""

from __future__ import annotations

import random

from feedback.storage.demo import synthetic_answers
from surveys import BANK_DIR, load_survey


def test_most_demo_respondents_say_yes_to_taking_part() -> None:
    # "This is your choice" opens every later page: a demo where two in three said no would
    # show dashboards of almost nobody.
    survey = load_survey(BANK_DIR / "young-people-design-easy-read.yaml")
    rng = random.Random(7)
    said = [synthetic_answers(survey, rng).get("assent_choice") for _ in range(600)]
    yes = said.count(["yes"])
    assert yes / len(said) > 0.75
    assert said.count(["no"]) > 0  # some still say no, as real people do


def test_demo_answers_reach_the_pages_behind_a_gate() -> None:
    survey = load_survey(BANK_DIR / "young-people-experience.yaml")
    rng = random.Random(11)
    answered = [synthetic_answers(survey, rng) for _ in range(300)]
    helped = [a for a in answered if a.get("had_worker") == ["yes"]]
    assert len(helped) > 150
    assert any("who_helped" in a for a in helped)
