"""Dashboards for design teams: the web side of the `dashboards` package."""

from feedback.dashboard_views.assets import bp as assets_bp
from feedback.dashboard_views.assets import plotly_url
from feedback.dashboard_views.presenters import (
    comparison_chart,
    suppression_text,
    table_chart,
    wording_heading,
    wording_note,
)
from feedback.dashboard_views.routes import bp

bp.add_app_template_global(suppression_text)
bp.add_app_template_global(plotly_url)
bp.add_app_template_global(table_chart)
bp.add_app_template_global(comparison_chart)
bp.add_app_template_global(wording_note)
bp.add_app_template_global(wording_heading)

__all__ = ["assets_bp", "bp"]
