"""The respondent journey through the Flask test client, on both databases."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from feedback.storage.db import db
from feedback.storage.models import Answer, Draft, SurveyResponse
from tests.respondent import SAMPLE_ANSWERS, Respondent


def counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():

        def n(model: type) -> int:
            return db.session.scalar(select(func.count()).select_from(model))

        return n(SurveyResponse), n(Answer), n(Draft)


def test_start_page_describes_the_survey(respondent: Respondent) -> None:
    page = respondent.get(f"/s/{respondent.code}").get_data(as_text=True)
    assert "Feeling safe where you spend time" in page
    assert "we cannot reply to you" in page
    assert "It takes about 3 minutes." in page
    assert "Start now" in page


def test_completing_the_survey_stores_exactly_one_response(
    app: Flask, respondent: Respondent
) -> None:
    response = respondent.complete()
    assert response.status_code == 303
    assert response.location.endswith(f"/s/{respondent.code}/done?lang=en")
    assert "Your answers have been sent" in respondent.get(response.location).get_data(as_text=True)
    responses, answers, drafts = counts(app)
    assert (responses, drafts) == (1, 0)
    # places x2, feel_safe, makes_safer x2, workers_with_group, listened_to, text
    assert answers == 8


def test_stored_answers_hold_the_choices_and_scrubbed_text(
    app: Flask, respondent: Respondent
) -> None:
    respondent.start()
    answers = dict(SAMPLE_ANSWERS)
    answers["one_change"] = {"change_one_thing": "Text me on 07700 900123 or me@example.com"}
    respondent.answer_all(answers)
    assert respondent.submit().status_code == 303
    with app.app_context():
        rows = db.session.execute(select(Answer.item_key, Answer.choice, Answer.text)).all()
    assert ("places_visited", "park", None) in rows
    assert ("feel_safe", "4", None) in rows
    text = next(t for key, _c, t in rows if key == "change_one_thing")
    assert "07700" not in text and "example.com" not in text
    assert "[phone number removed]" in text and "[email removed]" in text


def test_resubmitting_or_double_tapping_never_stores_a_second_response(
    app: Flask, respondent: Respondent
) -> None:
    first = respondent.complete()
    second = respondent.submit()
    third = respondent.submit()
    assert first.status_code == 303 and first.location.endswith("/done?lang=en")
    # Sent already: the page says so ("If you sent your answers already...") and stores nothing.
    assert second.status_code == third.status_code == 410
    assert "If you sent your answers already" in second.get_data(as_text=True)
    assert counts(app)[0] == 1


def test_refreshing_the_confirmation_page_stores_nothing(
    app: Flask, respondent: Respondent
) -> None:
    done = respondent.complete().location
    for _ in range(3):
        assert respondent.get(done).status_code == 200
    assert counts(app)[0] == 1


def test_back_link_and_progress(respondent: Respondent) -> None:
    respondent.start()
    respondent.answer("places", {"places_visited": ["park"]})
    page = respondent.get(f"/s/{respondent.code}/q/safety").get_data(as_text=True)
    assert f'href="/s/{respondent.code}/q/places" class="back-link"' in page
    assert "Page 2 of 6" in page


def test_show_if_hides_a_page_and_drops_its_answers(app: Flask, respondent: Respondent) -> None:
    respondent.start()
    respondent.answer("places", {"places_visited": ["park"]})
    respondent.answer("safety", {"feel_safe": "2"})
    # Going back and un-answering the first question hides the safety page...
    nxt = respondent.answer("places", {})
    assert nxt.location.endswith("/q/safer")
    hidden = respondent.get(f"/s/{respondent.code}/q/safety")
    assert hidden.status_code == 303
    # ...and its answer is not stored.
    respondent.answer_all({"safer": {}, "workers": {}, "told_first": {}, "one_change": {}})
    respondent.submit()
    with app.app_context():
        keys = set(db.session.scalars(select(Answer.item_key)))
    assert "feel_safe" not in keys


def test_an_answer_to_a_hidden_question_is_ignored(app: Flask, respondent: Respondent) -> None:
    respondent.start()
    # places_visited left blank hides the safety page; a forged answer to it goes nowhere.
    respondent.answer("places", {"feel_safe": "1"})
    respondent.answer_all({"safer": {}, "workers": {}, "told_first": {}, "one_change": {}})
    respondent.submit()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_check_answers_lists_answers_with_change_links(respondent: Respondent) -> None:
    respondent.start()
    respondent.answer_all()
    page = respondent.get(f"/s/{respondent.code}/check").get_data(as_text=True)
    assert "Park or open space" in page and "Happy" in page
    assert f"/s/{respondent.code}/q/places?from=check" in page


def test_change_from_check_answers_returns_to_check_answers(respondent: Respondent) -> None:
    respondent.start()
    respondent.answer_all()
    response = respondent.post(
        f"/s/{respondent.code}/q/workers?from=check", {"workers_with_group": "yes"}
    )
    assert response.location.endswith(f"/s/{respondent.code}/check")


def test_answers_are_kept_when_going_back(respondent: Respondent) -> None:
    respondent.start()
    respondent.answer("places", {"places_visited": ["park", "online"]})
    page = respondent.get(f"/s/{respondent.code}/q/places").get_data(as_text=True)
    assert 'value="park" checked' in page and 'value="online" checked' in page
    assert 'value="shops" checked' not in page


def test_question_pages_are_not_cached_and_answers_never_in_urls(respondent: Respondent) -> None:
    respondent.start()
    page = respondent.get(f"/s/{respondent.code}/q/places")
    assert page.headers["Cache-Control"] == "no-store"
    saved = respondent.answer("places", {"places_visited": ["park"]})
    assert "park" not in saved.location


def test_submitted_response_has_only_a_date_and_no_visitor_details(
    app: Flask, respondent: Respondent
) -> None:
    respondent.client.environ_base.update(
        {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "UniquePhone/1.0"}
    )
    respondent.complete()
    with app.app_context():
        response = db.session.scalars(select(SurveyResponse)).one()
        stored = {c.key: getattr(response, c.key) for c in SurveyResponse.__table__.columns}
    assert set(stored) == {
        "id",
        "survey_id",
        "survey_version_id",
        "link_id",
        "language",
        "submitted_on",
        "record_key",
    }
    assert "203.0.113.7" not in repr(stored) and "UniquePhone" not in repr(stored)
    assert type(stored["submitted_on"]).__name__ == "date"


def test_submit_leaves_no_cookie_on_the_device(respondent: Respondent) -> None:
    sent = respondent.complete()
    assert "feedback=;" in sent.headers["Set-Cookie"]  # the session cookie is deleted
    assert "Set-Cookie" not in respondent.get(sent.location).headers
    with respondent.client.session_transaction() as session:
        assert dict(session) == {}


def test_response_ids_are_not_sequential(app: Flask, sample_link: str) -> None:
    for _ in range(3):
        Respondent(app.test_client(), sample_link).complete()
    with app.app_context():
        ids = sorted(db.session.scalars(select(SurveyResponse.id)))
    assert len(ids) == 3
    assert ids[1] - ids[0] != 1 or ids[2] - ids[1] != 1
