"""A reworded question on the dashboard: the team says, when publishing, whether it is the
same question (answers counted together) or a new one (answers shown per wording, with a
note), and every figure per wording still comes from the one protected release."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from feedback.storage import releases
from feedback.storage.db import db
from feedback.storage.models import AuditEvent, SurveyRecord, SurveyVersion, Wave
from tests.conftest import add_link, age_responses, load_definition
from tests.feedback.test_dashboards_full import MONDAY, SLUG, park, submit
from tests.feedback.test_survey_editor import EDIT, designer, publish

OLD = "How safe do those places usually feel?"
NEW = "How safe do those places feel to you?"


def reworded(app: Flask, choice: str | None) -> FlaskClient:
    """30 answers to the old wording in a first release, the question reworded through the
    editor (published on the Monday after that release), then 30 answers to the new one."""
    record = load_definition(app)
    code = add_link(app, record)
    submit(app, code, 30, park("2"))
    age_responses(app, 14)
    with app.app_context():
        assert releases.cut(db.session, record.id, date.today() - timedelta(days=7), 10)
        db.session.commit()
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    changes = {"feel_safe-text": NEW} | ({"rewording-feel_safe": choice} if choice else {})
    published, review = publish(client, page, **changes)
    assert published.status_code == 303
    shown = review.get_data(as_text=True)
    assert "Reworded questions: how should results show them?" in shown
    assert f"Was: “{OLD}”. Now: “{NEW}”." in shown
    with app.app_context():
        version = db.session.scalar(select(SurveyVersion).where(SurveyVersion.number == 2))
        assert version.rewordings == ({"feel_safe": choice} if choice else None)
        version.published_on = MONDAY - timedelta(days=7)
        db.session.commit()
    submit(app, code, 30, park("5"))
    age_responses(app, 7)
    return client


@pytest.mark.parametrize("choice", ["new", None])
def test_a_new_question_is_shown_per_wording_with_a_note(app: Flask, choice: str | None) -> None:
    client = reworded(app, choice)
    page = client.get(f"/dashboards/{SLUG}").get_data(as_text=True)
    assert "These figures are release 2" in page
    section = page.split(f">{NEW}</h3>", 1)[1].split("</section>", 1)[0]
    assert "The wording of this question changed" in section
    assert f"asked as “{OLD}” up to" in section and f"asked as “{NEW}” from" in section
    headings = re.findall(r'<h4 class="heading-s">([^<]*)</h4>', section)
    assert len(headings) == 2 and OLD in headings[0] and NEW in headings[1]
    # 30 said "Unhappy" to the old wording, 30 "Very happy" to the new: never mixed.
    old_part, new_part = section.split('<h4 class="heading-s">')[1:]
    assert re.search(r"Unhappy</th><td[^>]*>30</td><td[^>]*>100%", old_part)
    assert re.search(r"Very happy</th><td[^>]*>30</td><td[^>]*>100%", new_part)
    assert 'Very happy</th><td class="numeric suppressed"' in old_part
    report = client.get(f"/dashboards/{SLUG}/report").get_data(as_text=True)
    assert report.count('<title id="chart-feel_safe-') == 2
    export = client.get(f"/dashboards/{SLUG}/export.csv").get_data(as_text=True)
    titles = [row[0] for row in csv.reader(io.StringIO(export)) if row and "feel" in row[0]]
    assert f"{NEW} (as asked: {OLD})" in titles and f"{NEW} (as asked: {NEW})" in titles
    with app.app_context():
        detail = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "survey edited")
        ).one()
    assert ("feel_safe reworded as a new question" in detail) == (choice == "new")


def test_a_typo_fix_counts_the_answers_together(app: Flask) -> None:
    client = reworded(app, "same")
    page = client.get(f"/dashboards/{SLUG}").get_data(as_text=True)
    section = page.split(f">{NEW}</h3>", 1)[1].split("</section>", 1)[0]
    assert "wording of this question changed" not in section and "<h4" not in section
    assert re.search(r"Unhappy</th><td[^>]*>30</td><td[^>]*>50%", section)
    assert re.search(r"Very happy</th><td[^>]*>30</td><td[^>]*>50%", section)


def test_a_period_filter_shows_the_wording_of_its_answers(app: Flask) -> None:
    client = reworded(app, "new")
    page = client.get(f"/dashboards/{SLUG}?f=period:1").get_data(as_text=True)
    section = page.split(f">{NEW}</h3>", 1)[1].split("</section>", 1)[0]
    assert "Every answer in this view was given to one wording: As asked up to" in section
    assert OLD in section and "<h4" not in section
    with app.app_context():
        record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == SLUG))
        assert record is not None


@pytest.mark.parametrize(("choice", "compared"), [("new", False), ("same", True)])
def test_waves_either_side_of_a_new_wording_are_not_compared_on_it(
    app: Flask, choice: str, compared: bool
) -> None:
    client = reworded(app, choice)
    client.get(f"/dashboards/{SLUG}")  # cuts the second release
    split = MONDAY - timedelta(days=7)
    with app.app_context():
        survey_id = db.session.scalar(select(SurveyRecord.id).where(SurveyRecord.slug == SLUG))
        before = Wave(survey_id=survey_id, name="Before", ends_on=split - timedelta(days=1))
        after = Wave(
            survey_id=survey_id, name="After", starts_on=split, ends_on=MONDAY - timedelta(1)
        )
        db.session.add_all([before, after])
        db.session.commit()
        ids = before.id, after.id
    page = client.get(f"/dashboards/{SLUG}/compare?a={ids[0]}&b={ids[1]}").get_data(as_text=True)
    assert (f">{NEW}</h2>" in page) == compared
    not_compared = page.split("<details", 1)[1] if "<details" in page else ""
    assert (f"<li>{NEW}</li>" in not_compared) == (not compared)
