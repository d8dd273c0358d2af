"""The design team's workspace: sign-in and the list of surveys and links."""

from feedback.workspace.routes import bp, login_manager

__all__ = ["bp", "login_manager"]
