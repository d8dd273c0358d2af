"""The access log of a whole walk through a survey, as gunicorn writes it in production."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.http_respondent import SAMPLE_PAGES, HttpRespondent
from tests.servers import Gunicorn, TempPostgres

pytestmark = pytest.mark.reliability


def test_a_full_walk_leaves_no_respondent_page_id_in_the_access_log(
    prepared: tuple[Flask, str], private_postgres: TempPostgres, tmp_path: Path
) -> None:
    _app, code = prepared
    log = tmp_path / "access.log"
    server = Gunicorn(private_postgres.url, workers=1, access_log=log).start()
    try:
        person = HttpRespondent("127.0.0.1", server.port, code)
        person.answer_all()
        assert person.submit() == 303
        person.close()
    finally:
        server.stop()
    text = log.read_text()
    assert f"POST /s/{code}/q/… 303" in text  # the walk was logged, without its pages
    for page_id, _answers in SAMPLE_PAGES:
        assert f"/q/{page_id}" not in text
    assert "127.0.0.1" not in text
