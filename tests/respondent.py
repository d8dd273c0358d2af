"""A respondent driven through the Flask test client, as a browser would drive the pages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

# Answers for the sample survey that touch every page.
SAMPLE_ANSWERS: dict[str, dict[str, Sequence[str] | str]] = {
    "places": {"places_visited": ["park", "shops"]},
    "safety": {"feel_safe": "4"},
    "safer": {"makes_safer": ["friends", "lighting"]},
    "workers": {"workers_with_group": "maybe"},
    "told_first": {"listened_to": "agree"},
    "one_change": {"change_one_thing": "More youth workers in the park."},
}


class Respondent:
    def __init__(self, client: FlaskClient, code: str):
        self.client = client
        self.code = code
        self.token = ""

    def _remember_token(self, response: TestResponse) -> TestResponse:
        found = CSRF.search(response.get_data(as_text=True))
        if found:
            self.token = found.group(1)
        return response

    def get(self, path: str) -> TestResponse:
        return self._remember_token(self.client.get(path))

    def post(self, path: str, data: Mapping[str, object] | None = None) -> TestResponse:
        body = dict(data or {})
        body.setdefault("csrf_token", self.token)
        return self._remember_token(self.client.post(path, data=body))

    def start(self) -> TestResponse:
        self.get(f"/s/{self.code}")
        return self.post(f"/s/{self.code}/start")

    def answer(self, page_id: str, answers: Mapping[str, object]) -> TestResponse:
        return self.post(f"/s/{self.code}/q/{page_id}", answers)

    def answer_all(self, answers: Mapping[str, Mapping[str, object]] = SAMPLE_ANSWERS) -> None:
        for page_id, page_answers in answers.items():
            response = self.answer(page_id, page_answers)
            assert response.status_code == 303, (page_id, response.get_data(as_text=True))

    def submit(self) -> TestResponse:
        return self.post(f"/s/{self.code}/submit")

    def complete(self) -> TestResponse:
        self.start()
        self.answer_all()
        self.get(f"/s/{self.code}/check")
        return self.submit()
