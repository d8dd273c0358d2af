"""Dashboards for design teams: the web side of the `dashboards` package."""

from feedback.dashboard_views.presenters import suppression_text
from feedback.dashboard_views.routes import bp

bp.add_app_template_global(suppression_text)

__all__ = ["bp"]
