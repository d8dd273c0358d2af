"""Security properties across every route: CSRF, access, headers, cookies, secrets, XSS."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from feedback import create_app
from feedback.config import ConfigError
from feedback.storage.db import db
from tests.feedback.test_dashboard import sign_in
from tests.respondent import Respondent

STAFF_PREFIXES = ("/workspace", "/dashboards")
PUBLIC_POSTS = {"/sign-in"}


def concrete(rule: str) -> str:
    """A URL for a rule, with made-up values for its variables."""
    values = {"code": "abcd2345", "page_id": "places", "slug": "sample-young-people",
              "item_key": "change_one_thing", "response_id": "1", "kind": "csv",
              "filename": "feedback.css", "audience": "parents", "user_id": "1",
              "language": "cy", "number": "1", "team_id": "1", "digest": "0"}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule)


def routes(app: Flask, method: str) -> list[str]:
    return sorted({concrete(r.rule) for r in app.url_map.iter_rules() if method in r.methods})


def test_every_post_route_refuses_a_request_without_a_csrf_token(app: Flask,
                                                                 sample_link: str) -> None:
    client = app.test_client()
    sign_in(app, client, "admin")
    for path in routes(app, "POST"):
        path = path.replace("abcd2345", sample_link)
        response = client.post(path, data={"decision": "hide", "you_said": "x", "we_did": "y",
                                           "name": "w"})
        page = response.get_data(as_text=True)
        # Refused: "open too long", or for a survey visit that is over, "answers cleared".
        assert response.status_code in (400, 410), path
        assert "open too long" in page or "Your answers were cleared" in page, path


def test_every_staff_page_refuses_anonymous_visitors(app: Flask, sample_link: str) -> None:
    client = app.test_client()
    staff = [p for p in routes(app, "GET") if p.startswith(STAFF_PREFIXES)]
    assert len(staff) >= 8
    for path in staff:
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.location, path


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_editing_routes_refuse_roles_that_may_not_edit(app: Flask, sample_link: str,
                                                       role: str) -> None:
    client = app.test_client()
    sign_in(app, client, role)
    page = client.get("/dashboards/sample-young-people").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    for path in ["/dashboards/sample-young-people/changes",
                 "/dashboards/sample-young-people/waves"]:
        assert client.post(path, data={"csrf_token": token}).status_code == 403, path


def test_only_reviewers_and_admins_review_comments(app: Flask, sample_link: str) -> None:
    client = app.test_client()
    sign_in(app, client, "designer")
    page = client.get("/dashboards/sample-young-people").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/dashboards/sample-young-people/comments/change_one_thing/1",
                           data={"csrf_token": token, "decision": "show"})
    assert response.status_code == 403


def test_every_page_sends_the_security_headers(app: Flask, client: FlaskClient,
                                               sample_link: str) -> None:
    for path in ["/", "/help", "/privacy", f"/s/{sample_link}", "/sign-in", "/nope"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, path
        assert "frame-ancestors 'none'" in csp and headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store", path


def test_production_refuses_to_start_without_a_secret_key(monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FEEDBACK_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_production_cookies_are_secure_httponly_and_lax(monkeypatch, sample_link: str,
                                                        database_url: str) -> None:
    monkeypatch.setenv("FEEDBACK_ENV", "production")
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "a-real-secret"})
    person = Respondent(app.test_client(), sample_link)
    cookie = person.start().headers["Set-Cookie"]
    with app.app_context():
        db.engine.dispose()
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_is_rate_limited(database_url: str) -> None:
    from feedback.web.limits import limiter
    from tests.conftest import make_app

    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    limiter.reset()
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    statuses = [client.post("/sign-in", data={"email": "x@example.org", "password": "wrong",
                                              "csrf_token": token}).status_code
                for _ in range(5)]
    assert statuses[:3] == [400, 400, 400] and statuses[3:] == [429, 429]
    assert "Too many tries" in client.post("/sign-in", data={"csrf_token": token}).get_data(
        as_text=True)
    limiter.reset()
    with app.app_context():
        db.engine.dispose()


XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_script_in_free_text_is_escaped_on_every_page_that_shows_it(app: Flask,
                                                                     sample_link: str) -> None:
    from tests.conftest import age_responses

    for _ in range(10):
        person = Respondent(app.test_client(), sample_link)
        person.start()
        person.answer("places", {"places_visited": ["park"]})
        person.answer("one_change", {"change_one_thing": XSS})
        page = person.get(f"/s/{sample_link}/check").get_data(as_text=True)
        assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
        person.submit()
    age_responses(app)
    reviewer = app.test_client()
    sign_in(app, reviewer, "reviewer")
    page = reviewer.get("/dashboards/sample-young-people/comments/change_one_thing").get_data(
        as_text=True)
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 10
    assert "<script>alert(1)" not in page and "<img src=x" not in page


ALL_ROLES = frozenset({"admin", "designer", "viewer", "reviewer"})
EDITORS = frozenset({"admin", "designer"})
# Who may use each staff endpoint. A new staff route must be added here, or
# test_every_staff_route_has_an_entry_in_the_permission_table fails.
PERMISSIONS = {
    "dashboards.overview": ALL_ROLES, "dashboards.comments": ALL_ROLES,
    "dashboards.compare": ALL_ROLES, "dashboards.export": ALL_ROLES,
    "dashboards.report": ALL_ROLES, "dashboard_assets.plotly_js": ALL_ROLES,
    "dashboards.add_change_note": EDITORS, "dashboards.add_wave": EDITORS,
    "dashboards.review_comment": frozenset({"admin", "reviewer"}),
    "workspace.surveys": ALL_ROLES, "workspace.translation_status": ALL_ROLES,
    "workspace.two_step": ALL_ROLES, "workspace.link_qr_code": ALL_ROLES,
    "workspace.audit_log": frozenset({"admin"}), "workspace.users": frozenset({"admin"}),
    "workspace.change_user": frozenset({"admin"}), "workspace.teams": frozenset({"admin"}),
    "workspace.change_team_member": frozenset({"admin"}),
    **{f"workspace.{name}": EDITORS for name in (
        "poster", "survey_detail", "survey_access", "edit_survey", "change_survey",
        "publish_edit", "add_link", "preview", "survey_state", "import_survey_translation",
        "export_survey_translation", "version_changes", "confirm_survey", "survey_from_bank",
        "new_survey", "upload_survey", "survey_from_library")},
}


def staff_rules(app: Flask) -> list:  # noqa: ANN201
    return [rule for rule in app.url_map.iter_rules()
            if rule.rule.startswith(STAFF_PREFIXES)]


def test_every_staff_route_has_an_entry_in_the_permission_table(app: Flask) -> None:
    assert {rule.endpoint for rule in staff_rules(app)} == set(PERMISSIONS)


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_every_staff_route_refuses_the_wrong_role(app: Flask, sample_link: str,
                                                  role: str) -> None:
    client = app.test_client()
    sign_in(app, client, role)
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/workspace").get_data(as_text=True)).group(1)
    checked = 0
    for rule in staff_rules(app):
        path = concrete(rule.rule).replace("abcd2345", sample_link)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(path, method=method, data={"csrf_token": token}
                                   if method == "POST" else None)
            allowed = role in PERMISSIONS[rule.endpoint]
            assert (response.status_code == 403) != allowed, (role, method, path)
            checked += 1
    assert checked >= 35



OTHER = "other-survey"


def a_response(app: Flask, slug: str, response_id: int) -> None:
    """A stored response of survey `slug` (its answers do not matter here)."""
    from datetime import date

    from sqlalchemy import select

    from feedback.storage.models import Link, SurveyRecord, SurveyResponse
    from feedback.storage.survey_versions import latest_version

    with app.app_context():
        record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == slug))
        link_id = db.session.scalar(select(Link.id).where(Link.survey_id == record.id))
        db.session.add(SurveyResponse(
            id=response_id, survey_id=record.id, link_id=link_id, language="en",
            survey_version_id=latest_version(db.session, record.id).id,
            submitted_on=date.today(), record_key=7))
        db.session.commit()


def other_survey(app: Flask) -> dict[str, str]:
    """A second survey with a response, two versions, a question and a link of its own: the
    ids of another survey, which no address of the sample survey may accept."""
    from datetime import date

    from feedback.storage.survey_versions import create_link, store_survey
    from surveys import parse_survey
    from surveys.yaml_io import read_yaml
    from tests.conftest import SAMPLE_SURVEY

    definition = read_yaml(SAMPLE_SURVEY.read_bytes())
    definition["id"] = OTHER
    definition["pages"][-1]["questions"][0]["id"] = "other_comment"
    with app.app_context():
        for title in ("Another survey", "Another survey, reworded"):
            definition["title"] = title
            result = store_survey(db.session, parse_survey(definition), definition, date.today())
        create_link(db.session, result.version.survey, channel="Elsewhere",
                    audience="young_people")
        db.session.commit()
    a_response(app, OTHER, 4_000_000_000_000)
    return {"response_id": "4000000000000", "item_key": "other_comment", "number": "2"}


# Every staff address that names a survey and also something in it, by which of its
# variables are ids of that something. A new such route must be added here.
IDS_UNDER_A_SURVEY = {
    "dashboards.comments": ("item_key",),
    "dashboards.review_comment": ("item_key", "response_id"),
    "workspace.version_changes": ("number",),
    # A file format and a language code, not ids of anything stored for one survey.
    "dashboards.export": (),
    "workspace.export_survey_translation": (),
}


def address(rule: str, values: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule)


def test_ids_of_another_survey_are_not_found_under_a_survey_address(app: Flask,
                                                                    sample_link: str) -> None:
    """A limited survey's comment cannot be reviewed, nor its version read, through the
    address of a survey the person may see: each id must belong to the survey named."""
    foreign = other_survey(app)
    a_response(app, "sample-young-people", 3_000_000_000_000)
    own = {"slug": "sample-young-people", "item_key": "change_one_thing",
           "response_id": "3000000000000", "number": "1", "kind": "csv", "language": "cy"}
    rules = [rule for rule in staff_rules(app) if "slug" in rule.arguments
             and len(rule.arguments) > 1]
    assert {rule.endpoint for rule in rules} == set(IDS_UNDER_A_SURVEY)
    client = app.test_client()
    sign_in(app, client, "admin")
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/workspace").get_data(as_text=True)).group(1)
    checked = 0
    for rule in (rule for rule in rules if IDS_UNDER_A_SURVEY[rule.endpoint]):
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = {"csrf_token": token, "decision": "show"} if method == "POST" else None
            # The survey's own ids are found (so a 404 below is the foreign id's doing).
            assert client.open(address(rule.rule, own), method=method,
                               data=data).status_code != 404, rule.rule
            for variable in IDS_UNDER_A_SURVEY[rule.endpoint]:
                path = address(rule.rule, {**own, variable: foreign[variable]})
                response = client.open(path, method=method, data=data)
                assert response.status_code == 404, (method, path)
                checked += 1
    assert checked == 4
    with app.app_context():
        from sqlalchemy import select

        from feedback.storage.models import AuditEvent, CommentReview

        # Only the sample survey's own comment was reviewed, and the trail says so.
        reviews = db.session.execute(select(CommentReview.response_id,
                                            CommentReview.item_key)).all()
        assert reviews == [(3_000_000_000_000, "change_one_thing")]
        assert db.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action.like("comment%"))).all() == [
                "sample-young-people: change_one_thing"]
