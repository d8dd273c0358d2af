"""The shipped question bank: every survey loads, reads easily and asks nothing it must not.

Readability targets (Flesch reading ease, FRE, and Flesch-Kincaid grade, FK) and how they map
to reading age. Flesch's own bands, with UK reading age taken as US grade + 5:

    FRE 90-100  US grade 5     reading age 10-11
    FRE 80-90   US grade 6     reading age 11-12
    FRE 70-80   US grade 7     reading age 12-13
    FRE 60-70   US grades 8-9  reading age 13-15

GOV.UK writes for a reading age of 9, and the brief for this bank is about 9 for young
people (lower for the easy-read version) and 9-11 for parents. So:

- young people 13-18: FRE >= 80 for the whole survey; FK <= 6 (reading age 11) per question;
- easy read 10-12:    FRE >= 90 for the whole survey; FK <= 4 (reading age 9) per question;
- parents and carers: FRE >= 80 for the whole survey; FK <= 6 (reading age 11) per question.

A whole-survey score joins every respondent-facing string as a sentence. Short option labels
pull that score up, so the intro and the privacy notice must also meet the floor on their own,
and every question text must meet its grade cap: long sentences cannot hide behind averages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import textstat

import surveys
from surveys.library import load_library
from surveys.model import CLOSED_TYPES, QuestionType, Survey
from surveys.yaml_io import read_yaml

SAMPLE_ID = "sample-young-people"
NEW_SURVEYS = (
    "young-people-design",
    "young-people-design-easy-read",
    "young-people-experience",
    "parents-design",
    "parents-experience",
)
FRE_FLOOR = {"young_people": 80, "easy_read": 90, "parents": 80}
FK_CAP = {"young_people": 6, "easy_read": 4, "parents": 6}
# Verbatim measures keep their wording even when it scores above a cap.
FK_EXEMPT = {
    "fft_overall",  # NHS Friends and Family Test question, verbatim: FK 6.7
}
JARGON = (
    "contextual",
    "extra-familial",
    "extrafamilial",
    "level 1",
    "level 2",
    "safeguarding",
    "exploitation",
    "multi-agency",
    "intervention",
    "cohort",
    "stakeholder",
)
# Word boundaries, so "cohorts" and "Interventions" count but "Level 10" does not.
JARGON_PATTERN = re.compile(r"\b(" + "|".join(map(re.escape, JARGON)) + r")s?\b", re.IGNORECASE)
NO_NAMES_HINT = {
    "young_people": "Please do not write names of people, your school or addresses.",
    "parents": "Please do not write names of people, schools or addresses.",
}
ASKS_ABOUT_ABUSE = re.compile(
    r"\b(abus\w*|exploit\w*|groom\w*|county lines|traffick\w*|assault\w*|raped?|"
    r"sexual\w*|molest\w*|hurt you|harmed you)\b",
    re.IGNORECASE,
)
ASKS_FOR_IDENTITY = re.compile(
    r"\b(names?|e-?mail|phone|mobile|address(es)?|postcode|date of birth|birthday|"
    r"street|which school|what school|instagram|snapchat|tiktok|username)\b",
    re.IGNORECASE,
)
ONS4 = {
    "Overall, how satisfied are you with your life nowadays?",
    "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
    "Overall, how happy did you feel yesterday?",
    "Overall, how anxious did you feel yesterday?",
}
FFT_TEXT = "Overall, how was your experience of our service?"
FFT_LABELS = ["Very good", "Good", "Neither good nor poor", "Poor", "Very poor"]


@pytest.fixture(autouse=True, scope="module")
def offline_syllables() -> Iterator[None]:
    """Count syllables with pyphen only, so scores never need the network and never vary.

    textstat 0.7.4+ looks words up in the CMU dictionary, which nltk downloads on first use;
    this machine and CI cannot download it. pyphen (textstat's own fallback) is installed
    with textstat. It undercounts some two-syllable words ("very", "about"), so FRE comes out
    a few points higher than with the CMU dictionary.
    """
    patch = pytest.MonkeyPatch()
    try:
        from textstat.backend.counts import _count_syllables
    except ImportError:  # textstat before 0.7.4 counts syllables with pyphen already
        yield
        return
    patch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    yield
    patch.undo()


@cache
def load(path: Path) -> Survey:
    return surveys.load_survey(path)


def survey_params(only: tuple[str, ...] | None = None) -> list[Any]:
    files = [p for p in surveys.bank_files() if only is None or p.stem in only]
    return [pytest.param(p, id=p.stem) for p in files]


def reading_band(survey: Survey) -> str:
    if survey.audience == "parents":
        return "parents"
    return "easy_read" if survey.age_band == "10-12" else "young_people"


def respondent_strings(survey: Survey) -> list[str]:
    """Every piece of text a respondent can see, from the title to the scale labels."""
    strings = [survey.title, survey.intro, survey.privacy]
    for page in survey.pages:
        strings.append(page.title)
        for q in page.questions:
            strings += [q.text, q.hint, q.low_label, q.high_label]
            strings += [o.label for o in q.options] + [s.text for s in q.statements]
    return [s for s in strings if s]


def as_sentences(strings: list[str]) -> str:
    """Join strings so each one counts as at least one sentence."""
    sentences = (" ".join(s.split()) for s in strings)
    return " ".join(s if s[-1] in ".?!" else f"{s}." for s in sentences)


def raw_values(node: Any) -> Iterator[tuple[Any, Any]]:
    """Every (key, value) pair in a parsed YAML document, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from raw_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from raw_values(item)


# -- what is shipped ------------------------------------------------------------------


def test_the_five_surveys_are_shipped() -> None:
    shipped = {p.stem for p in surveys.bank_files()}
    assert set(NEW_SURVEYS) <= shipped


@pytest.mark.parametrize("path", survey_params())
def test_survey_loads_without_problems(path: Path) -> None:
    assert load(path).questions()


@pytest.mark.parametrize("path", survey_params())
def test_file_name_is_the_survey_id(path: Path) -> None:
    assert load(path).id == path.stem


@pytest.mark.parametrize("path", survey_params())
def test_survey_has_intro_privacy_timing_and_retention(path: Path) -> None:
    survey = load(path)
    raw = read_yaml(path.read_bytes())
    assert survey.intro and survey.privacy
    assert survey.minutes is not None
    assert "retention_days" in raw, "set retention on purpose, not by default"
    assert survey.audience in ("young_people", "parents")
    assert survey.age_band


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_survey_has_8_to_20_questions(path: Path) -> None:
    # The sample survey is a short demonstration and is exempt from this count only.
    assert 8 <= len(load(path).questions()) <= 20


def test_easy_read_survey_is_shorter_and_uses_faces() -> None:
    survey = load(surveys.BANK_DIR / "young-people-design-easy-read.yaml")
    assert 8 <= len(survey.questions()) <= 10
    assert any(q.type is QuestionType.FACES for q in survey.questions())


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_privacy_notice_states_the_retention_period(path: Path) -> None:
    survey = load(path)
    assert survey.retention_days % 365 == 0, "state retention in whole years"
    years = survey.retention_days // 365
    assert f"after {years} year{'s' if years > 1 else ''}" in survey.privacy


@pytest.mark.parametrize("path", survey_params())
def test_no_question_is_required(path: Path) -> None:
    raw = read_yaml(path.read_bytes())
    assert not any(key == "required" for key, _ in raw_values(raw))
    assert not any(q.required for q in load(path).questions())


@pytest.mark.parametrize("path", survey_params())
def test_every_closed_question_offers_a_way_out(path: Path) -> None:
    for q in load(path).questions():
        if q.type in CLOSED_TYPES:
            values = {o.value for o in q.options}
            assert values & {"dont_know", "rather_not_say"}, q.id


@pytest.mark.parametrize("path", survey_params())
def test_flow_mappings_were_not_split_by_commas(path: Path) -> None:
    # `{id: a, text: Shops, cafés}` parses as text "Shops" plus a key "cafés" with no value;
    # the loader ignores extra keys on matrix statements, so catch it here.
    raw = read_yaml(path.read_bytes())
    empty = [key for key, value in raw_values(raw) if value is None]
    assert not empty, f"keys without a value (quote text that has a comma): {empty}"


# -- plain language -------------------------------------------------------------------


@pytest.mark.parametrize("path", survey_params())
def test_whole_survey_reads_easily(path: Path) -> None:
    survey = load(path)
    floor = FRE_FLOOR[reading_band(survey)]
    score = textstat.flesch_reading_ease(as_sentences(respondent_strings(survey)))
    assert score >= floor, f"{survey.id}: Flesch reading ease {score} < {floor}"


@pytest.mark.parametrize("path", survey_params())
@pytest.mark.parametrize("part", ["intro", "privacy"])
def test_intro_and_privacy_read_easily(path: Path, part: str) -> None:
    survey = load(path)
    floor = FRE_FLOOR[reading_band(survey)]
    score = textstat.flesch_reading_ease(as_sentences(getattr(survey, part).splitlines()))
    assert score >= floor, f"{survey.id} {part}: Flesch reading ease {score} < {floor}"


@pytest.mark.parametrize("path", survey_params())
def test_each_question_is_short_and_plain(path: Path) -> None:
    survey = load(path)
    cap = FK_CAP[reading_band(survey)]
    too_hard = {
        q.id: textstat.flesch_kincaid_grade(q.text)
        for q in survey.questions()
        if q.id not in FK_EXEMPT and textstat.flesch_kincaid_grade(q.text) > cap
    }
    assert not too_hard, f"Flesch-Kincaid grade above {cap}: {too_hard}"


def test_library_questions_are_short_and_plain() -> None:
    cap = max(FK_CAP["young_people"], FK_CAP["parents"])
    too_hard = {
        item.question.id: textstat.flesch_kincaid_grade(item.question.text)
        for item in load_library()
        if item.question.id not in FK_EXEMPT
        and textstat.flesch_kincaid_grade(item.question.text) > cap
    }
    assert not too_hard, f"Flesch-Kincaid grade above {cap}: {too_hard}"


def test_readability_check_can_fail() -> None:
    hard = (
        "Multi-agency partnerships will operationalise contextual interventions, "
        "notwithstanding organisational considerations regarding proportionality."
    )
    assert textstat.flesch_reading_ease(hard) < FRE_FLOOR["parents"]
    assert textstat.flesch_kincaid_grade(hard) > FK_CAP["parents"]


@pytest.mark.parametrize("path", survey_params())
def test_no_jargon_in_anything_a_respondent_sees(path: Path) -> None:
    strings = respondent_strings(load(path))
    found = {m.group(0) for s in strings for m in JARGON_PATTERN.finditer(s)}
    assert not found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our Contextual Safeguarding plan", True),
        ("Level 2 work on places", True),
        ("Early interventions", True),
        ("An extra-familial harm", True),
        ("Level 10 of the car park", False),
        ("Safe places", False),
    ],
)
def test_jargon_pattern(text: str, expected: bool) -> None:
    assert bool(JARGON_PATTERN.search(text)) is expected


# -- what we never ask ----------------------------------------------------------------


def text_question_params() -> list[Any]:
    params = []
    for path in surveys.bank_files():
        try:
            questions = load(path).questions()
        except surveys.SurveyDefinitionError:
            continue  # test_survey_loads_without_problems reports it
        for q in questions:
            if not q.is_text:
                continue
            params.append(pytest.param(path, q.id, id=f"{path.stem}:{q.id}"))
    return params


@pytest.mark.parametrize(("path", "question_id"), text_question_params())
def test_text_questions_ask_for_no_names(path: Path, question_id: str) -> None:
    survey = load(path)
    question = survey.question(question_id)
    assert question is not None
    assert NO_NAMES_HINT[survey.audience] in question.hint


@pytest.mark.parametrize("path", survey_params())
def test_no_question_asks_who_someone_is_or_where_they_live(path: Path) -> None:
    asking = {q.id: q.text for q in load(path).questions() if ASKS_FOR_IDENTITY.search(q.text)}
    assert not asking


@pytest.mark.parametrize("path", survey_params())
def test_no_question_asks_about_abuse_or_exploitation(path: Path) -> None:
    asking = {}
    for q in load(path).questions():
        texts = [q.text, q.hint] + [o.label for o in q.options] + [s.text for s in q.statements]
        hits = [t for t in texts if ASKS_ABOUT_ABUSE.search(t)]
        if hits:
            asking[q.id] = hits
    assert not asking


@pytest.mark.parametrize(
    "text",
    [
        "Have you ever been abused?",
        "Has anyone exploited you?",
        "Were you groomed online?",
        "Have you been involved in county lines?",
    ],
)
def test_abuse_pattern_catches_what_it_must(text: str) -> None:
    assert ASKS_ABOUT_ABUSE.search(text)


@pytest.mark.parametrize(
    "text", ["What is your name?", "Which school do you go to?", "What is your postcode?"]
)
def test_identity_pattern_catches_what_it_must(text: str) -> None:
    assert ASKS_FOR_IDENTITY.search(text)


# -- verbatim measures ----------------------------------------------------------------


@pytest.mark.parametrize("path", survey_params())
def test_ons_wellbeing_items_are_verbatim_and_not_anxiety_for_children(path: Path) -> None:
    survey = load(path)
    for q in survey.questions():
        if q.id.startswith("ons_"):
            assert q.text in ONS4, q.id
            assert q.type is QuestionType.SCALE_0_10
            assert (q.low_label, q.high_label) == ("Not at all", "Completely")
            if survey.audience == "young_people":
                assert "anxious" not in q.text, "children are not asked the ONS4 anxiety item"


def test_parents_experience_asks_the_friends_and_family_test_verbatim() -> None:
    fft = load(surveys.BANK_DIR / "parents-experience.yaml").question("fft_overall")
    assert fft is not None
    assert fft.text == FFT_TEXT
    assert [o.label for o in fft.options if not o.exclusive] == FFT_LABELS
    assert fft.option("dont_know") is not None


# -- documentation --------------------------------------------------------------------


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_rationale_explains_every_question(path: Path) -> None:
    rationale = (surveys.BANK_DIR / "RATIONALE.md").read_text(encoding="utf-8")
    assert f"`{path.stem}`" in rationale
    missing = [q.id for q in load(path).questions() if f"`{q.id}`" not in rationale]
    assert not missing
