"""Words for the dashboard pages (staff-facing text: the `staff` catalogue)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from babel import Locale
from flask_babel import format_date, get_locale, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from dashboards.dashboard import ComparisonRow, WordingSplit
from dashboards.disclosure import Suppression
from dashboards.release import OTHER, Group
from dashboards.svg import comparison_svg, table_svg
from dashboards.tables import QuestionTable, Row
from feedback.web.templating import option_text

AUDIENCES = {
    "young_people": _l("Young people"),
    "parents": _l("Parents and carers"),
    "mixed": _l("Young people and parents"),
}


def suppression_text(reason: Suppression) -> str:
    """Why a figure is hidden, in plain words."""
    if reason is Suppression.SMALL_COUNT:
        return gettext("Hidden: a small number")
    if reason is Suppression.SECONDARY:
        return gettext("Hidden so that a small group beside it cannot be worked out")
    if reason is Suppression.COMPLEMENT_TOO_SMALL:
        return gettext("Hidden: the rest of the responses are too few")
    return gettext("Hidden: too few responses")


def period_label(group: Group) -> str:
    """A release period as dates people read: "2 Nov 2026 to 29 Nov 2026"."""
    last_day = format_date(group.selection.before - timedelta(days=1), "medium")
    if group.selection.starts is None:
        return gettext("Up to %(end)s", end=last_day)
    return gettext(
        "%(start)s to %(end)s", start=format_date(group.selection.starts, "medium"), end=last_day
    )


def group_label(dimension: str, group: Group) -> str:
    """The words for one filter or breakdown value: never a code."""
    if group.key == OTHER and dimension != "period":
        return {
            "channel": gettext("Other links (grouped to protect privacy)"),
            "audience": gettext("Other audiences (grouped to protect privacy)"),
            "age_band": gettext("Other age bands (grouped to protect privacy)"),
            "language": gettext("Other languages (grouped to protect privacy)"),
        }[dimension]
    if dimension == "period":
        return period_label(group)
    if dimension == "audience":
        return str(AUDIENCES.get(group.key, group.key))
    if dimension == "language":
        return language_label(group.key)
    if dimension == "age_band":
        return group.label or gettext("Age band not set")
    return group.label or group.key


def language_label(code: str) -> str:
    """A language named for the reader, and in its own words when they differ:
    "Welsh (Cymraeg)", so a team can tell languages apart whatever their own."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, TypeError):
        return code
    here = locale.get_display_name(str(get_locale() or "en")) or code
    own = locale.get_display_name(locale) or here
    return here if own.casefold() == here.casefold() else f"{here} ({own})"


def labels(offered: Mapping[str, tuple[Group, ...]]) -> dict[str, dict[str, str]]:
    """Per dimension, each group key's words."""
    return {
        dimension: {g.key: group_label(dimension, g) for g in groups}
        for dimension, groups in offered.items()
    }


def chart_id(prefix: str, key: str) -> str:
    """An element id for a chart: item keys hold dots, which ids may but selectors dislike."""
    return f"{prefix}-{key.replace('.', '--').replace('~', '-')}"


def table_chart(table: QuestionTable, key: str = "") -> Markup:
    """A question's answers as an SVG bar chart that prints (hidden answers marked).
    `key` names the chart when one question has several (one per wording)."""
    svg = table_svg(table, chart_id("chart", key or table.item_key), hidden_text(), answer_label)
    return Markup(svg)  # noqa: S704 - every text in it is escaped by dashboards.svg


def comparison_chart(row: ComparisonRow, before: str, after: str, number: int) -> Markup:
    """Two waves' answers to one question side by side, each with its 95% interval."""
    svg = comparison_svg(
        row.before, row.after, (before, after), f"compare-{number}", hidden_text(), answer_label
    )
    return Markup(svg)  # noqa: S704 - every text in it is escaped by dashboards.svg


def answer_label(row: Row) -> str:
    """An answer's label, in the page's language when it belongs to a built-in scale."""
    return option_text(row.label)


def hidden_text() -> str:
    return gettext("hidden to protect privacy")


def wording_span(group: Group, first: bool, last: bool) -> str:
    """When a wording's answers were given, as its whole periods: "up to 18 Oct 2026"."""
    end = format_date(group.selection.before - timedelta(days=1), "medium")
    start = format_date(group.selection.starts, "medium") if group.selection.starts else ""
    if first or not start:
        return gettext("up to %(end)s", end=end)
    if last:
        return gettext("from %(start)s", start=start)
    return gettext("from %(start)s to %(end)s", start=start, end=end)


def wording_note(split: WordingSplit) -> str:
    """The history of a reworded question in one sentence per wording."""
    parts = []
    count = len(split.groups)
    for index, group in enumerate(split.groups):
        span = wording_span(group, index == 0, index == count - 1)
        if group.label:
            parts.append(gettext("asked as “%(wording)s” %(span)s", wording=group.label, span=span))
        else:
            parts.append(gettext("both wordings %(span)s, when it changed", span=span))
    sentence = "; ".join(parts)
    return gettext(
        "The wording of this question changed: %(history)s.",
        history=sentence,
    )


def wording_heading(group: Group, split: WordingSplit) -> str:
    """The heading over one wording's answers."""
    index = split.groups.index(group)
    span = wording_span(group, index == 0, index == len(split.groups) - 1)
    if group.label:
        return gettext("As asked %(span)s: “%(wording)s”", span=span, wording=group.label)
    return gettext("Answers given %(span)s, while the wording changed (both wordings)", span=span)
