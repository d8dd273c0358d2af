"""Question tables and completion from tallied counts (true counts and key sums)."""

from __future__ import annotations

import itertools

from dashboards import DisclosurePolicy, Suppression, Tallied, completion, question_tables, total
from dashboards.perturbation import KEY_RANGE, published_count
from surveys import parse_survey

SURVEY = parse_survey(
    {
        "id": "tables",
        "title": "T",
        "audience": "young_people",
        "questions": [
            {
                "id": "pick",
                "type": "single_choice",
                "text": "Pick",
                "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                "dont_know": True,
            },
            {
                "id": "grid",
                "type": "matrix",
                "text": "Grid",
                "statements": [{"id": "one", "text": "One"}, {"id": "two", "text": "Two"}],
            },
            {"id": "say", "type": "long_text", "text": "Say"},
        ],
    }
)
POLICY = DisclosurePolicy()


def test_one_table_per_closed_item_with_every_option() -> None:
    counts = {
        ("", ""): Tallied(33, 500),
        ("pick", ""): Tallied(33, 500),
        ("pick", "a"): Tallied(21, 301),
        ("pick", "b"): Tallied(12, 199),
    }
    tables = question_tables(SURVEY, counts, POLICY)
    assert [t.item_key for t in tables] == ["pick", "grid.one", "grid.two"]
    pick = tables[0]
    assert [r.value for r in pick.rows] == ["a", "b", "dont_know"]
    base, a, b = (published_count(n, k) for n, k in [(33, 500), (21, 301), (12, 199)])
    assert pick.base.count == base
    assert [r.cell.count for r in pick.rows] == [a, b, None]
    # Percentages come from the published counts, never the true ones.
    assert [r.cell.percent for r in pick.rows] == [
        round(100 * a / base),
        round(100 * b / base),
        None,
    ]
    # Nobody chose "Don't know": 0 is a small number, hidden like the rest.
    assert pick.rows[2].cell.suppressed is Suppression.SMALL_COUNT


def test_a_question_nobody_answered_is_hidden() -> None:
    tables = question_tables(SURVEY, {("", ""): Tallied(30, 0)}, POLICY)
    assert not any(t.shown for t in tables)
    assert all(r.cell.suppressed is Suppression.BASE_TOO_SMALL for t in tables for r in t.rows)


def test_matrix_rows_carry_their_statement() -> None:
    counts = {("grid.two", ""): Tallied(10, 3), ("grid.two", "agree"): Tallied(10, 3)}
    grid_two = next(t for t in question_tables(SURVEY, counts, POLICY) if t.item_key == "grid.two")
    assert grid_two.statement == "Two" and grid_two.shown and grid_two.title == "Grid: Two"
    assert next(r.cell for r in grid_two.rows if r.value == "agree").percent == 100


def test_a_filtered_table_whose_base_leaves_few_outside_is_hidden_whole() -> None:
    mine = {
        ("", ""): Tallied(20, 9),
        ("pick", ""): Tallied(20, 9),
        ("pick", "a"): Tallied(12, 5),
        ("pick", "b"): Tallied(8, 4),
    }
    parent = {
        ("", ""): Tallied(40, 20),
        ("pick", ""): Tallied(26, 12),
        ("pick", "a"): Tallied(14, 6),
        ("pick", "b"): Tallied(12, 6),
    }
    pick = question_tables(SURVEY, mine, POLICY, [parent])[0]
    # 26 - 20 = 6 answered outside the filter: every figure of the table is hidden.
    assert pick.base.suppressed is Suppression.COMPLEMENT_TOO_SMALL
    assert all(r.cell.suppressed is Suppression.COMPLEMENT_TOO_SMALL for r in pick.rows)
    assert question_tables(SURVEY, mine, POLICY, [{**parent, ("pick", ""): Tallied(30, 0)}])[
        0
    ].shown


def test_a_filtered_count_cannot_be_subtracted_from_its_parent_to_leave_a_few() -> None:
    # 14 chose "a" in all, 12 of them in the filtered view: 2 outside. The old tables
    # hid the filtered count; now both are published as multiples of 5, so their
    # difference is 0, 5 or 10 and never the 2, whatever the cell keys.
    for mine_key, parent_key in itertools.product(range(0, KEY_RANGE, 5), range(0, KEY_RANGE, 7)):
        mine = {("pick", ""): Tallied(30, 0), ("pick", "a"): Tallied(12, mine_key)}
        parent = {("pick", ""): Tallied(45, 0), ("pick", "a"): Tallied(14, parent_key)}
        filtered = question_tables(SURVEY, mine, POLICY, [parent])[0].rows[0].cell
        whole = question_tables(SURVEY, parent, POLICY)[0].rows[0].cell
        assert filtered.shown and whole.shown
        assert (whole.count - filtered.count) % 5 == 0
        assert whole.count - filtered.count not in range(1, 5)


def test_total_and_completion_follow_the_complement_rule() -> None:
    mine = {("", ""): Tallied(12, 40), ("pick", ""): Tallied(12, 40), ("say", ""): Tallied(11, 30)}
    shown = total(mine, POLICY, [{("", ""): Tallied(30, 0)}])
    assert shown.count == published_count(12, 40)
    hidden = total(mine, POLICY, [{("", ""): Tallied(15, 0)}])
    assert hidden.suppressed is Suppression.COMPLEMENT_TOO_SMALL
    rows = completion(SURVEY, mine, POLICY, shown)
    assert [r.item_key for r in rows] == ["pick", "grid.one", "grid.two", "say"]
    assert rows[0].cell.count == published_count(12, 40)
    assert rows[0].cell.percent == 100
    assert rows[3].cell.count == published_count(11, 30)
    assert rows[1].cell.suppressed is Suppression.SMALL_COUNT
    # When the view is hidden, so is how many answered each question, and for its reason.
    assert all(
        r.cell.suppressed is Suppression.COMPLEMENT_TOO_SMALL
        for r in completion(SURVEY, mine, POLICY, hidden)
    )
