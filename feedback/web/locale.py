"""Language selection and translation helpers, and the voice respondent pages speak in.

Locale order: a choice made on the page or with ?lang=xx (kept for the visit)
> the shared link's language > the browser's Accept-Language > the default.

Voice: every string a respondent can see is looked up with a gettext context naming its
audience, `young_people` or `parents`, so that each language can speak to young people
informally and simply and to parents politely (translations/README.md has the register
per language). A link's audience chooses the context. A `mixed` link, and pages reached
without a link (the home page, an unknown link, an error outside a survey), use the
`parents` context: polite words read as respectful to a teenager, while informal ones read
as rude to an adult. `say()` does the look-up; extraction (storage.gettext_catalogues)
writes every `say()` message once per audience.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from typing import Any

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, Domain, get_locale, get_translations, npgettext, pgettext
from jinja2.nodes import EvalContext
from jinja2.utils import pass_eval_context
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from feedback.storage.gettext_catalogues import AUDIENCE_CONTEXTS, Correction
from feedback.web.languages import language_facts
from surveys.i18n import is_built_in
from surveys.model import Option

babel = Babel()


# Pages for design teams: offered only in languages with a staff catalogue, so a browser
# asking for Polish does not get English text marked as Polish (and laid out right to left
# for Urdu). The preview's frame shows a survey in any offered language, so it keeps them all.
STAFF_BLUEPRINTS = frozenset({"workspace", "dashboards"})
ANY_LANGUAGE_STAFF_PAGES = frozenset({"workspace.preview_frame"})


def offered_languages() -> list[str]:
    languages = list(current_app.config["LANGUAGES"])
    if has_request_context() and request.blueprint in STAFF_BLUEPRINTS:
        return [
            code
            for code in languages
            if code == current_app.config["BABEL_DEFAULT_LOCALE"] or has_staff_catalogue(code)
        ]
    return languages


@lru_cache(maxsize=64)
def has_staff_catalogue(language: str) -> bool:
    from feedback.storage.gettext_catalogues import ui_po_path

    return ui_po_path(language, "staff").is_file()


def select_locale() -> str:
    languages = (
        list(current_app.config["LANGUAGES"])
        if request.endpoint in ANY_LANGUAGE_STAFF_PAGES
        else offered_languages()
    )
    asked = request.args.get("lang")
    if asked is not None and asked in languages:
        # Kept for the visit; not on the thank-you page, which must leave no cookie behind.
        if request.endpoint != "respondent.done":
            session["lang"] = asked
        return asked
    if asked is not None:
        g.unknown_language = True
    chosen = session.get("lang")
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    link_language = getattr(g, "link_language", None)
    if isinstance(link_language, str) and link_language in languages:
        return link_language
    return request.accept_languages.best_match(languages) or languages[0]


AUDIENCES = AUDIENCE_CONTEXTS
YOUNG_PEOPLE, PARENTS = AUDIENCE_CONTEXTS


def audience_context(audience: str | None) -> str:
    """The gettext context for a link's audience: young people's own, else the polite one."""
    return YOUNG_PEOPLE if audience == YOUNG_PEOPLE else PARENTS


def current_audience() -> str:
    """Who this page speaks to: a page's own audience (privacy pages), else its link's."""
    if not has_request_context():
        return PARENTS
    chosen = g.get("audience")
    if chosen in AUDIENCES:
        return chosen
    link = g.get("link")
    return audience_context(link.audience if link is not None else None)


def say(message: str, **variables: Any) -> str:
    """`message` in the page's language, in the voice for the page's audience."""
    return pgettext(current_audience(), message, **variables)


def say_n(singular: str, plural: str, num: int, **variables: Any) -> str:
    """`say` for a message with a count."""
    return npgettext(current_audience(), singular, plural, num, **variables)


def say_to(audience: str | None, message: str, **variables: Any) -> str:
    """`say` for an audience that is not the page's (a poster printed for a link)."""
    return pgettext(audience_context(audience), message, **variables)


def text_direction_of(language: str) -> str:
    """'rtl' or 'ltr' for a language, from Babel's locale data (feedback.web.languages)."""
    return language_facts(language)[1]


def option_label(option: Option) -> str:
    """An option's label in the respondent's language (built-in scales come translated)."""
    if is_built_in(option):
        return say(option.label)
    return option.label


class CatalogueDomain(Domain):
    """Interface translations read straight from the .po files (see storage.gettext_catalogues)."""

    def get_translations(self) -> NullTranslations | Translations:
        if not has_request_context():
            return NullTranslations()
        # Looked up once per request: a page calls gettext dozens of times.
        if "ui_translations" not in g:
            from feedback.storage.gettext_catalogues import ui_translations

            language = str(get_locale() or "en")
            g.ui_translations = ui_translations(language, _corrections(language))
        return g.ui_translations


def _corrections(language: str) -> tuple[Correction, ...]:
    """Reviewers' corrections to the respondent text in `language` (none for English, and
    none if the database cannot be read: a page still shows the shipped translation)."""
    if language == current_app.config["BABEL_DEFAULT_LOCALE"]:
        return ()
    from feedback.storage.db import db
    from feedback.storage.translation_reviews import interface_corrections

    try:
        return interface_corrections(db.session, language)
    except SQLAlchemyError:
        # The page itself decides what a broken database means; its text stays as shipped.
        with contextlib.suppress(SQLAlchemyError):
            db.session.rollback()
        return ()


def _page_translations() -> NullTranslations | Translations:
    """What flask_babel's get_translations() gives, without its domain look-up on every call.

    Templates call gettext dozens of times a page; after the first call in a request the
    catalogue is in g (see CatalogueDomain), so the rest need only that one look-up.
    """
    if has_request_context():
        found = g.get("ui_translations")
        if found is not None:
            return found
    return get_translations()


@pass_eval_context
def _say_in_template(eval_ctx: EvalContext, message: str, **variables: Any) -> str:
    """`say` for templates, escaping like Jinja's own gettext: the translation is trusted
    markup, the values put into it are escaped unless marked safe."""
    text = _page_translations().upgettext(current_audience(), message)
    return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704


@pass_eval_context
def _say_n_in_template(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, **variables: Any
) -> str:
    text = _page_translations().unpgettext(current_audience(), singular, plural, num)
    variables.setdefault("num", num)
    return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = CatalogueDomain()
    # The same callables flask_babel installs in Jinja, reaching the catalogue directly.
    # jinja2.ext.i18n (loaded by Flask-Babel) adds this method at run time; the stubs
    # of Environment do not know it.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _page_translations().ugettext(s),
        ngettext=lambda s, p, n: _page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _page_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(say=_say_in_template, say_n=_say_n_in_template)
