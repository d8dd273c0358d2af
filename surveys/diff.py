"""What changed between two versions of a survey, in words a survey designer reads easily.

Each save in the browser editor makes a new, immutable version; the workspace shows the
designer (not a developer) what that save changed. So the changes come out in the order
the survey reads, name questions by their number and wording rather than their ids, and
describe show_if rules with question texts and answer labels.

Questions are matched by id: the id is what answers are stored under, so a question keeps
its id when its wording changes, and a new id means a new question as far as results go.
Pages are matched by id too, but a page has no meaning of its own beyond its title and
its show_if rule, and a rule is reported on each question it decides.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from surveys.conditions import NUMBER_CHECKS, WHOLE_NUMBER
from surveys.model import (
    DONT_KNOW,
    RATHER_NOT_SAY,
    RESERVED_VALUES,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    Not,
    Option,
    Page,
    Question,
    QuestionType,
    ShowIf,
    Survey,
)
from surveys.organisation import OrganisationOverride, override_to_dict
from surveys.scales import built_in_options

ChangeKind = Literal["survey", "added", "removed", "moved", "wording", "condition", "settings"]
SegmentStatus = Literal["same", "removed", "added"]
Conjunction = Literal["and", "or"]


@dataclass(frozen=True)
class Segment:
    """A run of text in a word diff: kept, taken out or put in (a template's <del>/<ins>)."""

    text: str
    status: SegmentStatus


@dataclass(frozen=True)
class Change:
    """One readable change.

    `subject` says what changed ("Title", "Question 3: wording", or a question's wording for
    added, removed and moved questions); `before` and `after` are the old and new values as
    they read; `detail` is a sentence for anything before and after cannot say. Wording
    changes (and survey texts) also carry `segments`, the word-level difference.
    `question_id` ties a question's change to the question, for links; it is "" otherwise.
    """

    kind: ChangeKind
    subject: str
    before: str = ""
    after: str = ""
    detail: str = ""
    segments: tuple[Segment, ...] = ()
    question_id: str = ""


NOT_SET = "Not set"
ALWAYS_SHOWN = "Always shown"
# Question texts in show_if descriptions are cut here: enough to recognise the question.
CONDITION_TEXT_LIMIT = 60
# A number comparison in words, for a number question or a scale labelled with its numbers.
NUMBER_WORDS = {
    "at_least": "{} or more",
    "at_most": "{} or less",
    "greater_than": "more than {}",
    "less_than": "less than {}",
}

# Survey-level fields in the order a survey file gives them, named in plain words.
SURVEY_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("audience", "Who it is for"),
    ("stage", "Stage"),
    ("easy_read", "Easy read"),
    ("easy_read_version", "Easy read version"),
    ("age_band", "Age group"),
    ("minutes", "How long it takes (minutes)"),
    ("expected_population", "How many people could answer"),
    ("retention_days", "How long responses are kept (days)"),
    ("intro", "Introduction"),
    ("privacy", "Privacy notice"),
    ("organisation", "Who runs it"),
)
# Fields that are prose, so a word-level difference helps; the rest are short values.
SURVEY_TEXT_FIELDS = frozenset({"title", "age_band", "intro", "privacy"})
AUDIENCE_NAMES = {
    "young_people": "Young people",
    "parents": "Parents and carers",
    "mixed": "Young people and parents",
}
TYPE_NAMES = {
    QuestionType.SINGLE_CHOICE: "Choose one answer",
    QuestionType.MULTIPLE_CHOICE: "Choose one or more answers",
    QuestionType.AGREEMENT: "Agree or disagree scale",
    QuestionType.FACES: "Faces scale",
    QuestionType.SCALE_0_10: "Scale from 0 to 10",
    QuestionType.MATRIX: "Grid of statements",
    QuestionType.SHORT_TEXT: "Short written answer",
    QuestionType.LONG_TEXT: "Long written answer",
    QuestionType.NUMBER: "Number",
}
MATRIX_SCALE_NAMES = {
    "agreement": "Agree or disagree",
    "faces3": "3 faces",
    "faces5": "5 faces",
    "safety": "Safety",
}
OWN_ANSWERS = "Answers written for this question"
AUTHORED_OPTION_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})


# -- the entry point ---------------------------------------------------------------------------


def diff_surveys(old: Survey, new: Survey) -> list[Change]:
    """The changes from `old` to `new`: survey fields first, then questions in survey order.

    Removed questions appear where they used to be, so the list reads like the survey.
    Identical surveys give an empty list.
    """
    before, after = _Version.of(old), _Version.of(new)
    changes = list(_survey_changes(old, new))
    moved = _moved_questions(before.ids, after.ids)
    for status, question_id in _survey_order(before.ids, after.ids):
        if status == "removed":
            changes.append(_removed(before, question_id))
            continue
        changes.extend(_page_changes(before, after, question_id))
        if status == "added":
            changes.append(_added(after, question_id))
        else:
            changes.extend(_kept_question_changes(before, after, question_id, moved))
    return changes


@dataclass(frozen=True)
class _Version:
    """One survey plus the look-ups every comparison needs, built once."""

    survey: Survey
    ids: tuple[str, ...]
    questions: dict[str, Question]
    pages: dict[str, Page]

    @classmethod
    def of(cls, survey: Survey) -> _Version:
        return cls(
            survey=survey,
            ids=tuple(q.id for q in survey.questions()),
            questions={q.id: q for q in survey.questions()},
            pages={q.id: page for page in survey.pages for q in page.questions},
        )

    def number(self, question_id: str) -> int:
        """The question's number as respondents count: 1-based, across all pages."""
        return self.ids.index(question_id) + 1

    def label(self, question_id: str) -> str:
        return f"Question {self.number(question_id)}"


# -- survey-level fields ---------------------------------------------------------------------


def _survey_changes(old: Survey, new: Survey) -> Iterator[Change]:
    """Changed survey fields, then the number of pages (splitting or merging pages shows here)."""
    for name, subject in SURVEY_FIELDS:
        was, now = getattr(old, name), getattr(new, name)
        if was == now:
            continue
        if name in SURVEY_TEXT_FIELDS:
            yield Change("survey", subject, was, now, segments=word_diff(was, now))
        else:
            yield Change("survey", subject, _survey_value(name, was), _survey_value(name, now))
    if len(old.pages) != len(new.pages):
        yield Change("survey", "Number of pages", str(len(old.pages)), str(len(new.pages)))


def _survey_value(name: str, value: object) -> str:
    if value is None:
        return NOT_SET
    if name == "audience":
        return AUDIENCE_NAMES.get(str(value), str(value))
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, OrganisationOverride):
        return "; ".join(f"{k}: {v}" for k, v in override_to_dict(value).items())
    return str(value).capitalize() if name == "stage" else str(value)


# -- order: added, removed, moved ------------------------------------------------------------


def _survey_order(old_ids: Sequence[str], new_ids: Sequence[str]) -> Iterator[tuple[str, str]]:
    """("removed" | "added" | "kept", id) for every question, merged into reading order.

    Walking difflib's opcodes puts a removed question between the neighbours it had; a
    question present in both comes where it is now.
    """
    old_set, new_set = set(old_ids), set(new_ids)
    matcher = difflib.SequenceMatcher(None, old_ids, new_ids, autojunk=False)
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for question_id in old_ids[i1:i2]:
            if question_id not in new_set:
                yield "removed", question_id
        for question_id in new_ids[j1:j2]:
            yield ("kept" if question_id in old_set else "added"), question_id


def _moved_questions(old_ids: Sequence[str], new_ids: Sequence[str]) -> frozenset[str]:
    """Questions whose place changed relative to the others that are in both versions.

    Adding or removing a question renumbers everything after it, which is not a move; and
    moving one question shifts the rest, which should not read as many moves. The longest
    common ordering (difflib's matching blocks) stays put; only what lies outside it moved.
    """
    old_set, new_set = set(old_ids), set(new_ids)
    old_common = [q for q in old_ids if q in new_set]
    new_common = [q for q in new_ids if q in old_set]
    matcher = difflib.SequenceMatcher(None, old_common, new_common, autojunk=False)
    in_place = {
        question_id
        for block in matcher.get_matching_blocks()
        for question_id in new_common[block.b : block.b + block.size]
    }
    return frozenset(new_common) - in_place


def _added(after: _Version, question_id: str) -> Change:
    question, number = after.questions[question_id], after.number(question_id)
    detail = f"Added as question {number}."
    rule = _visibility(after, question_id)
    if rule:
        detail += f" {_describe_rules(after.survey, rule)}."
    return Change("added", question.text, "", f"Question {number}", detail, question_id=question_id)


def _removed(before: _Version, question_id: str) -> Change:
    number = before.number(question_id)
    return Change(
        "removed",
        before.questions[question_id].text,
        f"Question {number}",
        "",
        f"Removed; it was question {number}.",
        question_id=question_id,
    )


def _moved(before: _Version, after: _Version, question_id: str) -> Change:
    was, now = before.number(question_id), after.number(question_id)
    return Change(
        "moved",
        after.questions[question_id].text,
        f"Question {was}",
        f"Question {now}",
        f"Moved from position {was} to {now}.",
        question_id=question_id,
    )


# -- pages -------------------------------------------------------------------------------------


def _page_changes(before: _Version, after: _Version, question_id: str) -> Iterator[Change]:
    """A page's title change, reported just before the page's first question.

    Page show_if rules are not reported here: they are part of when each question on
    the page is shown, which `_condition_change` reports question by question.
    """
    page = after.pages[question_id]
    if page.questions[0].id != question_id:
        return
    old_page = before.survey.page(page.id)
    if old_page is not None and old_page.title != page.title:
        number = after.survey.pages.index(page) + 1
        yield Change(
            "wording",
            f"Page {number}: title",
            old_page.title,
            page.title,
            segments=word_diff(old_page.title, page.title),
        )


# -- a question in both versions -------------------------------------------------------------


def _kept_question_changes(
    before: _Version, after: _Version, question_id: str, moved: frozenset[str]
) -> Iterator[Change]:
    """Everything about one question: its place, its words, when it shows, its settings."""
    if question_id in moved:
        yield _moved(before, after, question_id)
    old, new = before.questions[question_id], after.questions[question_id]
    label = after.label(question_id)
    yield from _wording_changes(old, new, label)
    yield from _condition_change(before, after, question_id)
    yield from _settings_changes(old, new, label)


def _wording_changes(old: Question, new: Question, label: str) -> Iterator[Change]:
    """Changed texts respondents read, each named by the part of the question it is in."""
    pairs: list[tuple[str, str, str]] = [
        ("wording", old.text, new.text),
        ("hint", old.hint, new.hint),
        ("label at the low end", old.low_label, new.low_label),
        ("label at the high end", old.high_label, new.high_label),
    ]
    # Built-in scales' labels change only with the type or scale, reported as settings.
    new_options = {o.value: o for o in _own_options(new)}
    pairs += [
        (f'answer "{o.label}"', o.label, new_options[o.value].label)
        for o in _own_options(old)
        if o.value in new_options
    ]
    new_statements = {s.id: s for s in new.statements}
    pairs += [
        (f'statement "{s.text}"', s.text, new_statements[s.id].text)
        for s in old.statements
        if s.id in new_statements
    ]
    for part, was, now in pairs:
        if was != now:
            yield Change(
                "wording",
                f"{label}: {part}",
                was,
                now,
                segments=word_diff(was, now),
                question_id=new.id,
            )


def _condition_change(before: _Version, after: _Version, question_id: str) -> Iterator[Change]:
    """When the question is shown, counting its page's rule as well as its own.

    Comparing the rules that apply, wherever they are written, means moving a rule from a
    page onto its question (or a question onto a page with the same rule) is no change,
    while a new rule on a page is reported on every question it hides.
    """
    was, now = _visibility(before, question_id), _visibility(after, question_id)
    if set(was) != set(now):
        yield Change(
            "condition",
            f"{after.label(question_id)}: when it is shown",
            _describe_rules(before.survey, was),
            _describe_rules(after.survey, now),
            question_id=question_id,
        )


def _visibility(version: _Version, question_id: str) -> tuple[ShowIf, ...]:
    """The show_if rules that decide whether a question is shown: its page's, then its own."""
    rules = (version.pages[question_id].show_if, version.questions[question_id].show_if)
    return tuple(dict.fromkeys(rule for rule in rules if rule is not None))


# -- settings ----------------------------------------------------------------------------------


def _yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def _number(value: int | None, missing: str = NOT_SET) -> str:
    return missing if value is None else str(value)


def _scale(question: Question) -> str:
    """The answer scale's name where the type leaves a choice (faces, matrix), else ""."""
    own = tuple(o for o in question.options if o.value not in RESERVED_VALUES)
    if question.type is QuestionType.FACES:
        return f"{len(own)} faces"
    if question.type is QuestionType.MATRIX:
        named = (name for name in MATRIX_SCALE_NAMES if built_in_options(name) == own)
        return MATRIX_SCALE_NAMES.get(next(named, ""), OWN_ANSWERS)
    return ""


# Each setting: how it is named to a designer, and how its value reads.
SETTINGS: tuple[tuple[str, Callable[[Question], str]], ...] = (
    ("type of question", lambda q: TYPE_NAMES[q.type]),
    ("answer scale", _scale),
    ("answer required", lambda q: _yes_no(q.required)),
    ('"I don\'t know" offered', lambda q: _yes_no(q.option(DONT_KNOW) is not None)),
    ('"I\'d rather not say" offered', lambda q: _yes_no(q.option(RATHER_NOT_SAY) is not None)),
    ("most answers that can be chosen", lambda q: _number(q.max_choices, "No limit")),
    ("lowest number allowed", lambda q: _number(q.minimum)),
    ("highest number allowed", lambda q: _number(q.maximum)),
    ("longest answer (characters)", lambda q: _number(q.max_length)),
    ("core question (asked the same in every wave)", lambda q: _yes_no(q.core)),
    ("answers that cannot be chosen with others", lambda q: _exclusive_answers(q)),
)


def _exclusive_answers(question: Question) -> str:
    """The author's own exclusive answers ("None of these"), not the two escape options."""
    labels = [o.label for o in _own_options(question) if o.exclusive]
    return " / ".join(labels) or "None"


def _settings_changes(old: Question, new: Question, label: str) -> Iterator[Change]:
    """Changed settings, one change each, then answers and statements added, removed, reordered."""
    for name, read in SETTINGS:
        was, now = read(old), read(new)
        if was != now:
            yield Change("settings", f"{label}: {name}", was, now, question_id=new.id)
    yield from _item_changes(
        [(o.value, o.label) for o in _own_options(old)],
        [(o.value, o.label) for o in _own_options(new)],
        f"{label}: answer",
        f"{label}: order of answers",
        new.id,
    )
    yield from _item_changes(
        [(s.id, s.text) for s in old.statements],
        [(s.id, s.text) for s in new.statements],
        f"{label}: statement",
        f"{label}: order of statements",
        new.id,
    )


def _own_options(question: Question) -> tuple[Option, ...]:
    """The answers an author wrote (not a built-in scale's, nor the two escape options)."""
    own = tuple(o for o in question.options if o.value not in RESERVED_VALUES)
    if question.type in AUTHORED_OPTION_TYPES:
        return own
    if question.type is QuestionType.MATRIX and _scale(question) == OWN_ANSWERS:
        return own
    return ()


def _item_changes(
    old: Sequence[tuple[str, str]],
    new: Sequence[tuple[str, str]],
    subject: str,
    order_subject: str,
    question_id: str,
) -> Iterator[Change]:
    """Answers (or statements), as (key, text) pairs, added, removed or put in a new order."""
    old_keys, new_keys = dict(old), dict(new)
    for key, text in old:
        if key not in new_keys:
            yield Change("settings", f"{subject} removed", text, "", question_id=question_id)
    for key, text in new:
        if key not in old_keys:
            yield Change("settings", f"{subject} added", "", text, question_id=question_id)
    kept_old = [key for key, _ in old if key in new_keys]
    kept_new = [key for key, _ in new if key in old_keys]
    if kept_old != kept_new:
        yield Change("settings", order_subject, _listed(old), _listed(new), question_id=question_id)


def _listed(items: Iterable[tuple[str, str]]) -> str:
    # Labels can contain commas ("Shops, takeaways or cafés"), so a slash separates them.
    return " / ".join(text for _, text in items)


# -- show_if in words --------------------------------------------------------------------------


def describe_condition(survey: Survey, condition: ShowIf | None) -> str:
    """A show_if rule as a sentence, naming questions by wording and answers by label.

    A designer reviewing a change knows the questions by what they say, not by the ids in
    the file, so 'Shown only if "Would you want…" is "Yes"', never 'workers_with_group'.
    """
    if condition is None:
        return ALWAYS_SHOWN
    return _describe_rules(survey, (condition,))


def _describe_rules(survey: Survey, rules: Sequence[ShowIf]) -> str:
    """Several rules that must all hold (a page's and a question's) as one sentence."""
    if not rules:
        return ALWAYS_SHOWN
    return "Shown only if " + _joined(survey, rules, "and", negated=False)


def _joined(
    survey: Survey, rules: Sequence[ShowIf], conjunction: Conjunction, negated: bool
) -> str:
    """Rules joined by "and" or "or"; a part joined the other way is put in brackets."""
    words = []
    for rule in rules:
        text, inner = _words(survey, rule, negated)
        bracketed = len(rules) > 1 and inner not in (None, conjunction)
        words.append(f"({text})" if bracketed else text)
    return f" {conjunction} ".join(words)


def _words(survey: Survey, rule: ShowIf, negated: bool) -> tuple[str, Conjunction | None]:
    """A rule in words, or its opposite when `negated`, with the conjunction at its top (None
    for a single test). Opposites are said positively: "not (A and B)" reads "not A or not B"."""
    if isinstance(rule, Not):
        return _words(survey, rule.negated, not negated)
    if isinstance(rule, AllOf | AnyOf):
        parts = rule.all if isinstance(rule, AllOf) else rule.any
        conjunction: Conjunction = "and" if isinstance(rule, AllOf) else "or"
        if negated:
            conjunction = "or" if conjunction == "and" else "and"
        if len(parts) == 1:
            return _words(survey, parts[0], negated)
        return _joined(survey, parts, conjunction, negated), conjunction
    return _clause(survey, rule, negated), None


def _clause(survey: Survey, condition: Condition | Comparison, negated: bool) -> str:
    target = survey.question(condition.question)
    # The loader refuses rules on missing questions; the fallback only keeps a hand-built
    # survey from breaking the page that shows the diff.
    name = f'"{_shortened(target.text)}"' if target else f'question "{condition.question}"'
    if isinstance(condition, Comparison):
        return f"{name} {_comparison_words(target, condition, negated)}"
    if condition.answered is not None:
        answered = condition.answered != negated
        return f"{name} is answered" if answered else f"{name} is not answered"
    values = (condition.equals,) if condition.equals is not None else condition.any_of or ()
    return f"{name} {_choice_words(target, values, negated)}"


def _choice_words(question: Question | None, values: Sequence[str], negated: bool) -> str:
    labels = [f'"{_option_label(question, value)}"' for value in values]
    # A multiple-choice rule holds when the value is among those chosen.
    many = question is not None and question.type is QuestionType.MULTIPLE_CHOICE
    if not negated:
        return f"{'includes' if many else 'is'} {' or '.join(labels)}"
    if len(labels) == 1:
        return f"{'does not include' if many else 'is not'} {labels[0]}"
    return f"{'includes' if many else 'is'} none of {', '.join(labels)}"


def _comparison_words(question: Question | None, rule: Comparison, negated: bool) -> str:
    if rule.test == "not_equals":
        return _choice_words(question, (str(rule.value),), not negated)
    count = int(rule.value)
    if rule.test == "count_at_least":
        if not negated:
            return f"has at least {count} answer{'' if count == 1 else 's'} chosen"
        return "has no answer chosen" if count == 1 else f"has fewer than {count} answers chosen"
    meeting = _labelled_points_meeting(question, rule)
    if meeting:
        return _choice_words(question, meeting, negated)
    words = NUMBER_WORDS[rule.test].format(count)
    return f"is not {words}" if negated else f"is {words}"


def _labelled_points_meeting(question: Question | None, rule: Comparison) -> list[str]:
    """The points of a labelled scale (faces, say) that meet a comparison, so the rule can
    name them by label: "1" on a faces scale means nothing to a designer, "Not good" does.
    Empty for numbers and for scales whose labels are their numbers (0-10)."""
    if question is None or all(o.label == o.value for o in question.options):
        return []
    check = NUMBER_CHECKS[rule.test]
    return [
        o.value
        for o in question.options
        if WHOLE_NUMBER.match(o.value) and check(int(o.value), int(rule.value))
    ]


def _option_label(question: Question | None, value: str) -> str:
    option = question.option(value) if question is not None else None
    return option.label if option is not None else value


def _shortened(text: str, limit: int = CONDITION_TEXT_LIMIT) -> str:
    """Text cut at a word boundary, with an ellipsis, when longer than `limit`."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.") + "\N{HORIZONTAL ELLIPSIS}"


# -- word-level differences ------------------------------------------------------------------

# Words, punctuation and the whitespace between them, all kept, so joining segments gives the
# texts back; punctuation stands alone so "go?" -> "go after school?" keeps "go" and "?".
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]+")


def word_diff(before: str, after: str) -> tuple[Segment, ...]:
    """`before` and `after` as runs of kept, removed and added text, compared word by word.

    Joining the "same" and "removed" segments gives `before`; "same" and "added" give
    `after`. A lone space kept between two changed words is folded into the change, so
    "red big dog" -> "blue small dog" reads as one replaced phrase, not word salad.
    """
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    matcher = difflib.SequenceMatcher(str.isspace, old, new, autojunk=False)
    opcodes = matcher.get_opcodes()
    segments: list[Segment] = []
    removed: list[str] = []
    added: list[str] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal" and not _folded(opcodes, index, old):
            segments.extend(_pending(removed, added))
            segments.append(Segment("".join(old[i1:i2]), "same"))
        else:
            removed.extend(old[i1:i2])
            added.extend(new[j1:j2])
    segments.extend(_pending(removed, added))
    return tuple(segments)


def _folded(
    opcodes: Sequence[tuple[str, int, int, int, int]], index: int, old: Sequence[str]
) -> bool:
    """Whether a kept run is only whitespace between two changes, and so part of them."""
    _tag, i1, i2, _j1, _j2 = opcodes[index]
    inside = 0 < index < len(opcodes) - 1
    return inside and all(token.isspace() for token in old[i1:i2])


def _pending(removed: list[str], added: list[str]) -> list[Segment]:
    """The collected change as at most one removed and one added segment, then reset."""
    segments = []
    if removed:
        segments.append(Segment("".join(removed), "removed"))
    if added:
        segments.append(Segment("".join(added), "added"))
    removed.clear()
    added.clear()
    return segments


__all__ = [
    "ALWAYS_SHOWN",
    "Change",
    "ChangeKind",
    "Segment",
    "SegmentStatus",
    "describe_condition",
    "diff_surveys",
    "word_diff",
]
