"""Helpers the templates call. Each is small and named for what the page needs."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Flask, current_app, g, request, url_for
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from jinja2 import Template
from markupsafe import Markup

from feedback.storage.memo import Memo
from feedback.storage.survey_translations import mark_fallback
from feedback.web.helplines import helplines
from feedback.web.languages import language_facts
from feedback.web.link_addresses import public_link_url
from feedback.web.locale import offered_languages, option_label, say, text_direction_of
from feedback.web.organisation import (
    accessibility_reviewed,
    contact_link,
    current_organisation,
    organisation_name,
    own_words,
)
from feedback.web.static_files import static_url
from surveys.i18n import BUILT_IN_LABELS, FallbackText
from surveys.model import Option, Question, QuestionType
from surveys.places import place_asked_about
from surveys.scales import face_drawing

# feedback.web.frame's marker for the help link, which depends on the page being shown.
HELP_MARK = "_FRAME_HELP_"

_PARTIALS = {
    QuestionType.MATRIX: "matrix",
    QuestionType.SHORT_TEXT: "text",
    QuestionType.LONG_TEXT: "text",
    QuestionType.NUMBER: "number",
}


def current_locale() -> str:
    return str(get_locale() or "en").replace("_", "-")


def text_direction() -> str:
    """The page's direction, from Babel's data for its language."""
    return text_direction_of(current_locale())


def language_direction(code: str) -> str:
    """Any language's direction, from Babel's data (no list of right-to-left languages)."""
    return language_facts(code)[1]


def language_name(code: str) -> str:
    """A language's name in that language, so people can find their own."""
    return language_facts(code)[0] or code


_LANGUAGE_SWITCH = "components/language_switch.html"
_switches: Memo[tuple[Template, str, tuple[str, ...], str, str], Markup] = Memo(size=256)


def language_switch() -> Markup:
    """The language menu, rendered once per process for each language it can be shown in.

    With fifteen languages it is the biggest part of every page, yet it depends only on
    the page's language, the languages offered and the menu's two translated words (all
    in the key; the template object too, so an edited template is re-rendered).
    """
    template = current_app.jinja_env.get_template(_LANGUAGE_SWITCH)
    key = (
        template,
        current_locale(),
        tuple(offered_languages()),
        say("Language"),
        say("Choose a language"),
    )
    return _switches.get(key, lambda: Markup(template.render()))  # noqa: S704 - autoescaped


def macros(template_name: str) -> object:
    """A template of macros that use only their arguments, as a module made once (Jinja
    keeps it with the template), for pages that would otherwise import it on each render."""
    return current_app.jinja_env.get_template(template_name).module


def question_partial(question: Question) -> str:
    return _PARTIALS.get(question.type, "choice")


def face_for(question: Question, option: Option) -> str:
    """The name of the face drawn beside an option ('' when it has none)."""
    if question.type is not QuestionType.FACES or option.exclusive:
        return ""
    points = sum(1 for o in question.options if not o.exclusive)
    return face_drawing(points, option.value)


def privacy_url() -> str:
    """The privacy page for the audience of the link being answered (young people by default;
    a link for everyone gets the parents' page, in the polite voice the link speaks in)."""
    link = g.get("link")
    audience = "young-people" if link is None or link.audience == "young_people" else "parents"
    return privacy_url_for(audience)


def privacy_url_for(audience: str, full: bool = False) -> str:
    """A privacy notice for `audience`: within a survey, the one that names its organisation
    and retention; `full` is the complete notice, else the short one."""
    link = g.get("link")
    endpoint = "respondent.privacy_full" if full else "respondent.privacy"
    if link is None:
        return url_for(endpoint, audience=audience)
    return url_for("respondent.survey_" + endpoint.split(".")[1], code=link.code, audience=audience)


def accessibility_url() -> str:
    """The accessibility statement; within a survey, at the link's address so that its
    language and audience carry over."""
    link = g.get("link")
    if link is None:
        return url_for("respondent.accessibility")
    return url_for("respondent.survey_accessibility", code=link.code)


def help_url() -> str:
    """Get help now. Within a survey, the link's own help page: it speaks to the link's
    audience and leads back to the question page the person left."""
    link = g.get("link")
    if link is None:
        return url_for("respondent.get_help")
    if g.get("rendering_frame"):
        return HELP_MARK  # the kept frame's stand-in, replaced on each page
    page_id = (
        (request.view_args or {}).get("page_id")
        if request.endpoint == "respondent.question_page"
        else None
    )
    return url_for("respondent.link_help", code=link.code, **({"page": page_id} if page_id else {}))


def kiosk_link() -> object | None:
    """The link being answered, when it is a shared tablet's (kiosk) link."""
    link = g.get("link")
    return link if link is not None and link.kiosk else None


def draft_lifetime_hours() -> int:
    return max(1, current_app.config["DRAFT_LIFETIME_MINUTES"] // 60)


def format_number(value: int) -> str:
    return format_decimal(value)


def format_day(value: date, style: str = "long") -> str:
    return format_date(value, style)


_DIMENSION_NAMES = {
    "audience": _l("Audience"),
    "age_band": _l("Age band"),
    "language": _l("Language"),
    "channel": _l("Channel"),
    "wave": _l("Wave"),
    "period": _l("Period"),
}


def dimension_name(dimension: str) -> str:
    return str(_DIMENSION_NAMES.get(dimension, dimension))


def query_with(**changes: str) -> str:
    """This page's query string with some parameters replaced (filters kept)."""
    args = request.args.to_dict(flat=False)
    args.update({key: [value] for key, value in changes.items()})
    return urlencode(args, doseq=True)


def option_text(label: str) -> str:
    """A label in the page's language when it belongs to a built-in scale."""
    return say(label) if label in BUILT_IN_LABELS else label


def safe_json(value: str) -> Markup:
    """JSON that cannot close the <script type="application/json"> element it sits in."""
    escaped = value.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(escaped)  # noqa: S704 - no <, > or & is left to interpret


def plain(value: object) -> str:
    """Text with no markup added, for places markup cannot go (the page title)."""
    return str.__str__(value) if isinstance(value, str) else str(value)


def init_app(app: Flask) -> None:
    app.jinja_env.finalize = mark_fallback
    app.jinja_env.filters["plain"] = plain
    app.jinja_env.filters["option_text"] = option_text
    app.jinja_env.filters["safe_json"] = safe_json
    app.jinja_env.tests["fallback"] = lambda value: isinstance(value, FallbackText)
    app.jinja_env.globals.update(
        current_locale=current_locale,
        text_direction=text_direction,
        language_direction=language_direction,
        language_name=language_name,
        language_switch=language_switch,
        offered_languages=offered_languages,
        option_label=option_label,
        question_partial=question_partial,
        macros=macros,
        face_for=face_for,
        place_asked_about=place_asked_about,
        helplines=helplines,
        draft_lifetime_hours=draft_lifetime_hours,
        format_number=format_number,
        format_date=format_day,
        static_url=static_url,
        dimension_name=dimension_name,
        query_with=query_with,
        privacy_url=privacy_url,
        privacy_url_for=privacy_url_for,
        accessibility_url=accessibility_url,
        organisation=current_organisation,
        organisation_name=organisation_name,
        own_words=own_words,
        contact_link=contact_link,
        accessibility_reviewed=accessibility_reviewed,
        help_url=help_url,
        kiosk_link=kiosk_link,
        public_link_url=public_link_url,
    )
