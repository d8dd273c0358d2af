"""Respondent pages (young people and parents): anonymous, no login."""

from feedback.respondent.routes import bp

__all__ = ["bp"]
