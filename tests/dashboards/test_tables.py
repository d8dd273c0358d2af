"""Question tables from grouped counts."""

from __future__ import annotations

from dashboards import DisclosurePolicy, question_tables
from surveys import parse_survey

SURVEY = parse_survey({
    "id": "tables", "title": "T", "audience": "young_people",
    "questions": [
        {"id": "pick", "type": "single_choice", "text": "Pick",
         "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
         "dont_know": True},
        {"id": "grid", "type": "matrix", "text": "Grid",
         "statements": [{"id": "one", "text": "One"}, {"id": "two", "text": "Two"}]},
        {"id": "say", "type": "long_text", "text": "Say"},
    ],
})


def test_one_table_per_closed_item_with_every_option() -> None:
    tables = question_tables(SURVEY, [("pick", "a", 12), ("pick", "b", 8)], {"pick": 20},
                             DisclosurePolicy())
    assert [t.item_key for t in tables] == ["pick", "grid.one", "grid.two"]
    pick = tables[0]
    assert [r.value for r in pick.rows] == ["a", "b", "dont_know"]
    assert [r.cell.count for r in pick.rows] == [12, 8, 0]
    assert [r.cell.percent for r in pick.rows] == [60, 40, 0]


def test_a_question_nobody_answered_is_hidden() -> None:
    tables = question_tables(SURVEY, [], {}, DisclosurePolicy())
    assert not any(t.shown for t in tables)


def test_matrix_rows_carry_their_statement() -> None:
    tables = question_tables(SURVEY, [("grid.two", "agree", 10)], {"grid.two": 10},
                             DisclosurePolicy())
    grid_two = next(t for t in tables if t.item_key == "grid.two")
    assert grid_two.statement == "Two" and grid_two.shown
