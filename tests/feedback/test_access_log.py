"""The access log names no respondent page: a page shown after an answer gives it away."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from feedback.web.access_log import AccessLogger, redact_path


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
