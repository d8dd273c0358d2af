"""The served app answers respondents at once and builds staff pages on the first staff
request, and a person notices nothing of it: same addresses, same sign-in, same pages."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from feedback import serving_app
from feedback.storage.db import db
from feedback.web.staff_on_demand import (
    LINKED_FROM_RESPONDENT_PAGES,
    StaffPagesOnDemand,
    is_staff_path,
)
from tests.conftest import add_link, app_config, load_definition
from tests.feedback.test_dashboard import sign_in
from tests.feedback.test_link_status import csrf
from tests.feedback.test_respondent_frame import every_respondent_page_alike, links_of_every_kind
from tests.respondent import Respondent

NOT_STAFF = ("respondent", "status", "static")


def staff_rule(endpoint: str) -> bool:
    return endpoint.split(".")[0] not in NOT_STAFF


def test_every_staff_page_is_under_a_staff_path_and_no_other_page_is(app: Flask) -> None:
    rules = list(app.url_map.iter_rules())
    assert sum(staff_rule(rule.endpoint) for rule in rules) > 40  # the whole app's routes
    misplaced = [
        (rule.rule, rule.endpoint)
        for rule in rules
        if is_staff_path(rule.rule) != staff_rule(rule.endpoint)
    ]
    assert misplaced == []


def test_the_respondent_app_links_to_staff_pages_where_the_whole_app_has_them(
    app: Flask,
) -> None:
    with app.test_request_context():
        assert {name: url_for(name) for name in LINKED_FROM_RESPONDENT_PAGES} == (
            LINKED_FROM_RESPONDENT_PAGES
        )


@pytest.fixture
def served(database_url: str, app: Flask) -> Iterator[Flask]:
    # `app` first: it empties the tables when the test ends.
    served = serving_app(app_config(database_url))
    yield served
    for each in (served, on_demand(served).built_staff_app):
        if each is not None:
            with each.app_context():
                db.engine.dispose()


def on_demand(served: Flask) -> StaffPagesOnDemand:
    assert isinstance(served.wsgi_app, StaffPagesOnDemand)
    return served.wsgi_app


def test_respondents_are_served_without_building_staff_pages(app: Flask, served: Flask) -> None:
    code = add_link(app, load_definition(app))
    person = Respondent(served.test_client(), code)
    person.start()
    person.answer_all()
    assert person.submit().status_code == 303
    home = served.test_client().get("/")
    assert home.status_code == 200
    assert 'href="/sign-in"' in home.get_data(as_text=True)
    assert on_demand(served).built_staff_app is None


def signed_in(served: Flask) -> FlaskClient:
    client = served.test_client()
    sign_in(served, client, role="designer")
    return client


def test_a_staff_member_signs_in_and_works_as_before(app: Flask, served: Flask) -> None:
    record = load_definition(app)
    code = add_link(app, record)
    client = signed_in(served)
    assert on_demand(served).built_staff_app is not None
    surveys = client.get("/workspace")
    assert surveys.status_code == 200
    assert "Sign in" not in surveys.get_data(as_text=True).split("<main", 1)[1]
    dashboard = client.get(f"/dashboards/{record.slug}")
    assert dashboard.status_code == 200
    assert record.title in dashboard.get_data(as_text=True)
    # The same cookie carries a respondent's pages in the respondent app.
    person = Respondent(client, code)
    person.start()
    person.answer_all()
    assert person.submit().status_code == 303


def test_signing_out_through_the_served_app_ends_the_session(served: Flask) -> None:
    client = signed_in(served)
    token = csrf(client, "/workspace")
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    assert client.get("/workspace").status_code == 302  # to the sign-in page again


def test_unknown_addresses_are_not_found_in_either_app(served: Flask) -> None:
    client = served.test_client()
    assert client.get("/no-such-page").status_code == 404
    assert on_demand(served).built_staff_app is None
    assert client.get("/workspace/no-such-page").status_code == 404
    assert on_demand(served).built_staff_app is not None


def test_every_respondent_page_is_the_same_from_the_served_app(app: Flask, served: Flask) -> None:
    every_respondent_page_alike(served, app, links_of_every_kind(app))
    assert on_demand(served).built_staff_app is None


@pytest.mark.parametrize(
    ("path", "staff"),
    [
        ("/workspace", True),
        ("/workspace/", True),
        ("/workspace/surveys/a/edit", True),
        ("//workspace", True),  # werkzeug's routing ignores the extra slash, and so do we
        ("/sign-in/code", True),
        ("/dashboards/assets/plotly.js", True),
        ("/workspaces", False),
        ("/Workspace", False),
        ("/sign-into", False),
        ("/s/abc/q/places", False),
        ("/", False),
        ("", False),
    ],
)
def test_what_counts_as_a_staff_path(path: str, staff: bool) -> None:
    assert is_staff_path(path) is staff


def test_concurrent_first_staff_requests_build_the_staff_app_once() -> None:
    builds = []
    started = threading.Barrier(8)

    def build() -> object:
        builds.append(1)
        time.sleep(0.2)  # long enough for every thread to arrive while it builds
        return lambda environ, start_response: [b"staff"]

    middleware = StaffPagesOnDemand(lambda environ, start_response: [b"respondent"], build)

    def staff_request() -> None:
        started.wait()
        assert middleware({"PATH_INFO": "/workspace"}, lambda *a: None) == [b"staff"]

    threads = [threading.Thread(target=staff_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert middleware({"PATH_INFO": "/s/abc"}, lambda *a: None) == [b"respondent"]
