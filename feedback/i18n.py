"""Language selection and translation helpers.

Locale order: a choice made on the page or with ?lang=xx (kept for the visit)
> the shared link's language > the browser's Accept-Language > the default.
"""

from __future__ import annotations

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, Domain, get_locale, gettext

from surveys.i18n import is_built_in
from surveys.model import Option

babel = Babel()



def offered_languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def select_locale() -> str:
    languages = offered_languages()
    asked = request.args.get("lang")
    if asked in languages:
        # Kept for the visit; not on the thank-you page, which must leave no cookie behind.
        if request.endpoint != "respondent.done":
            session["lang"] = asked
        return asked
    if asked is not None:
        g.unknown_language = True
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    link_language = getattr(g, "link_language", None)
    if link_language in languages:
        return link_language
    return request.accept_languages.best_match(languages) or languages[0]


def option_label(option: Option) -> str:
    """An option's label in the respondent's language (built-in scales come translated)."""
    if is_built_in(option):
        return gettext(option.label)
    return option.label


class CatalogueDomain(Domain):
    """Interface translations read straight from the .po files (see feedback.translations)."""

    def get_translations(self) -> NullTranslations | Translations:
        if not has_request_context():
            return NullTranslations()
        # Looked up once per request: a page calls gettext dozens of times.
        if "ui_translations" not in g:
            from feedback.translations import ui_translations

            g.ui_translations = ui_translations(str(get_locale() or "en"))
        return g.ui_translations


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = CatalogueDomain()
