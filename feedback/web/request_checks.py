"""Checks on raw request bodies, before any view reads the form.

Werkzeug quietly drops a whole urlencoded form whose bytes are not valid UTF-8;
a view would then see no answers and move on, losing what the person typed.
Refusing such a body with a clear page is the honest alternative.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Flask, abort, make_response, request

from feedback.web.errors import error_html

URLENCODED = "application/x-www-form-urlencoded"


def _form_body_is_readable(body: bytes, max_fields: int) -> bool:
    try:
        parse_qsl(
            body.decode("ascii"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=max_fields,
        )
    except (UnicodeError, ValueError):
        return False
    return True


# Survey files (YAML or XLSForm) may be larger than a page of answers, and so may the
# editor's form, which carries a whole survey (every question's wording, answers and rule).
LARGE_FORM_ENDPOINTS = {
    "workspace.upload_survey": 1_050_000,
    "workspace.import_survey_translation": 1_050_000,
    "workspace.change_survey": 2_000_000,
    "workspace.publish_edit": 2_000_000,
}
MAX_FIELDS = 1000
LARGE_FORM_MAX_FIELDS = 20_000


def refuse_unreadable_forms() -> None:
    if request.endpoint in LARGE_FORM_ENDPOINTS:
        request.max_content_length = LARGE_FORM_ENDPOINTS[request.endpoint]
    if request.method != "POST" or request.mimetype != URLENCODED:
        return
    body = request.get_data(cache=True)  # bounded by MAX_CONTENT_LENGTH
    max_fields = LARGE_FORM_MAX_FIELDS if request.endpoint in LARGE_FORM_ENDPOINTS else MAX_FIELDS
    if body and not _form_body_is_readable(body, max_fields):
        abort(make_response(error_html("unreadable"), 400))


def init_app(app: Flask) -> None:
    app.before_request(refuse_unreadable_forms)
