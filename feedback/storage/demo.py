"""Demo data: the question bank loaded, links per channel, synthetic responses, a login.

Synthetic responses are generated from each survey's own definition with a
fixed seed, so every demo database shows the same, plausible numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboards.perturbation import KEY_RANGE
from feedback.storage import tallies
from feedback.storage.accounts import create_user, generate_password, set_password
from feedback.storage.models import Link, SurveyRecord, SurveyResponse, User
from feedback.storage.responses import answer_rows
from feedback.storage.survey_translations import load_shipped_translations
from feedback.storage.survey_versions import create_link, latest_version, store_survey, survey_of
from surveys import bank_files
from surveys.conditions import AnswerValue, visible_questions
from surveys.model import Condition, Question, QuestionType, Survey
from surveys.nations import WRITTEN_FOR, bank_survey_for_nation

DEMO_EMAIL = "demo@example.org"
DEMO_CHANNELS = {
    "young_people": ["Youth club - QR poster", "School - class link"],
    "parents": ["Family hub - WhatsApp", "School newsletter"],
    "mixed": ["Community event - leaflet"],
}
SAMPLE_TEXT = [
    "More youth workers in the park in the evening.",
    "Better lights near the bus station.",
    "Somewhere to go after school that is free.",
    "Adults who listen and don't judge us.",
]


@dataclass
class DemoReport:
    email: str = DEMO_EMAIL
    password: str = ""
    links: list[tuple[str, str, str]] = field(default_factory=list)
    dashboards: list[tuple[str, str]] = field(default_factory=list)


def set_up_demo(
    db: Session, responses_per_survey: int, today: date, nation: str = WRITTEN_FOR
) -> DemoReport:
    """Load every bank survey (as published in `nation`), give each links and responses, and
    reset the demo login."""
    report = DemoReport(password=_demo_user(db, today))
    rng = random.Random(20261127)  # noqa: S311 - synthetic data, not security
    for path in bank_files():
        survey, definition = bank_survey_for_nation(path, nation)
        stored = store_survey(db, survey, definition, today)
        record = db.get(SurveyRecord, stored.version.survey_id)
        assert record is not None
        load_shipped_translations(db, record.id, survey)
        links = _demo_links(db, record, survey)
        report.links.extend((survey.title, lk.channel, lk.code) for lk in links)
        report.dashboards.append((survey.title, survey.id))
        if _response_count(db, record.id) == 0:
            seed_responses(db, record, links, responses_per_survey, today, rng)
    return report


def _demo_user(db: Session, today: date) -> str:
    password = generate_password()
    user = db.scalar(select(User).where(User.email == DEMO_EMAIL))
    if user is None:
        create_user(db, DEMO_EMAIL, password, "admin", today)
    else:
        set_password(user, password)
    return password


def _demo_links(db: Session, record: SurveyRecord, survey: Survey) -> list[Link]:
    existing = list(db.scalars(select(Link).where(Link.survey_id == record.id)))
    if existing:
        return existing
    return [
        create_link(db, record, channel=channel, audience=survey.audience)
        for channel in DEMO_CHANNELS.get(survey.audience, DEMO_CHANNELS["mixed"])
    ]


def _response_count(db: Session, survey_id: int) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.survey_id == survey_id)
        )
        or 0
    )


def seed_responses(
    db: Session,
    record: SurveyRecord,
    links: list[Link],
    count: int,
    today: date,
    rng: random.Random,
) -> None:
    """Add `count` synthetic responses spread over the last eight weeks, then recount."""
    version = latest_version(db, record.id)
    assert version is not None
    survey = survey_of(version)
    for _ in range(count):
        response = SurveyResponse(
            id=rng.getrandbits(62) + 1,
            survey_id=record.id,
            survey_version_id=version.id,
            link_id=rng.choice(links).id,
            language="en",
            record_key=rng.randrange(KEY_RANGE),
            submitted_on=today - timedelta(days=rng.randrange(56)),
        )
        db.add(response)
        db.flush()
        db.add_all(answer_rows(response, synthetic_answers(survey, rng)))
    db.flush()
    tallies.rebuild(db, record.id)


# How often a made-up respondent gives the answer that opens later pages ("Yes, I'll take
# part", "Yes, I had a worker"): most do, so the demo's dashboards have something to show.
GATE_OPENED = 0.85


def synthetic_answers(survey: Survey, rng: random.Random) -> dict[str, AnswerValue]:
    """Plausible answers that follow the survey's own show_if rules."""
    gates = _gate_answers(survey)
    answers: dict[str, AnswerValue] = {}
    for page in survey.pages:
        for question in visible_questions(page, answers):
            if rng.random() < 0.1:
                continue  # some people skip questions
            if question.id in gates and rng.random() < GATE_OPENED:
                answers[question.id] = [gates[question.id]]
                continue
            answers.update(_answer(question, rng))
    return answers


def _gate_answers(survey: Survey) -> dict[str, str]:
    """For each question a page or question is shown after, the answer that shows it."""
    rules = [page.show_if for page in survey.pages]
    rules += [question.show_if for question in survey.questions()]
    return {
        rule.question: rule.equals
        for rule in rules
        if isinstance(rule, Condition) and rule.equals is not None
    }


def _answer(question: Question, rng: random.Random) -> dict[str, AnswerValue]:
    ordinary = [o.value for o in question.options if not o.exclusive]
    if question.type is QuestionType.MATRIX:
        return {key: [_weighted(ordinary, rng)] for key in question.item_keys()}
    if question.type is QuestionType.MULTIPLE_CHOICE:
        limit = min(question.max_choices or 3, len(ordinary))
        return {question.id: rng.sample(ordinary, rng.randint(1, limit))}
    if ordinary:
        return {question.id: [_weighted(ordinary, rng)]}
    if question.type is QuestionType.NUMBER:
        return {question.id: rng.randint(question.minimum or 0, question.maximum or 0)}
    return {question.id: rng.choice(SAMPLE_TEXT)} if rng.random() < 0.5 else {}


def _weighted(values: list[str], rng: random.Random) -> str:
    # Lean towards the middle and the positive end, as real answers tend to.
    weights = [1 + i for i in range(len(values))]
    return rng.choices(values, weights=weights)[0]
