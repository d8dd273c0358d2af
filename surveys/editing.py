"""Changes a designer makes in the browser, applied to a survey's definition.

The editor works on the canonical definition (`survey_to_definition`): a list of
pages, each with its questions. Every function here returns a new dict and leaves
its input alone; none of them decides whether the result is a valid survey. The
loader does that, once, so a browser edit is held to exactly the rules a file is.

Form fields are named after the ids they change (ids are a-z, 0-9 and _ only, so
a dash never appears inside one):

    title, intro, privacy, retention_days       the survey
    <question>-text, <question>-hint            a question's wording
    <question>-option-<value>                   an answer's label
    <question>-statement-<id>                   a matrix row
    <question>-low_label, <question>-high_label the ends of a 0-10 scale
    <question>-show_if, page-<page>-show_if     when it is shown (see `encode_condition`)
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from surveys.diff import NUMBER_WORDS
from surveys.loader import SurveyDefinitionError, parse_survey
from surveys.model import Option, QuestionType

SURVEY_TEXT_FIELDS = ("title", "intro", "privacy")
QUESTION_TEXT_FIELDS = ("text", "hint", "low_label", "high_label")
# Kept as they are: a rule the one-choice control cannot show (any_of, a comparison or a
# combination of rules).
KEEP_CONDITION = "keep"
ALWAYS = ""


class EditProblem(ValueError):
    """A change that cannot be made, in words for the person making it."""


def questions_of(definition: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for page in definition.get("pages", []):
        yield from page.get("questions", [])


def question_ids(definition: Mapping[str, Any]) -> list[str]:
    return [q["id"] for q in questions_of(definition)]


# -- wording and settings -------------------------------------------------------------


def apply_fields(definition: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """The definition with every field present in `form` written into it."""
    edited = copy.deepcopy(dict(definition))
    for name in SURVEY_TEXT_FIELDS:
        if name in form:
            _set_text(edited, name, form[name])
    if "retention_days" in form:
        value = form["retention_days"].strip()
        edited["retention_days"] = int(value) if value.isdigit() else value
    for page in edited.get("pages", []):
        _apply_condition(page, form.get(f"page-{page['id']}-show_if"))
        for question in page.get("questions", []):
            _apply_question_fields(question, form)
    return edited


def _apply_question_fields(question: dict[str, Any], form: Mapping[str, str]) -> None:
    qid = question["id"]
    for name in QUESTION_TEXT_FIELDS:
        if f"{qid}-{name}" in form:
            _set_text(question, name, form[f"{qid}-{name}"])
    for option in _own_answers(question):
        label = form.get(f"{qid}-option-{option['value']}")
        if label is not None:
            option["label"] = " ".join(label.split())
    for statement in question.get("statements", []):
        text = form.get(f"{qid}-statement-{statement['id']}")
        if text is not None:
            statement["text"] = " ".join(text.split())
    _apply_condition(question, form.get(f"{qid}-show_if"))


def _own_answers(question: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The answers written for a question: its options, or a grid's own scale."""
    for key in ("options", "scale"):
        if isinstance(question.get(key), list):
            return [item for item in question[key] if isinstance(item, dict)]
    return []


def _set_text(target: dict[str, Any], key: str, value: str) -> None:
    """Trim the text; an emptied optional field is removed (the loader says if it was needed)."""
    value = "\n".join(line.rstrip() for line in value.strip().splitlines())
    if value or key in ("title", "text"):
        target[key] = value
    else:
        target.pop(key, None)


def _apply_condition(target: dict[str, Any], choice: str | None) -> None:
    if choice is None or choice == KEEP_CONDITION:
        return
    condition = decode_condition(choice)
    if condition is None:
        target.pop("show_if", None)
    else:
        target["show_if"] = condition


# -- conditions as one choice -----------------------------------------------------------


def encode_condition(condition: Mapping[str, Any] | None) -> str:
    """The value of the condition control for a show_if rule."""
    if not condition:
        return ALWAYS
    if condition.get("answered") is True:
        return f"answered:{condition['question']}"
    if "equals" in condition:
        return f"equals:{condition['question']}:{condition['equals']}"
    return KEEP_CONDITION


def decode_condition(choice: str) -> dict[str, Any] | None:
    """The show_if rule for a value of the condition control (None: always shown)."""
    kind, _, rest = choice.partition(":")
    if kind == "answered" and rest:
        return {"question": rest, "answered": True}
    question, _, value = rest.partition(":")
    if kind == "equals" and question and value:
        return {"question": question, "equals": value}
    return None


@dataclass(frozen=True)
class ConditionChoice:
    value: str
    question_text: str
    # The answer tested for, or "" for "is answered".
    answer_label: str = ""


def condition_choices(definition: Mapping[str, Any], page_index: int) -> list[ConditionChoice]:
    """What a question on page `page_index` may depend on: questions on earlier pages
    being answered, or having a given answer."""
    choices = []
    for page in definition.get("pages", [])[:page_index]:
        for question in page.get("questions", []):
            text = str(question.get("text", question["id"]))
            choices.append(ConditionChoice(f"answered:{question['id']}", text))
            for option in question_options(question):
                choices.append(
                    ConditionChoice(f"equals:{question['id']}:{option.value}", text, option.label)
                )
    return choices


def question_options(question: Mapping[str, Any]) -> tuple[Option, ...]:
    """The answers a question offers, built-in scales included (none if it is not valid)."""
    without_condition = {k: v for k, v in question.items() if k != "show_if"}
    return _options_of(json.dumps(without_condition, sort_keys=True))


@lru_cache(maxsize=512)
def _options_of(question_json: str) -> tuple[Option, ...]:
    # Parsed as a one-question survey, so built-in scales come out exactly as respondents
    # see them. Cached: the editor asks for every earlier question on every page.
    try:
        survey = parse_survey(
            {
                "id": "options",
                "title": "options",
                "audience": "mixed",
                "questions": [json.loads(question_json)],
            }
        )
    except SurveyDefinitionError:
        return ()
    parsed = survey.questions()[0]
    return () if parsed.type is QuestionType.MATRIX else parsed.options


# -- structure ------------------------------------------------------------------------


def move_page(definition: Mapping[str, Any], page_id: str, step: int) -> dict[str, Any]:
    """The definition with a page moved `step` places (-1 up, +1 down), within bounds."""
    edited = copy.deepcopy(dict(definition))
    pages = edited["pages"]
    index = next((i for i, page in enumerate(pages) if page["id"] == page_id), None)
    if index is None:
        raise EditProblem("That page is no longer in the survey")
    target = min(max(index + step, 0), len(pages) - 1)
    pages.insert(target, pages.pop(index))
    return edited


def remove_question(definition: Mapping[str, Any], question_id: str) -> dict[str, Any]:
    """The definition without a question (and without its page, if that leaves it empty).

    Refused while another question or page depends on it, so no rule is left
    pointing at nothing.
    """
    dependants = [
        where
        for where, condition in _conditions(definition)
        if question_id in _rule_questions(condition)
    ]
    if dependants:
        raise EditProblem(
            f"Change when {', '.join(dependants)} is shown first: it depends on this question"
        )
    edited = copy.deepcopy(dict(definition))
    for page in edited["pages"]:
        page["questions"] = [q for q in page["questions"] if q["id"] != question_id]
    edited["pages"] = [page for page in edited["pages"] if page["questions"]]
    if not edited["pages"]:
        raise EditProblem("A survey needs at least one question")
    return edited


def _conditions(definition: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for number, page in enumerate(definition.get("pages", []), start=1):
        if page.get("show_if"):
            yield f"page {number}", page["show_if"]
        for question in page.get("questions", []):
            if question.get("show_if"):
                yield f"“{question.get('text', question['id'])}”", question["show_if"]


def _rule_questions(rule: Any) -> set[str]:
    """The questions a show_if mapping tests, however deeply it combines rules."""
    if not isinstance(rule, Mapping):
        return set()
    if "not" in rule:
        return _rule_questions(rule["not"])
    for key in ("all", "any"):
        if isinstance(rule.get(key), list):
            return set().union(*(_rule_questions(part) for part in rule[key]))
    return {rule["question"]} if isinstance(rule.get("question"), str) else set()


def add_question(definition: Mapping[str, Any], question: Mapping[str, Any]) -> dict[str, Any]:
    """The definition with `question` on a new page at the end, before any optional "about
    you" pages (those asked only of large audiences), which come last."""
    if question["id"] in question_ids(definition):
        raise EditProblem("That question is already in the survey")
    edited = copy.deepcopy(dict(definition))
    page_ids = {page["id"] for page in edited["pages"]}
    page_id, number = question["id"], 2
    while page_id in page_ids:
        page_id, number = f"{question['id']}_{number}", number + 1
    new_page = {"id": page_id, "questions": [copy.deepcopy(dict(question))]}
    last = next(
        (i for i, page in enumerate(edited["pages"]) if "needs_population" in page),
        len(edited["pages"]),
    )
    edited["pages"].insert(last, new_page)
    return edited


# -- combining two edits of the same version ------------------------------------------------

_MISSING: Any = object()


@dataclass(frozen=True)
class Merge:
    """Two edits of one version combined; `conflicts` says, in words, where both changed the
    same thing (the later editor's change is used there, for them to check)."""

    definition: dict[str, Any]
    conflicts: tuple[str, ...]


def merge_edits(
    base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]
) -> Merge:
    """Apply the changes from `base` to `mine` on top of `theirs` (all canonical definitions).

    Each survey field, page setting and question field is merged on its own, so two people
    who changed different questions, or different parts of one, both keep their work.
    """
    conflicts: list[str] = []
    merged = _merge_fields(
        base,
        mine,
        theirs,
        exclude={"pages"},
        conflict=lambda key: conflicts.append(f"The survey's {key}"),
    )
    layout = _merge_layout(_layout(base), _layout(mine), _layout(theirs), conflicts)
    pages_by_id = {
        side: _pages_by_id(side_def)
        for side, side_def in (("base", base), ("mine", mine), ("theirs", theirs))
    }
    questions_by_id = {
        side: {q["id"]: q for q in questions_of(side_def)}
        for side, side_def in (("base", base), ("mine", mine), ("theirs", theirs))
    }
    conflicts.extend(_removed_while_changed(questions_by_id))
    merged["pages"] = []
    for page_id, qids in layout:
        page = _merge_fields(
            *_sides(pages_by_id, page_id),
            exclude={"questions"},
            conflict=lambda key, p=page_id: conflicts.append(f"Page '{p}': {key}"),
        )
        page["id"] = page_id
        page["questions"] = [
            _merge_fields(
                *_sides(questions_by_id, qid),
                exclude=set(),
                conflict=lambda key, q=qid: conflicts.append(
                    f"“{_text_of(questions_by_id, q)}”: {key}"
                ),
            )
            for qid in qids
        ]
        merged["pages"].append(page)
    return Merge(merged, tuple(conflicts))


Layout = tuple[tuple[str, tuple[str, ...]], ...]
Fields = Mapping[str, Any]


def _sides(by_side: Mapping[str, Mapping[str, Fields]], key: str) -> tuple[Fields, Fields, Fields]:
    """One page's (or question's) fields in base, mine and theirs; {} where a side has none."""
    return (
        by_side["base"].get(key, {}),
        by_side["mine"].get(key, {}),
        by_side["theirs"].get(key, {}),
    )


def _removed_while_changed(questions: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Questions one side removed and the other changed: removal wins, and is said."""
    notes = []
    for qid, old in questions["base"].items():
        ours, other = questions["mine"].get(qid), questions["theirs"].get(qid)
        text = _short(str(old.get("text", qid)))
        if ours is None and other is not None and other != old:
            notes.append(f"“{text}”: you removed it and they changed it; it stays removed")
        if other is None and ours is not None and ours != old:
            notes.append(f"“{text}”: they removed it after you changed it; it stays removed")
    return notes


def _layout(definition: Mapping[str, Any]) -> Layout:
    """Which questions are on which page, in order: the survey's structure."""
    return tuple(
        (page["id"], tuple(q["id"] for q in page.get("questions", [])))
        for page in definition.get("pages", [])
    )


def _merge_layout(base: Layout, mine: Layout, theirs: Layout, conflicts: list[str]) -> Layout:
    if mine in (base, theirs):
        return theirs
    if theirs == base:
        return mine
    # Both moved, added or removed questions: keep their order, take out what I removed and
    # add what only I added at the end, so nothing of either is lost; say so.
    conflicts.append(
        "The order of the questions: you both changed it, so theirs is kept, "
        "with your removals and your new questions at the end"
    )
    in_base = {qid for _page, qids in base for qid in qids}
    in_mine = {qid for _page, qids in mine for qid in qids}
    in_theirs = {qid for _page, qids in theirs for qid in qids}
    removed_by_me = in_base - in_mine
    kept = tuple((page, tuple(q for q in qids if q not in removed_by_me)) for page, qids in theirs)
    added = tuple((page, qids) for page, qids in mine if not set(qids) & (in_theirs | in_base))
    return tuple((page, qids) for page, qids in kept + added if qids)


def _pages_by_id(definition: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {page["id"]: page for page in definition.get("pages", [])}


def _merge_fields(
    base: Mapping[str, Any],
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    exclude: set[str],
    conflict: Any,
) -> dict[str, Any]:
    """A three-way merge of one mapping's fields; each field is one value."""
    merged: dict[str, Any] = {}
    for key in dict.fromkeys([*theirs, *mine, *base]):
        if key in exclude:
            continue
        old, ours, other = (side.get(key, _MISSING) for side in (base, mine, theirs))
        if ours == old:
            value = other
        elif other in (old, ours):
            value = ours
        elif _same_items(key, old, ours, other):
            value = _merge_items(FIELD_NAMES.get(key, key), old, ours, other, conflict)
        else:
            conflict(FIELD_NAMES.get(key, key))
            value = ours
        if value is not _MISSING:
            merged[key] = copy.deepcopy(value)
    return merged


ITEM_KEYS = {"options": "value", "statements": "id"}


def _merge_items(
    name: str, old: list[Any], ours: list[Any], other: list[Any], conflict: Any
) -> list[dict[str, Any]]:
    """The same answers (or rows) on every side, relabelled: merged label by label."""
    merged = []
    for before, mine, theirs in zip(old, ours, other, strict=True):
        label = before.get("label", before.get("text", ""))
        merged.append(
            _merge_fields(
                before,
                mine,
                theirs,
                exclude=set(),
                conflict=lambda _key, label=label: conflict(f"{name} “{label}”"),
            )
        )
    return merged


def _same_items(key: str, *sides: Any) -> bool:
    """Whether an answer list (or matrix rows) has the same items in the same order on every
    side, so only their labels can differ."""
    identity = ITEM_KEYS.get(key)
    if identity is None or not all(isinstance(side, list) for side in sides):
        return False
    keys = [
        [item.get(identity) if isinstance(item, Mapping) else None for item in side]
        for side in sides
    ]
    return keys[0] == keys[1] == keys[2] and None not in keys[0]


FIELD_NAMES = {
    "text": "wording",
    "hint": "hint",
    "options": "answers",
    "statements": "rows",
    "show_if": "when it is shown",
    "retention_days": "time responses are kept",
    "intro": "introduction",
    "privacy": "privacy notice",
    "title": "title",
}


def _text_of(questions_by_id: Mapping[str, Mapping[str, Mapping[str, Any]]], qid: str) -> str:
    for side in ("base", "theirs", "mine"):
        if qid in questions_by_id[side]:
            return _short(str(questions_by_id[side][qid].get("text", qid)))
    return qid


def _short(text: str, limit: int = 60) -> str:
    """Enough of a question's wording to recognise it, cut at a word."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def describe_rule(definition: Mapping[str, Any], rule: Mapping[str, Any] | None) -> str:
    """A show_if rule in words, with the question's wording and the answers' labels."""
    if not rule:
        return "Always"
    return f"Only if {_rule_words(definition, rule)}"


def _rule_words(definition: Mapping[str, Any], rule: Any) -> str:
    if not isinstance(rule, Mapping):
        return "?"
    if "not" in rule:
        return f"not ({_rule_words(definition, rule['not'])})"
    for key, conjunction in (("all", " and "), ("any", " or ")):
        if isinstance(rule.get(key), list):
            return conjunction.join(_part_words(definition, part) for part in rule[key])
    return _test_words(definition, rule)


def _part_words(definition: Mapping[str, Any], rule: Any) -> str:
    """A rule inside all or any; combinations are bracketed so "and" and "or" never blur."""
    words = _rule_words(definition, rule)
    combined = isinstance(rule, Mapping) and any(key in rule for key in ("all", "any"))
    return f"({words})" if combined else words


def _test_words(definition: Mapping[str, Any], rule: Mapping[str, Any]) -> str:
    target = next((q for q in questions_of(definition) if q["id"] == rule.get("question")), {})
    text = str(target.get("text", rule.get("question", "")))
    text = text if len(text) <= 70 else text[:69].rstrip() + "…"
    if rule.get("answered") is not None:
        return f"“{text}” is {'answered' if rule['answered'] else 'not answered'}"
    for test, words in NUMBER_WORDS.items():
        if test in rule:
            return f"“{text}” is {words.format(rule[test])}"
    if "count_at_least" in rule:
        count = rule["count_at_least"]
        return f"“{text}” has at least {count} answer{'' if count == 1 else 's'} chosen"
    labels = {option.value: option.label for option in question_options(target)}
    if "not_equals" in rule:
        return f"“{text}” is not “{labels.get(rule['not_equals'], rule['not_equals'])}”"
    values = [rule["equals"]] if "equals" in rule else list(rule.get("any_of", []))
    answers = " or ".join(f"“{labels.get(value, value)}”" for value in values)
    return f"“{text}” is {answers}"
