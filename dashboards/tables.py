"""One table per closed question, built from grouped counts and the survey definition."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dashboards.disclosure import Cell, DisclosurePolicy
from surveys.model import Question, Survey


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


def question_tables(
    survey: Survey,
    counts: Iterable[tuple[str, str, int]],
    bases: Mapping[str, int],
    policy: DisclosurePolicy,
) -> list[QuestionTable]:
    """Tables for every closed question of `survey`, with disclosure control applied.

    `counts` holds (item key, option value, number of answers); `bases` holds the
    number of responses that answered each item.
    """
    by_item: dict[str, dict[str, int]] = {}
    for item_key, value, n in counts:
        by_item.setdefault(item_key, {})[value] = n
    tables = []
    for question in survey.questions():
        if not question.is_closed:
            continue
        statements = {f"{question.id}.{s.id}": s.text for s in question.statements}
        for item_key in question.item_keys():
            tables.append(_table(question, item_key, statements.get(item_key, ""),
                                 by_item.get(item_key, {}), bases.get(item_key, 0), policy))
    return tables


def _table(question: Question, item_key: str, statement: str, counts: Mapping[str, int],
           base: int, policy: DisclosurePolicy) -> QuestionTable:
    # Every option gets a row, answered or not, so a zero is visible as a zero.
    full = {o.value: counts.get(o.value, 0) for o in question.options}
    cells = policy.counts(full, base)
    rows = tuple(Row(o.value, o.label, cells[o.value]) for o in question.options)
    return QuestionTable(
        item_key=item_key,
        question=question,
        statement=statement,
        base=policy.base(base),
        rows=rows,
        multiple=question.type.value == "multiple_choice",
    )
