"""deploy/nginx/feedback.conf as shipped, in front of gunicorn as production runs it.

Debian's nginx runs the site file with only its addresses, paths and certificate swapped
(tests/servers.py), over HTTPS with a certificate made for the test.
"""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from feedback.storage.db import db
from feedback.storage.migrate import upgrade
from feedback.web.security import CONTENT_SECURITY_POLICY, HSTS
from tests.conftest import add_link, load_definition, make_app
from tests.servers import Gunicorn, Nginx

pytestmark = pytest.mark.reliability
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
    "Cache-Control",
)
CLIENT = "127.0.0.7"  # the address nginx sees the test's client at


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Gunicorn, Nginx, str]]:
    """gunicorn on a SQLite database with the sample survey, and nginx in front: (app
    server, proxy, link code)."""
    url = f"sqlite:///{tmp_path / 'feedback.sqlite'}"
    upgrade(url)
    app: Flask = make_app(url)
    code = add_link(app, load_definition(app))
    with app.app_context():
        db.engine.dispose()
    app_server = Gunicorn(url, workers=1, extra_env={"TRUSTED_PROXIES": "1"}).start()
    proxy = Nginx(app_server.port).start()
    yield app_server, proxy, code
    proxy.remove()
    app_server.stop()


def fetch(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, list[tuple[str, str]], bytes]:
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.getheaders(), response.read()


def values(headers: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in headers if key.lower() == name.lower()]


def test_pages_keep_the_apps_headers_once_and_nginxs_own_answers_get_them_too(
    site: tuple[Gunicorn, Nginx, str],
) -> None:
    app_server, proxy, code = site
    direct = http.client.HTTPConnection("127.0.0.1", app_server.port, timeout=10)
    _status, from_app, _body = fetch(direct, "GET", f"/s/{code}", headers={"Host": "127.0.0.1"})
    through = proxy.connection(source=CLIENT)
    status, proxied, _body = fetch(through, "GET", f"/s/{code}")
    direct.close()
    assert status == 200
    for name in SECURITY_HEADERS:
        assert values(proxied, name) == values(from_app, name), name

    # Too large for nginx (a page of answers is small): refused before the app sees it.
    status, refused, _body = fetch(through, "POST", f"/s/{code}/start", body=b"x" * 3_000_000)
    assert status == 413
    assert values(refused, "Content-Security-Policy") == [CONTENT_SECURITY_POLICY]
    assert values(refused, "Strict-Transport-Security") == [HSTS]
    for name in SECURITY_HEADERS:
        assert len(values(refused, name)) == 1, name
    assert values(refused, "Server") == ["nginx"]  # no version
    through.close()

    # Plain HTTP is sent to HTTPS.
    plain = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
    status, redirect, _body = fetch(plain, "GET", f"/s/{code}", headers={"Host": "127.0.0.1"})
    assert status == 301
    assert values(redirect, "Location") == [f"https://127.0.0.1/s/{code}"]
    plain.close()

    # The app down: nginx's own error page carries the headers too.
    app_server.stop()
    after = proxy.connection(source=CLIENT)
    status, down, _body = fetch(after, "GET", f"/s/{code}")
    after.close()
    assert status == 502
    for name in SECURITY_HEADERS:
        assert len(values(down, name)) == 1, name


def test_only_content_hashed_static_files_are_cached_and_the_log_keeps_nothing_personal(
    site: tuple[Gunicorn, Nginx, str],
) -> None:
    _app_server, proxy, code = site
    connection = proxy.connection(source=CLIENT)
    _status, _headers, page = fetch(
        connection, "GET", f"/s/{code}", headers={"User-Agent": "Phone-of-a-young-person/1.0"}
    )
    stylesheet = re.search(rb'href="(/static/feedback\.css\?v=[0-9a-f]+)"', page).group(1).decode()
    first = fetch(connection, "GET", stylesheet)
    second = fetch(connection, "GET", stylesheet)
    assert first[0] == second[0] == 200 and first[2] == second[2]
    for response in (first, second):
        assert values(response[1], "Cache-Control") == ["public, max-age=31536000, immutable"]
        assert len(values(response[1], "Content-Security-Policy")) == 1
    for page_id in ("places", "safety", "after_dark_places"):
        fetch(connection, "GET", f"/s/{code}/q/{page_id}")
    fetch(connection, "GET", "/static/feedback.css")  # no version: "no-cache", not kept
    connection.close()

    cached = [path for path in proxy.cache.rglob("*") if path.is_file()]
    assert len(cached) == 1, cached  # the hashed stylesheet, and no page
    assert b"/static/feedback.css?v=" in cached[0].read_bytes()

    proxy.stop()  # the log is complete
    log = proxy.access_log.read_text()
    lines = [json.loads(line) for line in log.splitlines()]
    paths = [line["path"] for line in lines]
    assert f"/s/{code}/q/…" in paths and f"/s/{code}" in paths
    for page_id in ("places", "safety", "after_dark_places"):
        assert page_id not in log
    assert CLIENT not in log and "Phone-of-a-young-person" not in log
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:00:00", line["time"]) for line in lines)
    assert {"status", "duration_ms", "method"} <= set(lines[0])
    error_log = proxy.error_log.read_text() if proxy.error_log.exists() else ""
    assert CLIENT not in error_log
