"""`show_if`: reading the rules from a survey file, and deciding what a respondent sees.

Conditions refer only to questions on earlier pages, so one pass in page order
decides everything, and answers to anything hidden can be dropped in that pass.

A rule is one test on one earlier answer (`{question: q1, equals: yes}`, `{question: age,
at_least: 13}`, ...) or a combination of rules (`{all: [...]}`, `{any: [...]}`, `{not: ...}`).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from surveys.model import (
    COMPARISON_TESTS,
    RESERVED_VALUES,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    Not,
    Page,
    Question,
    QuestionType,
    ShowIf,
    Survey,
)

# An answer: chosen option values, a whole number, or text.
AnswerValue = list[str] | int | str
Answers = Mapping[str, AnswerValue]

SIMPLE_TESTS = ("equals", "any_of", "answered")
COMBINATIONS = ("all", "any", "not")
# Deep enough for any rule a person writes or an XLSForm holds; a cap, so a hostile file
# cannot exhaust the stack.
MAX_RULE_DEPTH = 8
NUMBER_LIMIT = 1_000_000
MAX_COUNT = 100
NUMBER_CHECKS: dict[str, Callable[[int, int], bool]] = {
    "at_least": operator.ge,
    "at_most": operator.le,
    "greater_than": operator.gt,
    "less_than": operator.lt,
}
WHOLE_NUMBER = re.compile(r"^-?\d+$")


def is_answered(value: AnswerValue | None) -> bool:
    """Whether a stored value counts as an answer (an empty list or text does not)."""
    if value is None:
        return False
    if isinstance(value, int):
        return True
    return len(value) > 0


def condition_holds(condition: ShowIf | None, answers: Answers) -> bool:
    """True when there is no condition or the earlier answers meet it."""
    if condition is None:
        return True
    if isinstance(condition, AllOf):
        return all(condition_holds(rule, answers) for rule in condition.all)
    if isinstance(condition, AnyOf):
        return any(condition_holds(rule, answers) for rule in condition.any)
    if isinstance(condition, Not):
        return not condition_holds(condition.negated, answers)
    if isinstance(condition, Comparison):
        return _comparison_holds(condition, answers.get(condition.question))
    return _simple_holds(condition, answers)


def _simple_holds(condition: Condition, answers: Answers) -> bool:
    value = answers.get(condition.question)
    if condition.answered is not None:
        # A matrix's answers are stored per statement, under "question.statement".
        prefix = f"{condition.question}."
        answered = is_answered(value) or any(
            is_answered(v) for key, v in answers.items() if key.startswith(prefix)
        )
        return answered == condition.answered
    chosen = _chosen(value)
    if condition.equals is not None:
        return condition.equals in chosen
    return bool(chosen & set(condition.any_of or ()))


def _comparison_holds(rule: Comparison, value: AnswerValue | None) -> bool:
    if rule.test == "not_equals":
        # Like XLSForm's `${q} != 'x'`: an unanswered question is not 'x' either.
        return rule.value not in _chosen(value)
    if rule.test == "count_at_least":
        return len(_chosen(value)) >= int(rule.value)
    number = _as_number(value)
    return number is not None and NUMBER_CHECKS[rule.test](number, int(rule.value))


def _chosen(value: AnswerValue | None) -> set[str]:
    return set(value) if isinstance(value, list) else set()


def _as_number(value: AnswerValue | None) -> int | None:
    """A number question's answer, or the point chosen on a scale of whole numbers."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, list) and len(value) == 1 and WHOLE_NUMBER.match(value[0]):
        return int(value[0])
    return None  # unanswered, "I don't know", or not a number at all


def visible_questions(page: Page, answers: Answers) -> tuple[Question, ...]:
    """The questions of a page the respondent should see, given earlier answers."""
    if not condition_holds(page.show_if, answers):
        return ()
    return tuple(q for q in page.questions if condition_holds(q.show_if, answers))


def visible_pages(survey: Survey, answers: Answers) -> tuple[Page, ...]:
    """Pages with at least one visible question, in order."""
    pruned = prune_hidden(survey, answers)
    return tuple(p for p in survey.pages if visible_questions(p, pruned))


def prune_hidden(survey: Survey, answers: Answers) -> dict[str, AnswerValue]:
    """Drop answers to questions that earlier answers now hide.

    A respondent may go back and change an answer that hid or revealed later
    questions; only what they can see again is kept, and only that is stored.
    """
    kept: dict[str, AnswerValue] = {}
    for page in survey.pages:
        for question in visible_questions(page, kept):
            for key in question.item_keys():
                if key in answers and is_answered(answers[key]):
                    kept[key] = answers[key]
    return kept


# -- reading rules from a survey file -----------------------------------------------------------


def read_rule(
    raw: Any, seen: Mapping[str, Question], earlier: Collection[str], report: Callable[[str], None]
) -> ShowIf | None:
    """Validate one show_if mapping and build its rule; None when anything is wrong.

    `seen` holds every question read so far and `earlier` the ids on earlier pages: a rule
    may test only those. Each problem goes to `report` as a sentence naming the part of the
    rule it is in, so a rule with several mistakes is fixed in one go.
    """
    return _RuleReader(seen, earlier, report).read(raw, (), 1)


class _RuleReader:
    def __init__(
        self, seen: Mapping[str, Question], earlier: Collection[str], report: Callable[[str], None]
    ):
        self.seen = seen
        self.earlier = earlier
        self.report = report

    def read(self, raw: Any, path: tuple[str, ...], depth: int) -> ShowIf | None:
        if depth > MAX_RULE_DEPTH:
            self.report(f"show_if is nested too deeply: at most {MAX_RULE_DEPTH} levels")
            return None
        label = f"show_if ({'; '.join(path)})" if path else "show_if"
        if isinstance(raw, Mapping) and any(key in raw for key in COMBINATIONS):
            return self.combination(raw, label, path, depth)
        if not isinstance(raw, Mapping) or not isinstance(raw.get("question"), str):
            self.report(f"{label} must name a question, e.g. {{question: q1, equals: yes}}")
            return None
        tests = [key for key in (*SIMPLE_TESTS, *COMPARISON_TESTS) if key in raw]
        if len(tests) != 1 or set(raw) - {"question", *tests}:
            self.report(
                f"{label} needs exactly one of equals, any_of or answered (or "
                f"{', '.join(COMPARISON_TESTS)}), or is one of all, any or not"
            )
            return None
        target = self.target(raw["question"], label)
        if target is None:
            return None
        if tests[0] in SIMPLE_TESTS:
            return self.simple(raw, tests[0], target, label)
        return self.comparison(tests[0], raw[tests[0]], target, label)

    # -- all, any, not ------------------------------------------------------------------------
    def combination(
        self, raw: Mapping[str, Any], label: str, path: tuple[str, ...], depth: int
    ) -> ShowIf | None:
        if len(raw) != 1:
            self.report(
                f"{label} all, any and not take no other fields, e.g. "
                "{all: [rule, rule]} or {not: rule}"
            )
            return None
        key, value = next(iter(raw.items()))
        if key == "not":
            if not isinstance(value, Mapping):
                self.report(
                    f"{label} not must be one rule, e.g. {{not: {{question: q1, equals: yes}}}}"
                )
                return None
            negated = self.read(value, (*path, "not"), depth + 1)
            return None if negated is None else Not(negated=negated)
        if not isinstance(value, list) or not value:
            self.report(f"{label} {key} must be a list of rules")
            return None
        rules = [
            self.read(item, (*path, f"{key}, rule {number}"), depth + 1)
            for number, item in enumerate(value, start=1)
        ]
        if any(rule is None for rule in rules):
            return None
        parts = tuple(rule for rule in rules if rule is not None)
        return AllOf(all=parts) if key == "all" else AnyOf(any=parts)

    # -- one test on one question -------------------------------------------------------------
    def target(self, question_id: str, label: str) -> Question | None:
        target = self.seen.get(question_id)
        if target is None:
            self.report(f"{label} refers to '{question_id}', which is not an earlier question")
            return None
        if question_id not in self.earlier:
            self.report(
                f"{label} refers to '{question_id}', which is on the same page, not an earlier one"
            )
            return None
        return target

    def simple(
        self, raw: Mapping[str, Any], test: str, target: Question, label: str
    ) -> Condition | None:
        if test == "answered":
            if not isinstance(raw["answered"], bool):
                self.report(f"{label} answered must be true or false")
                return None
            return Condition(question=target.id, answered=raw["answered"])
        values = raw[test] if test == "any_of" else [raw[test]]
        if not isinstance(values, list) or not values:
            self.report(f"{label} any_of must be a list of option values")
            return None
        if not self.options_fit(values, target, label):
            return None
        if test == "equals":
            return Condition(question=target.id, equals=values[0])
        return Condition(question=target.id, any_of=tuple(values))

    def options_fit(self, values: list[Any], target: Question, label: str) -> bool:
        if not target.options or target.type is QuestionType.MATRIX:
            self.report(
                f"{label} can test the value only of a question with options; "
                f"'{target.id}' has none (use answered)"
            )
            return False
        offered = {o.value for o in target.options}
        missing = [v for v in values if not isinstance(v, str) or v not in offered]
        if missing:
            self.report(f"{label} value '{missing[0]}' is not an option of '{target.id}'")
            return False
        return True

    def comparison(self, test: str, value: Any, target: Question, label: str) -> Comparison | None:
        if test == "not_equals":
            fits = self.options_fit([value], target, label)
        elif test == "count_at_least":
            fits = self.countable(value, target, label)
        else:
            fits = self.comparable(test, value, target, label)
        return Comparison(target.id, test, value) if fits else None

    def countable(self, value: Any, target: Question, label: str) -> bool:
        if not target.options or target.type is QuestionType.MATRIX:
            self.report(
                f"{label} count_at_least counts the answers chosen; '{target.id}' has "
                "no options (use answered)"
            )
            return False
        if not _whole(value) or not 1 <= value <= MAX_COUNT:
            self.report(f"{label} count_at_least must be a whole number from 1 to {MAX_COUNT}")
            return False
        return True

    def comparable(self, test: str, value: Any, target: Question, label: str) -> bool:
        if not _answers_are_numbers(target):
            self.report(
                f"{label} {test} compares a number; '{target.id}' is a "
                f"{target.type.value} question, not a number or a scale of whole "
                "numbers"
            )
            return False
        if not _whole(value) or not -NUMBER_LIMIT <= value <= NUMBER_LIMIT:
            self.report(
                f"{label} {test} must be a whole number from {-NUMBER_LIMIT} to {NUMBER_LIMIT}"
            )
            return False
        return True


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _answers_are_numbers(question: Question) -> bool:
    """A number question, or one answer chosen from a scale of whole numbers (faces, 0-10)."""
    if question.type is QuestionType.NUMBER:
        return True
    if question.type not in (
        QuestionType.SINGLE_CHOICE,
        QuestionType.FACES,
        QuestionType.SCALE_0_10,
    ):
        return False
    values = [o.value for o in question.options if o.value not in RESERVED_VALUES]
    return bool(values) and all(WHOLE_NUMBER.match(value) for value in values)
