"""The first dashboard page: it counts what was stored, behind sign-in and disclosure control."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from dashboards.perturbation import published_count
from feedback.storage.accounts import create_user
from feedback.storage.db import db
from feedback.storage.models import Answer, Release, SurveyResponse
from feedback.storage.tallies import week_start
from tests.conftest import age_responses
from tests.respondent import Respondent

PASSWORD = "correct horse battery staple"


def sign_in(app: Flask, client: FlaskClient, role: str = "viewer") -> None:
    with app.app_context():
        create_user(db.session, f"{role}@example.org", PASSWORD, role, date.today())
        db.session.commit()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/sign-in", data={"email": f"{role}@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303


def complete(app: Flask, code: str, times: int, answers: dict | None = None) -> None:
    """Submit `times` responses, then age them into closed weeks so dashboards count them."""
    for _ in range(times):
        person = Respondent(app.test_client(), code)
        person.start()
        person.answer_all(
            answers or {"places": {"places_visited": ["park"]}, "safety": {"feel_safe": "4"}}
        )
        assert person.submit().status_code == 303
    age_responses(app)


def published(
    app: Flask,
    *,
    links: Collection[int] | None = None,
    language: str | None = None,
    item: str = "",
    choice: str = "",
    starts: date | None = None,
    before: date | None = None,
) -> int:
    """What a dashboard should publish for the responses of a release that match, worked
    out here from the responses and their record keys (not from the tallies).

    `item` alone: those that answered it; with `choice`: those that chose that option.
    The release is taken to cover whole weeks before this Monday unless `before` says.
    """
    before = before or week_start(date.today())
    with app.app_context():
        responses = db.session.execute(
            select(
                SurveyResponse.id,
                SurveyResponse.link_id,
                SurveyResponse.language,
                SurveyResponse.submitted_on,
                SurveyResponse.record_key,
            )
        ).all()
        answers: dict[int, set[tuple[str, str]]] = {}
        for rid, key, option in db.session.execute(
            select(Answer.response_id, Answer.item_key, Answer.choice)
        ):
            answers.setdefault(rid, set()).add((key, option))
    keys = [
        key
        for rid, link, lang, day, key in responses
        if day < before
        and (starts is None or day >= starts)
        and (links is None or link in links)
        and (language is None or lang == language)
        and (
            not item
            or any(k == item and (not choice or c == choice) for k, c in answers.get(rid, ()))
        )
    ]
    return published_count(len(keys), sum(keys))


def percent(count: int, base: int) -> int:
    """A whole-number percentage, half up, as the dashboards round."""
    return (100 * count + base // 2) // base


def releases_cut(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Release))


def test_the_dashboard_needs_sign_in(client: FlaskClient, sample_link: str) -> None:
    response = client.get("/dashboards/sample-young-people")
    assert response.status_code == 302
    assert "/sign-in" in response.location


def test_fewer_than_ten_responses_shows_nothing(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    complete(app, sample_link, 9)
    sign_in(app, client)
    page = client.get("/dashboards/sample-young-people").get_data(as_text=True)
    # No release is cut for 9 responses, so there is nothing at all to show.
    assert "There are no results to show yet" in page
    assert "Park or open space" not in page and "stat-value" not in page
    assert releases_cut(app) == 0
    # The report, comments and exports say the same: no file of figures before a release.
    for path in ("/report", "/comments/change_one_thing", "/export.csv"):
        response = client.get(f"/dashboards/sample-young-people{path}")
        assert response.mimetype == "text/html"
        assert "There are no results to show yet" in response.get_data(as_text=True)


def test_ten_responses_are_counted_in_the_tables(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    complete(app, sample_link, 10)
    sign_in(app, client)
    page = client.get("/dashboards/sample-young-people").get_data(as_text=True)
    assert releases_cut(app) == 1
    assert "These figures are release 1" in page
    assert re.search(r'class="stat-value">10<', page)  # a multiple of 5: published as it is
    park_row = re.search(r"Park or open space</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)%", page)
    assert park_row is not None and park_row.groups() == ("10", "100")
    # Nobody answered the later questions: each is hidden, not shown as zero.
    assert "Hidden: too few responses" in page


def test_small_counts_are_hidden_and_the_rest_published_rounded(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    complete(
        app, sample_link, 10, {"places": {"places_visited": ["park"]}, "safety": {"feel_safe": "4"}}
    )
    complete(
        app, sample_link, 2, {"places": {"places_visited": ["shops"]}, "safety": {"feel_safe": "1"}}
    )
    sign_in(app, client)
    page = client.get("/dashboards/sample-young-people").get_data(as_text=True)
    total, base = published(app), published(app, item="places_visited")
    park = published(app, item="places_visited", choice="park")
    assert total in (10, 15) and park == 10
    assert re.search(rf'class="stat-value">{total}<', page)
    assert re.search(r"Shops or shopping centre</th>\s*<td[^>]*>Hidden: a small number</td>", page)
    assert re.search(r"Very unhappy</th>\s*<td[^>]*>Hidden: a small number</td>", page)
    # The park is shown, as a share of the published base. The old tables hid it so that
    # 12 - 10 could not give the 2 at the shops: now the total is published as 10 or 15,
    # and what is left over is 0 or 5 people, never the 2.
    park_row = re.search(r"Park or open space</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)%", page)
    assert park_row is not None
    assert park_row.groups() == (str(park), str(percent(park, base)))
    assert (total - park) % 5 == 0 and total - park != 2
    # The same figures every time the page is opened.
    again = client.get("/dashboards/sample-young-people").get_data(as_text=True)
    assert re.findall(r"<td[^>]*>[^<]*</td>", again) == re.findall(r"<td[^>]*>[^<]*</td>", page)


def test_an_unknown_survey_is_a_404(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client)
    assert client.get("/dashboards/no-such-survey").status_code == 404


@pytest.mark.parametrize("path", ["/workspace", "/dashboards/sample-young-people"])
def test_staff_pages_refuse_anonymous_visitors(
    client: FlaskClient, sample_link: str, path: str
) -> None:
    assert client.get(path).status_code == 302


def test_wrong_password_is_refused_with_a_message(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        create_user(db.session, "d@example.org", PASSWORD, "designer", date.today())
        db.session.commit()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/sign-in", data={"email": "d@example.org", "password": "wrong", "csrf_token": token}
    )
    assert response.status_code == 400
    assert "The email address or password is not right" in response.get_data(as_text=True)
    assert client.get("/workspace").status_code == 302


def test_sign_in_never_redirects_off_site(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        create_user(db.session, "e@example.org", PASSWORD, "designer", date.today())
        db.session.commit()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/sign-in?next=//evil.example/x",
        data={"email": "e@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.location.endswith("/workspace")


def test_the_workspace_lists_surveys_and_their_links(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    sign_in(app, client, "designer")
    page = client.get("/workspace").get_data(as_text=True)
    assert "Feeling safe where you spend time" in page
    assert f"/s/{sample_link}" in page


def test_staff_can_download_a_qr_code_of_a_link(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    assert client.get(f"/workspace/links/{sample_link}/qr.svg").status_code == 302
    sign_in(app, client, "designer")
    response = client.get(f"/workspace/links/{sample_link}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).lstrip().startswith("<svg")
    assert client.get("/workspace/links/nope2345/qr.svg").status_code == 404
