"""Security properties across every route: CSRF, access, headers, cookies, secrets, XSS."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from feedback import create_app
from feedback.config import ConfigError
from feedback.storage.db import db
from surveys.organisation import LocalText, Organisation
from tests.feedback.test_dashboard import sign_in
from tests.respondent import Respondent

STAFF_PREFIXES = ("/workspace", "/dashboards")
PUBLIC_POSTS = {"/sign-in"}


def concrete(rule: str) -> str:
    """A URL for a rule, with made-up values for its variables."""
    values = {
        "code": "abcd2345",
        "page_id": "places",
        "slug": "sample-young-people",
        "item_key": "change_one_thing",
        "response_id": "1",
        "kind": "csv",
        "filename": "feedback.css",
        "audience": "parents",
        "user_id": "1",
        "language": "cy",
        "number": "1",
        "team_id": "1",
        "digest": "0",
        "key": "0" * 32,
    }
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule)


def routes(app: Flask, method: str) -> list[str]:
    return sorted({concrete(r.rule) for r in app.url_map.iter_rules() if method in r.methods})


def test_every_post_route_refuses_a_request_without_a_csrf_token(
    app: Flask, sample_link: str
) -> None:
    client = app.test_client()
    sign_in(app, client, "admin")
    for path in routes(app, "POST"):
        path = path.replace("abcd2345", sample_link)
        response = client.post(
            path, data={"decision": "hide", "you_said": "x", "we_did": "y", "name": "w"}
        )
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
def test_editing_routes_refuse_roles_that_may_not_edit(
    app: Flask, sample_link: str, role: str
) -> None:
    client = app.test_client()
    sign_in(app, client, role)
    page = client.get("/dashboards/sample-young-people").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    for path in [
        "/dashboards/sample-young-people/changes",
        "/dashboards/sample-young-people/waves",
    ]:
        assert client.post(path, data={"csrf_token": token}).status_code == 403, path


def test_only_reviewers_and_admins_review_comments(app: Flask, sample_link: str) -> None:
    client = app.test_client()
    sign_in(app, client, "designer")
    page = client.get("/dashboards/sample-young-people").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/dashboards/sample-young-people/comments/change_one_thing/1",
        data={"csrf_token": token, "decision": "show"},
    )
    assert response.status_code == 403


def test_every_page_sends_the_security_headers(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
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


PUBLIC_URL = "https://feedback.example.gov.uk"
STRONG_KEY = "Wq3vN8yZb2LkP0sX7rT5mJ1hG4dF6aC9eU2iO8pQ3wE5tY7uI0oA1sD4fG6hJ8k"


def production_app(database_url: str, **overrides: object) -> Flask:
    """The app as production builds it (the environment decides, as in a deployment)."""
    config = {
        "FEEDBACK_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": STRONG_KEY,
        "PUBLIC_URL": PUBLIC_URL,
        "ORGANISATION": Organisation(LocalText("en", "Anytown Council"), LocalText("en", "")),
        "RATELIMIT_ENABLED": False,
        **overrides,
    }
    return create_app(config)


def production_client(app: Flask) -> FlaskClient:
    """A client reaching the app at PUBLIC_URL, as people do."""
    app.config["SERVER_NAME"] = "feedback.example.gov.uk"  # the test client's host
    return app.test_client()


def test_production_cookies_are_secure_httponly_and_lax(
    sample_link: str, database_url: str
) -> None:
    app = production_app(database_url)
    person = Respondent(production_client(app), sample_link)
    cookie = person.start().headers["Set-Cookie"]
    with app.app_context():
        db.engine.dispose()
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


# -- 2. a SECRET_KEY nobody can guess ---------------------------------------------------------
@pytest.mark.parametrize(
    "key",
    [
        "changeme",
        "a-real-secret",
        "test-secret",
        "0123456789abcdef0123456789abcdef",
        "your-secret-key-please-change-it-before-going-to-production-ok",
        "CHANGE_ME_CHANGE_ME_CHANGE_ME_CHANGE_ME_CHANGE_ME_CHANGE_ME_CHANGE",
        "a" * 80,
        "abababababababababababababababababababababababababababababab",
    ],
)
def test_production_refuses_a_guessable_secret_key(key: str) -> None:
    with pytest.raises(ConfigError, match="secrets.token_urlsafe"):
        production_app("sqlite://", SECRET_KEY=key)


def test_production_accepts_keys_made_as_the_message_says() -> None:
    import secrets

    for key in (secrets.token_urlsafe(48), secrets.token_hex(32), STRONG_KEY):
        production_app("sqlite://", SECRET_KEY=key)


def test_a_session_signed_with_a_placeholder_key_is_not_accepted(app: Flask) -> None:
    """The attack that worked: sign an admin session with a key found in examples."""
    from flask.sessions import SecureCookieSessionInterface

    forger = Flask("forger")
    forger.secret_key = "changeme"
    forged = (
        SecureCookieSessionInterface()
        .get_signing_serializer(forger)
        .dumps(
            {"_user_id": "1", "_fresh": True, "signed_in_at": 9_999_999_999, "session_version": 0}
        )
    )
    with pytest.raises(ConfigError):
        production_app("sqlite://", SECRET_KEY="changeme")
    client = app.test_client()
    sign_in(app, client, "admin")
    client.set_cookie("feedback", forged, domain="localhost")
    assert client.get("/workspace/users").status_code == 302


# -- 11. printed addresses and trusted hosts -----------------------------------------------------
def test_production_needs_a_public_url() -> None:
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        production_app("sqlite://", PUBLIC_URL=None)
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        production_app("sqlite://", PUBLIC_URL="http://feedback.example.gov.uk")


def test_a_forged_host_header_is_refused_and_never_printed(
    database_url: str, sample_link: str
) -> None:
    app = production_app(database_url)
    client = production_client(app)
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/").status_code == 200
    with app.app_context():
        db.engine.dispose()


# -- 12. HSTS, and no copies of staff downloads in caches -----------------------------------------
def test_production_sends_hsts(database_url: str) -> None:
    app = production_app(database_url)
    headers = production_client(app).get("/").headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    with app.app_context():
        db.engine.dispose()


def test_every_staff_download_is_never_stored_by_a_cache(app: Flask, sample_link: str) -> None:
    client = app.test_client()
    sign_in(app, client, "admin")
    for path in (
        f"/workspace/links/{sample_link}/qr.svg",
        "/workspace/surveys/sample-young-people/translations/cy.po",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    for rule in staff_rules(app):
        if rule.endpoint == "dashboard_assets.plotly_js":
            continue  # the same public library for everyone, under a hashed address
        path = concrete(rule.rule).replace("abcd2345", sample_link)
        if "GET" in rule.methods:
            response = client.get(path)
            assert response.headers.get("Cache-Control") == "no-store", path


# -- 13. numbers in addresses are bounded -----------------------------------------------------
HUGE = "9" * 30


@pytest.mark.parametrize(
    "path",
    [
        f"/workspace/audit?page={HUGE}",
        f"/workspace/audit?page=-{HUGE}",
        f"/workspace/surveys/sample-young-people/versions/{HUGE}",
        "/workspace/surveys/sample-young-people/versions/9223372036854775808",
        "/workspace/audit?page=%C2%B2",
    ],
)
def test_huge_numbers_in_addresses_are_refused_not_errors(
    app: Flask, sample_link: str, path: str
) -> None:
    client = app.test_client()
    sign_in(app, client, "admin")
    assert client.get(path).status_code in (400, 404), path


def test_huge_ids_posted_are_refused_not_errors(app: Flask, sample_link: str) -> None:
    from feedback.storage.models import Team

    client = app.test_client()
    sign_in(app, client, "admin")
    with app.app_context():
        db.session.add(Team(id=1, name="Parents panel"))
        db.session.commit()
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/workspace").get_data(as_text=True)
    ).group(1)
    for path, data in (
        (f"/workspace/users/{HUGE}", {}),
        (f"/workspace/teams/{HUGE}/members", {}),
        ("/workspace/teams/1/members", {"user_id": HUGE}),
        ("/workspace/teams/1/members", {"user_id": "\u00b2"}),
        (f"/dashboards/sample-young-people/comments/change_one_thing/{HUGE}", {"decision": "hide"}),
    ):
        response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code in (400, 404), path


def test_sign_in_is_rate_limited(database_url: str) -> None:
    from feedback.web.limits import limiter
    from tests.conftest import make_app

    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    limiter.reset()
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    statuses = [
        client.post(
            "/sign-in", data={"email": "x@example.org", "password": "wrong", "csrf_token": token}
        ).status_code
        for _ in range(5)
    ]
    assert statuses[:3] == [400, 400, 400] and statuses[3:] == [429, 429]
    assert "Too many tries" in client.post("/sign-in", data={"csrf_token": token}).get_data(
        as_text=True
    )
    limiter.reset()
    with app.app_context():
        db.engine.dispose()


XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_script_in_free_text_is_escaped_on_every_page_that_shows_it(
    app: Flask, sample_link: str
) -> None:
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
        as_text=True
    )
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 10
    assert "<script>alert(1)" not in page and "<img src=x" not in page


ALL_ROLES = frozenset({"admin", "designer", "viewer", "reviewer"})
EDITORS = frozenset({"admin", "designer"})
# Who may use each staff endpoint. A new staff route must be added here, or
# test_every_staff_route_has_an_entry_in_the_permission_table fails.
PERMISSIONS = {
    "dashboards.overview": ALL_ROLES,
    "dashboards.comments": ALL_ROLES,
    "dashboards.compare": ALL_ROLES,
    "dashboards.export": ALL_ROLES,
    "dashboards.report": ALL_ROLES,
    "dashboard_assets.plotly_js": ALL_ROLES,
    "dashboards.add_change_note": EDITORS,
    "dashboards.add_wave": EDITORS,
    "dashboards.review_comment": frozenset({"admin", "reviewer"}),
    "dashboards.review_comments": frozenset({"admin", "reviewer"}),
    "dashboards.edit_themes": frozenset({"admin", "designer", "reviewer"}),
    "workspace.review_language": frozenset({"admin", "reviewer"}),
    "workspace.review_message": frozenset({"admin", "reviewer"}),
    "workspace.mark_language_reviewed": frozenset({"admin", "reviewer"}),
    "workspace.surveys": ALL_ROLES,
    "workspace.translation_status": ALL_ROLES,
    "workspace.two_step": ALL_ROLES,
    "workspace.awaiting_access": ALL_ROLES,
    "workspace.link_qr_code": ALL_ROLES,
    "workspace.audit_log": frozenset({"admin"}),
    "workspace.users": frozenset({"admin"}),
    "workspace.change_user": frozenset({"admin"}),
    "workspace.teams": frozenset({"admin"}),
    "workspace.change_team_member": frozenset({"admin"}),
    **{
        f"workspace.{name}": EDITORS
        for name in (
            "poster",
            "survey_detail",
            "survey_access",
            "edit_survey",
            "change_survey",
            "publish_edit",
            "add_link",
            "preview",
            "preview_frame",
            "survey_state",
            "import_survey_translation",
            "export_survey_translation",
            "version_changes",
            "confirm_survey",
            "survey_from_bank",
            "new_survey",
            "upload_survey",
            "survey_from_library",
            "link_page",
            "change_link_dates",
            "link_state_switch",
            "make_test_link",
        )
    },
}


def staff_rules(app: Flask) -> list:  # noqa: ANN201
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(STAFF_PREFIXES)]


def test_every_staff_route_has_an_entry_in_the_permission_table(app: Flask) -> None:
    assert {rule.endpoint for rule in staff_rules(app)} == set(PERMISSIONS)


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_every_staff_route_refuses_the_wrong_role(app: Flask, sample_link: str, role: str) -> None:
    client = app.test_client()
    sign_in(app, client, role)
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/workspace").get_data(as_text=True)
    ).group(1)
    checked = 0
    for rule in staff_rules(app):
        path = concrete(rule.rule).replace("abcd2345", sample_link)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(
                path, method=method, data={"csrf_token": token} if method == "POST" else None
            )
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
        db.session.add(
            SurveyResponse(
                id=response_id,
                survey_id=record.id,
                link_id=link_id,
                language="en",
                survey_version_id=latest_version(db.session, record.id).id,
                submitted_on=date.today(),
                record_key=7,
            )
        )
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
        create_link(db.session, result.version.survey, channel="Elsewhere", audience="young_people")
        db.session.commit()
    a_response(app, OTHER, 4_000_000_000_000)
    return {"response_id": "4000000000000", "item_key": "other_comment", "number": "2"}


# Every staff address that names a survey and also something in it, by which of its
# variables are ids of that something. A new such route must be added here.
IDS_UNDER_A_SURVEY = {
    "dashboards.comments": ("item_key",),
    "dashboards.review_comment": ("item_key", "response_id"),
    "dashboards.review_comments": ("item_key",),
    "workspace.version_changes": ("number",),
    # A file format and a language code, not ids of anything stored for one survey.
    "dashboards.export": (),
    "workspace.export_survey_translation": (),
}


def address(rule: str, values: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule)


def test_ids_of_another_survey_are_not_found_under_a_survey_address(
    app: Flask, sample_link: str
) -> None:
    """A limited survey's comment cannot be reviewed, nor its version read, through the
    address of a survey the person may see: each id must belong to the survey named."""
    foreign = other_survey(app)
    a_response(app, "sample-young-people", 3_000_000_000_000)
    own = {
        "slug": "sample-young-people",
        "item_key": "change_one_thing",
        "response_id": "3000000000000",
        "number": "1",
        "kind": "csv",
        "language": "cy",
    }
    rules = [
        rule for rule in staff_rules(app) if "slug" in rule.arguments and len(rule.arguments) > 1
    ]
    assert {rule.endpoint for rule in rules} == set(IDS_UNDER_A_SURVEY)
    client = app.test_client()
    sign_in(app, client, "admin")
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/workspace").get_data(as_text=True)
    ).group(1)
    checked = 0
    for rule in (rule for rule in rules if IDS_UNDER_A_SURVEY[rule.endpoint]):
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = {"csrf_token": token, "decision": "show"} if method == "POST" else None
            # The survey's own ids are found (so a 404 below is the foreign id's doing).
            assert (
                client.open(address(rule.rule, own), method=method, data=data).status_code != 404
            ), rule.rule
            for variable in IDS_UNDER_A_SURVEY[rule.endpoint]:
                path = address(rule.rule, {**own, variable: foreign[variable]})
                response = client.open(path, method=method, data=data)
                assert response.status_code == 404, (method, path)
                checked += 1
    assert checked == 5
    with app.app_context():
        from sqlalchemy import select

        from feedback.storage.models import AuditEvent, CommentReview

        # Only the sample survey's own comment was reviewed, and the trail says so.
        reviews = db.session.execute(
            select(CommentReview.response_id, CommentReview.item_key)
        ).all()
        assert reviews == [(3_000_000_000_000, "change_one_thing")]
        assert db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action.like("comment%"))
        ).all() == ["sample-young-people: change_one_thing"]


# -- 7. behind a load balancer, each client its own bucket -------------------------------
def proxied_attempts(app: Flask, forwarded_for: list[str]) -> list[int]:
    """Failed sign-ins arriving through one proxy (10.9.9.9) for each X-Forwarded-For."""
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return [
        client.post(
            "/sign-in",
            data={"email": f"x{n}@example.org", "password": "wrong", "csrf_token": token},
            headers={"X-Forwarded-For": hops},
            environ_base={"REMOTE_ADDR": "10.9.9.9"},
        ).status_code
        for n, hops in enumerate(forwarded_for)
    ]


@pytest.fixture
def limited(database_url: str):  # noqa: ANN201
    from feedback.web.limits import limiter
    from tests.conftest import _empty_tables, make_app

    made = []

    def build(**overrides: object) -> Flask:
        app = make_app(
            database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute", **overrides
        )
        if "RATELIMIT_STORAGE_URI" not in overrides:  # an unreachable store cannot be reset
            limiter.reset()
        made.append(app)
        return app

    yield build
    # The limiter is shared by every app in the process: give it working storage again.
    make_app(database_url, RATELIMIT_ENABLED=True)
    limiter.reset()
    for app in made:
        _empty_tables(app)


def test_behind_a_trusted_proxy_each_client_has_its_own_bucket(limited) -> None:  # noqa: ANN001
    app = limited(TRUSTED_PROXIES=1)
    assert proxied_attempts(app, ["203.0.113.1"] * 3 + ["203.0.113.2"]) == [400, 400, 429, 400]
    # An address the client put in front of the proxy's own entry is not believed.
    assert proxied_attempts(app, ["198.51.100.7, 203.0.113.1"]) == [429]


def test_without_trusted_proxies_the_forwarded_header_is_ignored(limited) -> None:  # noqa: ANN001
    app = limited()
    assert proxied_attempts(app, ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) == [400, 400, 429]


# -- 8. Redis unreachable: limits go on in memory, pages go on working ---------------------
def test_an_unreachable_limit_store_falls_back_to_memory(
    limited,  # noqa: ANN001
    sample_link: str,
) -> None:
    app = limited(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    assert proxied_attempts(app, ["a", "b", "c"]) == [400, 400, 429]
    person = Respondent(app.test_client(), sample_link)
    assert person.start().status_code == 303
    health = app.test_client().get("/healthz")
    assert health.status_code == 200
    assert health.get_json() == {"status": "ok", "database": "ok", "rate_limits": "memory"}
