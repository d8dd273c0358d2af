"""Who runs the survey on this page: the deployment's organisation (config ORGANISATION),
with what the survey's own file overrides (docs/adr/0012-who-runs-a-survey.md)."""

from __future__ import annotations

from datetime import date

from flask import current_app, g
from flask_babel import format_date, get_locale
from markupsafe import Markup, escape

from feedback.web.locale import text_direction_of
from surveys.organisation import LocalText, Organisation, apply_override


def current_organisation() -> Organisation:
    """The organisation this page speaks for: the survey's, if it names its own."""
    base: Organisation = current_app.config["ORGANISATION"]
    return apply_override(base, g.get("survey_organisation"))


def own_words(text: LocalText) -> Markup:
    """The organisation's words in the page's language when it gave them, else as written,
    marked with their own language and direction so that screen readers say them right."""
    page_language = str(get_locale() or "en").replace("_", "-")
    words, language = text.in_language(page_language)
    if language == page_language:
        return escape(words)
    direction = text_direction_of(language)
    return Markup('<span lang="{}" dir="{}">{}</span>').format(language, direction, words)


def organisation_name() -> Markup:
    return own_words(current_organisation().name)


def accessibility_reviewed() -> str:
    """The day the accessibility statement was last checked, in the page's language."""
    reviewed = date.fromisoformat(current_app.config["ACCESSIBILITY_REVIEWED"])
    return str(format_date(reviewed, "long"))


def contact_link(address: str) -> Markup:
    """An e-mail address or web address as a link, kept left to right in any page."""
    href = address if "/" in address or "@" not in address else "mailto:" + address
    if "/" in href and not href.startswith(("https://", "http://")):
        href = "https://" + href
    return Markup('<a href="{}"><bdi dir="ltr">{}</bdi></a>').format(href, address)
