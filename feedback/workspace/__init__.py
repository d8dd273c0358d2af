"""The design team's workspace: sign-in, surveys, links, translations, the team and audit."""

from feedback.workspace import admin, surveys  # noqa: F401 - register routes on the blueprint
from feedback.workspace.routes import bp, login_manager

__all__ = ["bp", "login_manager"]
