"""A staff action reaches every gunicorn worker within RESPONDENT_CACHE_SECONDS (ADR 17).

The link is switched off by another process than the server's (this test's), as a
designer's request on another machine would: each worker has the link cached, and must
stop accepting it within the documented seconds.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import update

from feedback.storage.db import db
from feedback.storage.migrate import upgrade
from feedback.storage.models import Link
from tests.conftest import add_link, load_definition, make_app
from tests.http_respondent import HttpRespondent
from tests.servers import Gunicorn

pytestmark = pytest.mark.reliability
CACHE_SECONDS = 2
# How long past the cache's seconds a busy machine may take to serve the next page.
SLACK_SECONDS = 8


def test_a_link_switched_off_elsewhere_closes_on_every_worker_within_the_seconds(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'workers.sqlite'}"
    upgrade(url)
    app = make_app(url)
    code = add_link(app, load_definition(app))
    server = Gunicorn(
        url, workers=2, extra_env={"RESPONDENT_CACHE_SECONDS": str(CACHE_SECONDS)}
    ).start()
    try:
        # Several connections, so both workers read (and keep) the link.
        people = [HttpRespondent("127.0.0.1", server.port, code, timeout=30) for _ in range(6)]
        assert all(person.get(f"/s/{code}") == 200 for person in people)
        with app.app_context():
            db.session.execute(update(Link).where(Link.code == code).values(is_active=False))
            db.session.commit()
        switched_off = time.monotonic()
        deadline = switched_off + CACHE_SECONDS + SLACK_SECONDS
        while time.monotonic() < deadline:
            if all(person.get(f"/s/{code}") == 410 for person in people):
                break
            time.sleep(0.2)
        closed_after = time.monotonic() - switched_off
        assert all(person.get(f"/s/{code}") == 410 for person in people), closed_after
        # Every worker: fresh connections are spread over both.
        fresh = [HttpRespondent("127.0.0.1", server.port, code, timeout=30) for _ in range(6)]
        assert all(person.get(f"/s/{code}") == 410 for person in fresh)
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()
