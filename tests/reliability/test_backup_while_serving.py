"""`feedback backup` of a SQLite database while gunicorn stores responses into it.

Each copy must be a database as it stood at one moment: whole, and every response in it
with all of its answers (a copy torn between two submits would break that).
"""

from __future__ import annotations

import http.client
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flask import Flask

from feedback.storage.db import db
from feedback.storage.migrate import upgrade
from tests.conftest import add_link, load_definition, make_app
from tests.http_respondent import HttpRespondent
from tests.servers import SECRET_KEY, Gunicorn

pytestmark = pytest.mark.reliability
FEEDBACK = Path(sys.executable).parent / "feedback"
ANSWERS_PER_RESPONSE = 8  # the sample answers: 2 + 1 + 2 + 1 + 1 + 1 rows
BACKUPS = 4


def counts(database: Path) -> tuple[str, int, int]:
    """(integrity check, responses, answers) of a SQLite file."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        responses = connection.execute("SELECT count(*) FROM responses").fetchone()[0]
        answers = connection.execute("SELECT count(*) FROM answers").fetchone()[0]
    connection.close()
    return check, responses, answers


def test_backups_taken_while_responses_arrive_are_each_whole(tmp_path: Path) -> None:
    database = tmp_path / "feedback.sqlite"
    url = f"sqlite:///{database}"
    upgrade(url)
    app: Flask = make_app(url)
    code = add_link(app, load_definition(app))
    with app.app_context():
        db.engine.dispose()
    server = Gunicorn(url, workers=2).start()
    stop = threading.Event()
    submitted: list[int] = []

    def keep_submitting() -> None:
        while not stop.is_set():
            person = HttpRespondent("127.0.0.1", server.port, code)
            try:
                person.answer_all()
                submitted.append(person.submit())
            except (OSError, http.client.HTTPException):
                pass
            finally:
                person.close()

    clients = [threading.Thread(target=keep_submitting) for _ in range(2)]
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY}
    env.update(FEEDBACK_ENV="production", PUBLIC_URL="https://feedback.example.gov.uk")
    env.update(ORGANISATION_NAME="Anytown Council")
    copies = []
    try:
        for client in clients:
            client.start()
        for number in range(BACKUPS):
            copy = tmp_path / f"copy-{number}.backup"
            made = subprocess.run(  # noqa: S603 - fixed command line
                [str(FEEDBACK), "backup", str(copy)], env=env, capture_output=True, text=True
            )
            assert made.returncode == 0, made.stderr
            copies.append(copy)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=30)
        server.stop()

    assert submitted and set(submitted) == {303}
    seen = [counts(copy) for copy in copies]
    for check, responses, answers in seen:
        assert check == "ok"
        assert answers == ANSWERS_PER_RESPONSE * responses
    # The copies were taken while responses arrived: later ones hold more.
    assert seen[-1][1] > seen[0][1] or seen[-1][1] == len(submitted)
