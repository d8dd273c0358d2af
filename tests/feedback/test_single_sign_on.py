"""Staff single sign-on against a real OpenID Connect provider on loopback: the answers it
gives are checked (state, nonce, issuer), accounts are linked by the provider's subject and
start with no role, groups give roles, and passwords can be switched off."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner
from flask import Flask
from flask import session as flask_session
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from feedback.cli import main
from feedback.config import ConfigError, load_config
from feedback.storage.accounts import create_user
from feedback.storage.db import db
from feedback.storage.models import AuditEvent, User
from tests.conftest import _empty_tables, make_app
from tests.single_sign_on import (
    answer_at_provider,
    disable_at_provider,
    register_person,
    running_provider,
    with_parameter,
)

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with running_provider() as issuer:
        yield issuer


def sso_app(database_url: str, provider: str, **overrides: object) -> Flask:
    settings: dict[str, object] = {
        "OIDC_ISSUER": provider,
        "OIDC_CLIENT_ID": "feedback",
        "OIDC_CLIENT_SECRET": "client-secret",
        "OIDC_PROVIDER_NAME": "Test Council",
    }
    settings.update(overrides)
    return make_app(database_url, **settings)


@pytest.fixture
def app(database_url: str, provider: str) -> Iterator[Flask]:
    app = sso_app(database_url, provider)
    yield app
    _empty_tables(app)


def csrf_token(client: FlaskClient) -> str:
    page = client.get("/sign-in").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def session_csrf_token(app: Flask, client: FlaskClient) -> str:
    """A valid form token for `client`'s session, for a page that shows no form."""
    with app.test_request_context():
        token = generate_csrf()
        raw = flask_session["csrf_token"]
    with client.session_transaction() as stored:
        stored["csrf_token"] = raw
    return token


def start(client: FlaskClient) -> str:
    """Press "Sign in with ..." and return the provider address it sends the browser to."""
    answer = client.get("/sign-in/sso")
    assert answer.status_code == 302
    return answer.location


def come_back(client: FlaskClient, location: str):  # noqa: ANN201 - a test response
    parts = urlsplit(location)
    assert parts.path == "/sign-in/sso/return"
    return client.get(f"{parts.path}?{parts.query}")


def sign_in_through_provider(client: FlaskClient, provider: str, subject: str, **claims: object):  # noqa: ANN201
    register_person(provider, subject, **claims)
    return come_back(client, answer_at_provider(start(client), subject))


def account(app: Flask, subject: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.oidc_subject == subject))
        if user is not None:
            db.session.expunge(user)
        return user


def grant(app: Flask, subject: str, role: str) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.oidc_subject == subject))
        user.role = role
        db.session.commit()


def test_the_sign_in_page_offers_the_provider_and_the_password(client: FlaskClient) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    assert "Sign in with Test Council" in page
    assert 'name="password"' in page


def test_the_request_to_the_provider_carries_state_nonce_and_pkce(client: FlaskClient) -> None:
    query = dict(parse_qsl(urlsplit(start(client)).query))
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    assert "openid" in query["scope"].split()


def test_first_sign_in_makes_an_account_with_no_access_until_a_role_is_given(
    app: Flask, client: FlaskClient, provider: str
) -> None:
    answer = sign_in_through_provider(client, provider, "alex-1", email="Alex@Council.gov.uk")
    assert answer.status_code == 303
    assert answer.location.endswith("/workspace/waiting-for-access")
    user = account(app, "alex-1")
    assert (user.email, user.role, user.password_hash) == ("alex@council.gov.uk", None, None)
    assert user.oidc_issuer == provider
    # The provider's token is kept with the account, encrypted; the cookie stays small.
    assert user.oidc_access_token and "." not in user.oidc_access_token[:20]
    with client.session_transaction() as stored:
        assert set(stored) >= {"provider_token_expires", "provider_checked_at"}
        assert len(str(dict(stored))) < 600
    waiting = client.get("/workspace/waiting-for-access").get_data(as_text=True)
    assert "An admin of this service must give you a role" in waiting
    for page in ("/workspace", "/workspace/translations", "/workspace/users", "/dashboards/x"):
        refused = client.get(page)
        assert refused.status_code == 303, page
        assert refused.location.endswith("/workspace/waiting-for-access")
    grant(app, "alex-1", "viewer")
    # A new role ends sessions begun under the old one (as the People page does).
    assert client.get("/workspace").status_code in (200, 302)
    sign_in_through_provider(client, provider, "alex-1", email="alex@council.gov.uk")
    assert client.get("/workspace").status_code == 200


def test_accounts_are_found_by_subject_not_by_email(
    app: Flask, client: FlaskClient, provider: str
) -> None:
    sign_in_through_provider(client, provider, "sam-1", email="sam@council.gov.uk")
    grant(app, "sam-1", "admin")
    # Someone else at the provider now has Sam's old address: they get nothing of Sam's.
    other = app.test_client()
    sign_in_through_provider(other, provider, "sam-2", email="sam.new@council.gov.uk")
    sign_in_through_provider(client, provider, "sam-1", email="sam.new2@council.gov.uk")
    assert account(app, "sam-1").email == "sam.new2@council.gov.uk"
    assert account(app, "sam-2").role is None


def test_a_password_account_with_the_same_email_is_not_taken_over(
    app: Flask, client: FlaskClient, provider: str
) -> None:
    with app.app_context():
        create_user(db.session, "lee@council.gov.uk", PASSWORD, "admin", date.today())
        db.session.commit()
    answer = sign_in_through_provider(client, provider, "lee-1", email="lee@council.gov.uk")
    assert answer.status_code == 400
    assert "another account has its email address" in answer.get_data(as_text=True)
    assert account(app, "lee-1") is None
    assert client.get("/workspace").status_code == 302


def test_an_admin_can_let_a_password_account_be_linked(
    app: Flask, client: FlaskClient, provider: str
) -> None:
    with app.app_context():
        create_user(db.session, "kim@council.gov.uk", PASSWORD, "designer", date.today())
        db.session.commit()
    result = CliRunner().invoke(
        main, ["user", "allow-single-sign-on", "kim@council.gov.uk"], obj=app
    )
    assert result.exit_code == 0, result.output
    answer = sign_in_through_provider(client, provider, "kim-1", email="kim@council.gov.uk")
    assert answer.status_code == 303
    assert account(app, "kim-1").role == "designer"
    assert client.get("/workspace").status_code == 200


def test_a_refusal_at_the_provider_is_explained(client: FlaskClient) -> None:
    answer = come_back(client, answer_at_provider(start(client), None))
    assert answer.status_code == 403
    assert "Test Council did not sign you in" in answer.get_data(as_text=True)


def test_an_answer_for_another_sign_in_is_refused(
    app: Flask, client: FlaskClient, provider: str
) -> None:
    register_person(provider, "eve-1", email="eve@council.gov.uk")
    location = answer_at_provider(start(client), "eve-1")
    # The same answer in a browser that never started this sign-in (a forged link).
    stranger = app.test_client()
    answer = come_back(stranger, location)
    assert answer.status_code == 400
    assert "This sign-in was not started here" in answer.get_data(as_text=True)
    # A state that was never given out.
    start(client)
    answer = come_back(client, with_parameter(location, "state", "not-the-state"))
    assert answer.status_code == 400
    assert account(app, "eve-1") is None


def test_an_id_token_with_another_nonce_is_refused(
    app: Flask, client: FlaskClient, provider: str
) -> None:
    register_person(provider, "nia-1", email="nia@council.gov.uk")
    tampered = with_parameter(start(client), "nonce", "a-nonce-this-app-never-made")
    answer = come_back(client, answer_at_provider(tampered, "nia-1"))
    assert answer.status_code == 400
    assert "We could not confirm your sign-in with Test Council" in answer.get_data(as_text=True)
    assert account(app, "nia-1") is None
    assert client.get("/workspace").status_code == 302


def test_an_id_token_from_another_issuer_is_refused(database_url: str, provider: str) -> None:
    # The provider names itself by the address it is reached at: reached at 127.0.0.1, its
    # tokens name http://127.0.0.1:..., which is not the issuer this app trusts.
    port = urlsplit(provider).port
    app = sso_app(
        database_url,
        provider,
        OIDC_DISCOVERY_URL=f"http://127.0.0.1:{port}/.well-known/openid-configuration",
    )
    try:
        client = app.test_client()
        answer = sign_in_through_provider(client, provider, "ivy-1", email="ivy@council.gov.uk")
        assert answer.status_code == 400
        assert "We could not confirm your sign-in" in answer.get_data(as_text=True)
        assert account(app, "ivy-1") is None
    finally:
        _empty_tables(app)


def test_groups_at_the_provider_give_and_take_roles(database_url: str, provider: str) -> None:
    app = sso_app(
        database_url,
        provider,
        OIDC_GROUPS_CLAIM="groups",
        OIDC_GROUP_ROLES={"g-design": "designer", "g-admins": "admin", "g-view": "viewer"},
    )
    try:
        client = app.test_client()
        claims = {"email": "gus@council.gov.uk", "groups": ["g-view", "g-design", "other"]}
        answer = sign_in_through_provider(client, provider, "gus-1", **claims)
        assert answer.status_code == 303 and answer.location.endswith("/workspace")
        assert account(app, "gus-1").role == "designer"
        # Taken out of every mapped group at the provider: no role at the next sign-in.
        sign_in_through_provider(client, provider, "gus-1", email="gus@council.gov.uk", groups=[])
        assert account(app, "gus-1").role is None
        assert client.get("/workspace").status_code == 303
    finally:
        _empty_tables(app)


def test_required_claims_keep_out_other_organisations(database_url: str, provider: str) -> None:
    app = sso_app(database_url, provider, OIDC_REQUIRED_CLAIMS={"hd": "council.gov.uk"})
    try:
        client = app.test_client()
        answer = sign_in_through_provider(
            client, provider, "out-1", email="someone@gmail.example", hd="gmail.example"
        )
        assert answer.status_code == 403
        assert account(app, "out-1") is None
        answer = sign_in_through_provider(
            client, provider, "in-1", email="in@council.gov.uk", hd="council.gov.uk"
        )
        assert answer.status_code == 303
    finally:
        _empty_tables(app)


def test_an_account_disabled_at_the_provider_loses_access(database_url: str, provider: str) -> None:
    app = sso_app(database_url, provider, OIDC_RECHECK_SECONDS=0)
    try:
        client = app.test_client()
        sign_in_through_provider(client, provider, "dee-1", email="dee@council.gov.uk")
        grant(app, "dee-1", "viewer")
        sign_in_through_provider(client, provider, "dee-1", email="dee@council.gov.uk")
        assert client.get("/workspace").status_code == 200
        disable_at_provider(provider, "dee-1")
        answer = client.get("/workspace")
        assert answer.status_code == 302
        page = client.get(answer.location).get_data(as_text=True)
        assert "Test Council no longer accepts your account" in page
        assert client.get("/workspace").status_code == 302
    finally:
        _empty_tables(app)


def test_an_account_switched_off_here_cannot_sign_in(
    app: Flask, client: FlaskClient, provider: str
) -> None:
    sign_in_through_provider(client, provider, "off-1", email="off@council.gov.uk")
    with app.app_context():
        db.session.scalar(select(User).where(User.oidc_subject == "off-1")).is_active = False
        db.session.commit()
    answer = sign_in_through_provider(app.test_client(), provider, "off-1")
    assert answer.status_code == 400
    assert "switched off here" in answer.get_data(as_text=True)


def test_an_account_without_a_password_cannot_use_the_password_form(
    app: Flask, client: FlaskClient, provider: str
) -> None:
    sign_in_through_provider(client, provider, "np-1", email="np@council.gov.uk")
    other = app.test_client()
    answer = other.post(
        "/sign-in",
        data={"email": "np@council.gov.uk", "password": "", "csrf_token": csrf_token(other)},
    )
    assert answer.status_code == 400


def test_passwords_can_be_switched_off(database_url: str, provider: str) -> None:
    app = sso_app(database_url, provider, LOCAL_PASSWORDS=False)
    try:
        with app.app_context():
            create_user(db.session, "pat@council.gov.uk", PASSWORD, "admin", date.today())
            db.session.commit()
        client = app.test_client()
        page = client.get("/sign-in").get_data(as_text=True)
        assert "Sign in with Test Council" in page
        assert 'name="password"' not in page
        # A well-formed post with a valid token, as a script that knew the old form sends.
        answer = client.post(
            "/sign-in",
            data={
                "email": "pat@council.gov.uk",
                "password": PASSWORD,
                "csrf_token": session_csrf_token(app, client),
            },
        )
        assert answer.status_code == 403
        assert "Passwords are switched off here" in answer.get_data(as_text=True)
        assert client.get("/workspace").status_code == 302
        with app.app_context():
            assert db.session.scalar(
                select(AuditEvent.detail).where(AuditEvent.action == "sign-in refused")
            ) == ("passwords are switched off")
    finally:
        _empty_tables(app)


def test_settings_that_could_not_work_are_refused_at_start() -> None:
    base = {"FEEDBACK_ENV": "test", "SECRET_KEY": "k"}
    with pytest.raises(ConfigError, match="nobody could sign in"):
        load_config({**base, "LOCAL_PASSWORDS": False})
    with pytest.raises(ConfigError, match="OIDC_CLIENT_SECRET"):
        load_config({**base, "OIDC_ISSUER": "https://accounts.google.com", "OIDC_CLIENT_ID": "x"})
    with pytest.raises(ConfigError, match="roles are"):
        load_config(
            {
                **base,
                "OIDC_ISSUER": "https://accounts.google.com",
                "OIDC_CLIENT_ID": "x",
                "OIDC_CLIENT_SECRET": "y",
                "OIDC_GROUPS_CLAIM": "groups",
                "OIDC_GROUP_ROLES": {"staff": "superuser"},
            }
        )
    config = load_config(
        {
            **base,
            "OIDC_ISSUER": "https://login.microsoftonline.com/tenant-id/v2.0/",
            "OIDC_CLIENT_ID": "x",
            "OIDC_CLIENT_SECRET": "y",
        }
    )
    assert config["OIDC_DISCOVERY_URL"] == (
        "https://login.microsoftonline.com/tenant-id/v2.0/.well-known/openid-configuration"
    )


def test_the_session_ends_with_the_providers_token(
    app: Flask, client: FlaskClient, provider: str
) -> None:
    sign_in_through_provider(client, provider, "tok-1", email="tok@council.gov.uk")
    grant(app, "tok-1", "viewer")
    sign_in_through_provider(client, provider, "tok-1", email="tok@council.gov.uk")
    assert client.get("/workspace").status_code == 200
    with client.session_transaction() as stored:
        stored["provider_token_expires"] = 1
    answer = client.get("/workspace")
    assert answer.status_code == 302
    assert "Your sign-in has ended" in client.get(answer.location).get_data(as_text=True)


def test_an_admin_gives_and_takes_away_a_role(
    app: Flask, client: FlaskClient, provider: str
) -> None:
    person = app.test_client()
    sign_in_through_provider(person, provider, "rob-1", email="rob@council.gov.uk")
    with app.app_context():
        create_user(db.session, "boss@council.gov.uk", PASSWORD, "admin", date.today())
        db.session.commit()
    client.post(
        "/sign-in",
        data={
            "email": "boss@council.gov.uk",
            "password": PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    people = client.get("/workspace/users").get_data(as_text=True)
    assert "No role yet" in people and "(signs in with Test Council)" in people
    token = re.search(r'name="csrf_token" value="([^"]+)"', people).group(1)
    user_id = account(app, "rob-1").id
    for role, expected in (("designer", "designer"), ("none", None)):
        answer = client.post(
            f"/workspace/users/{user_id}", data={"role": role, "active": "yes", "csrf_token": token}
        )
        assert answer.status_code == 303
        assert account(app, "rob-1").role == expected


def test_no_password_accounts_are_added_when_passwords_are_off(
    database_url: str, provider: str
) -> None:
    app = sso_app(database_url, provider, LOCAL_PASSWORDS=False)
    try:
        client = app.test_client()
        sign_in_through_provider(client, provider, "adm-1", email="adm@council.gov.uk")
        grant(app, "adm-1", "admin")
        sign_in_through_provider(client, provider, "adm-1", email="adm@council.gov.uk")
        page = client.get("/workspace/users").get_data(as_text=True)
        assert "Add to the team" not in page
        assert "their account appears here at their first sign-in" in page
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        answer = client.post(
            "/workspace/users",
            data={"email": "new@council.gov.uk", "role": "viewer", "csrf_token": token},
        )
        assert answer.status_code == 403
    finally:
        _empty_tables(app)
