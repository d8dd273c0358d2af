"""The team page, the audit trail and how long a sign-in lasts."""

from __future__ import annotations

import re
import time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from feedback.storage.accounts import authenticate
from feedback.storage.db import db
from feedback.storage.models import AuditEvent, User
from tests.feedback.test_dashboard import sign_in


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def events(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            (e.actor, e.action, e.detail)
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_an_admin_adds_someone_who_can_then_sign_in(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "admin")
    page = client.get("/workspace/users").get_data(as_text=True)
    response = client.post(
        "/workspace/users",
        data={
            "email": "New.Person@Council.gov.uk",
            "role": "designer",
            "csrf_token": token_of(page),
        },
    )
    created = response.get_data(as_text=True)
    password = re.search(r'<bdi dir="ltr">([^<]+)</bdi>', created).group(1)
    with app.app_context():
        assert authenticate(db.session, "new.person@council.gov.uk", password).role == "designer"
    assert ("admin@example.org", "user created", "new.person@council.gov.uk as designer") in events(
        app
    )


def test_a_duplicate_or_bad_address_is_explained(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "admin")
    page = client.get("/workspace/users").get_data(as_text=True)
    for email in ["admin@example.org", "not-an-address"]:
        response = client.post(
            "/workspace/users",
            data={"email": email, "role": "viewer", "csrf_token": token_of(page)},
        )
        assert response.status_code == 400
        assert "There is a problem" in response.get_data(as_text=True)


def test_switching_someone_off_stops_their_sign_in(app: Flask, client: FlaskClient) -> None:
    other = app.test_client()
    sign_in(app, other, "viewer")
    assert other.get("/workspace").status_code == 200
    sign_in(app, client, "admin")
    with app.app_context():
        viewer_id = db.session.scalar(select(User.id).where(User.role == "viewer"))
    page = client.get("/workspace/users").get_data(as_text=True)
    response = client.post(
        f"/workspace/users/{viewer_id}",
        data={"role": "viewer", "active": "no", "csrf_token": token_of(page)},
    )
    assert response.status_code == 303
    assert other.get("/workspace").status_code == 302  # signed out at once


def test_an_admin_cannot_lock_themselves_out(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "admin")
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.role == "admin"))
    page = client.get("/workspace/users").get_data(as_text=True)
    response = client.post(
        f"/workspace/users/{admin_id}",
        data={"role": "viewer", "active": "yes", "csrf_token": token_of(page)},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, admin_id).role == "admin"


def test_only_admins_see_the_team_and_the_audit_trail(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "designer")
    assert client.get("/workspace/users").status_code == 403
    assert client.get("/workspace/audit").status_code == 403


def test_the_audit_trail_records_sign_ins_refusals_and_exports(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    client.post(
        "/sign-in",
        data={"email": "someone@example.org", "password": "wrong", "csrf_token": token_of(page)},
    )
    from tests.conftest import age_responses
    from tests.feedback.test_dashboards_full import park, submit

    submit(app, sample_link, 10, park())
    age_responses(app)  # a release to export
    sign_in(app, client, "admin")
    assert client.get("/dashboards/sample-young-people/export.csv").status_code == 200
    trail = events(app)
    # What was typed is not recorded as who did it: nobody was signed in.
    assert ("not signed in", "sign-in refused", "no such account") in trail
    assert ("admin@example.org", "signed in", "") in trail
    assert ("admin@example.org", "exported results", "sample-young-people as csv") in trail
    page = client.get("/workspace/audit").get_data(as_text=True)
    assert "sign-in refused" in page and "exported results" in page


def test_a_sign_in_expires_after_the_configured_hours(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "viewer")
    assert client.get("/workspace").status_code == 200
    with client.session_transaction() as session:
        session["signed_in_at"] = int(time.time()) - 9 * 3600
    response = client.get("/workspace")
    assert response.status_code == 302 and "/sign-in" in response.location
    assert "signed out after 8 hours" in client.get(response.location).get_data(as_text=True)
