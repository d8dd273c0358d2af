"""Question tables and completion from tallied counts."""

from __future__ import annotations

from dashboards import DisclosurePolicy, Suppression, completion, question_tables, total
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
POLICY = DisclosurePolicy()


def test_one_table_per_closed_item_with_every_option() -> None:
    counts = {("", ""): 20, ("pick", ""): 20, ("pick", "a"): 12, ("pick", "b"): 8}
    tables = question_tables(SURVEY, counts, POLICY)
    assert [t.item_key for t in tables] == ["pick", "grid.one", "grid.two"]
    pick = tables[0]
    assert [r.value for r in pick.rows] == ["a", "b", "dont_know"]
    assert [r.cell.count for r in pick.rows] == [12, 8, 0]
    assert [r.cell.percent for r in pick.rows] == [60, 40, 0]


def test_a_question_nobody_answered_is_hidden() -> None:
    tables = question_tables(SURVEY, {("", ""): 30}, POLICY)
    assert not any(t.shown for t in tables)


def test_matrix_rows_carry_their_statement() -> None:
    counts = {("grid.two", ""): 10, ("grid.two", "agree"): 10}
    grid_two = next(t for t in question_tables(SURVEY, counts, POLICY) if t.item_key ==
                    "grid.two")
    assert grid_two.statement == "Two" and grid_two.shown and grid_two.title == "Grid: Two"


def test_a_filtered_table_hides_counts_the_parent_would_give_away() -> None:
    mine = {("", ""): 20, ("pick", ""): 20, ("pick", "a"): 12, ("pick", "b"): 8}
    parent = {("", ""): 40, ("pick", ""): 40, ("pick", "a"): 14, ("pick", "b"): 26}
    pick = question_tables(SURVEY, mine, POLICY, [parent])[0]
    cells = {r.value: r.cell for r in pick.rows}
    # 14 - 12 = 2 chose "a" outside the filter: "a" is hidden, and so is "b" (secondary).
    assert cells["a"].suppressed is Suppression.DIFFERENCE
    assert cells["b"].suppressed is Suppression.SECONDARY


def test_total_and_completion_follow_the_complement_rule() -> None:
    mine = {("", ""): 12, ("pick", ""): 12}
    assert total(mine, POLICY, [{("", ""): 30}]).shown
    assert total(mine, POLICY, [{("", ""): 15}]).suppressed is Suppression.COMPLEMENT_TOO_SMALL
    rows = completion(SURVEY, mine, POLICY)
    assert rows[0].item_key == "pick" and rows[0].cell.count == 12
    assert [r.item_key for r in rows] == ["pick", "grid.one", "grid.two", "say"]
