"""What is deleted is gone from the files too: no draft text left in the database or its log."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from feedback.storage.db import db, forget_deleted_rows
from feedback.storage.responses import purge_expired_drafts
from tests.respondent import Respondent

MARKER = "zebra-marker-4417"


def _files(database_url: str) -> list[Path]:
    path = Path(database_url.removeprefix("sqlite:///"))
    return [p for p in (path, Path(f"{path}-wal")) if p.exists()]


def test_an_exited_drafts_words_leave_no_trace_in_the_sqlite_files(
    app: Flask, client: FlaskClient, sample_link: str, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        assert "postgresql" in database_url  # PostgreSQL vacuums on its own schedule
        return
    person = Respondent(client, sample_link)
    person.start()
    person.answer("one_change", {"change_one_thing": f"more lights {MARKER} " * 20})
    assert any(MARKER.encode() in p.read_bytes() for p in _files(database_url))
    assert person.get("/exit").status_code in (200, 302, 303)
    with app.app_context():
        purge_expired_drafts(db.session)
        db.session.commit()
        forget_deleted_rows(db.engine)
    assert not any(MARKER.encode() in p.read_bytes() for p in _files(database_url))


def test_a_draft_records_no_time_finer_than_the_hour(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    """A draft's expiry to the microsecond would say when the person was answering."""
    from sqlalchemy import select

    from feedback.storage.models import Draft

    person = Respondent(client, sample_link)
    person.start()
    person.answer("one_change", {"change_one_thing": "more lights"})
    with app.app_context():
        expiries = list(db.session.scalars(select(Draft.expires_at)))
    assert expiries and all((e.minute, e.second, e.microsecond) == (0, 0, 0) for e in expiries)
