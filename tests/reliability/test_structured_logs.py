"""The logs of a real gunicorn in production: one JSON object a line, nothing personal.

gunicorn's error log and the app's own log both go to standard error, as under systemd;
the access log to its own file. A respondent walks through the survey from their own
loopback address with a phone's user agent, and the database goes away for a moment.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask

from tests.http_respondent import SAMPLE_PAGES, HttpRespondent
from tests.servers import Gunicorn, TempPostgres

pytestmark = pytest.mark.reliability
CLIENT = "127.0.0.9"
USER_AGENT = "Phone-of-a-young-person/1.0"
HOUR = re.compile(r"\d{4}-\d\d-\d\dT\d\d:00:00Z")
SECOND = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def parsed(path: Path) -> list[dict]:
    lines = path.read_text().splitlines()
    assert lines, f"{path} is empty"
    return [json.loads(line) for line in lines]  # every line is one JSON object


def test_production_logs_are_json_lines_without_anything_personal(
    prepared: tuple[Flask, str], private_postgres: TempPostgres, tmp_path: Path
) -> None:
    _app, code = prepared
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    server = Gunicorn(private_postgres.url, workers=1, access_log=access, error_log=errors)
    server.start()
    try:
        person = HttpRespondent("127.0.0.1", server.port, code, user_agent=USER_AGENT)
        person.connection.source_address = (CLIENT, 0)
        person.answer_all(SAMPLE_PAGES[:3])
        private_postgres.stop()
        try:
            assert person.get(f"/s/{code}/q/{SAMPLE_PAGES[3][0]}") == 503
        finally:
            private_postgres.start()
        person.close()
    finally:
        server.stop()

    requests = parsed(access)
    assert {line["logger"] for line in requests} == {"gunicorn.access"}
    question = next(line for line in requests if line["path"] == f"/s/{code}/q/…")
    assert question["method"] in ("GET", "POST") and question["status"] in (200, 303)
    assert isinstance(question["duration_ms"], int) and question["level"] == "info"
    assert question["message"] == f"{question['method']} /s/{code}/q/… {question['status']}"
    assert any(line["status"] == 503 for line in requests)
    assert all(HOUR.fullmatch(line["time"]) for line in requests)

    others = parsed(errors)
    assert any(line["logger"] == "gunicorn.error" for line in others)  # booting, stopping
    outage = next(line for line in others if line["logger"] == "feedback")
    assert outage["level"] == "warning" and "database" in outage["message"]
    assert outage["path"] == f"/s/{code}/q/…" and HOUR.fullmatch(outage["time"])
    assert all(SECOND.fullmatch(line["time"]) for line in others if "path" not in line)

    for text in (access.read_text(), errors.read_text()):
        for page_id, _answers in SAMPLE_PAGES:
            assert f"/q/{page_id}" not in text
        assert CLIENT not in text and USER_AGENT not in text


def test_development_logs_are_plain_lines(
    prepared: tuple[Flask, str], private_postgres: TempPostgres, tmp_path: Path
) -> None:
    _app, code = prepared
    access = tmp_path / "access.log"
    server = Gunicorn(
        private_postgres.url, workers=1, access_log=access, extra_env={"LOG_FORMAT": "plain"}
    ).start()
    try:
        person = HttpRespondent("127.0.0.1", server.port, code)
        assert person.get(f"/s/{code}") == 200
        person.close()
    finally:
        server.stop()
    assert re.fullmatch(rf"GET /s/{code} 200 \d+ms\n", access.read_text())
