"""Dashboards for design teams: the web side of the `dashboards` package."""

from feedback.dashboard_views.routes import bp

__all__ = ["bp"]
