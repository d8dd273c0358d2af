"""Tables built from tallies: one per closed question, plus totals and completion.

Input is a mapping of (item key, choice) to a count, as the tallies give it:
("", "") is the number of responses, (item, "") the number that answered the
item, (item, choice) the number that chose that option. `parents` are the same
mappings for each view with one filter fewer (see DisclosurePolicy.counts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dashboards.disclosure import Cell, DisclosurePolicy
from surveys.model import Question, QuestionType, Survey

Counts = Mapping[tuple[str, str], int]
TOTAL = ("", "")


@dataclass(frozen=True)
class Row:
    value: str
    label: str
    cell: Cell


@dataclass(frozen=True)
class QuestionTable:
    """A question's answers as they may be shown. `statement` is set for matrix rows."""

    item_key: str
    question: Question
    statement: str
    base: Cell
    rows: tuple[Row, ...]
    multiple: bool

    @property
    def shown(self) -> bool:
        return self.base.shown

    @property
    def title(self) -> str:
        return f"{self.question.text}: {self.statement}" if self.statement else self.question.text


@dataclass(frozen=True)
class Completion:
    item_key: str
    title: str
    cell: Cell


def total(counts: Counts, policy: DisclosurePolicy, parents: Sequence[Counts] = ()) -> Cell:
    """The number of responses in view, if it may be shown."""
    return policy.group(counts.get(TOTAL, 0), [p.get(TOTAL, 0) for p in parents])


def question_tables(survey: Survey, counts: Counts, policy: DisclosurePolicy,
                    parents: Sequence[Counts] = ()) -> list[QuestionTable]:
    """Tables for every closed question of `survey`, with disclosure control applied."""
    tables = []
    for question in survey.questions():
        if not question.is_closed:
            continue
        statements = {f"{question.id}.{s.id}": s.text for s in question.statements}
        for item_key in question.item_keys():
            tables.append(_table(question, item_key, statements.get(item_key, ""), counts,
                                 policy, parents))
    return tables


def _table(question: Question, item_key: str, statement: str, counts: Counts,
           policy: DisclosurePolicy, parents: Sequence[Counts]) -> QuestionTable:
    values = [o.value for o in question.options]
    base = counts.get((item_key, ""), 0)
    parent_bases = [p.get((item_key, ""), 0) for p in parents]
    base_cell = policy.group(base, parent_bases)
    # Every option gets a row, answered or not, so a zero is visible as a zero.
    mine = {v: counts.get((item_key, v), 0) for v in values}
    theirs = [{v: p.get((item_key, v), 0) for v in values} for p in parents]
    cells = (policy.counts(mine, base, theirs) if base_cell.shown
             else {v: Cell(None, suppressed=base_cell.suppressed) for v in values})
    return QuestionTable(
        item_key=item_key,
        question=question,
        statement=statement,
        base=base_cell,
        rows=tuple(Row(o.value, o.label, cells[o.value]) for o in question.options),
        multiple=question.type is QuestionType.MULTIPLE_CHOICE,
    )


def completion(survey: Survey, counts: Counts, policy: DisclosurePolicy,
               parents: Sequence[Counts] = ()) -> list[Completion]:
    """How many responses answered each question (or matrix statement)."""
    keys, titles = [], {}
    for question in survey.questions():
        statements = {f"{question.id}.{s.id}": s.text for s in question.statements}
        for key in question.item_keys():
            keys.append(key)
            titles[key] = f"{question.text}: {statements[key]}" if key in statements \
                else question.text
    n = counts.get(TOTAL, 0)
    answered = {key: counts.get((key, ""), 0) for key in keys}
    theirs = [{key: p.get((key, ""), 0) for key in keys} for p in parents]
    cells = policy.counts(answered, n, theirs)
    return [Completion(key, titles[key], cells[key]) for key in keys]
