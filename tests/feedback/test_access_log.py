"""The access log names no respondent page: a page shown after an answer gives it away."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from feedback.config import ConfigError, log_format
from feedback.web.access_log import AccessLogger, redact_path
from feedback.web.logs import redact_text


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("/s/abc123/q/worried_places", "/s/abc123/q/…"),
        ("/s/abc123/q/worried_places?lang=cy", "/s/abc123/q/…?lang=cy"),
        ("/s/abc123/check", "/s/abc123/check"),
        ("/dashboards/sample-young-people", "/dashboards/sample-young-people"),
    ],
)
def test_respondent_page_ids_are_taken_out_of_paths(path: str, kept: str) -> None:
    assert redact_path(path) == kept


def test_every_format_atom_leaves_out_the_page_and_the_visitor() -> None:
    logger = AccessLogger(Config())
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/s/abc123/q/after_dark_places",
        "PATH_INFO": "/s/abc123/q/after_dark_places",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": "Phone",
        "QUERY_STRING": "",
        "HTTP_REFERER": "https://example.org/",
    }
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", "203.0.113.9")])
    response = SimpleNamespace(status="303 See Other", sent=10, headers=[])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=12))
    text = " ".join(str(v) for v in atoms.values())
    assert "after_dark_places" not in text
    assert "203.0.113.9" not in text and "Phone" not in text and "example.org" not in text
    assert atoms["U"] == "/s/abc123/q/…" and atoms["s"] == "303"


def test_messages_lose_respondent_page_ids_wherever_they_are() -> None:
    message = "Error handling request /s/abc123/q/after_dark_places?lang=cy"
    assert redact_text(message) == "Error handling request /s/abc123/q/…?lang=cy"


@pytest.mark.parametrize(
    ("environ", "chosen"),
    [
        ({}, "json"),
        ({"FEEDBACK_ENV": "production"}, "json"),
        ({"FEEDBACK_ENV": "development"}, "plain"),
        ({"FEEDBACK_ENV": "production", "LOG_FORMAT": "plain"}, "plain"),
        ({"FEEDBACK_ENV": "development", "LOG_FORMAT": "JSON"}, "json"),
    ],
)
def test_logs_are_json_in_production_and_plain_in_development(
    environ: dict[str, str], chosen: str
) -> None:
    assert log_format(environ) == chosen


def test_an_unknown_log_format_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigError, match="LOG_FORMAT must be json or plain, not 'xml'"):
        log_format({"LOG_FORMAT": "xml"})


def test_a_failed_statement_never_quotes_the_answer_it_carried(database_url: str) -> None:
    from sqlalchemy import text

    from feedback.storage.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection, pytest.raises(Exception) as failure:
            connection.execute(
                text("INSERT INTO no_such_table (note) VALUES (:note)"),
                {"note": "I get picked on at the bus stop"},
            )
    finally:
        engine.dispose()
    assert "bus stop" not in str(failure.value)
