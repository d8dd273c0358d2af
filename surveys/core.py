"""Core questions: the ones asked the same way at every stage and in every wave.

A change is measured by asking the same question before and after it, not by asking people
to remember how things were. That works only if the question stays exactly the same: its
id, words, answers (codes, labels and their order) and the rule that shows it. This module
says what a core question's "same" is, what a new version changed about one (so the editor
can refuse and offer a new question instead), and which questions two surveys or two
versions can honestly compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from surveys.model import Question, Survey

# The parts of a question that make it the same question, grouped by how a change to each
# is described. A page's own show_if is not here: a page-wide step such as asking younger
# children whether they want to take part decides who answers, not how the question is asked.
_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("type", ("type",)),
    ("wording", ("text", "hint", "low_label", "high_label", "statements")),
    ("answers", ("options", "max_choices")),
    ("when it is shown", ("show_if",)),
)


_CHANGED = {
    "type": "has a different type",
    "wording": "has different words",
    "answers": "has different answers",
    "when it is shown": "is shown on a different rule",
}


@dataclass(frozen=True)
class CoreChange:
    """One way a new version differs from the old in a core question."""

    question_id: str
    # type, wording, answers, when it is shown, no longer core, removed or order.
    part: str
    message: str


@dataclass(frozen=True)
class Comparable:
    """Which questions two surveys (or two versions) ask the same way, by id."""

    # Asked the same way in both, in the second survey's order; `core` are those of them
    # that are core questions in both.
    same: tuple[str, ...]
    core: tuple[str, ...]
    # In both, but asked differently: comparing their answers would mislead.
    changed: tuple[str, ...]
    only_first: tuple[str, ...]
    only_second: tuple[str, ...]


def core_questions(survey: Survey) -> tuple[Question, ...]:
    """The survey's core questions, in the order they are asked."""
    return tuple(q for q in survey.questions() if q.core)


def signature(question: Question) -> dict[str, Any]:
    """Everything that makes a question the same question from one wave to the next."""
    return {field: getattr(question, field) for _part, fields in _PARTS for field in fields}


def core_changes(before: Survey, after: Survey) -> list[CoreChange]:
    """How `after` changes the core questions of `before`, in `before`'s order.

    Adding a core question is not a change to one. Anything else is: a core question's words,
    answers or rule changed, its core mark taken off, it removed, or the core questions put
    in another order (earlier questions can change how later ones are answered).
    """
    changes: list[CoreChange] = []
    for old in core_questions(before):
        new = after.question(old.id)
        if new is None:
            changes.append(_change(old.id, "removed", "was removed"))
        elif not new.core:
            changes.append(_change(old.id, "no longer core", "is no longer marked core"))
        else:
            changes.extend(_part_changes(old, new))
    changes.extend(_order_change(before, after))
    return changes


def comparable_questions(first: Survey, second: Survey) -> Comparable:
    """The questions whose answers in `first` and `second` can be set side by side."""
    first_ids = {q.id for q in first.questions()}
    second_ids = {q.id for q in second.questions()}
    same, core, changed = [], [], []
    for new in second.questions():
        old = first.question(new.id)
        if old is None:
            continue
        if signature(old) != signature(new):
            changed.append(new.id)
            continue
        same.append(new.id)
        if old.core and new.core:
            core.append(new.id)
    return Comparable(
        same=tuple(same),
        core=tuple(core),
        changed=tuple(changed),
        only_first=tuple(q.id for q in first.questions() if q.id not in second_ids),
        only_second=tuple(q.id for q in second.questions() if q.id not in first_ids),
    )


def _part_changes(old: Question, new: Question) -> list[CoreChange]:
    return [
        _change(old.id, part, _CHANGED[part])
        for part, fields in _PARTS
        if any(getattr(old, field) != getattr(new, field) for field in fields)
    ]


def _order_change(before: Survey, after: Survey) -> list[CoreChange]:
    """One change naming the first core question whose place among the others moved."""
    kept = {q.id for q in core_questions(after)}
    old_order = [q.id for q in core_questions(before) if q.id in kept]
    new_order = [q.id for q in core_questions(after) if q.id in set(old_order)]
    moved = next((a for a, b in zip(old_order, new_order, strict=True) if a != b), None)
    if moved is None:
        return []
    return [_change(moved, "order", "was moved among the core questions")]


def _change(question_id: str, part: str, what: str) -> CoreChange:
    return CoreChange(
        question_id,
        part,
        f"Core question '{question_id}' {what}. A core question is asked the same way in "
        "every wave so that answers can be compared: keep it as it is, or add the new "
        "version as a new question with a new id.",
    )
