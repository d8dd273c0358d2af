"""The kept frame of respondent pages is byte for byte what a fresh render gives.

Two apps on one database: one keeps the frame (head, exit bar, header, footer) per
language, audience and kind of link; the other renders base.html for every page. Every
respondent page, in every offered language, through every kind of link, must come out
the same from both (apart from the CSRF token, which is random per session).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from feedback.storage.db import db
from feedback.storage.models import Link
from tests.conftest import add_link, load_definition, make_app
from tests.respondent import Respondent

TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')


def _same(kept: FlaskClient, fresh: FlaskClient, path: str, **kwargs: object) -> str:
    """GET or POST `path` through both apps and check the bodies are equal; return it."""
    method = "POST" if "data" in kwargs else "GET"
    a = kept.open(path, method=method, **kwargs)
    b = fresh.open(path, method=method, **kwargs)
    assert a.status_code == b.status_code, path
    body_a = TOKEN.sub("TOKEN", a.get_data(as_text=True))
    body_b = TOKEN.sub("TOKEN", b.get_data(as_text=True))
    assert body_a == body_b, f"{method} {path} differs between the kept and a fresh frame"
    return body_a


@pytest.fixture
def fresh_app(app: Flask, database_url: str) -> Iterator[Flask]:
    fresh = make_app(database_url, RESPONDENT_FRAME_CACHE=False)
    yield fresh
    with fresh.app_context():
        db.engine.dispose()


def links_of_every_kind(app: Flask) -> dict[str, str]:
    record = load_definition(app)
    return {
        "young people": add_link(app, record),
        "parents": add_link(app, record, audience="parents", channel="Parents' evening"),
        "kiosk": add_link(app, record, kiosk=True, channel="Youth club tablet"),
        "test": add_link(app, record, is_test=True, channel="Trying it out"),
    }


def test_every_page_in_every_language_is_the_same_with_the_kept_frame(
    app: Flask, fresh_app: Flask
) -> None:
    assert app.config["RESPONDENT_FRAME_CACHE"] and not fresh_app.config["RESPONDENT_FRAME_CACHE"]
    every_respondent_page_alike(app, fresh_app, links_of_every_kind(app))


def every_respondent_page_alike(one: Flask, other: Flask, links: dict[str, str]) -> None:
    """Every respondent page, in every offered language, through each link, is the same
    from both apps (the kept and the fresh frame; the served and the whole app)."""
    languages = one.config["LANGUAGES"]
    assert len(languages) >= 15
    for language in languages:
        for kind, code in links.items():
            kept, fresh = one.test_client(), other.test_client()
            page = _same(kept, fresh, f"/s/{code}?lang={language}")
            assert f'lang="{language}"' in page, (kind, language)
            # Each client starts its own draft: the same pages from then on.
            for client in (kept, fresh):
                Respondent(client, code).start()
            _same(kept, fresh, f"/s/{code}/before-you-start")
            _same(kept, fresh, f"/s/{code}/q/places")
            _same(kept, fresh, f"/s/{code}/check")
            _same(kept, fresh, f"/s/{code}/help?page=places")
            _same(kept, fresh, f"/s/{code}/privacy/young-people")
            _same(kept, fresh, f"/s/{code}/accessibility")
            _same(kept, fresh, f"/s/{code}/done")
        kept, fresh = one.test_client(), other.test_client()
        for path in ("/", "/help", "/privacy", "/privacy/parents/full", "/accessibility"):
            _same(kept, fresh, f"{path}?lang={language}")
        _same(kept, fresh, f"/s/nosuchcode?lang={language}")


def test_pages_with_errors_closed_links_and_unknown_languages_are_the_same(
    app: Flask, fresh_app: Flask
) -> None:
    code = links_of_every_kind(app)["young people"]
    kept, fresh = app.test_client(), fresh_app.test_client()
    for client in (kept, fresh):
        Respondent(client, code).start()
    page = _same(kept, fresh, f"/s/{code}/q/places?lang=pl")
    # An answer that is not one of the options: the page again, its title marked Error.
    a = kept.post(
        f"/s/{code}/q/places", data={"places_visited": "moon", "csrf_token": _token(kept, code)}
    )
    b = fresh.post(
        f"/s/{code}/q/places", data={"places_visited": "moon", "csrf_token": _token(fresh, code)}
    )
    assert a.status_code == b.status_code == 400
    assert TOKEN.sub("TOKEN", a.text) == TOKEN.sub("TOKEN", b.text)
    assert _title(a.text) != _title(page) and _title(a.text).endswith(_title(page))
    _same(app.test_client(), fresh_app.test_client(), f"/s/{code}?lang=xx")
    with app.app_context():
        db.session.query(Link).filter_by(code=code).update({"is_active": False})
        db.session.commit()
    closed = _same(app.test_client(), fresh_app.test_client(), f"/s/{code}?lang=cy")
    assert 'lang="cy"' in closed


def _token(client: FlaskClient, code: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"/s/{code}/q/places").text)
    assert found, "no form on the question page"
    return found.group(1)


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found
    return found.group(1)
