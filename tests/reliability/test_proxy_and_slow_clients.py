"""The server as deployed: behind a trusted reverse proxy (nginx), and facing slow clients.

Each test starts its own servers on loopback ports (gunicorn with gunicorn.conf.py, nginx
with deploy/nginx/feedback.conf: the settings production uses) and stops them itself; the
database is a SQLite file.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask

from feedback.storage.db import db
from feedback.storage.migrate import upgrade
from tests.conftest import add_link, load_definition, make_app
from tests.servers import Gunicorn, Nginx

pytestmark = pytest.mark.reliability
SLOW_CLIENTS = 20
ANSWER_WITHIN_SECONDS = 2.0


@pytest.fixture
def survey_database(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A migrated SQLite database with the sample survey and a link: (url, code)."""
    url = f"sqlite:///{tmp_path / 'feedback.sqlite'}"
    upgrade(url)
    app: Flask = make_app(url)
    code = add_link(app, load_definition(app))
    with app.app_context():
        db.engine.dispose()
    yield url, code


# -- behind nginx: each client its own rate-limit bucket, whatever it claims -----------------
def failed_sign_in(proxy: Nginx, source: str, forwarded_for: str | None = None) -> int:
    """One wrong password from the loopback address `source` (nginx sees each client's own
    address: Linux answers on every 127.x.y.z)."""
    connection = proxy.connection(source=source)
    extra = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    try:
        connection.request("GET", "/sign-in", headers=extra)
        response = connection.getresponse()
        page = response.read().decode()
        cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        body = urlencode(
            {
                "email": f"someone-{time.monotonic_ns()}@example.org",
                "password": "wrong",
                "csrf_token": token,
            }
        )
        connection.request(
            "POST",
            "/sign-in",
            body=body,
            headers={
                **extra,
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        answer = connection.getresponse()
        refusal = answer.read().decode()
        if answer.status == 400:
            # Refused for the password, as a browser's sign-in is: over HTTPS too, with no
            # Referer (the pages send Referrer-Policy: no-referrer).
            assert "The email address or password is not right" in refusal
        return answer.status
    finally:
        connection.close()


def test_behind_nginx_clients_have_their_own_buckets_and_cannot_claim_another(
    survey_database: tuple[str, str],
) -> None:
    url, _code = survey_database
    # One worker, so the limits kept in its memory are the only ones.
    app_server = Gunicorn(
        url,
        workers=1,
        extra_env={
            "RATELIMIT_ENABLED": "true",
            "LOGIN_RATE_LIMIT": "3 per minute",
            "TRUSTED_PROXIES": "1",
        },
    ).start()
    proxy = Nginx(app_server.port).start()
    try:
        first = [failed_sign_in(proxy, "127.0.0.2") for _ in range(4)]
        second = failed_sign_in(proxy, "127.0.0.3")
        # The first client pretends to be someone else: nginx appends the address it saw,
        # and only that last entry is believed.
        spoofed = failed_sign_in(proxy, "127.0.0.2", forwarded_for="203.0.113.50")
    finally:
        proxy.remove()
        app_server.stop()
    assert first == [400, 400, 400, 429]
    assert second == 400
    assert spoofed == 429


# -- slow clients do not take the server -------------------------------------------------------
class SlowClients:
    """Connections that send a request a byte at a time and never finish: half stall in
    the headers (slowloris), half in a body they said would be long."""

    def __init__(self, port: int, count: int):
        self.port, self.count = port, count
        self.sockets: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)

    def __enter__(self) -> SlowClients:
        for number in range(self.count):
            slow = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            if number % 2:
                slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            else:
                slow.sendall(
                    b"POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n"
                    b"Content-Length: 100000\r\n\r\nemail="
                )
            self.sockets.append(slow)
        self.thread.start()
        return self

    def _trickle(self) -> None:
        while not self.stop.wait(0.5):
            for number, slow in enumerate(self.sockets):
                # An error means the server gave up on it: what a server should do.
                with contextlib.suppress(OSError):
                    slow.sendall(b"X-Slow: a\r\n" if number % 2 else b"a")

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for slow in self.sockets:
            slow.close()


def timed_get(port: int, path: str) -> tuple[int, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


def test_twenty_slow_clients_leave_health_and_survey_pages_answering(
    survey_database: tuple[str, str],
) -> None:
    url, code = survey_database
    server = Gunicorn(url, workers=2).start()
    try:
        timed_get(server.port, "/healthz")  # both workers up and the app loaded
        with SlowClients(server.port, SLOW_CLIENTS):
            time.sleep(1.5)  # the slow requests are being read, a byte at a time
            answers = [
                timed_get(server.port, path)
                for _ in range(3)
                for path in ("/healthz", f"/s/{code}")
            ]
    finally:
        server.stop()
    assert [status for status, _ in answers] == [200] * 6
    slowest = max(seconds for _, seconds in answers)
    assert slowest < ANSWER_WITHIN_SECONDS, answers
