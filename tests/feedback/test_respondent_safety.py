"""Safety and privacy features around the survey: exit explanation, codes, kiosks, help."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import func, select

from feedback.storage.access_codes import generate_codes
from feedback.storage.db import db
from feedback.storage.models import AccessCode, Draft, Link, SurveyResponse
from tests.conftest import add_link, load_definition
from tests.respondent import SAMPLE_ANSWERS, Respondent


def test_exit_this_page_is_explained_once_before_the_first_question(respondent: Respondent) -> None:
    first = respondent.start()
    assert first.location.endswith(f"/s/{respondent.code}/before-you-start")
    page = respondent.get(first.location).get_data(as_text=True)
    assert "does not clear your browsing history" in page
    assert "Shift key 3 times" in page
    assert f'href="/s/{respondent.code}/q/places" class="button"' in page
    # Starting again in the same visit goes straight to the questions.
    respondent.get("/exit")
    respondent.get(f"/s/{respondent.code}")
    again = respondent.post(f"/s/{respondent.code}/start")
    assert again.location.endswith("/before-you-start")


def test_every_respondent_page_has_exit_and_help(respondent: Respondent) -> None:
    respondent.start()
    for path in [
        f"/s/{respondent.code}",
        f"/s/{respondent.code}/q/places",
        f"/s/{respondent.code}/check",
        "/help",
        "/privacy",
    ]:
        page = respondent.get(path).get_data(as_text=True)
        assert 'id="exit-this-page"' in page, path
        # Within a survey, help is the link's own help page (its voice, a way back).
        assert 'href="/help"' in page or f'href="/s/{respondent.code}/help' in page, path


def test_help_lists_the_national_lines_and_local_ones(app: Flask, client) -> None:
    app.config["LOCAL_HELPLINES"] = [
        {
            "name": "Anytown Children's Services",
            "description": "Weekdays 9 to 5",
            "phone": "01234 567890",
        }
    ]
    page = client.get("/help").get_data(as_text=True)
    for text in [
        "Childline",
        "0800 1111",
        "NSPCC",
        "0808 800 5000",
        "Meic",
        "080880 23456",
        "999",
        "Anytown Children&#39;s Services",
        'href="tel:01234567890"',
    ]:
        assert text in page


def test_privacy_page_matches_the_audience_of_the_link(app: Flask, client) -> None:
    record = load_definition(app)
    code = add_link(app, record, audience="parents")
    page = client.get(f"/s/{code}").get_data(as_text=True)
    # Within a survey the notice is the survey's own: it names who runs it and its retention.
    assert f'href="/s/{code}/privacy/parents"' in page
    assert "You cannot see your child" in client.get(f"/s/{code}/privacy/parents").get_data(
        as_text=True
    )
    parents = client.get("/privacy/parents").get_data(as_text=True)
    assert "You cannot see your child" in parents
    young = client.get("/privacy/young-people", follow_redirects=True).get_data(as_text=True)
    assert "Your parent or carer cannot see your answers" in young
    assert client.get("/privacy/everyone").status_code == 404


def single_use_link(app: Flask, count: int = 2) -> tuple[str, list[str]]:
    code = add_link(app, load_definition(app))
    with app.app_context():
        link = db.session.scalar(select(Link).where(Link.code == code))
        codes = generate_codes(db.session, link, count)
        db.session.commit()
    return code, codes


def test_a_link_with_codes_refuses_to_start_without_a_good_one(app: Flask, client) -> None:
    code, _codes = single_use_link(app)
    person = Respondent(client, code)
    person.get(f"/s/{code}")
    for attempt in ["", "wrongcode", "x" * 100]:
        response = person.post(f"/s/{code}/start", {"access_code": attempt})
        assert response.status_code == 400
        assert "Enter the code from your card" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_each_code_lets_exactly_one_response_through(app: Flask) -> None:
    code, codes = single_use_link(app, 1)
    first = Respondent(app.test_client(), code)
    second = Respondent(app.test_client(), code)
    for person in (first, second):
        person.get(f"/s/{code}")
        assert person.post(f"/s/{code}/start", {"access_code": codes[0].upper()}).status_code == 303
        person.answer_all(SAMPLE_ANSWERS)
    assert first.submit().status_code == 303
    refused = second.submit()
    assert refused.status_code == 409
    assert "already been used" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
        # The refused person's answers are still there, not lost.
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 1
        used = db.session.scalars(select(AccessCode)).one()
    assert used.used is True
    assert {c.key for c in AccessCode.__table__.columns} == {"code_hash", "link_id", "used"}


def test_codes_are_stored_only_as_hashes(app: Flask) -> None:
    _code, codes = single_use_link(app, 3)
    with app.app_context():
        stored = list(db.session.scalars(select(AccessCode.code_hash)))
    assert not set(codes) & set(stored)
    assert all(len(h) == 64 for h in stored)


def test_a_kiosk_link_resets_to_the_start_leaving_nothing(app: Flask, client) -> None:
    code = add_link(app, load_definition(app), kiosk=True)
    person = Respondent(client, code)
    person.start()
    person.answer("places", {"places_visited": ["park"]})
    page = person.get(f"/s/{code}/q/safety").get_data(as_text=True)
    assert f'data-kiosk-reset="/s/{code}/reset"' in page
    assert re.search(r'<noscript><meta http-equiv="refresh" content="1200;url=/s/\w+/reset">', page)
    reset = person.get(f"/s/{code}/reset")
    assert reset.status_code == 303 and reset.location.endswith(f"/s/{code}")
    assert "cookies" in reset.headers["Clear-Site-Data"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_a_kiosk_confirmation_page_returns_to_the_start_by_itself(app: Flask, client) -> None:
    code = add_link(app, load_definition(app), kiosk=True)
    person = Respondent(client, code)
    done = person.complete().location
    page = person.get(done).get_data(as_text=True)
    assert f'<meta http-equiv="refresh" content="20;url=/s/{code}/reset">' in page
    assert "Start again for the next person" in page


def test_an_ordinary_link_has_no_kiosk_timer(respondent: Respondent) -> None:
    respondent.start()
    page = respondent.get(f"/s/{respondent.code}/q/places").get_data(as_text=True)
    assert "data-kiosk-reset" not in page and "http-equiv" not in page


def test_long_text_offers_a_character_count(respondent: Respondent) -> None:
    respondent.start()
    page = respondent.get(f"/s/{respondent.code}/q/one_change").get_data(as_text=True)
    assert 'data-maxlength="1000"' in page
    assert 'data-count-left="Characters left: %(count)s"' in page
    assert "Please don't write names of people, your school or addresses." in page
