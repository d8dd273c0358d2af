"""Filters, charts, summaries, wave comparison, themes and exports (pure functions)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from dashboards import DisclosurePolicy, Tallied, question_tables
from dashboards.charts import question_figure
from dashboards.exports import Sheet, safe_cell, to_csv, to_xlsx
from dashboards.filters import Filter, FilterProblem, parents, parse_filters
from dashboards.summaries import summarise
from dashboards.themes import theme_counts, theme_tallies
from dashboards.waves import compare, difference_interval
from surveys import parse_survey

ALLOWED = {"language": ["en", "cy", "other"], "channel": ["1", "2", "other"], "period": ["1", "2"]}
SURVEY = parse_survey(
    {
        "id": "analysis",
        "title": "A",
        "audience": "young_people",
        "questions": [
            {"id": "agree", "type": "agreement", "text": "Workers listen"},
            {
                "id": "pick",
                "type": "single_choice",
                "text": "<b>Pick</b>",
                "options": [
                    {"value": "x", "label": "<a href='javascript:alert(1)'>X</a>"},
                    {"value": "y", "label": "Y"},
                ],
            },
            {"id": "rate", "type": "scale_0_10", "text": "Rate"},
        ],
    }
)
POLICY = DisclosurePolicy()


def tables(counts: dict) -> dict:
    """Tables from true counts; a key sum of 0 rounds every count down to a multiple of 5."""
    tallied = {key: n if isinstance(n, Tallied) else Tallied(n, 0) for key, n in counts.items()}
    return {t.item_key: t for t in question_tables(SURVEY, tallied, POLICY)}


AGREE_COUNTS = {
    ("agree", ""): 200,
    ("agree", "strongly_agree"): 50,
    ("agree", "agree"): 70,
    ("agree", "neither"): 20,
    ("agree", "disagree"): 35,
    ("agree", "strongly_disagree"): 25,
}


def test_filters_are_checked() -> None:
    assert parse_filters(["language:cy", "channel:2"], ALLOWED) == (
        Filter("language", "cy"),
        Filter("channel", "2"),
    )
    assert parse_filters(["period:2", "channel:other"], ALLOWED) == (
        Filter("period", "2"),
        Filter("channel", "other"),
    )
    for raw, message in [
        (["language:cy", "channel:1", "period:1"], "At most 2"),
        (["age:12"], "no filter called"),
        (["language:xx"], "not one of"),
        (["period:3"], "not one of"),
        (["period:week:2026-10-05"], "not one of"),
        (["language:en", "language:cy"], "once"),
    ]:
        with pytest.raises(FilterProblem, match=message):
            parse_filters(raw, ALLOWED)
    two = (Filter("language", "cy"), Filter("channel", "2"))
    assert parents(two) == [(Filter("channel", "2"),), (Filter("language", "cy"),)]


def test_agreement_gets_a_diverging_chart_with_escaped_labels() -> None:
    figure = question_figure(tables(AGREE_COUNTS)["agree"])
    shares = {trace["name"]: trace["x"][0] for trace in figure["data"] if trace["showlegend"]}
    assert shares["Strongly disagree"] == -13 and shares["Strongly agree"] == 25  # 12.5 up
    assert shares["Disagree"] == -18 and shares["Agree"] == 35
    assert figure["layout"]["barmode"] == "relative"


def test_choice_labels_cannot_inject_links_into_charts() -> None:
    counts = {("pick", ""): 20, ("pick", "x"): 12, ("pick", "y"): 8}
    figure = question_figure(tables(counts)["pick"])
    labels = json.dumps(figure["data"][0]["y"])
    assert "<a" not in labels and "&lt;a href=" in labels


def test_hidden_tables_get_no_chart_and_hidden_answers_keep_a_marked_place() -> None:
    assert question_figure(tables({("pick", ""): 9, ("pick", "x"): 9})["pick"]) is None
    counts = {
        ("rate", ""): 50,
        ("rate", "7"): 27,
        ("rate", "8"): Tallied(13, 255),
        ("rate", "2"): 3,
        ("rate", "3"): Tallied(7, 0),
    }
    figure = question_figure(tables(counts)["rate"])
    bars = figure["data"][0]
    # 3 and 7 are published as 0 and 5, hidden; 27 as 25 (50%) and 13 as 15 (30%). Every
    # answer keeps its place in the chart, the hidden ones marked, so the shape never lies.
    assert bars["x"] == [str(n) for n in range(11)]
    shown = {
        x: y
        for x, y, text in zip(bars["x"], bars["y"], bars["text"], strict=True)
        if text != "hidden"
    }
    assert shown == {"7": 50, "8": 30}
    assert bars["text"][2] == bars["text"][3] == "hidden"
    assert bars["marker"]["color"][2] != bars["marker"]["color"][7]


def test_a_faces_chart_keeps_all_five_faces_when_two_are_hidden() -> None:
    from dashboards.disclosure import DisclosurePolicy
    from dashboards.tables import question_tables
    from surveys import parse_survey

    survey = parse_survey(
        {
            "id": "faces-test",
            "title": "S",
            "audience": "young_people",
            "questions": [{"id": "mood", "type": "faces", "points": 5, "text": "How do you feel?"}],
        }
    )
    counts = {
        ("", ""): Tallied(60, 0),
        ("mood", ""): Tallied(60, 0),
        ("mood", "1"): Tallied(3, 0),
        ("mood", "2"): Tallied(4, 0),
        ("mood", "3"): Tallied(15, 0),
        ("mood", "4"): Tallied(20, 0),
        ("mood", "5"): Tallied(18, 0),
    }
    table = question_tables(survey, counts, DisclosurePolicy())[0]
    bars = question_figure(table)["data"][0]
    assert len(bars["y"]) == 5 and bars["text"].count("hidden") == 2


def test_summary_names_the_top_answer_and_agreement() -> None:
    summary = summarise(tables(AGREE_COUNTS)["agree"])
    assert summary.top_labels == ("Agree",) and summary.top_percent == 35
    assert (summary.agree_percent, summary.disagree_percent) == (60, 30)
    assert summary.some_hidden is False


def test_a_summary_gives_no_agreement_shares_when_a_part_of_them_is_hidden() -> None:
    counts = {
        ("agree", ""): 100,
        ("agree", "strongly_agree"): 50,
        ("agree", "agree"): 30,
        ("agree", "neither"): 10,
        ("agree", "disagree"): 8,
        ("agree", "strongly_disagree"): 2,
    }
    summary = summarise(tables(counts)["agree"])
    # "Disagreed" would be 8 + 2 people: neither share is given, and the hidden is said.
    assert summary.agree_percent is None and summary.disagree_percent is None
    assert summary.some_hidden is True and summary.top_labels == ("Strongly agree",)


def test_difference_interval_matches_newcombe() -> None:
    # Newcombe (1998) example 1: 56/70 vs 48/80 -> difference 0.2, interval 0.0524 to 0.3339.
    difference, low, high = difference_interval(48, 80, 56, 70)
    assert difference == pytest.approx(0.2)
    assert low == pytest.approx(0.0524, abs=5e-4)
    assert high == pytest.approx(0.3339, abs=5e-4)


def test_waves_compare_only_shown_cells() -> None:
    before = tables({("pick", ""): 20, ("pick", "x"): 16, ("pick", "y"): 4})["pick"]
    after = tables({("pick", ""): 20, ("pick", "x"): 6, ("pick", "y"): 14})["pick"]
    assert compare(before, after) == []  # "y" hidden before (4 -> 0), "x" after (6 -> 5)
    hidden = tables({("pick", ""): 9, ("pick", "x"): 9})["pick"]
    assert compare(hidden, after) == [] and compare(after, hidden) == []
    before = tables({("pick", ""): 30, ("pick", "x"): 20, ("pick", "y"): 10})["pick"]
    after = tables({("pick", ""): 20, ("pick", "x"): 11, ("pick", "y"): 14})["pick"]
    shifts = compare(before, after)
    assert [s.value for s in shifts] == ["x", "y"]
    # From published counts: x 20 of 30 before, 10 (11 rounded down) of 20 after.
    assert shifts[0].difference == pytest.approx(100 * (10 / 20 - 20 / 30))
    assert (shifts[1].before, shifts[1].after) == pytest.approx((100 * 10 / 30, 100 * 10 / 20))
    assert not shifts[0].clear
    after = tables({("pick", ""): 40, ("pick", "x"): 10, ("pick", "y"): 30})["pick"]
    assert compare(before, after)[0].clear


def test_themes_count_comments_mentioning_them() -> None:
    counts = theme_counts(
        [
            "The park is too dark at night",
            "More youth workers please",
            "Police moved us on",
            "Nothing",
        ]
    )
    assert counts["Lighting and layout"] == 1 and counts["Youth workers and activities"] == 1
    assert counts["Police and security"] == 1 and counts["Online"] == 0


def test_theme_tallies_carry_the_record_keys_of_the_comments() -> None:
    tallies = theme_tallies(
        [("Too dark by the bus station", 7), ("No lamps", 250), ("abuse online", 3)]
    )
    assert tallies["Lighting and layout"] == Tallied(2, 257)
    assert tallies["Transport"] == Tallied(1, 7)  # "bus", never "abuse"
    assert tallies["Online"] == Tallied(1, 3) and tallies["School"] == Tallied()


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
        ["'=Title", None],
        ["Answer", "People"],
        ["'=cmd", 12],
        ["Park", "hidden"],
    ]


def test_themes_match_whole_words_word_starts_and_phrases() -> None:
    from dashboards.themes import themes_from_text

    themes = themes_from_text(
        "Transport: bus, bus stop\nSchool: school*, not after school\nClubs: after school, club*"
    )
    counts = theme_counts(
        [
            "abuse at the bus stop",  # "bus" as a word, once, though "abuse" holds it too
            "business is slow",  # never "bus"
            "the after  school\nclub is great",  # a phrase across spaces and lines
            "schools and after school",  # "schools" is still School
        ],
        themes,
    )
    assert counts == {"Transport": 1, "School": 1, "Clubs": 2}
    defaults = theme_counts(["We go to the after school club", "My teacher listens"])
    assert defaults["School"] == 1 and defaults["Youth workers and activities"] == 1


def test_a_theme_list_with_a_theme_of_no_terms_is_refused_in_words() -> None:
    from dashboards.themes import THEMES, ThemeProblem, themes_from_text, themes_to_text

    assert themes_from_text(themes_to_text(THEMES)) == dict(THEMES)
    with pytest.raises(ThemeProblem) as refused:
        themes_from_text("Transport: bus\nSport:  , \nTransport: train\nno colon here\n")
    assert refused.value.problems == [
        "Line 2: the theme “Sport” has no words or phrases to look for: add some after the "
        "colon, separated by commas, or delete the line",
        "Line 3: there is already a theme called “Transport”",
        "Line 4: write the theme's name, a colon, then its words, like “Transport: bus, train”",
    ]
    with pytest.raises(ThemeProblem, match="no words or phrases"):
        themes_from_text("Only exclusions: not after school")
    with pytest.raises(ThemeProblem, match="at least one theme"):
        themes_from_text("  \n")
