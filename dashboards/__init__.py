"""What we learn: disclosure control, releases and the dashboards built on them.

Input is plain data (counts from a `CountsSource`: SQL in the app, DataFrames in a
notebook); output is plain results. No web framework here, so it can be tested
and reused anywhere. In a notebook:

    from dashboards import (
        DisclosurePolicy, FrameSource, build_dashboard, plan_release, published_tables
    )
    source = FrameSource(responses, answers, links)
    plan = plan_release(source, release, threshold=10)
    dashboard = build_dashboard(source, survey, plan, DisclosurePolicy())
    tables = {t.title: t.frame for t in published_tables(dashboard)}  # DataFrames

`published_tables` gives exactly the published figures (hidden ones as <NA>); the CSV
and Excel exports are written from the same tables.
"""

from dashboards.dashboard import Dashboard, build_dashboard, export_sheets
from dashboards.disclosure import Cell, DisclosurePolicy, Suppression, Tallied
from dashboards.release import (
    CountsSource,
    LinkInfo,
    Period,
    Release,
    ReleasePlan,
    Selection,
    plan_release,
    releases_from_boundaries,
)
from dashboards.tables import Completion, QuestionTable, Row, completion, question_tables, total

__all__ = [
    "Cell",
    "Completion",
    "CountsSource",
    "Dashboard",
    "DisclosurePolicy",
    "LinkInfo",
    "Period",
    "QuestionTable",
    "Release",
    "ReleasePlan",
    "Row",
    "Selection",
    "Suppression",
    "Tallied",
    "build_dashboard",
    "completion",
    "export_sheets",
    "plan_release",
    "question_tables",
    "releases_from_boundaries",
    "total",
]


def __getattr__(name: str) -> object:
    # FrameSource and published_tables need pandas: imported only when asked for, since
    # pandas takes a second or more to import and the app imports this package.
    if name in ("FrameSource", "published_tables"):
        from dashboards import frames

        return getattr(frames, name)
    raise AttributeError(name)
