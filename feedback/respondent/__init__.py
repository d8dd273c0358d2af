"""Respondent pages (young people and parents): anonymous, no login."""

from feedback.respondent.presenters import html_id, poster_text
from feedback.respondent.routes import bp

# Helpers the question partials call; the poster (printed from the workspace) speaks to
# respondents, so its words live here too.
for helper in (html_id, poster_text):
    bp.add_app_template_global(helper)

__all__ = ["bp"]
