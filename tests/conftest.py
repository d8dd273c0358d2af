"""Shared fixtures: real databases built by the migrations, a real app, a test client.

Every test that uses `app` runs twice: on SQLite and on the PostgreSQL server at
TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from feedback import create_app
from feedback.storage.db import Base, db
from feedback.storage.migrate import upgrade
from feedback.storage.models import Link, SurveyRecord
from feedback.storage.survey_translations import load_shipped_translations
from feedback.storage.survey_versions import create_link, store_survey
from surveys import BANK_DIR, load_survey
from surveys.yaml_io import read_yaml
from tests.respondent import Respondent

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
SAMPLE_SURVEY = BANK_DIR / "sample-young-people.yaml"


def _create_postgres_database() -> tuple[str, str]:
    name = f"feedback_test_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    return name, f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"


def _drop_postgres_database(name: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh database of each kind, built by running the migrations once."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        upgrade(url)
        yield url
        return
    name, url = _create_postgres_database()
    try:
        upgrade(url)
        yield url
    finally:
        _drop_postgres_database(name)


def make_app(database_url: str, **overrides: object) -> Flask:
    return create_app(app_config(database_url, **overrides))


def app_config(database_url: str, **overrides: object) -> dict[str, object]:
    """The settings every test app runs with."""
    config: dict[str, object] = {
        "FEEDBACK_ENV": "test",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "SERVER_NAME": "localhost",
        # Limits are shared by every app in the process; the test of them turns them on.
        "RATELIMIT_ENABLED": False,
    }
    config.update(overrides)
    return config


def _empty_tables(app: Flask) -> None:
    with app.app_context():
        for table in reversed(Base.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    yield app
    _empty_tables(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def load_definition(app: Flask, path: Path = SAMPLE_SURVEY) -> SurveyRecord:
    """Load a survey file as the CLI would, returning its record."""
    with app.app_context():
        survey = load_survey(path)
        result = store_survey(db.session, survey, read_yaml(path.read_bytes()), date.today())
        load_shipped_translations(db.session, result.version.survey_id, survey)
        db.session.commit()
        return db.session.get(SurveyRecord, result.version.survey_id)


def add_link(app: Flask, record: SurveyRecord, **fields: object) -> str:
    with app.app_context():
        survey = db.session.get(SurveyRecord, record.id)
        link = create_link(
            db.session,
            survey,
            channel=str(fields.pop("channel", "Test channel")),
            audience="young_people",
        )
        for name, value in fields.items():
            setattr(link, name, value)
        db.session.commit()
        return link.code


@pytest.fixture
def sample_link(app: Flask) -> str:
    """The code of a link to the sample survey."""
    return add_link(app, load_definition(app))


@pytest.fixture
def respondent(client: FlaskClient, sample_link: str) -> Respondent:
    return Respondent(client, sample_link)


def link_id(app: Flask, code: str) -> int:
    with app.app_context():
        from sqlalchemy import select

        return db.session.scalar(select(Link.id).where(Link.code == code))


def age_responses(app: Flask, days: int = 7) -> None:
    """Move every response back `days` days and recount, so they fall in closed weeks."""
    from datetime import timedelta

    from sqlalchemy import select

    from feedback.storage import tallies
    from feedback.storage.models import SurveyResponse

    with app.app_context():
        for response in db.session.scalars(select(SurveyResponse)):
            response.submitted_on = response.submitted_on - timedelta(days=days)
        db.session.flush()
        for survey_id in set(db.session.scalars(select(SurveyResponse.survey_id))):
            tallies.rebuild(db.session, survey_id)
        db.session.commit()
