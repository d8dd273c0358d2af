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

import dataclasses
import io
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import textstat
from babel.messages.pofile import read_po

import surveys
from feedback.config import TRANSLATIONS_DIR
from surveys.core import core_questions, signature
from surveys.definition import survey_to_definition
from surveys.library import load_library
from surveys.loader import parse_survey
from surveys.model import (
    CLOSED_TYPES,
    Condition,
    Question,
    QuestionType,
    Survey,
    rule_questions,
)
from surveys.nations import for_nation
from surveys.places import asks_about_places, uses_shared_places
from surveys.scales import built_in_options
from surveys.yaml_io import read_yaml

SAMPLE_ID = "sample-young-people"
ASSENT = "assent_choice"
# The demonstration survey is older than the shared place list and the safety scale, and the
# web tests are written against it: its place list and its faces question about safety change
# together with those tests.
SAMPLE_ONLY = frozenset({"places_visited", "feel_safe"})
NEW_SURVEYS = (
    "young-people-design",
    "young-people-design-easy-read",
    "young-people-experience",
    "young-people-experience-easy-read",
    "parents-design",
    "parents-experience",
)
FRE_FLOOR = {"young_people": 80, "easy_read": 90, "parents": 80}
FK_CAP = {"young_people": 6, "easy_read": 4, "parents": 6}
# Verbatim measures keep their wording even when it scores above a cap.
FK_EXEMPT = {
    "fft_overall",  # NHS Friends and Family Test question, verbatim: FK 6.7
    # ONS personal well-being questions, verbatim, asked in the easy-read surveys too because
    # they are core: FK 5.0 and 4.9, above the easy-read cap of 4 (CORC lists them for 10+).
    "ons_life_satisfaction",
    "ons_worthwhile",
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
    # Easy read is a property of the survey, offered to anyone, not of an age band.
    if survey.easy_read:
        return "easy_read"
    return "parents" if survey.audience == "parents" else "young_people"


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


def test_the_six_surveys_are_shipped() -> None:
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


@pytest.mark.parametrize("path", survey_params())
def test_the_intro_leaves_the_time_it_takes_to_the_start_page(path: Path) -> None:
    """The start page says how long a survey takes, from `minutes`: an intro that says it
    too repeats it, and one of the two is wrong as soon as `minutes` changes."""
    assert not re.search(r"\bminutes?\b", load(path).intro, re.IGNORECASE)


@pytest.mark.parametrize("path", survey_params())
def test_no_translated_intro_says_the_time_either(path: Path) -> None:
    """Each translated intro has the English's lines, and none gives the number of minutes."""
    survey = load(path)
    english_lines = survey.intro.count("\n")
    for po_path in sorted(TRANSLATIONS_DIR.glob(f"surveys/{survey.id}/*.po")):
        intro = next(
            str(m.string) for m in read_po(io.BytesIO(po_path.read_bytes())) if m.context == "intro"
        )
        assert intro.count("\n") == english_lines, po_path
        assert not re.search(rf"(?<!\d){survey.minutes}(?!\d)", intro), po_path


def main_questions(survey: Survey) -> list[str]:
    """What most respondents are asked: not the one-per-place safety questions (each shown
    only for a place chosen), the "this is your choice" step, or the optional "About you"."""
    return [
        q.id
        for page in survey.pages
        if page.needs_population is None
        for q in page.questions
        if not q.id.startswith("place_safe_") and q.id != ASSENT
    ]


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_survey_is_no_longer_than_10_minutes(path: Path) -> None:
    # The sample survey is a short demonstration and is exempt from this count only.
    survey = load(path)
    assert 8 <= len(main_questions(survey)) <= 26
    assert survey.minutes is not None and survey.minutes <= 10


@pytest.mark.parametrize("stage", ["design", "experience"])
def test_each_stage_has_an_easy_read_survey_shorter_than_the_standard_one(stage: str) -> None:
    surveys_at_stage = [load(p) for p in surveys.bank_files() if p.stem in NEW_SURVEYS]
    young = [s for s in surveys_at_stage if s.stage == stage and s.audience == "young_people"]
    [easy] = [s for s in young if s.easy_read]
    [standard] = [s for s in young if not s.easy_read]
    assert len(main_questions(easy)) < len(main_questions(standard))
    assert easy.id == f"{standard.id}-easy-read"


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
    # The "this is your choice" question is the way out: its "No" ends the survey.
    for q in load(path).questions():
        if q.type in CLOSED_TYPES and q.id != ASSENT:
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


# The name of a set of rules a respondent may look up; "Safeguarding" in it is not jargon.
PROPER_NAMES = ("Wales Safeguarding Procedures",)


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_the_wales_privacy_notice_reads_as_easily(path: Path) -> None:
    survey = parse_survey(for_nation(survey_to_definition(load(path)), "wales"), source="wales")
    floor = FRE_FLOOR[reading_band(survey)]
    score = textstat.flesch_reading_ease(as_sentences(survey.privacy.splitlines()))
    assert score >= floor, f"{survey.id} in Wales: Flesch reading ease {score} < {floor}"
    text = survey.privacy
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    assert not JARGON_PATTERN.search(text)


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


# -- core questions: the same everywhere, so that waves compare like with like -------------


def bank_surveys_of(audience: str) -> list[Survey]:
    return [
        load(p)
        for p in surveys.bank_files()
        if p.stem in NEW_SURVEYS and load(p).audience == audience
    ]


@pytest.mark.parametrize("audience", ["young_people", "parents"])
def test_core_questions_are_the_same_in_every_survey_of_an_audience(audience: str) -> None:
    """Same ids, words, answers (codes, labels, order), rules and order, at both stages."""
    found = bank_surveys_of(audience)
    assert {s.stage for s in found} == {"design", "experience"}
    first, *others = found
    expected = [(q.id, signature(q)) for q in core_questions(first)]
    assert len(expected) >= 4
    for survey in others:
        assert [(q.id, signature(q)) for q in core_questions(survey)] == expected, survey.id


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_core_questions_come_first(path: Path) -> None:
    # Earlier questions colour later answers; asking the core first, in one order, keeps
    # what comes before them the same in every survey.
    ids = [q.id for q in load(path).questions() if q.id != ASSENT]
    core = [q.id for q in core_questions(load(path))]
    assert ids[: len(core)] == core


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_every_survey_measures_wellbeing_or_confidence_from_the_start(path: Path) -> None:
    ids = {q.id for q in core_questions(load(path))}
    if load(path).audience == "young_people":
        assert {
            "ons_life_satisfaction",
            "ons_worthwhile",
            "safe_area_day",
            "safe_area_dark",
            "trust_tell_worker",
            "adults_listen",
        } <= ids
    else:
        assert {
            "parent_know_what_to_do",
            "parent_talk_with_child",
            "parent_worry_places",
            "parent_ask_without_judgement",
        } <= ids


def test_core_check_can_fail() -> None:
    survey = load(surveys.BANK_DIR / "young-people-design.yaml")
    [question] = [q for q in core_questions(survey) if q.id == "safe_area_dark"]
    reworded = dataclasses.replace(question, text="How safe do you feel at night?")
    assert signature(reworded) != signature(question)


# -- safety is asked with a safety scale, one place at a time --------------------------------

SAFETY = built_in_options("safety")
ASKS_HOW_SAFE = re.compile(r"^how safe\b", re.IGNORECASE)


def safety_params() -> list[Any]:
    questions = [
        (p.stem, q)
        for p in surveys.bank_files()
        if p.stem in NEW_SURVEYS
        for q in load(p).questions()
    ]
    questions += [
        ("library", item.question) for item in load_library() if item.question.id not in SAMPLE_ONLY
    ]
    return [
        pytest.param(q, id=f"{where}:{q.id}")
        for where, q in questions
        if ASKS_HOW_SAFE.search(q.text)
    ]


@pytest.mark.parametrize("question", safety_params())
def test_safety_questions_get_safety_answers(question: Question) -> None:
    assert question.type is QuestionType.SINGLE_CHOICE
    scale = tuple(o for o in question.options if not o.exclusive)
    assert scale == SAFETY
    # "I don't go out then" and the escape options stand apart from the scale.
    assert all(o.exclusive for o in question.options[len(SAFETY) :])


def test_safety_is_asked_one_place_per_screen() -> None:
    survey = load(surveys.BANK_DIR / "young-people-design-easy-read.yaml")
    places = survey.question("places_spend_time")
    assert places is not None
    followed = {o.value for o in places.options} - {"somewhere_else", "rather_not_say"}
    for value in followed:
        question = survey.question(f"place_safe_{value}")
        assert question is not None, value
        page = next(p for p in survey.pages if question in p.questions)
        assert page.questions == (question,)
        assert question.show_if is not None
        assert rule_questions(question.show_if) == {"places_spend_time"}


# -- answers that mean "none" cannot be ticked with others ------------------------------------

NONE_VALUES = {"none", "no_one", "nobody", "nothing", "never"}
NONE_LABEL = re.compile(r"^(none|no one|nobody|nothing)\b", re.IGNORECASE)


def multiple_choice_params() -> list[Any]:
    questions = [(p.stem, q) for p in surveys.bank_files() for q in load(p).questions()]
    questions += [("library", item.question) for item in load_library()]
    return [
        pytest.param(q, id=f"{where}:{q.id}")
        for where, q in questions
        if q.type is QuestionType.MULTIPLE_CHOICE
    ]


@pytest.mark.parametrize("question", multiple_choice_params())
def test_none_answers_are_exclusive(question: Question) -> None:
    not_exclusive = [
        o.label
        for o in question.options
        if (o.value in NONE_VALUES or NONE_LABEL.search(o.label)) and not o.exclusive
    ]
    assert not_exclusive == []


@pytest.mark.parametrize(
    ("value", "label", "none"),
    [
        ("no_one", "Anyone", True),
        ("x", "No one", True),
        ("x", "Nothing more", True),
        ("x", "None of these", True),
        ("x", "Nobody", True),
        ("never", "x", True),
        ("x", "Noisy streets", False),
        ("x", "Not at all", False),
        ("nowhere", "x", False),
    ],
)
def test_none_pattern(value: str, label: str, none: bool) -> None:
    assert (value in NONE_VALUES or bool(NONE_LABEL.search(label))) is none


# -- experience surveys ask about workers only of those who had one --------------------------

ABOUT_HELP = re.compile(r"\b(workers?|the help|helped|our service)\b", re.IGNORECASE)
GATES = {"had_worker", "parent_had_worker"}


def gated(survey: Survey, question: Question) -> bool:
    """Shown only after "Yes" to a gate question, directly or through a gated question."""
    page = next(p for p in survey.pages if question in p.questions)
    for rule in (page.show_if, question.show_if):
        if rule is None:
            continue
        for target in rule_questions(rule):
            if target in GATES and rule == Condition(question=target, equals="yes"):
                return True
            earlier = survey.question(target)
            if earlier is not None and target != ASSENT and gated(survey, earlier):
                return True
    return False


@pytest.mark.parametrize("path", survey_params(tuple(s for s in NEW_SURVEYS if "experience" in s)))
def test_experience_questions_about_workers_follow_a_yes(path: Path) -> None:
    survey = load(path)
    assert {q.id for q in survey.questions()} & GATES
    assumed = [
        q.id
        for q in survey.questions()
        if ABOUT_HELP.search(q.text) and not q.core and q.id not in GATES and not gated(survey, q)
    ]
    assert assumed == []
    assert any(q.id in {"who_helped", "parent_who_helped"} for q in survey.questions())


# -- the "About you" pages ---------------------------------------------------------------------


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_about_you_is_last_optional_and_only_for_large_audiences(path: Path) -> None:
    survey = load(path)
    raw = read_yaml(path.read_bytes())
    pages = raw["pages"]
    about = [p for p in pages if p["id"].startswith("about_")]
    assert about and pages[-len(about) :] == about
    assert all(p.get("needs_population", 0) >= 200 for p in about)
    assert survey.expected_population is not None


# -- younger children choose to take part ------------------------------------------------------


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_under_13s_choose_to_take_part_first(path: Path) -> None:
    survey = load(path)
    if survey.age_band != "10-12":
        assert survey.question(ASSENT) is None
        return
    first, *rest = [*survey.pages, *survey.withheld_pages]
    assert [q.id for q in first.questions] == [ASSENT]
    assent = survey.question(ASSENT)
    assert assent is not None and [o.value for o in assent.options] == ["yes", "no"]
    # Only "Yes" goes on: skipping the question is not saying yes.
    assert all(p.show_if == Condition(question=ASSENT, equals="yes") for p in rest)


# -- closing the loop and honest privacy notices -----------------------------------------------


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_the_survey_commits_to_reporting_back(path: Path) -> None:
    survey = load(path)
    assert "You said, we did" in survey.intro and "Within 3 months" in survey.intro
    ids = {q.id for q in survey.questions()}
    assert "how_hear_back" in ids
    if survey.stage == "experience":
        assert {"saw_you_said", "did_before"} <= ids


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_privacy_notice_promises_only_what_is_kept(path: Path) -> None:
    privacy = load(path).privacy
    # Nobody can promise that no one sees a shared phone; say how to leave quickly instead.
    assert "cannot see your answers" not in privacy
    assert "Exit this page" in privacy
    # Say what happens to a worrying comment, not a vague "may act".
    assert "may act" not in privacy
    assert "whose job is to keep children safe" in privacy


# Questions the issue found leading, two-in-one or answered with the wrong scale; they are
# replaced, and neither the bank nor the library offers them any more.
RETIRED = {
    "youth_workers_help",
    "places_since_change",
    "places_what_changed",
    "sharing_wishes",
    "told_what_shared",
    "parent_told_what_shared",
    "parent_ever_blamed",
    "parent_blamed_what_helped",
    "treated_fairly",
    "friendship_map",
    "easy_feel_in_places",
    "after_you_tell_us",
    "places_feel_safe",
    "easy_before_sharing",
    "help_made_harder",
    "help_made_harder_what",
    "parent_help_made_harder",
    "parent_help_made_harder_what",
}


def test_retired_questions_are_gone() -> None:
    offered = {q.id for p in surveys.bank_files() for q in load(p).questions()}
    offered |= {item.question.id for item in load_library()}
    assert offered & RETIRED == set()


# -- the shared place list ------------------------------------------------------------------


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_place_questions_use_the_shared_list(path: Path) -> None:
    place_questions = [q for q in load(path).questions() if asks_about_places(q)]
    assert place_questions
    assert [q.id for q in place_questions if not uses_shared_places(q)] == []


def test_library_place_questions_use_the_shared_list() -> None:
    different = [
        item.question.id
        for item in load_library()
        if asks_about_places(item.question)
        and item.question.id not in SAMPLE_ONLY
        and not uses_shared_places(item.question)
    ]
    assert different == []


# -- documentation --------------------------------------------------------------------


@pytest.mark.parametrize("path", survey_params(NEW_SURVEYS))
def test_rationale_explains_every_question(path: Path) -> None:
    rationale = (surveys.BANK_DIR / "RATIONALE.md").read_text(encoding="utf-8")
    assert f"`{path.stem}`" in rationale
    missing = [q.id for q in load(path).questions() if f"`{q.id}`" not in rationale]
    assert not missing
