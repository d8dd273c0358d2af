"""Language selection and translation helpers.

Locale order: a choice made on the page or with ?lang=xx (kept for the visit)
> the shared link's language > the browser's Accept-Language > the default.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_babel import Babel, gettext

from surveys.model import Option
from surveys.scales import built_in_options

babel = Babel()

_BUILT_IN_LABELS = frozenset(
    o.label for scale in ("agreement", "faces3", "faces5", "extras") for o in built_in_options(scale)
)


def offered_languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def select_locale() -> str:
    languages = offered_languages()
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    link_language = getattr(g, "link_language", None)
    if link_language in languages:
        return link_language
    return request.accept_languages.best_match(languages) or languages[0]


def option_label(option: Option) -> str:
    """An option's label in the respondent's language (built-in scales come translated)."""
    if option.label in _BUILT_IN_LABELS:
        return gettext(option.label)
    return option.label


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
