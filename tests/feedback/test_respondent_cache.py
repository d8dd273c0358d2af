"""What respondent pages keep per process (docs/adr/0017): a staff action reaches them at
once through the process that made it, and other processes within RESPONDENT_CACHE_SECONDS."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import update

from feedback.respondent.cache import respondent_cache
from feedback.storage.db import db
from feedback.storage.memo import Memo
from feedback.storage.models import ChangeNote, Link, SurveyRecord
from tests.conftest import add_link, load_definition, make_app
from tests.feedback.test_link_status import csrf, designer


def test_the_start_page_is_served_from_the_cache_once_read(app: Flask, sample_link: str) -> None:
    client = app.test_client()
    assert client.get(f"/s/{sample_link}").status_code == 200
    with app.app_context():
        assert ("link", sample_link) in respondent_cache()._values
        # Changed behind the app's back (no commit through a session of this process's
        # apps would do that): the page still shows what it read, so the cache is real.
        connection = db.engine.connect()
        connection.execute(update(Link).where(Link.code == sample_link).values(is_active=False))
        connection.commit()
        connection.close()
    assert client.get(f"/s/{sample_link}").status_code == 200


def test_a_link_switched_off_by_a_designer_closes_at_once(app: Flask, sample_link: str) -> None:
    respondent = app.test_client()
    assert respondent.get(f"/s/{sample_link}").status_code == 200
    staff = designer(app)
    token = csrf(staff, f"/workspace/links/{sample_link}")
    switched = staff.post(
        f"/workspace/links/{sample_link}/state", data={"active": "no", "csrf_token": token}
    )
    assert switched.status_code == 303
    assert respondent.get(f"/s/{sample_link}").status_code == 410


def test_a_note_added_in_another_app_of_the_process_shows_at_once(
    app: Flask, sample_link: str, database_url: str
) -> None:
    respondent = app.test_client()
    assert "More lights in the park" not in respondent.get(f"/s/{sample_link}").text
    other = make_app(database_url)  # as a command or another app in this process would
    with other.app_context():
        survey_id = db.session.query(Link.survey_id).filter_by(code=sample_link).scalar()
        db.session.add(
            ChangeNote(
                survey_id=survey_id,
                you_said="The park is dark",
                we_did="More lights in the park",
                published_on=date.today(),
            )
        )
        db.session.commit()
        db.session.close()
        db.engine.dispose()
    assert "More lights in the park" in respondent.get(f"/s/{sample_link}").text


def test_a_bulk_update_of_a_survey_empties_the_cache(app: Flask) -> None:
    record = load_definition(app)
    code = add_link(app, record)
    client = app.test_client()
    assert client.get(f"/s/{code}").status_code == 200
    with app.app_context():
        db.session.execute(
            update(SurveyRecord).where(SurveyRecord.id == record.id).values(is_open=False)
        )
        db.session.commit()
    assert client.get(f"/s/{code}").status_code == 410


def test_a_change_rolled_back_leaves_the_cache_alone(app: Flask, sample_link: str) -> None:
    client = app.test_client()
    client.get(f"/s/{sample_link}")
    with app.app_context():
        db.session.execute(update(Link).where(Link.code == sample_link).values(is_active=False))
        db.session.rollback()
        db.session.commit()
        assert ("link", sample_link) in respondent_cache()._values


def test_a_value_is_made_again_after_its_seconds() -> None:
    made = []
    cache: Memo[str, None] = Memo(size=10, seconds=0)
    for _ in range(3):
        cache.get("key", lambda: made.append(1))
    assert len(made) == 3
    cache = Memo(size=2, seconds=60)
    for key in ("a", "a", "b", "c"):
        cache.get(key, lambda: made.append(1))
    assert len(made) == 6  # "a" once, "b", then "c" into an emptied cache
