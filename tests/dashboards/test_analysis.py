"""Filters, charts, summaries, wave comparison, themes and exports (pure functions)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from dashboards import DisclosurePolicy, question_tables
from dashboards.charts import question_figure
from dashboards.exports import Sheet, safe_cell, to_csv, to_xlsx
from dashboards.filters import Filter, FilterProblem, parents, parse_filters
from dashboards.summaries import summarise
from dashboards.themes import theme_counts
from dashboards.waves import compare, difference_interval
from surveys import parse_survey

ALLOWED = {"language": ["en", "cy"], "channel": ["1", "2"], "period": ["month:2026-10"]}
SURVEY = parse_survey({
    "id": "analysis", "title": "A", "audience": "young_people",
    "questions": [
        {"id": "agree", "type": "agreement", "text": "Workers listen"},
        {"id": "pick", "type": "single_choice", "text": "<b>Pick</b>",
         "options": [{"value": "x", "label": "<a href='javascript:alert(1)'>X</a>"},
                     {"value": "y", "label": "Y"}]},
        {"id": "rate", "type": "scale_0_10", "text": "Rate"},
    ],
})
POLICY = DisclosurePolicy()


def tables(counts: dict) -> dict:
    return {t.item_key: t for t in question_tables(SURVEY, counts, POLICY)}


AGREE_COUNTS = {("agree", ""): 40, ("agree", "strongly_agree"): 10, ("agree", "agree"): 14,
                ("agree", "neither"): 6, ("agree", "disagree"): 5,
                ("agree", "strongly_disagree"): 5}


def test_filters_are_checked() -> None:
    assert parse_filters(["language:cy", "channel:2"], ALLOWED) == (
        Filter("language", "cy"), Filter("channel", "2"))
    for raw, message in [(["language:cy", "channel:1", "period:month:2026-10"], "At most 2"),
                         (["age:12"], "no filter called"), (["language:xx"], "not one of"),
                         (["language:en", "language:cy"], "once")]:
        with pytest.raises(FilterProblem, match=message):
            parse_filters(raw, ALLOWED)
    two = (Filter("language", "cy"), Filter("channel", "2"))
    assert parents(two) == [(Filter("channel", "2"),), (Filter("language", "cy"),)]


def test_agreement_gets_a_diverging_chart_with_escaped_labels() -> None:
    figure = question_figure(tables(AGREE_COUNTS)["agree"])
    shares = {trace["name"]: trace["x"][0] for trace in figure["data"] if trace["showlegend"]}
    assert shares["Strongly disagree"] == -13 and shares["Strongly agree"] == 25  # 12.5 up
    assert figure["layout"]["barmode"] == "relative"


def test_choice_labels_cannot_inject_links_into_charts() -> None:
    counts = {("pick", ""): 20, ("pick", "x"): 12, ("pick", "y"): 8}
    figure = question_figure(tables(counts)["pick"])
    labels = json.dumps(figure["data"][0]["y"])
    assert "<a" not in labels and "&lt;a href=" in labels


def test_hidden_tables_get_no_chart_and_hidden_cells_are_left_out() -> None:
    assert question_figure(tables({("pick", ""): 5, ("pick", "x"): 5})["pick"]) is None
    counts = {("rate", ""): 30, ("rate", "7"): 27, ("rate", "2"): 3}
    figure = question_figure(tables(counts)["rate"])
    assert figure["data"][0]["x"] == ["0", "1", "3", "4", "5", "6", "8", "9", "10"]


def test_summary_names_the_top_answer_and_agreement() -> None:
    summary = summarise(tables(AGREE_COUNTS)["agree"])
    assert summary.top_labels == ("Agree",) and summary.top_percent == 35
    assert (summary.agree_percent, summary.disagree_percent) == (60, 25)
    assert summary.some_hidden is False


def test_difference_interval_matches_newcombe() -> None:
    # Newcombe (1998) example 1: 56/70 vs 48/80 -> difference 0.2, interval 0.0524 to 0.3339.
    difference, low, high = difference_interval(48, 80, 56, 70)
    assert difference == pytest.approx(0.2)
    assert low == pytest.approx(0.0524, abs=5e-4)
    assert high == pytest.approx(0.3339, abs=5e-4)


def test_waves_compare_only_shown_cells() -> None:
    before = tables({("pick", ""): 20, ("pick", "x"): 16, ("pick", "y"): 4})["pick"]
    after = tables({("pick", ""): 20, ("pick", "x"): 6, ("pick", "y"): 14})["pick"]
    assert compare(before, after) == []  # "y" hidden before (4), "x" hidden too (secondary)
    before = tables({("pick", ""): 30, ("pick", "x"): 20, ("pick", "y"): 10})["pick"]
    shifts = compare(before, after)
    assert [s.value for s in shifts] == ["x", "y"]
    assert shifts[0].difference == pytest.approx(100 * (6 / 20 - 20 / 30))
    assert shifts[0].clear


def test_themes_count_comments_mentioning_them() -> None:
    counts = theme_counts(["The park is too dark at night", "More youth workers please",
                           "Police moved us on", "Nothing"])
    assert counts["Lighting and layout"] == 1 and counts["Youth workers and activities"] == 1
    assert counts["Police and security"] == 1 and counts["Online"] == 0


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"])
def test_formula_injection_is_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text
    assert safe_cell("Park") == "Park" and safe_cell(-3) == -3


def test_csv_and_xlsx_carry_the_same_rows() -> None:
    sheets = [Sheet("=Title", ("Answer", "People"), (("=cmd", 12), ("Park", "hidden")))]
    rows = list(csv.reader(io.StringIO(to_csv(sheets))))
    assert rows[:4] == [["'=Title"], ["Answer", "People"], ["'=cmd", "12"], ["Park", "hidden"]]
    sheet = load_workbook(io.BytesIO(to_xlsx(sheets))).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["'=Title", None], ["Answer", "People"], ["'=cmd", 12], ["Park", "hidden"]]
