"""Sign-in as an attacker tries it: redirects, replayed codes, copied cookies, guessing."""

from __future__ import annotations

import base64
import json
import re
import time
import zlib
from collections.abc import Iterator
from datetime import date

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from feedback.storage.accounts import create_user, set_password
from feedback.storage.db import db
from feedback.storage.models import AuditEvent, User
from feedback.web.limits import limiter
from tests.conftest import make_app
from tests.feedback.test_dashboard import PASSWORD, sign_in
from tests.feedback.test_two_step import password_step, token_of, turn_on


def sign_in_form(client: FlaskClient, path: str = "/sign-in") -> str:
    return token_of(client.get(path).get_data(as_text=True))


def post_sign_in(
    client: FlaskClient, email: str, password: str, query: str = "", address: str = "127.0.0.1"
):  # noqa: ANN201
    token = sign_in_form(client)
    return client.post(
        f"/sign-in{query}",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def a_person(app: Flask, email: str = "person@example.org", role: str = "designer") -> None:
    with app.app_context():
        create_user(db.session, email, PASSWORD, role, date.today())
        db.session.commit()


# -- 1. where a sign-in leads ---------------------------------------------------------------
@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%0d%0aSet-Cookie:%20x=1",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/%5C%5Cevil.example",
        "%2F%2Fevil.example",
        "javascript:alert(1)",
        "/%00/evil.example",
        "http:/evil.example",
        " //evil.example",
    ],
)
def test_a_next_address_off_this_site_is_ignored(
    app: Flask, client: FlaskClient, target: str
) -> None:
    a_person(app)
    response = post_sign_in(client, "person@example.org", PASSWORD, f"?next={target}")
    assert response.status_code == 303, target
    assert response.headers["Location"] == "/workspace", target


def test_a_next_address_on_this_site_is_followed(app: Flask, client: FlaskClient) -> None:
    a_person(app)
    target = "/dashboards/sample-young-people?f=language:cy"
    response = post_sign_in(
        client,
        "person@example.org",
        PASSWORD,
        "?next=/dashboards/sample-young-people%3Ff%3Dlanguage:cy",
    )
    assert response.headers["Location"] == target


def test_the_code_step_keeps_a_next_address_on_this_site_only(
    app: Flask, client: FlaskClient
) -> None:
    secret = turn_on(app, client)
    for target, expected in (
        ("/workspace/translations", "/workspace/translations"),
        ("/%09/evil.example", "/workspace"),
    ):
        with app.app_context():  # each sign-in here may use the next time step's code
            db.session.scalar(
                select(User).where(User.totp_secret.is_not(None))
            ).totp_last_step = None
            db.session.commit()
        fresh = app.test_client()
        step = post_sign_in(fresh, "designer@example.org", PASSWORD, f"?next={target}")
        page = fresh.get(step.headers["Location"]).get_data(as_text=True)
        accepted = fresh.post(
            step.headers["Location"],
            data={"code": pyotp.TOTP(secret).at(time.time() + 30), "csrf_token": token_of(page)},
        )
        assert accepted.headers["Location"] == expected


# -- 15. what a refused sign-in leaves in the audit trail ------------------------------------
def test_a_refused_sign_in_records_the_refusal_not_what_was_typed(
    app: Flask, client: FlaskClient
) -> None:
    a_person(app)
    typed = "ceo@council.example'); DROP TABLE users; --"
    assert post_sign_in(client, typed, "guess").status_code == 400
    assert post_sign_in(client, "Person@Example.org", "wrong password").status_code == 400
    with app.app_context():
        refused = db.session.execute(
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id)
        ).all()
    assert [action for _, action, _ in refused] == ["sign-in refused", "sign-in refused"]
    assert all(
        "DROP TABLE" not in actor + detail and "ceo@" not in actor + detail
        for actor, _, detail in refused
    )
    assert refused[0][2] == "no such account"
    # A known account is named as the system knows it, not as typed.
    assert refused[1][2] == "person@example.org"


# -- 9. signing out, and changes of password or role, end every session -----------------------
def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    cookie = client.get_cookie("feedback")
    thief.set_cookie("feedback", cookie.value, domain=cookie.domain)
    return thief


def test_signing_out_ends_a_copied_session_too(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "designer")
    thief = copy_of(app, client)
    assert thief.get("/workspace").status_code == 200
    page = client.get("/workspace").get_data(as_text=True)
    assert client.post("/sign-out", data={"csrf_token": token_of(page)}).status_code == 303
    refused = thief.get("/workspace")
    assert refused.status_code == 302 and "/sign-in" in refused.location


def test_a_change_of_role_or_password_ends_that_persons_sessions(app: Flask) -> None:
    admin = app.test_client()
    sign_in(app, admin, "admin")
    designer = app.test_client()
    sign_in(app, designer, "designer")
    with app.app_context():
        designer_id = db.session.scalar(select(User.id).where(User.role == "designer"))
    page = admin.get("/workspace/users").get_data(as_text=True)
    assert (
        admin.post(
            f"/workspace/users/{designer_id}",
            data={"role": "viewer", "active": "yes", "csrf_token": token_of(page)},
        ).status_code
        == 303
    )
    assert designer.get("/workspace").status_code == 302
    assert admin.get("/workspace").status_code == 200  # the admin's own session goes on

    again = app.test_client()
    again.get("/sign-in")
    assert post_sign_in(again, "designer@example.org", PASSWORD).status_code == 303
    with app.app_context():
        set_password(db.session.get(User, designer_id), "a new long password")
        db.session.commit()
    assert again.get("/workspace").status_code == 302


# -- 4 and 10. codes are used once, guessing is limited per account, secrets are sealed ---------
def test_a_code_is_never_accepted_twice(app: Flask, client: FlaskClient) -> None:
    secret = turn_on(app, client)
    code = pyotp.TOTP(secret).at(time.time() + 30)
    signed_in = []
    for _ in range(2):
        fresh = app.test_client()
        step = password_step(fresh)
        page = fresh.get(step.headers["Location"]).get_data(as_text=True)
        response = fresh.post("/sign-in/code", data={"code": code, "csrf_token": token_of(page)})
        signed_in.append(response.status_code == 303)
    assert signed_in == [True, False]


def test_the_code_that_turned_it_on_cannot_sign_in(app: Flask, client: FlaskClient) -> None:
    secret = turn_on(app, client)
    with app.app_context():
        confirmed_at = db.session.scalar(select(User.totp_last_step)) * 30
    fresh = app.test_client()
    page = fresh.get(password_step(fresh).headers["Location"]).get_data(as_text=True)
    response = fresh.post(
        "/sign-in/code",
        data={"code": pyotp.TOTP(secret).at(confirmed_at), "csrf_token": token_of(page)},
    )
    assert response.status_code == 400


def test_the_secret_is_stored_encrypted_and_never_in_the_cookie(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(app, client, "designer")
    page = client.get("/workspace/two-step").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    assert secret not in session_contents(client)
    client.post(
        "/workspace/two-step", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token_of(page)}
    )
    with app.app_context():
        stored = db.session.scalar(select(User.totp_secret))
    assert stored and secret not in stored and secret.lower() not in stored.lower()
    assert secret not in session_contents(client)


def session_contents(client: FlaskClient) -> str:
    """What anyone holding the cookie can read: it is signed, not encrypted."""
    payload = client.get_cookie("feedback").value.split(".")
    compressed = payload[0] == ""
    data = payload[1] if compressed else payload[0]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return json.dumps(json.loads(zlib.decompress(raw) if compressed else raw))


@pytest.fixture
def limited_app(database_url: str) -> Iterator[Flask]:
    from tests.conftest import _empty_tables

    app = make_app(database_url, RATELIMIT_ENABLED=True)
    limiter.reset()
    yield app
    limiter.reset()
    _empty_tables(app)


def test_passwords_guessed_from_many_addresses_are_limited_per_account(limited_app: Flask) -> None:
    a_person(limited_app)
    a_person(limited_app, "other@example.org")
    statuses = [
        post_sign_in(
            limited_app.test_client(), "person@example.org", "guess", address=f"10.0.{n}.1"
        ).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [400] * 10 and statuses[10:] == [429, 429]
    # The limit is the account's: someone else still signs in from those addresses.
    assert (
        post_sign_in(
            limited_app.test_client(), "other@example.org", PASSWORD, address="10.0.1.1"
        ).status_code
        == 303
    )


def test_codes_guessed_from_many_addresses_are_limited_per_account(limited_app: Flask) -> None:
    secret = turn_on(limited_app, limited_app.test_client())
    statuses = []
    for n in range(7):
        client = limited_app.test_client()
        step = post_sign_in(client, "designer@example.org", PASSWORD, address=f"10.1.{n}.1")
        page = client.get(step.headers["Location"]).get_data(as_text=True)
        statuses.append(
            client.post(
                "/sign-in/code",
                data={"code": "000000", "csrf_token": token_of(page)},
                environ_base={"REMOTE_ADDR": f"10.1.{n}.1"},
            ).status_code
        )
    assert statuses == [400] * 5 + [429, 429]
    # Even the right code waits: whoever guesses has had their tries.
    client = limited_app.test_client()
    step = post_sign_in(client, "designer@example.org", PASSWORD, address="10.2.0.1")
    page = client.get(step.headers["Location"]).get_data(as_text=True)
    assert (
        client.post(
            "/sign-in/code",
            data={"code": pyotp.TOTP(secret).at(time.time() + 30), "csrf_token": token_of(page)},
            environ_base={"REMOTE_ADDR": "10.2.0.1"},
        ).status_code
        == 429
    )


def test_secrets_move_to_a_configured_key_and_a_bad_key_stops_the_start(
    app: Flask, client: FlaskClient
) -> None:
    from cryptography.fernet import Fernet

    from feedback.config import ConfigError
    from feedback.storage.second_factor import totp_cipher, unseal

    secret = turn_on(app, client)  # sealed with the key derived from SECRET_KEY
    key = Fernet.generate_key().decode()
    app.config["TOTP_ENCRYPTION_KEY"] = key
    fresh = app.test_client()
    page = fresh.get(password_step(fresh).headers["Location"]).get_data(as_text=True)
    assert (
        fresh.post(
            "/sign-in/code",
            data={"code": pyotp.TOTP(secret).at(time.time() + 30), "csrf_token": token_of(page)},
        ).status_code
        == 303
    )
    with app.app_context():
        stored = db.session.scalar(select(User.totp_secret))
    assert unseal(totp_cipher("another secret key altogether", key), stored) == secret
    with pytest.raises(ConfigError, match="TOTP_ENCRYPTION_KEY"):
        make_app("sqlite://", TOTP_ENCRYPTION_KEY="not-a-key")


def test_over_https_a_form_without_a_referer_is_accepted_but_one_without_its_token_is_not(
    app: Flask,
) -> None:
    """Pages send Referrer-Policy: no-referrer, so a browser's form posts carry none."""
    a_person(app)
    client = app.test_client()
    page = client.get("/sign-in", base_url="https://localhost").get_data(as_text=True)
    signed_in = client.post(
        "/sign-in",
        base_url="https://localhost",
        data={"email": "person@example.org", "password": PASSWORD, "csrf_token": token_of(page)},
    )
    assert signed_in.status_code == 303
    other = app.test_client()
    other.get("/sign-in", base_url="https://localhost")
    forged = other.post(
        "/sign-in",
        base_url="https://localhost",
        data={"email": "person@example.org", "password": PASSWORD},
    )
    assert forged.status_code == 400
