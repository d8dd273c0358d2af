"""Shared links: channels not people, opening and closing, quick exit."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import func, select

from feedback.storage.db import db
from feedback.storage.models import Draft, SurveyRecord
from tests.conftest import add_link, load_definition
from tests.respondent import Respondent


def test_a_closed_link_gets_a_friendly_page(app: Flask, client) -> None:
    code = add_link(app, load_definition(app), is_active=False)
    response = client.get(f"/s/{code}")
    assert response.status_code == 410
    assert "This survey has closed" in response.get_data(as_text=True)


def test_a_link_past_its_closing_date_is_closed(app: Flask, client) -> None:
    code = add_link(app, load_definition(app), closes_on=date.today() - timedelta(days=1))
    assert client.get(f"/s/{code}").status_code == 410


def test_a_link_before_its_opening_date_says_when_it_opens(app: Flask, client) -> None:
    opens = date.today() + timedelta(days=3)
    code = add_link(app, load_definition(app), opens_on=opens)
    response = client.get(f"/s/{code}")
    assert response.status_code == 403
    assert str(opens.year) in response.get_data(as_text=True)


def test_closing_the_survey_closes_its_links(app: Flask, client) -> None:
    record = load_definition(app)
    code = add_link(app, record)
    with app.app_context():
        db.session.get(SurveyRecord, record.id).is_open = False
        db.session.commit()
    assert client.get(f"/s/{code}").status_code == 410


def test_codes_are_case_insensitive(app: Flask, client, sample_link: str) -> None:
    assert client.get(f"/s/{sample_link.upper()}").status_code == 200


def test_quick_exit_discards_the_draft_and_leaves_for_a_neutral_site(
    app: Flask, respondent: Respondent
) -> None:
    respondent.start()
    respondent.answer("places", {"places_visited": ["park"]})
    response = respondent.get("/exit")
    assert response.status_code == 303
    assert response.location == app.config["EXIT_URL"]
    assert "cookies" in response.headers["Clear-Site-Data"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0
    with respondent.client.session_transaction() as session:
        assert dict(session) == {}


def test_starting_again_replaces_the_old_draft(app: Flask, client, sample_link: str) -> None:
    person = Respondent(client, sample_link)
    person.start()
    person.get("/exit")
    person.start()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 1


def test_pages_send_security_headers(client, sample_link: str) -> None:
    response = client.get(f"/s/{sample_link}")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_a_browser_session_cookie(client, sample_link: str) -> None:
    person = Respondent(client, sample_link)
    response = person.start()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires" not in cookie and "Max-Age" not in cookie
