"""Fixtures for tests against real server processes: gunicorn and a private PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from feedback.storage.migrate import upgrade
from tests.conftest import add_link, load_definition, make_app
from tests.servers import TempPostgres


@pytest.fixture
def private_postgres() -> Iterator[TempPostgres]:
    cluster = TempPostgres().init()
    yield cluster
    cluster.destroy()


@pytest.fixture
def prepared(private_postgres: TempPostgres) -> Iterator[tuple[Flask, str]]:
    """The private database migrated, with the sample survey and a link: (app, code)."""
    upgrade(private_postgres.url)
    app = make_app(private_postgres.url)
    code = add_link(app, load_definition(app))
    yield app, code
    from feedback.storage.db import db

    with app.app_context():
        db.engine.dispose()
