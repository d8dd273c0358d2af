"""Survey text as gettext messages, and surveys shown in another language.

Every respondent-facing string of a survey becomes one message whose context
names where it sits ("q.places_visited.option.park") and whose id is the English
source text. A translator works on a .po file in the tools they know; here a
translation is used only when it was made for the *current* English text. When
the English changed since (or the entry is marked fuzzy), the translation is
stale: the English is shown instead, marked as such, never a wrong sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace

from surveys.model import Option, Page, Question, Statement, Survey
from surveys.scales import built_in_options

_Lookup = Callable[[str, str], str]
_BUILT_IN = frozenset(
    (o.value, o.label)
    for scale in ("agreement", "faces3", "faces5", "safety", "scale_0_10", "extras")
    for o in built_in_options(scale)
)


BUILT_IN_LABELS = frozenset(label for _value, label in _BUILT_IN)


@dataclass(frozen=True)
class SurveyMessage:
    context: str
    text: str


class FallbackText(str):
    """English shown in place of a missing or stale translation (pages mark it lang="en")."""

    __slots__ = ()


def is_built_in(option: Option) -> bool:
    """Options from the built-in scales are translated with the interface, not per survey."""
    return (option.value, option.label) in _BUILT_IN


def survey_messages(survey: Survey) -> list[SurveyMessage]:
    """Every translatable string of a survey, in reading order."""
    return list(_messages(survey))


def _messages(survey: Survey) -> Iterator[SurveyMessage]:
    yield SurveyMessage("title", survey.title)
    if survey.intro:
        yield SurveyMessage("intro", survey.intro)
    if survey.privacy:
        yield SurveyMessage("privacy", survey.privacy)
    for page in survey.pages:
        if page.title:
            yield SurveyMessage(f"page.{page.id}.title", page.title)
        for question in page.questions:
            yield from _question_messages(question)


def _question_messages(q: Question) -> Iterator[SurveyMessage]:
    prefix = f"q.{q.id}"
    for name in ("text", "hint", "low_label", "high_label"):
        value = getattr(q, name)
        if value:
            yield SurveyMessage(f"{prefix}.{name}", value)
    for statement in q.statements:
        yield SurveyMessage(f"{prefix}.statement.{statement.id}", statement.text)
    for option in q.options:
        if not is_built_in(option):
            yield SurveyMessage(f"{prefix}.option.{option.value}", option.label)


@dataclass(frozen=True)
class Entry:
    """One translated message: the English it was made for, and the translation."""

    source: str
    translation: str
    fuzzy: bool = False


class SurveyCatalogue:
    """Translations of one survey into one language, keyed by message context."""

    def __init__(self, entries: Mapping[str, Entry]):
        self.entries = dict(entries)

    def lookup(self, context: str, source: str) -> str:
        """The translation of `source` at `context`, or the English as FallbackText."""
        entry = self.entries.get(context)
        if entry is None or entry.fuzzy or entry.source != source or not entry.translation:
            return FallbackText(source)
        return entry.translation

    def status(self, survey: Survey) -> dict[str, int]:
        """Counts of translated, stale (source changed or fuzzy) and missing messages."""
        counts = {"total": 0, "translated": 0, "stale": 0, "missing": 0}
        for message in survey_messages(survey):
            counts["total"] += 1
            entry = self.entries.get(message.context)
            if entry is None or not entry.translation:
                counts["missing"] += 1
            elif entry.fuzzy or entry.source != message.text:
                counts["stale"] += 1
            else:
                counts["translated"] += 1
        return counts


def translate_survey(survey: Survey, catalogue: SurveyCatalogue) -> Survey:
    """A copy of `survey` with its text in the catalogue's language where up to date."""
    t = catalogue.lookup
    return replace(
        survey,
        title=t("title", survey.title),
        intro=t("intro", survey.intro) if survey.intro else "",
        privacy=t("privacy", survey.privacy) if survey.privacy else "",
        pages=tuple(_translate_page(page, t) for page in survey.pages),
    )


def _translate_page(page: Page, t: _Lookup) -> Page:
    return replace(
        page,
        title=t(f"page.{page.id}.title", page.title) if page.title else "",
        questions=tuple(_translate_question(q, t) for q in page.questions),
    )


def _translate_question(q: Question, t: _Lookup) -> Question:
    prefix = f"q.{q.id}"

    def field(name: str) -> str:
        value = getattr(q, name)
        return t(f"{prefix}.{name}", value) if value else ""

    return replace(
        q,
        text=field("text"),
        hint=field("hint"),
        low_label=field("low_label"),
        high_label=field("high_label"),
        statements=tuple(
            Statement(s.id, t(f"{prefix}.statement.{s.id}", s.text)) for s in q.statements
        ),
        options=tuple(
            o if is_built_in(o) else replace(o, label=t(f"{prefix}.option.{o.value}", o.label))
            for o in q.options
        ),
    )
