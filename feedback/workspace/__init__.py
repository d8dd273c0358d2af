"""The design team's workspace: sign-in, surveys, links, translations, the team and audit."""

from feedback.workspace import admin, editor, surveys, teams, two_factor  # noqa: F401 - register routes
from feedback.workspace.routes import bp, login_manager

__all__ = ["bp", "login_manager"]
