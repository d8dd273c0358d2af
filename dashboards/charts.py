"""Plotly figures for question tables. Only figures that passed disclosure control are drawn.

Diverging stacked bars for agreement scales, bars for choices and faces, and a
distribution for 0-10 scales. Every label is escaped: Plotly reads a few HTML
tags (links among them) in text, and labels can come from anyone's survey.
"""

from __future__ import annotations

import html
from typing import Any

import plotly.graph_objects as go

from dashboards.tables import QuestionTable
from surveys.model import QuestionType

AGREE = ("strongly_agree", "agree")
DISAGREE = ("strongly_disagree", "disagree")
# Colour-blind-safe, and every bar also has its value as text: colour is never the only cue.
COLOURS = {"strongly_agree": "#1d4e89", "agree": "#5b9bd5", "neither": "#a5a5a5",
           "disagree": "#e8a33d", "strongly_disagree": "#9c4a00"}
BAR = "#1d70b8"
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 14}


def safe(text: str) -> str:
    return html.escape(text, quote=False)


def is_agreement(table: QuestionTable) -> bool:
    return {r.value for r in table.rows} >= {*AGREE, *DISAGREE, "neither"}


def question_figure(table: QuestionTable) -> dict[str, Any] | None:
    """A Plotly figure (as JSON-ready dict) for a shown table, or None."""
    if not table.shown:
        return None
    if is_agreement(table):
        figure = _diverging(table)
    elif table.question.type is QuestionType.SCALE_0_10:
        figure = _distribution(table)
    else:
        figure = _bars(table)
    figure.update_layout(font=FONT, margin={"l": 10, "r": 10, "t": 10, "b": 40},
                         paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
                         xaxis={"ticksuffix": "%", "fixedrange": True},
                         yaxis={"fixedrange": True, "automargin": True})
    return figure.to_plotly_json()


def _shown(table: QuestionTable, values: tuple[str, ...] | None = None) -> list:
    return [r for r in table.rows if r.cell.shown and (values is None or r.value in values)]


def _bars(table: QuestionTable) -> go.Figure:
    rows = [r for r in _shown(table)][::-1]  # Plotly draws the first bar at the bottom
    figure = go.Figure(go.Bar(
        x=[r.cell.percent for r in rows], y=[safe(r.label) for r in rows], orientation="h",
        marker_color=BAR, text=[f"{r.cell.percent}%" for r in rows], textposition="auto",
        hovertemplate="%{y}: %{x}%<extra></extra>"))
    figure.update_layout(height=60 + 36 * max(len(rows), 1), showlegend=False)
    return figure


def _distribution(table: QuestionTable) -> go.Figure:
    rows = _shown(table)
    figure = go.Figure(go.Bar(
        x=[safe(r.label) for r in rows], y=[r.cell.percent for r in rows], marker_color=BAR,
        text=[f"{r.cell.percent}%" for r in rows], textposition="auto",
        hovertemplate="%{x}: %{y}%<extra></extra>"))
    figure.update_layout(height=300, showlegend=False, yaxis={"ticksuffix": "%"},
                         xaxis={"type": "category", "ticksuffix": ""})
    return figure


def _diverging(table: QuestionTable) -> go.Figure:
    figure = go.Figure()
    order = ("strongly_disagree", "disagree", "neither", "agree", "strongly_agree")
    for row in _shown(table, order):
        value = row.cell.percent or 0
        sign = -1 if row.value in DISAGREE else 1
        parts = [(-value / 2, True), (value / 2, False)] if row.value == "neither" \
            else [(sign * value, True)]
        for share, legend in parts:
            figure.add_trace(go.Bar(
                x=[share], y=[""], orientation="h", name=safe(row.label), showlegend=legend,
                legendgroup=row.value, marker_color=COLOURS[row.value],
                text=f"{value}%" if legend else "", textposition="inside",
                hovertemplate=f"{safe(row.label)}: {value}%<extra></extra>"))
    figure.update_layout(barmode="relative", height=170,
                         legend={"orientation": "h", "y": -0.4, "traceorder": "normal"})
    return figure
