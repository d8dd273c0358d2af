"""Plain facts about a table, for the sentence that goes beside each chart."""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.charts import AGREE, DISAGREE, is_agreement
from dashboards.tables import QuestionTable


@dataclass(frozen=True)
class Summary:
    base: int
    top_labels: tuple[str, ...]
    top_percent: int
    agree_percent: int | None
    disagree_percent: int | None
    some_hidden: bool


def summarise(table: QuestionTable) -> Summary | None:
    """The most chosen answer(s), agreement shares and whether anything is hidden."""
    if not table.shown or table.base.count is None:
        return None
    shown = [
        (r.label, r.cell.percent) for r in table.rows if r.cell.shown and r.cell.percent is not None
    ]
    top = max((percent for _label, percent in shown), default=0)
    agree = disagree = None
    if is_agreement(table) and all(r.cell.shown for r in table.rows if r.value in AGREE + DISAGREE):
        agree = sum(r.cell.count or 0 for r in table.rows if r.value in AGREE)
        disagree = sum(r.cell.count or 0 for r in table.rows if r.value in DISAGREE)
        agree = round(100 * agree / table.base.count)
        disagree = round(100 * disagree / table.base.count)
    return Summary(
        base=table.base.count,
        top_labels=tuple(label for label, percent in shown if percent == top and top > 0),
        top_percent=top,
        agree_percent=agree,
        disagree_percent=disagree,
        some_hidden=any(not r.cell.shown for r in table.rows),
    )
