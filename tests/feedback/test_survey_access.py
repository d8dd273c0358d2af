"""Limiting a survey to named teams or people: who sees it, and who may change that."""

from __future__ import annotations

import io
import re
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from feedback.storage.accounts import create_user
from feedback.storage.db import db
from feedback.storage.models import (
    AuditEvent,
    SurveyAccess,
    SurveyRecord,
    Team,
    TeamMember,
    User,
)
from tests.conftest import SAMPLE_SURVEY
from tests.feedback.test_dashboard import PASSWORD, sign_in

SLUG = "sample-young-people"


def person(app: Flask, email: str, role: str = "designer") -> FlaskClient:
    """A signed-in client for a new account."""
    with app.app_context():
        create_user(db.session, email, PASSWORD, role, date.today())
        db.session.commit()
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert (
        client.post(
            "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 303
    )
    return client


def csrf(client: FlaskClient, path: str = "/workspace") -> str:
    return re.search(
        r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)
    ).group(1)


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def make_team(app: Flask, name: str, *emails: str) -> int:
    with app.app_context():
        team = Team(name=name)
        db.session.add(team)
        db.session.flush()
        for email in emails:
            db.session.add(
                TeamMember(
                    team_id=team.id,
                    user_id=db.session.scalar(select(User.id).where(User.email == email)),
                )
            )
        db.session.commit()
        return team.id


def limit(
    client: FlaskClient, teams: list[int] = (), people: list[int] = (), everyone: bool = False
):  # noqa: ANN201
    return client.post(
        f"/workspace/surveys/{SLUG}/access",
        data={
            "csrf_token": csrf(client, f"/workspace/surveys/{SLUG}"),
            "limit": "no" if everyone else "yes",
            "team": [str(t) for t in teams],
            "person": [str(p) for p in people],
        },
    )


def staff_paths(code: str) -> list[str]:
    return [
        f"/workspace/surveys/{SLUG}",
        f"/workspace/surveys/{SLUG}/preview",
        f"/workspace/surveys/{SLUG}/edit",
        f"/workspace/surveys/{SLUG}/versions/1",
        f"/workspace/surveys/{SLUG}/translations/cy.po",
        f"/workspace/links/{code}/poster",
        f"/workspace/links/{code}/qr.svg",
        f"/dashboards/{SLUG}",
        f"/dashboards/{SLUG}/report",
        f"/dashboards/{SLUG}/export.csv",
        f"/dashboards/{SLUG}/compare",
    ]


def test_a_survey_limited_to_a_team_is_hidden_from_everyone_else(
    app: Flask, sample_link: str
) -> None:
    owner = person(app, "owner@example.org")
    outsider = person(app, "outsider@example.org")
    viewer = person(app, "viewer-in-team@example.org", role="viewer")
    team = make_team(app, "Youth justice design", "owner@example.org", "viewer-in-team@example.org")
    assert outsider.get(f"/workspace/surveys/{SLUG}").status_code == 200

    assert limit(owner, teams=[team]).status_code == 303

    for path in staff_paths(sample_link):
        refused = outsider.get(path)
        assert refused.status_code == 403, path
        assert "limited to other teams" in refused.get_data(as_text=True), path
    assert "Feeling safe where you spend time" not in outsider.get("/workspace").get_data(
        as_text=True
    )
    assert "Feeling safe" not in outsider.get("/workspace/translations").get_data(as_text=True)
    assert owner.get(f"/workspace/surveys/{SLUG}").status_code == 200
    assert viewer.get(f"/dashboards/{SLUG}").status_code == 200
    assert "Feeling safe where you spend time" in owner.get("/workspace").get_data(as_text=True)


def test_admins_always_see_limited_surveys(app: Flask, sample_link: str) -> None:
    owner = person(app, "owner@example.org")
    admin = app.test_client()
    sign_in(app, admin, "admin")
    assert limit(owner, people=[user_id(app, "owner@example.org")]).status_code == 303
    assert admin.get(f"/workspace/surveys/{SLUG}").status_code == 200
    assert admin.get(f"/dashboards/{SLUG}").status_code == 200


def test_a_survey_limited_to_a_person_and_opened_again(app: Flask, sample_link: str) -> None:
    owner = person(app, "owner@example.org")
    other = person(app, "other@example.org")
    assert limit(owner, people=[user_id(app, "owner@example.org")]).status_code == 303
    assert other.get(f"/dashboards/{SLUG}").status_code == 403
    page = owner.get(f"/workspace/surveys/{SLUG}").get_data(as_text=True)
    assert re.search(r'id="limit-yes" name="limit" value="yes" checked', page)

    assert limit(owner, everyone=True).status_code == 303
    assert other.get(f"/dashboards/{SLUG}").status_code == 200
    with app.app_context():
        assert db.session.scalars(select(SurveyAccess)).all() == []
        details = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "survey access changed")
        ).all()
    assert details == [
        f"{SLUG}: limited to owner@example.org",
        f"{SLUG}: everyone in the workspace",
    ]


def test_nobody_can_lock_themselves_out_or_limit_to_nobody(app: Flask, sample_link: str) -> None:
    owner = person(app, "owner@example.org")
    person(app, "other@example.org")
    refused = limit(owner, people=[user_id(app, "other@example.org")])
    assert refused.status_code == 400
    assert "You would no longer see this survey" in refused.get_data(as_text=True)
    empty = limit(owner)
    assert empty.status_code == 400
    assert "Tick at least one team or person" in empty.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(SurveyAccess)).all() == []


def test_a_limited_survey_cannot_be_overwritten_by_publishing_its_id(
    app: Flask, sample_link: str
) -> None:
    owner = person(app, "owner@example.org")
    outsider = person(app, "outsider@example.org")
    assert limit(owner, people=[user_id(app, "owner@example.org")]).status_code == 303
    # From the bank, the outsider gets a survey of their own under another id...
    response = outsider.post(
        "/workspace/surveys/from-bank",
        data={
            "name": "sample-young-people",
            "csrf_token": csrf(outsider, "/workspace/surveys/new"),
        },
    )
    assert response.status_code == 303
    assert "/workspace/surveys/sample-young-people-2?" in response.location
    # ...and a file with the limited survey's id is refused.
    definition = SAMPLE_SURVEY.read_bytes()
    refused = outsider.post(
        "/workspace/surveys/upload",
        data={
            "csrf_token": csrf(outsider, "/workspace/surveys/new"),
            "file": (io.BytesIO(definition), "sample.yaml"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 409
    assert "limited to other teams" in refused.get_data(as_text=True)
    with app.app_context():
        limited = db.session.scalar(
            select(SurveyRecord).where(SurveyRecord.slug == "sample-young-people")
        )
        assert len(limited.versions) == 1


def test_admins_create_teams_and_change_members(app: Flask) -> None:
    admin = app.test_client()
    sign_in(app, admin, "admin")
    person(app, "member@example.org")
    response = admin.post(
        "/workspace/teams", data={"name": "  Parents   panel ", "csrf_token": csrf(admin)}
    )
    assert response.status_code == 303
    duplicate = admin.post(
        "/workspace/teams", data={"name": "parents panel", "csrf_token": csrf(admin)}
    )
    assert duplicate.status_code == 400
    assert "already a team with that name" in duplicate.get_data(as_text=True)
    blank = admin.post("/workspace/teams", data={"name": " ", "csrf_token": csrf(admin)})
    assert "Enter a team name" in blank.get_data(as_text=True)
    with app.app_context():
        team_id = db.session.scalar(select(Team.id).where(Team.name == "Parents panel"))
    member = user_id(app, "member@example.org")
    path = f"/workspace/teams/{team_id}/members"
    assert (
        admin.post(
            path, data={"user_id": str(member), "action": "add", "csrf_token": csrf(admin)}
        ).status_code
        == 303
    )
    page = admin.get("/workspace/teams").get_data(as_text=True)
    assert "member@example.org" in page.split("Parents panel")[1]
    assert (
        admin.post(
            path, data={"user_id": "", "action": "add", "csrf_token": csrf(admin)}
        ).status_code
        == 400
    )
    assert (
        admin.post(
            path, data={"user_id": str(member), "action": "remove", "csrf_token": csrf(admin)}
        ).status_code
        == 303
    )
    with app.app_context():
        assert db.session.scalars(select(TeamMember)).all() == []
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert {"team created", "team member added", "team member removed"} <= set(actions)


def test_only_admins_manage_teams(app: Flask) -> None:
    designer = person(app, "designer@example.org")
    assert designer.get("/workspace/teams").status_code == 403
    assert (
        designer.post(
            "/workspace/teams", data={"name": "Mine", "csrf_token": csrf(designer)}
        ).status_code
        == 403
    )


def test_the_survey_list_leads_editors_on_and_marks_limited_surveys(
    app: Flask, sample_link: str
) -> None:
    owner = person(app, "owner@example.org")
    viewer = person(app, "viewer@example.org", role="viewer")
    assert (
        limit(
            owner, people=[user_id(app, "owner@example.org"), user_id(app, "viewer@example.org")]
        ).status_code
        == 303
    )
    page = owner.get("/workspace").get_data(as_text=True)
    assert 'href="/workspace/surveys/new"' in page
    assert f'<a href="/workspace/surveys/{SLUG}">Feeling safe where you spend time</a>' in page
    assert "Open – limited to named teams or people" in page
    seen = viewer.get("/workspace").get_data(as_text=True)
    assert 'href="/workspace/surveys/new"' not in seen
    assert f'href="/workspace/surveys/{SLUG}"' not in seen
    assert f'href="/dashboards/{SLUG}"' in seen
