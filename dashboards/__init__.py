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

The names below are imported when first asked for: a respondent's worker stores record
keys with `dashboards.perturbation` and never builds a dashboard, so it does not pay for
importing them (nor pandas, which `FrameSource` and `published_tables` need).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dashboards.dashboard import Dashboard, build_dashboard, export_sheets
    from dashboards.disclosure import Cell, DisclosurePolicy, Suppression, Tallied
    from dashboards.frames import FrameSource, published_tables
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
    from dashboards.tables import (
        Completion,
        QuestionTable,
        Row,
        completion,
        question_tables,
        total,
    )

_HOME = {
    "dashboards.dashboard": ("Dashboard", "build_dashboard", "export_sheets"),
    "dashboards.disclosure": ("Cell", "DisclosurePolicy", "Suppression", "Tallied"),
    "dashboards.frames": ("FrameSource", "published_tables"),
    "dashboards.release": (
        "CountsSource",
        "LinkInfo",
        "Period",
        "Release",
        "ReleasePlan",
        "Selection",
        "plan_release",
        "releases_from_boundaries",
    ),
    "dashboards.tables": (
        "Completion",
        "QuestionTable",
        "Row",
        "completion",
        "question_tables",
        "total",
    ),
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}

__all__ = [
    "Cell",
    "Completion",
    "CountsSource",
    "Dashboard",
    "DisclosurePolicy",
    "FrameSource",
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
    "published_tables",
    "question_tables",
    "releases_from_boundaries",
    "total",
]


def __getattr__(name: str) -> object:
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'dashboards' has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULE_OF[name]), name)
    globals()[name] = value  # asked once per process
    return value
