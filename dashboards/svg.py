"""Bar charts drawn on the server as SVG, for pages that must print without JavaScript.

The printable report and the comparison page carry these; the interactive overview
draws the same figures with plotly.js (`dashboards.charts`). Each chart is a small,
self-contained <svg role="img"> with a <title> and a <desc> that says every value in
words, so a screen reader hears what the chart shows, and the data table sits beside
it. Every answer keeps its row: one hidden to protect privacy is drawn as a dashed,
empty bar labelled as hidden, so the shape of a chart never misleads. Styling is by
presentation attributes only (no style attributes): pages keep a strict
Content-Security-Policy.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dashboards.tables import QuestionTable, Row
from dashboards.waves import wilson_interval

# Small enough that a phone shows the text at a readable size, wide enough for A4.
WIDTH = 480
BAR_AREA = 300  # the width of 100%
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
ROW_GAP = 12
# A long answer is wrapped onto more lines rather than cut off at the chart's edge.
LABEL_CHARACTERS = 48
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
TEXT = "#0b0c0c"
BAR = "#1d70b8"
SECOND_BAR = "#d4351c"
HIDDEN_OUTLINE = "#505a5f"
HIDDEN = "hidden to protect privacy"
# A hidden answer's bar: wide enough to see and to read as "not a value".
HIDDEN_WIDTH = 28

Label = Callable[[Row], str]


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class Bar:
    """One bar: a share (None when hidden) and, for comparisons, its 95% interval."""

    share: float | None
    text: str
    interval: tuple[float, float] | None = None


@dataclass(frozen=True)
class Series:
    """One wave (or the one set of answers) of a chart: its name, colour and a bar per answer."""

    name: str
    colour: str
    bars: tuple[Bar, ...]


def table_svg(
    table: QuestionTable, chart_id: str, hidden: str = HIDDEN, label: Label | None = None
) -> str:
    """A question's answers as horizontal bars, one per answer, hidden ones marked."""
    read = label or (lambda row: row.label)
    series = Series("", BAR, tuple(_bar_of(row, hidden) for row in table.rows))
    return _chart(
        chart_id,
        title=table.title,
        answers=[read(row) for row in table.rows],
        series=(series,),
        hidden=hidden,
    )


def comparison_svg(
    before: QuestionTable,
    after: QuestionTable,
    names: tuple[str, str],
    chart_id: str,
    hidden: str = HIDDEN,
    label: Label | None = None,
) -> str:
    """Two waves side by side: per answer a bar for each, with its 95% (Wilson) interval."""
    read = label or (lambda row: row.label)
    after_rows = {row.value: row for row in after.rows}
    rows = list(before.rows) + [
        r for r in after.rows if r.value not in {b.value for b in before.rows}
    ]
    before_rows = {row.value: row for row in before.rows}
    series = tuple(
        Series(
            name,
            colour,
            tuple(_wave_bar(side, rows_of.get(row.value), hidden) for row in rows),
        )
        for name, colour, side, rows_of in (
            (names[0], BAR, before, before_rows),
            (names[1], SECOND_BAR, after, after_rows),
        )
    )
    return _chart(
        chart_id,
        title=before.title,
        answers=[read(row) for row in rows],
        series=series,
        hidden=hidden,
    )


def _bar_of(row: Row, hidden: str) -> Bar:
    if not row.cell.shown or row.cell.percent is None:
        return Bar(None, hidden)
    return Bar(float(row.cell.percent), f"{row.cell.percent}%")


def _wave_bar(table: QuestionTable, row: Row | None, hidden: str) -> Bar:
    """A wave's share of one answer with its interval, from published counts only."""
    if row is None or not table.shown or not row.cell.shown or not table.base.count:
        return Bar(None, hidden)
    count, base = row.cell.count or 0, table.base.count
    low, high = wilson_interval(count, base)
    share = 100 * count / base
    return Bar(
        share,
        f"{share:.0f}% ({100 * low:.0f} to {100 * high:.0f})",
        (100 * low, 100 * high),
    )


def _chart(
    chart_id: str, title: str, answers: Sequence[str], series: Sequence[Series], hidden: str
) -> str:
    legend = len(series) > 1
    top = 28 if legend else 4
    lines = [textwrap.wrap(answer, LABEL_CHARACTERS) or [""] for answer in answers]
    bars_height = len(series) * (BAR_HEIGHT + 4) + ROW_GAP
    height = top + sum(LABEL_HEIGHT * len(ls) + bars_height for ls in lines) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="svg-chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{_escape(FONT)}" font-size="15" fill="{TEXT}">',
        f'<title id="{chart_id}-title">{_escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{_escape(_description(answers, series))}</desc>',
    ]
    if legend:
        parts.extend(_legend(series))
    y = top
    for index, label_lines in enumerate(lines):
        for line in label_lines:
            parts.append(f'<text x="0" y="{y + 15}" font-weight="bold">{_escape(line)}</text>')
            y += LABEL_HEIGHT
        for number, one in enumerate(series):
            parts.extend(_bar(one.bars[index], one.colour, y + number * (BAR_HEIGHT + 4)))
        y += bars_height
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: Sequence[Series]) -> list[str]:
    parts = []
    x = 0
    for one in series:
        parts.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{one.colour}"/>')
        parts.append(f'<text x="{x + 20}" y="18">{_escape(one.name)}</text>')
        x += 40 + 9 * min(len(one.name), 30)
    return parts


def _bar(bar: Bar, colour: str, y: int) -> list[str]:
    middle = y + BAR_HEIGHT / 2
    if bar.share is None:
        return [
            f'<rect x="0.5" y="{y + 0.5}" width="{HIDDEN_WIDTH}" height="{BAR_HEIGHT - 1}" '
            f'fill="#ffffff" stroke="{HIDDEN_OUTLINE}" stroke-dasharray="3 2"/>',
            f'<text x="{HIDDEN_WIDTH + 6}" y="{middle + 5:.1f}" font-style="italic">'
            f"{_escape(bar.text)}</text>",
        ]
    width = BAR_AREA * bar.share / 100
    parts = [f'<rect x="0" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>']
    end = width
    if bar.interval is not None:
        low, high = (BAR_AREA * v / 100 for v in bar.interval)
        parts.append(
            f'<path d="M{low:.1f} {middle:.1f}H{high:.1f}M{low:.1f} {y + 3}V{y + BAR_HEIGHT - 3}'
            f'M{high:.1f} {y + 3}V{y + BAR_HEIGHT - 3}" stroke="{TEXT}" stroke-width="1.5" '
            'fill="none"/>'
        )
        end = max(width, high)
    parts.append(f'<text x="{end + 6:.1f}" y="{middle + 5:.1f}">{_escape(bar.text)}</text>')
    return parts


def _description(answers: Sequence[str], series: Sequence[Series]) -> str:
    """Every value in words: the chart's content for anyone who cannot see it."""
    parts = []
    for index, answer in enumerate(answers):
        values = [
            f"{one.name}: {one.bars[index].text}" if one.name else one.bars[index].text
            for one in series
        ]
        parts.append(f"{answer}: {', '.join(values)}")
    kind = "Bar chart" if len(series) == 1 else "Bar chart with 95% intervals"
    return f"{kind}. " + "; ".join(parts) + "."
