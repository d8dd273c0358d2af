"""Crashes, database outages and concurrent submits against real processes (loopback only).

Each test is bounded in time and count, and stops its servers itself.
"""

from __future__ import annotations

import http.client
import random
import threading
import time

import pytest
from flask import Flask
from sqlalchemy import func, select

from feedback.storage.db import db
from feedback.storage.models import Answer, SurveyResponse
from tests.http_respondent import SAMPLE_PAGES, HttpRespondent
from tests.servers import Gunicorn, TempPostgres

pytestmark = pytest.mark.reliability
ANSWERS_PER_RESPONSE = 8  # the sample answers: 2 + 1 + 2 + 1 + 1 + 1 rows


def pages_with(note: str) -> list:
    return [*SAMPLE_PAGES[:-1], ("one_change", {"change_one_thing": note})]


def wait_for(condition, seconds: float) -> None:  # noqa: ANN001
    """Poll until `condition()` holds, for at most `seconds` (tests stay bounded)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def stored_notes(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))))


def test_a_crash_under_load_loses_no_acknowledged_response_and_doubles_none(
    prepared: tuple[Flask, str], private_postgres: TempPostgres
) -> None:
    app, code = prepared
    server = Gunicorn(private_postgres.url, workers=2).start()
    acknowledged: list[str] = []
    stop = threading.Event()

    def respondent_loop(number: int) -> None:
        rng = random.Random(number)
        while not stop.is_set():
            # Letters only: a long number would be scrubbed as a phone number.
            note = f"client {number} note " + "".join(rng.choices("abcdefghijk", k=16))
            person = HttpRespondent("127.0.0.1", server.port, code, timeout=5)
            try:
                person.answer_all(pages_with(note))
                status = person.submit()
            except (OSError, http.client.HTTPException, AssertionError):
                # The server went away mid-way (a refused connection, or a reply cut off):
                # like a dropped phone signal. Not acknowledged, so not counted.
                continue
            finally:
                person.close()
            if status == 303:
                acknowledged.append(note)

    threads = [threading.Thread(target=respondent_loop, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    wait_for(lambda: len(acknowledged) >= 5, seconds=30)
    server.kill()  # SIGKILL, mid-load
    before_crash = len(acknowledged)
    time.sleep(0.5)
    server.start()
    wait_for(lambda: len(acknowledged) >= before_crash + 5, seconds=30)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    server.stop()

    notes = stored_notes(app)
    assert len(acknowledged) >= before_crash + 5  # and it kept working after the restart
    for note in acknowledged:
        assert notes.count(note) == 1, note
    with app.app_context():
        sizes = (
            db.session.execute(
                select(func.count()).select_from(Answer).group_by(Answer.response_id)
            )
            .scalars()
            .all()
        )
        total = db.session.scalar(select(func.count()).select_from(SurveyResponse))
    assert set(sizes) == {ANSWERS_PER_RESPONSE} and len(sizes) == total  # none half-stored


def test_a_database_outage_keeps_the_answers_and_submits_once_after(
    prepared: tuple[Flask, str], private_postgres: TempPostgres
) -> None:
    app, code = prepared
    server = Gunicorn(private_postgres.url, workers=1).start()
    try:
        person = HttpRespondent("127.0.0.1", server.port, code)
        person.answer_all()
        private_postgres.stop()
        status, _headers, page = person.request("POST", f"/s/{code}/submit", {})
        assert status == 503 and b"Please try again" in page
        assert b'name="csrf_token"' in page  # the form to send again is on the page
        health = HttpRespondent("127.0.0.1", server.port, code)
        assert health.request("GET", "/healthz")[0] == 503
        private_postgres.start()
        assert health.request("GET", "/healthz")[0] == 200
        status, headers, _page = person.request("POST", f"/s/{code}/submit", {})
        assert status == 303 and "/done" in headers["Location"]
        assert person.submit() == 410  # a second press finds the visit over: nothing more
    finally:
        server.stop()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_a_page_of_answers_sent_during_an_outage_is_kept_in_the_form(
    prepared: tuple[Flask, str], private_postgres: TempPostgres
) -> None:
    app, code = prepared
    server = Gunicorn(private_postgres.url, workers=1).start()
    try:
        person = HttpRespondent("127.0.0.1", server.port, code)
        person.get(f"/s/{code}")
        person.post(f"/s/{code}/start", {})
        private_postgres.stop()
        status, _headers, page = person.request(
            "POST", f"/s/{code}/q/places", {"places_visited": ["park", "shops"]}
        )
        assert status == 503
        assert b'name="places_visited" value="park"' in page
        assert b'name="places_visited" value="shops"' in page
        private_postgres.start()
        status, _headers = person.post(f"/s/{code}/q/places", {"places_visited": ["park", "shops"]})
        assert status == 303
    finally:
        server.stop()


def test_the_same_submission_from_many_threads_at_once_stores_one_response(
    prepared: tuple[Flask, str], private_postgres: TempPostgres
) -> None:
    app, code = prepared
    server = Gunicorn(private_postgres.url, workers=4).start()
    try:
        person = HttpRespondent("127.0.0.1", server.port, code)
        person.answer_all()
        barrier = threading.Barrier(12)
        results: list[int] = []

        def submit_copy() -> None:
            twin = HttpRespondent("127.0.0.1", server.port, code)
            twin.cookie, twin.token = person.cookie, person.token
            barrier.wait()
            results.append(twin.submit())
            twin.close()

        threads = [threading.Thread(target=submit_copy) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        server.stop()
    assert results.count(303) >= 1 and len(results) == 12
    assert all(status in (303, 410) for status in results)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_two_app_processes_share_one_database_and_any_can_serve_any_page(
    prepared: tuple[Flask, str], private_postgres: TempPostgres
) -> None:
    """Stateless app processes: start on one, answer on the other, submit on the first."""
    app, code = prepared
    first = Gunicorn(private_postgres.url, workers=1).start()
    second = Gunicorn(private_postgres.url, workers=1).start()
    try:
        person = HttpRespondent("127.0.0.1", first.port, code)
        person.get(f"/s/{code}")
        assert person.post(f"/s/{code}/start", {})[0] == 303
        for index, (page_id, fields) in enumerate(SAMPLE_PAGES):
            server = second if index % 2 == 0 else first
            hop = HttpRespondent("127.0.0.1", server.port, code)
            hop.cookie, hop.token = person.cookie, person.token
            assert hop.post(f"/s/{code}/q/{page_id}", fields)[0] == 303, page_id
            person.cookie = hop.cookie or person.cookie
            hop.close()
        assert person.submit() == 303
    finally:
        first.stop()
        second.stop()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
        assert db.session.scalar(select(func.count()).select_from(Answer)) == ANSWERS_PER_RESPONSE


def test_rate_limits_are_shared_by_app_processes_through_redis(
    prepared: tuple[Flask, str], private_postgres: TempPostgres
) -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=15).flushdb()
    settings = {
        "RATELIMIT_ENABLED": "true",
        "LOGIN_RATE_LIMIT": "3 per minute",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
    }
    first = Gunicorn(private_postgres.url, workers=1, extra_env=settings).start()
    second = Gunicorn(private_postgres.url, workers=1, extra_env=settings).start()
    try:
        person = HttpRespondent("127.0.0.1", first.port, "none")
        person.get("/sign-in")
        statuses = []
        for server in (first, first, second, second):
            attempt = HttpRespondent("127.0.0.1", server.port, "none")
            attempt.cookie, attempt.token = person.cookie, person.token
            statuses.append(
                attempt.request(
                    "POST", "/sign-in", {"email": "x@example.org", "password": "wrong"}
                )[0]
            )
    finally:
        first.stop()
        second.stop()
        redis.Redis(host="127.0.0.1", port=6379, db=15).flushdb()
    # Three tries in all, wherever they land; the fourth is refused by the other process.
    assert statuses == [400, 400, 400, 429]
