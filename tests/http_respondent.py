"""A respondent over real HTTP (http.client, one keep-alive connection, its own cookie).

Used by the reliability tests and the benchmarks to drive a running server the way a
browser would: GET each page, POST each answer, follow nothing automatically.
"""

from __future__ import annotations

import http.client
import re
import weakref
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

CSRF = re.compile(rb'name="csrf_token"[^>]*? value="([^"]+)"')
SAMPLE_PAGES: Sequence[tuple[str, Mapping[str, object]]] = (
    ("places", {"places_visited": ["park", "shops"]}),
    ("safety", {"feel_safe": "4"}),
    ("safer", {"makes_safer": ["friends", "lighting"]}),
    ("workers", {"workers_with_group": "maybe"}),
    ("told_first", {"listened_to": "agree"}),
    ("one_change", {"change_one_thing": "More youth workers in the park."}),
)


class HttpRespondent:
    def __init__(
        self,
        host: str,
        port: int,
        code: str,
        timeout: float = 10.0,
        user_agent: str | None = None,
    ):
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)
        self.user_agent = user_agent
        # The server keeps connections alive (threaded workers): a respondent dropped
        # without close() still closes its socket, as a closed browser tab would.
        weakref.finalize(self, self.connection.close)
        self.code = code
        self.cookie = ""
        self.token = ""

    def close(self) -> None:
        self.connection.close()

    def request(
        self, method: str, path: str, fields: Mapping[str, object] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if self.user_agent:
            headers["User-Agent"] = self.user_agent
        body = None
        if fields is not None:
            body = urlencode({**fields, "csrf_token": self.token}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("feedback="):
                self.cookie = value.split(";", 1)[0]
        found = CSRF.search(data)
        if found:
            self.token = found.group(1).decode()
        return response.status, dict(response.getheaders()), data

    def get(self, path: str) -> int:
        return self.request("GET", path)[0]

    def post(self, path: str, fields: Mapping[str, object]) -> tuple[int, dict[str, str]]:
        status, headers, _body = self.request("POST", path, fields)
        return status, headers

    def answer_all(self, pages: Sequence[tuple[str, Mapping[str, object]]] = SAMPLE_PAGES) -> None:
        """Start, then GET and answer each page in turn, then GET check answers."""
        base = f"/s/{self.code}"
        self.get(base)
        status, _headers = self.post(f"{base}/start", {})
        assert status == 303, status
        for page_id, fields in pages:
            self.get(f"{base}/q/{page_id}")
            status, _headers = self.post(f"{base}/q/{page_id}", fields)
            assert status == 303, (page_id, status)
        self.get(f"{base}/check")

    def submit(self) -> int:
        return self.post(f"/s/{self.code}/submit", {})[0]
