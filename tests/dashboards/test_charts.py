"""Charts keep every answer in its place, hidden ones marked: plotly.js figures and server SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dashboards import DisclosurePolicy, Tallied, question_tables
from dashboards.charts import HIDDEN_BAR, question_figure
from dashboards.svg import HIDDEN, comparison_svg, table_svg
from surveys import parse_survey

SVG = "{http://www.w3.org/2000/svg}"
SURVEY = parse_survey(
    {
        "id": "faces",
        "title": "Faces",
        "audience": "young_people",
        "questions": [
            {"id": "mood", "type": "faces", "text": "How do you feel at school?", "points": 5},
            {
                "id": "pick",
                "type": "single_choice",
                "text": "Where <b>do</b> you go?",
                "options": [
                    {"value": "x", "label": "<script>alert(1)</script> & co"},
                    {"value": "y", "label": "Park"},
                ],
            },
        ],
    }
)
# 100 answered; "Very unhappy" (3) and "Unhappy" (4) are too few to show: 7% of answers.
MOOD = {("mood", ""): 100, ("mood", "1"): 3, ("mood", "2"): 4, ("mood", "3"): 23}
MOOD |= {("mood", "4"): 35, ("mood", "5"): 35}


def mood_table(counts: dict[tuple[str, str], int] = MOOD):  # noqa: ANN201 - a QuestionTable
    tallied = {key: Tallied(n, 0) for key, n in counts.items()}
    return next(
        t for t in question_tables(SURVEY, tallied, DisclosurePolicy()) if t.item_key == "mood"
    )


def test_the_faces_chart_keeps_five_bars_when_two_are_hidden() -> None:
    table = mood_table()
    assert [r.cell.shown for r in table.rows] == [False, False, True, True, True]
    bars = question_figure(table)["data"]
    assert len(bars) == 1
    bar = bars[0]
    # Drawn bottom to top: the hidden faces keep their places at the bottom, marked.
    assert bar["y"][::-1] == [r.label for r in table.rows]
    assert bar["text"][::-1][:2] == ["hidden", "hidden"]
    assert bar["marker"]["color"][::-1][:2] == [HIDDEN_BAR, HIDDEN_BAR]
    assert all(t.endswith("%") for t in bar["text"][::-1][2:])


def _root(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well formed


def test_the_svg_chart_keeps_every_answer_and_marks_the_hidden_ones() -> None:
    table = mood_table()
    svg = table_svg(table, "chart-mood")
    root = _root(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-mood-title chart-mood-desc"
    assert root.find(f"{SVG}title").text == "How do you feel at school?"
    desc = root.find(f"{SVG}desc").text
    for row in table.rows:
        assert row.label in desc
    assert desc.count(HIDDEN) == 2
    # Five labels, five bars: two dashed (hidden) and three drawn to their share.
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert labels == [r.label for r in table.rows]
    bars = list(root.iter(f"{SVG}rect"))
    assert len(bars) == 5
    assert [b.get("stroke-dasharray") is not None for b in bars] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert " style=" not in svg  # presentation attributes only: the strict CSP holds


def test_svg_text_is_escaped() -> None:
    tallied = {("pick", ""): Tallied(40), ("pick", "x"): Tallied(20), ("pick", "y"): Tallied(20)}
    table = next(
        t for t in question_tables(SURVEY, tallied, DisclosurePolicy()) if t.item_key == "pick"
    )
    svg = table_svg(table, "c")
    assert "<script>" not in svg and "<b>" not in svg
    texts = [t.text for t in _root(svg).iter(f"{SVG}text")]
    assert "<script>alert(1)</script> & co" in texts


def test_the_comparison_svg_shows_both_waves_with_intervals_and_hidden_answers() -> None:
    before = mood_table()
    after = mood_table(
        {("mood", ""): 100, ("mood", "1"): 10, ("mood", "2"): 10, ("mood", "3"): 20}
        | {("mood", "4"): 30, ("mood", "5"): 30}
    )
    root = _root(comparison_svg(before, after, ("Before", "After <new>"), "cmp-1"))
    desc = root.find(f"{SVG}desc").text
    assert "Before: hidden to protect privacy" in desc
    assert "After <new>: 10% (" in desc
    # One bar per wave per answer; an interval (a path) for each shown one.
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("height") != "14"]) == 10
    assert len(list(root.iter(f"{SVG}path"))) == 3 + 5
