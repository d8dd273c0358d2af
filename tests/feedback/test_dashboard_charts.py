"""Charts that print: the report and the comparison carry server-drawn SVG beside their tables."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from feedback.storage.db import db
from feedback.storage.models import SurveyRecord, Wave
from tests.conftest import add_link, age_responses, load_definition
from tests.feedback.test_dashboard import sign_in
from tests.feedback.test_dashboards_full import MONDAY, SLUG, cut_release_weeks_ago, park, submit

SVG = "{http://www.w3.org/2000/svg}"


def svgs(page: str) -> list[ET.Element]:
    return [
        ET.fromstring(found)  # noqa: S314 - the app's own output, parsed to check it
        for found in re.findall(r"<svg xmlns=\"http://www.w3.org/2000/svg\".*?</svg>", page, re.S)
    ]


def described(svg: ET.Element) -> str:
    return svg.find(f"{SVG}desc").text or ""


def test_the_report_draws_every_answer_and_marks_the_hidden_ones(
    app: Flask, client: FlaskClient
) -> None:
    record = load_definition(app)
    code = add_link(app, record)
    submit(app, code, 27, park("2"))
    submit(app, code, 3, park("5"))
    age_responses(app)
    sign_in(app, client)
    page = client.get(f"/dashboards/{SLUG}/report").get_data(as_text=True)
    charts = {svg.find(f"{SVG}title").text: svg for svg in svgs(page)}
    feel = charts["How safe do those places usually feel?"]
    # Five faces and "I don't know": every one keeps its bar, the small ones marked hidden.
    assert len(list(feel.iter(f"{SVG}rect"))) == 6
    assert "Very happy: hidden to protect privacy" in described(feel)
    assert re.search(r"; Unhappy: \d+%;", described(feel))
    assert feel.get("role") == "img"
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_comparison_draws_both_waves_with_their_intervals(
    app: Flask, client: FlaskClient
) -> None:
    record = load_definition(app)
    code = add_link(app, record)
    submit(app, code, 20, park("2"))
    submit(app, code, 10, park("5"))
    age_responses(app, 21)
    cut_release_weeks_ago(app, 2)
    submit(app, code, 10, park("2"))
    submit(app, code, 20, park("5"))
    age_responses(app, 7)
    with app.app_context():
        survey_id = db.session.scalar(select(SurveyRecord.id).where(SurveyRecord.slug == SLUG))
        split = MONDAY - timedelta(weeks=2)
        db.session.add_all(
            [
                Wave(
                    survey_id=survey_id,
                    name="Before",
                    starts_on=None,
                    ends_on=split - timedelta(days=1),
                ),
                Wave(
                    survey_id=survey_id,
                    name="After",
                    starts_on=split,
                    ends_on=MONDAY - timedelta(days=1),
                ),
            ]
        )
        db.session.commit()
        before, after = (w.id for w in db.session.scalars(select(Wave).order_by(Wave.id)))
    sign_in(app, client)
    page = client.get(f"/dashboards/{SLUG}/compare?a={before}&b={after}").get_data(as_text=True)
    charts = {svg.find(f"{SVG}title").text: svg for svg in svgs(page)}
    feel = charts["How safe do those places usually feel?"]
    words = described(feel)
    assert "with 95% intervals" in words
    assert "Very happy: Before: 33% (" in words and "After: 67% (" in words
    assert "Okay: Before: hidden to protect privacy, After: hidden to protect privacy" in words
    legend = [t.text for t in feel.iter(f"{SVG}text")][:2]
    assert legend == ["Before", "After"]
