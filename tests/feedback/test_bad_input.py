"""Bad input gets a clear page and a 4xx; nothing is half-stored or doubled."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from feedback.storage.db import db
from feedback.storage.models import Draft, SurveyResponse
from tests.respondent import Respondent


def stored_responses(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def draft_answers(app: Flask) -> dict:
    with app.app_context():
        return db.session.scalars(select(Draft)).one().answers


@pytest.mark.parametrize("code", ["zzzzzzzz", "abc", "a" * 40, "..%2F..", "%00", "<script>"])
def test_unknown_or_malformed_link_codes_get_a_friendly_404(client, code: str) -> None:
    response = client.get(f"/s/{code}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "We cannot find this survey" in page or "Page not found" in page
    assert "<script>" not in page and "Traceback" not in page


@pytest.mark.parametrize(
    ("page_id", "form", "message"),
    [
        ("places", {"places_visited": ["park", "moon"]}, "Choose one of the answers shown"),
        ("places", {"places_visited": ["park", "rather_not_say"]}, "You cannot choose “"),
        ("workers", {"workers_with_group": ["yes", "no"]}, "Choose only one answer"),
        ("workers", {"workers_with_group": "definitely"}, "Choose one of the answers shown"),
        (
            "safer",
            {"makes_safer": ["friends", "lighting", "busy", "security"]},
            "Choose up to 3 answers",
        ),
        ("one_change", {"change_one_thing": "x" * 1001}, "Shorten it to 1000 or fewer"),
        ("one_change", {"change_one_thing": ["a", "b"]}, "Choose only one answer"),
    ],
)
def test_invalid_answers_are_explained_and_kept(
    app: Flask, respondent: Respondent, page_id: str, form: dict, message: str
) -> None:
    respondent.start()
    respondent.answer("places", {"places_visited": ["park"]})
    response = respondent.answer(page_id, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    assert page.startswith("<!doctype html>") and "<title>Error:" in page
    # Nothing from the bad page reached the draft; earlier answers are intact.
    assert draft_answers(app) == {"places_visited": ["park"]}


def test_typed_text_is_kept_when_the_page_has_an_error(respondent: Respondent) -> None:
    respondent.start()
    long_text = "A long answer " * 80
    page = respondent.answer("one_change", {"change_one_thing": long_text}).get_data(as_text=True)
    assert long_text.strip()[:200] in page


def test_a_number_out_of_range_is_refused(app: Flask, client, tmp_path) -> None:
    from tests.conftest import add_link, load_definition

    survey = tmp_path / "age.yaml"
    survey.write_text(
        "id: ages\ntitle: Ages\naudience: young_people\nquestions:\n"
        "  - {id: age, type: number, text: 'How old are you?', min: 10, max: 18}\n"
    )
    code = add_link(app, load_definition(app, survey))
    person = Respondent(client, code)
    person.start()
    for value, message in [
        ("25", "Enter a number from 10 to 18"),
        ("twelve", "Enter a whole number"),
        ("1e3", "Enter a whole number"),
    ]:
        response = person.answer("age", {"age": value})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert person.answer("age", {"age": "\uff11\uff14"}).status_code == 303  # full-width 14
    assert draft_answers(app) == {"age": 14}


def test_script_typed_into_free_text_is_stored_as_text_and_escaped(
    app: Flask, respondent: Respondent
) -> None:
    respondent.start()
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    respondent.answer("one_change", {"change_one_thing": payload})
    page = respondent.get(f"/s/{respondent.code}/check").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_non_utf8_bytes_get_a_clear_message(app: Flask, respondent: Respondent) -> None:
    respondent.start()
    body = b"csrf_token=" + respondent.token.encode() + b"&change_one_thing=caf%E9%FF"
    response = respondent.client.post(
        f"/s/{respondent.code}/q/one_change",
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "could not be read" in response.get_data(as_text=True)


def test_nul_and_control_characters_are_dropped(app: Flask, respondent: Respondent) -> None:
    respondent.start()
    respondent.answer("one_change", {"change_one_thing": "safe\x00r \x07parks"})
    assert draft_answers(app) == {"change_one_thing": "safer parks"}


def test_an_oversized_body_is_refused_with_413(app: Flask, respondent: Respondent) -> None:
    respondent.start()
    response = respondent.answer("one_change", {"change_one_thing": "x" * 200_000})
    assert response.status_code == 413
    assert "too much to send" in response.get_data(as_text=True)
    assert draft_answers(app) == {}


def test_a_post_without_the_form_token_is_refused(app: Flask, respondent: Respondent) -> None:
    respondent.start()
    response = respondent.client.post(
        f"/s/{respondent.code}/q/places", data={"places_visited": "park"}
    )
    assert response.status_code == 400
    assert "open too long" in response.get_data(as_text=True)
    assert draft_answers(app) == {}


def test_submit_without_a_draft_stores_nothing(app: Flask, respondent: Respondent) -> None:
    respondent.get(f"/s/{respondent.code}")
    response = respondent.submit()
    assert response.status_code == 410
    assert "Your answers were cleared" in response.get_data(as_text=True)
    assert stored_responses(app) == 0


def test_an_expired_draft_cannot_be_continued_or_submitted(
    app: Flask, respondent: Respondent
) -> None:
    respondent.start()
    respondent.answer("places", {"places_visited": ["park"]})
    with app.app_context():
        from datetime import datetime, timedelta

        draft = db.session.scalars(select(Draft)).one()
        draft.expires_at = datetime(2000, 1, 1) + timedelta(hours=1)
        db.session.commit()
    assert respondent.get(f"/s/{respondent.code}/q/safety").status_code == 410
    assert respondent.submit().status_code == 410
    assert stored_responses(app) == 0


def test_question_pages_need_a_started_survey(respondent: Respondent) -> None:
    response = respondent.get(f"/s/{respondent.code}/q/places")
    assert response.status_code == 410
    assert "Start again" in response.get_data(as_text=True)


def test_an_unknown_page_id_goes_back_to_a_real_page(respondent: Respondent) -> None:
    respondent.start()
    response = respondent.get(f"/s/{respondent.code}/q/not_a_page")
    assert response.status_code == 303
    assert response.location.endswith("/q/places")


def test_wrong_method_gets_a_page_not_a_traceback(client, sample_link: str) -> None:
    response = client.delete(f"/s/{sample_link}")
    assert response.status_code == 405
    assert "Something was wrong" in response.get_data(as_text=True)


def test_raw_non_utf8_bytes_do_not_silently_empty_the_form(
    app: Flask, respondent: Respondent
) -> None:
    respondent.start()
    respondent.answer("places", {"places_visited": ["park"]})
    body = b"csrf_token=" + respondent.token.encode() + b"&places_visited=caf\xe9"
    response = respondent.client.post(
        f"/s/{respondent.code}/q/places",
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert draft_answers(app) == {"places_visited": ["park"]}
