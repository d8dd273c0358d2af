"""Chart specifications for question tables, drawn in the browser by plotly.js.

Built as plain dicts (the JSON plotly.js reads), not with plotly's Python objects,
which cost a tenth of a second per chart to validate. Diverging stacked bars for
agreement scales, bars for choices and faces, and a distribution for 0-10 scales.
Every answer keeps its place: one hidden to protect privacy is drawn as an empty bar
labelled "hidden", so the shape of a chart never misleads. Labels are escaped:
plotly.js reads a few HTML tags (links among them) in text, and labels can come from
anyone's survey.
"""

from __future__ import annotations

import html
from typing import Any

from dashboards.tables import QuestionTable, Row
from surveys.model import QuestionType

AGREE = ("strongly_agree", "agree")
DISAGREE = ("strongly_disagree", "disagree")
# Colour-blind-safe, and every bar also has its value as text: colour is never the only cue.
COLOURS = {
    "strongly_agree": "#1d4e89",
    "agree": "#5b9bd5",
    "neither": "#a5a5a5",
    "disagree": "#e8a33d",
    "strongly_disagree": "#9c4a00",
}
BAR = "#1d70b8"
HIDDEN_BAR = "#b1b4b6"
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 14}
HIDDEN = "hidden"

Figure = dict[str, Any]


def safe(text: str) -> str:
    return html.escape(text, quote=False)


def is_agreement(table: QuestionTable) -> bool:
    return {r.value for r in table.rows} >= {*AGREE, *DISAGREE, "neither"}


def question_figure(table: QuestionTable, hidden_label: str = HIDDEN) -> Figure | None:
    """A plotly.js figure (JSON-ready) for a shown table, or None."""
    if not table.shown:
        return None
    if is_agreement(table):
        figure = _diverging(table, hidden_label)
    elif table.question.type is QuestionType.SCALE_0_10:
        figure = _distribution(table, hidden_label)
    else:
        figure = _bars(table, hidden_label)
    layout = figure["layout"]
    layout.update(
        font=FONT,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
    )
    layout.setdefault("xaxis", {}).update(fixedrange=True)
    layout.setdefault("yaxis", {}).update(fixedrange=True, automargin=True)
    return figure


def _value(row: Row) -> int:
    return row.cell.percent or 0 if row.cell.shown else 0


def _text(row: Row, hidden_label: str) -> str:
    return f"{row.cell.percent}%" if row.cell.shown else hidden_label


def _bars(table: QuestionTable, hidden_label: str) -> Figure:
    rows = list(table.rows)[::-1]  # plotly.js draws the first bar at the bottom
    bar = {
        "type": "bar",
        "orientation": "h",
        "x": [_value(r) for r in rows],
        "y": [safe(r.label) for r in rows],
        "text": [_text(r, hidden_label) for r in rows],
        "marker": {"color": [BAR if r.cell.shown else HIDDEN_BAR for r in rows]},
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    return {
        "data": [bar],
        "layout": {
            "height": 60 + 36 * max(len(rows), 1),
            "showlegend": False,
            "xaxis": {"ticksuffix": "%"},
        },
    }


def _distribution(table: QuestionTable, hidden_label: str) -> Figure:
    rows = list(table.rows)
    bar = {
        "type": "bar",
        "x": [safe(r.label) for r in rows],
        "y": [_value(r) for r in rows],
        "text": [_text(r, hidden_label) for r in rows],
        "marker": {"color": [BAR if r.cell.shown else HIDDEN_BAR for r in rows]},
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{x}: %{text}<extra></extra>",
    }
    return {
        "data": [bar],
        "layout": {
            "height": 300,
            "showlegend": False,
            "yaxis": {"ticksuffix": "%"},
            "xaxis": {"type": "category"},
        },
    }


def _diverging(table: QuestionTable, hidden_label: str) -> Figure:
    order = ("strongly_disagree", "disagree", "neither", "agree", "strongly_agree")
    by_value = {r.value: r for r in table.rows}
    traces = []
    for value in order:
        row = by_value[value]
        share = _value(row)
        sign = -1 if value in DISAGREE else 1
        parts = (
            [(-share / 2, True), (share / 2, False)]
            if value == "neither"
            else [(sign * share, True)]
        )
        name = safe(row.label) if row.cell.shown else f"{safe(row.label)} ({hidden_label})"
        for part, legend in parts:
            traces.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "x": [part],
                    "y": [""],
                    "name": name,
                    "showlegend": legend,
                    "legendgroup": value,
                    "marker": {"color": COLOURS[value] if row.cell.shown else HIDDEN_BAR},
                    "text": [_text(row, hidden_label) if legend else ""],
                    "textposition": "inside",
                    "hovertemplate": f"{name}: {_text(row, hidden_label)}<extra></extra>",
                }
            )
    return {
        "data": traces,
        "layout": {
            "barmode": "relative",
            "height": 170,
            "xaxis": {"ticksuffix": "%"},
            "legend": {"orientation": "h", "y": -0.4, "traceorder": "normal"},
        },
    }
