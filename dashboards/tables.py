"""Tables built from tallies: one per closed question, plus totals and completion.

Input is a mapping of (item key, choice) to a `Tallied` (true count and key sum),
as the tallies give it: ("", "") is the responses, (item, "") those that answered
the item, (item, choice) those that chose that option. `parents` are the same
mappings for each view with one filter fewer (see DisclosurePolicy.group).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dashboards.count_keys import TOTAL
from dashboards.disclosure import NOTHING, Cell, DisclosurePolicy, Tallied
from surveys.model import Question, QuestionType, Survey

Counts = Mapping[tuple[str, str], Tallied]


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
    return policy.group(counts.get(TOTAL, NOTHING), [p.get(TOTAL, NOTHING).count for p in parents])


def question_tables(
    survey: Survey, counts: Counts, policy: DisclosurePolicy, parents: Sequence[Counts] = ()
) -> list[QuestionTable]:
    """Tables for every closed question of `survey`, with disclosure control applied."""
    tables = []
    for question in survey.questions():
        if not question.is_closed:
            continue
        statements = {f"{question.id}.{s.id}": s.text for s in question.statements}
        for item_key in question.item_keys():
            tables.append(
                _table(question, item_key, statements.get(item_key, ""), counts, policy, parents)
            )
    return tables


def _table(
    question: Question,
    item_key: str,
    statement: str,
    counts: Counts,
    policy: DisclosurePolicy,
    parents: Sequence[Counts],
) -> QuestionTable:
    base = policy.group(
        counts.get((item_key, ""), NOTHING), [p.get((item_key, ""), NOTHING).count for p in parents]
    )
    # Every option keeps its row, answered or not, so a chart never loses a bar.
    rows = tuple(
        Row(
            o.value,
            o.label,
            policy.count(counts.get((item_key, o.value), NOTHING), base)
            if base.shown
            else Cell(None, suppressed=base.suppressed),
        )
        for o in question.options
    )
    return QuestionTable(
        item_key=item_key,
        question=question,
        statement=statement,
        base=base,
        rows=rows,
        multiple=question.type is QuestionType.MULTIPLE_CHOICE,
    )


def completion(
    survey: Survey, counts: Counts, policy: DisclosurePolicy, base: Cell
) -> list[Completion]:
    """How many responses answered each question (or matrix statement)."""
    rows = []
    for question in survey.questions():
        statements = {f"{question.id}.{s.id}": s.text for s in question.statements}
        for key in question.item_keys():
            title = f"{question.text}: {statements[key]}" if key in statements else question.text
            cell = (
                policy.count(counts.get((key, ""), NOTHING), base)
                if base.shown
                else Cell(None, suppressed=base.suppressed)
            )
            rows.append(Completion(key, title, cell))
    return rows
