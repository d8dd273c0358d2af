"""The survey definition model: immutable values built by the loader.

A survey is a tuple of pages; a page is a tuple of questions. Nothing here
changes after loading, so a published version can be shared freely between
requests and compared by its content hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from surveys.organisation import OrganisationOverride


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    AGREEMENT = "agreement"
    FACES = "faces"
    SCALE_0_10 = "scale_0_10"
    MATRIX = "matrix"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"


CHOICE_TYPES = frozenset(
    {
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.AGREEMENT,
        QuestionType.FACES,
    }
)
TEXT_TYPES = frozenset({QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT})
# Types whose answers a dashboard can count; free text and numbers are summarised differently.
CLOSED_TYPES = CHOICE_TYPES | {QuestionType.SCALE_0_10, QuestionType.MATRIX}

AUDIENCES = ("young_people", "parents", "mixed")
# Design: asked while a change is planned. Experience: asked of people living with it.
STAGES = ("design", "experience")
DEFAULT_STAGE = "design"

# Option values the service adds itself; authors may not reuse them.
DONT_KNOW = "dont_know"
RATHER_NOT_SAY = "rather_not_say"
RESERVED_VALUES = frozenset({DONT_KNOW, RATHER_NOT_SAY})


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    # Cannot be combined with other choices ("I don't know", "None of these"), and is
    # shown apart from the answers that can be.
    exclusive: bool = False


@dataclass(frozen=True)
class Condition:
    """A show_if rule: show when an earlier question meets one test."""

    question: str
    equals: str | None = None
    any_of: tuple[str, ...] | None = None
    answered: bool | None = None


# The rules below came after `Condition`; they are separate classes, not new fields on it, so
# the stored form (and content hash) of every version published before them stays the same.


@dataclass(frozen=True)
class Comparison:
    """A show_if rule that compares an earlier answer: `test` is one of `COMPARISON_TESTS`."""

    question: str
    test: str
    value: int | str


@dataclass(frozen=True)
class AllOf:
    """Show when every rule holds."""

    all: tuple[ShowIf, ...]


@dataclass(frozen=True)
class AnyOf:
    """Show when at least one rule holds."""

    any: tuple[ShowIf, ...]


@dataclass(frozen=True)
class Not:
    """Show when the rule does not hold."""

    negated: ShowIf


ShowIf = Condition | Comparison | AllOf | AnyOf | Not
# Tests on a number (or on a scale whose answers are whole numbers), then the rest.
NUMBER_TESTS = ("at_least", "at_most", "greater_than", "less_than")
COMPARISON_TESTS = (*NUMBER_TESTS, "not_equals", "count_at_least")


@dataclass(frozen=True)
class Statement:
    id: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: str
    hint: str = ""
    options: tuple[Option, ...] = ()
    statements: tuple[Statement, ...] = ()
    required: bool = False
    show_if: ShowIf | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    max_choices: int | None = None
    low_label: str = ""
    high_label: str = ""
    # Asked the same way (id, words, answers, routing) at every stage and in every wave,
    # so that waves can be compared: changing it means making a new question.
    core: bool = False

    @property
    def is_text(self) -> bool:
        return self.type in TEXT_TYPES

    @property
    def is_closed(self) -> bool:
        return self.type in CLOSED_TYPES

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def item_keys(self) -> tuple[str, ...]:
        """The keys answers to this question are stored under (one per matrix statement)."""
        if self.type is QuestionType.MATRIX:
            return tuple(f"{self.id}.{s.id}" for s in self.statements)
        return (self.id,)


@dataclass(frozen=True)
class Page:
    id: str
    questions: tuple[Question, ...]
    title: str = ""
    show_if: ShowIf | None = None
    # Asked only when at least this many people are expected to answer: an "About you"
    # page whose groups would otherwise be too small to show, and small enough to single
    # someone out.
    needs_population: int | None = None


@dataclass(frozen=True)
class Survey:
    id: str
    title: str
    audience: str
    pages: tuple[Page, ...]
    intro: str = ""
    privacy: str = ""
    age_band: str = ""
    minutes: int | None = None
    expected_population: int | None = None
    retention_days: int = 365
    stage: str = DEFAULT_STAGE
    # Written in easy read (short sentences, everyday words), whoever it is for.
    easy_read: bool = False
    # The id of this survey written in easy read, offered from the start page where a link
    # to it is shared in the same place.
    easy_read_version: str = ""
    # Pages left out because fewer people are expected than they need (see Page). They
    # are kept so that writing the survey back out (surveys.definition) loses nothing.
    withheld_pages: tuple[Page, ...] = ()
    # Who runs this survey, where it differs from the deployment (a partnership).
    organisation: OrganisationOverride | None = None
    source: str = field(default="", compare=False)

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for page in self.pages for q in page.questions)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions() if q.id == question_id), None)

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.id == page_id), None)

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready form, from which the content hash is made."""
        data = asdict(self)
        data.pop("source")
        _drop_unset_later_fields(data)
        return data

    def content_hash(self) -> str:
        """Identifies the content: the same definition always hashes the same."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# Fields added after surveys were first published, with the value that means "not used".
# Leaving them out of `to_dict` when unused keeps the content hash of every survey that
# does not use them what it was, so loading an unchanged file never makes a new version.
_LATER_SURVEY_FIELDS = {
    "stage": DEFAULT_STAGE,
    "easy_read": False,
    "easy_read_version": "",
    "withheld_pages": (),
    "organisation": None,
}
_LATER_PAGE_FIELDS = {"needs_population": None}
_LATER_QUESTION_FIELDS = {"core": False}


def _drop_unset_later_fields(data: dict[str, Any]) -> None:
    _drop_defaults(data, _LATER_SURVEY_FIELDS)
    for page in (*data["pages"], *data.get("withheld_pages", ())):
        _drop_defaults(page, _LATER_PAGE_FIELDS)
        for question in page["questions"]:
            _drop_defaults(question, _LATER_QUESTION_FIELDS)


def _drop_defaults(data: dict[str, Any], defaults: dict[str, Any]) -> None:
    for key, default in defaults.items():
        if key in data and data[key] == default:
            del data[key]


def rule_questions(rule: ShowIf) -> frozenset[str]:
    """The ids of every question a show_if rule looks at, however deeply it is combined."""
    if isinstance(rule, Condition | Comparison):
        return frozenset({rule.question})
    if isinstance(rule, Not):
        return rule_questions(rule.negated)
    parts = rule.all if isinstance(rule, AllOf) else rule.any
    return frozenset().union(*(rule_questions(part) for part in parts))
