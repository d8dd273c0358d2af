"""Every respondent page speaks to its audience: each string it shows is looked up with the
gettext context of the link's audience, so each language can use the register that audience
needs (informal to young people, polite to parents)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Flask, g
from flask.testing import FlaskClient

from feedback.config import TRANSLATIONS_DIR
from feedback.storage.gettext_catalogues import (
    AUDIENCE_CONTEXTS,
    extract_jinja_for_audiences,
    extract_python_for_audiences,
)
from feedback.web.locale import CatalogueDomain, babel
from tests.conftest import add_link, load_definition
from tests.respondent import Respondent

# Every kind of question, with a long matrix and a page that show_if brings in.
EVERY_QUESTION = Path(__file__).resolve().parents[1] / "every_question.yaml"
PAGES = ["where", "feelings", "grid", "more"]


def every_question_survey(app: Flask) -> Any:
    return load_definition(app, EVERY_QUESTION)


# -- the catalogue ----------------------------------------------------------------------------


def test_every_respondent_message_names_its_audience() -> None:
    template = read_po(io.BytesIO((TRANSLATIONS_DIR / "messages.pot").read_bytes()))
    without = [m.id for m in template if m.id and m.context not in AUDIENCE_CONTEXTS]
    assert without == []


def test_say_in_a_template_is_extracted_once_for_each_audience() -> None:
    source = (
        b"{{ say('Exit this page') }} {{ say_n('%(num)d minute', '%(num)d minutes', n) }}"
        b" {{ pgettext('parents', 'Only parents') }} {{ say(variable) }}"
    )
    found = [
        (keyword, message)
        for _line, keyword, message, _c in extract_jinja_for_audiences(
            io.BytesIO(source), ["pgettext", "npgettext"], [], {}
        )
    ]
    assert found == [
        ("pgettext", ("young_people", "Exit this page")),
        ("pgettext", ("parents", "Exit this page")),
        ("npgettext", ("young_people", "%(num)d minute", "%(num)d minutes")),
        ("npgettext", ("parents", "%(num)d minute", "%(num)d minutes")),
        ("pgettext", ("parents", "Only parents")),
    ]


def test_say_and_built_in_labels_in_python_are_extracted_once_for_each_audience() -> None:
    source = b"say('Phone')\nN_('Happy')\nsay_to(link.audience, 'Poster')\ngettext('Plain')\n"
    found = [
        (keyword, message)
        for _line, keyword, message, _c in extract_python_for_audiences(
            io.BytesIO(source), ["gettext"], [], {}
        )
    ]
    assert found == [
        ("pgettext", ("young_people", "Phone")),
        ("pgettext", ("parents", "Phone")),
        ("pgettext", ("young_people", "Happy")),
        ("pgettext", ("parents", "Happy")),
        ("pgettext", ("young_people", "Poster")),
        ("pgettext", ("parents", "Poster")),
        ("gettext", "Plain"),
    ]


# -- the pages, as rendered -------------------------------------------------------------------


class RecordingTranslations:
    """The real catalogue, noting every (context, message) a page looks up."""

    def __init__(self, real: NullTranslations | Translations, seen: set[tuple[str | None, str]]):
        self.real, self.seen = real, seen

    def ugettext(self, message: str) -> str:
        self.seen.add((None, message))
        return self.real.ugettext(message)

    def ungettext(self, singular: str, plural: str, num: int) -> str:
        self.seen.add((None, singular))
        return self.real.ungettext(singular, plural, num)

    def upgettext(self, context: str, message: str) -> str:
        self.seen.add((context, message))
        return self.real.upgettext(context, message)

    def unpgettext(self, context: str, singular: str, plural: str, num: int) -> str:
        self.seen.add((context, singular))
        return self.real.unpgettext(context, singular, plural, num)

    gettext, ngettext, pgettext, npgettext = ugettext, ungettext, upgettext, unpgettext


class RecordingDomain(CatalogueDomain):
    def __init__(self, seen: set[tuple[str | None, str]]):
        super().__init__()
        self.seen = seen

    def get_translations(self) -> Any:
        found = super().get_translations()
        if not isinstance(found, RecordingTranslations):
            found = g.ui_translations = RecordingTranslations(found, self.seen)
        return found


@pytest.fixture
def lookups() -> Iterator[set[tuple[str | None, str]]]:
    """Every (context, message) looked up while the test runs."""
    seen: set[tuple[str | None, str]] = set()
    real = babel.domain_instance
    babel.domain_instance = RecordingDomain(seen)
    try:
        yield seen
    finally:
        babel.domain_instance = real


def visit_every_page(client: FlaskClient, code: str, language: str) -> None:
    """Start, every question page (with an error), check, help, send, and after."""
    respondent = Respondent(client, code)
    assert respondent.get(f"/s/{code}?lang={language}").status_code == 200
    assert respondent.start().status_code == 303
    assert respondent.get(f"/s/{code}/before-you-start").status_code == 200
    respondent.answer("where", {"places": ["park"]})
    for page_id in PAGES:
        assert respondent.get(f"/s/{code}/q/{page_id}").status_code == 200, page_id
    too_long = respondent.answer("more", {"word": "x" * 30, "age": "9", "mood3": "7"})
    assert too_long.status_code == 400
    assert respondent.get(f"/s/{code}/check").status_code == 200
    assert respondent.get(f"/s/{code}/help?page=grid").status_code == 200
    assert respondent.submit().status_code == 303
    assert respondent.get(f"/s/{code}/done?lang={language}").status_code == 200
    assert respondent.get(f"/s/{code}/q/where").status_code == 410


@pytest.mark.parametrize(
    ("link_audience", "voice"),
    [("young_people", "young_people"), ("parents", "parents"), ("mixed", "parents")],
)
@pytest.mark.parametrize("language", ["en", "pl"])
def test_every_page_of_a_link_speaks_in_the_voice_of_its_audience(
    app: Flask, client: FlaskClient, lookups: set, link_audience: str, voice: str, language: str
) -> None:
    record = every_question_survey(app)
    code = add_link(app, record, audience=link_audience, kiosk=True)
    visit_every_page(client, code, language)
    assert len(lookups) > 100
    assert {context for context, _message in lookups} == {voice}


def test_pages_without_a_link_speak_politely_and_privacy_pages_to_their_own_audience(
    client: FlaskClient, lookups: set
) -> None:
    for path in ["/", "/help", "/nowhere", "/s/zzzz9999"]:
        client.get(path)
    assert {context for context, _message in lookups} == {"parents"}
    lookups.clear()
    client.get("/privacy")  # the young people's privacy page
    assert {context for context, _message in lookups} == {"young_people"}
    lookups.clear()
    client.get("/privacy/parents")
    assert {context for context, _message in lookups} == {"parents"}


def test_a_closed_link_and_a_used_code_speak_in_the_links_voice(
    app: Flask, client: FlaskClient, lookups: set
) -> None:
    from datetime import date, timedelta

    record = every_question_survey(app)
    closed = add_link(app, record, closes_on=date.today() - timedelta(days=1))
    carded = add_link(app, record, audience="young_people", requires_code=True)
    assert client.get(f"/s/{closed}").status_code == 410
    respondent = Respondent(client, carded)
    respondent.get(f"/s/{carded}")
    assert respondent.post(f"/s/{carded}/start", {"access_code": "nope"}).status_code == 400
    assert {context for context, _message in lookups} == {"young_people"}
