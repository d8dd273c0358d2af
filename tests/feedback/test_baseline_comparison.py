"""A design-stage baseline compared with a later experience survey on the core questions,
after the design-stage responses were deleted for retention."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import func, select

from feedback.storage import releases
from feedback.storage.db import db
from feedback.storage.demo import seed_responses
from feedback.storage.models import SurveyRecord, SurveyResponse, Wave
from feedback.storage.retention import delete_expired
from feedback.storage.survey_versions import create_link
from feedback.storage.tallies import week_start
from surveys import BANK_DIR
from tests.conftest import load_definition
from tests.feedback.test_dashboard import sign_in


def _survey_with_a_wave(app: Flask, name: str, seed: int) -> SurveyRecord:
    record = load_definition(app, BANK_DIR / f"{name}.yaml")
    with app.app_context():
        record = db.session.get(SurveyRecord, record.id)
        links = [
            create_link(db.session, record, channel, "young_people")
            for channel in ("School", "Youth club")
        ]
        last_sunday = week_start(date.today()) - timedelta(days=1)
        seed_responses(db.session, record, links, 120, last_sunday, random.Random(seed))
        release = releases.cut(db.session, record.id, date.today(), 10)
        assert release is not None
        db.session.add(
            Wave(
                survey_id=record.id,
                name=f"{name} wave",
                starts_on=None,
                ends_on=release.covers_before - timedelta(days=1),
            )
        )
        db.session.commit()
        return record


def test_the_core_questions_of_a_baseline_and_a_later_wave_are_compared(app: Flask) -> None:
    design = _survey_with_a_wave(app, "young-people-design", seed=1)
    experience = _survey_with_a_wave(app, "young-people-experience", seed=2)
    with app.app_context():
        # Retention takes the design-stage responses; their released figures stay.
        delete_expired(db.session, date.today() + timedelta(days=3650))
        db.session.commit()
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(SurveyResponse)
                .where(SurveyResponse.survey_id == design.id)
            )
            == 0
        )
        design_wave = db.session.scalar(select(Wave.id).where(Wave.survey_id == design.id))
        experience_wave = db.session.scalar(select(Wave.id).where(Wave.survey_id == experience.id))
    client = app.test_client()
    sign_in(app, client, "designer")
    overview = client.get("/dashboards/young-people-design").get_data(as_text=True)
    assert f'value="young-people-experience/{experience_wave}"' in overview
    page = client.get(
        f"/dashboards/young-people-design/compare?a={design_wave}"
        f"&b=young-people-experience/{experience_wave}"
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    # Core questions, asked alike in both, are compared, with a 95% interval ...
    assert "How safe do you feel walking alone in your area during the day?" in text
    assert re.search(r"[+-]\d+ to [+-]\d+", text)
    # ... and questions asked in one survey only are named as not compared.
    assert "not compared because they were asked differently or only once" in text
