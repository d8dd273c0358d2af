"""Two-step sign-in with an authenticator app code (TOTP)."""

from __future__ import annotations

import re
import time

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from feedback.storage.db import db
from feedback.storage.models import User
from tests.feedback.test_dashboard import PASSWORD, sign_in


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*? value="([^"]+)"', page).group(1)


def turn_on(app: Flask, client: FlaskClient) -> str:
    sign_in(app, client, "designer")
    page = client.get("/workspace/two-step").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    wrong = client.post(
        "/workspace/two-step", data={"code": "000000", "csrf_token": token_of(page)}
    )
    assert wrong.status_code == 400
    right = client.post(
        "/workspace/two-step", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token_of(page)}
    )
    assert right.status_code == 303
    return secret


def next_code(secret: str) -> str:
    """The code of the next 30-second step, which is accepted (one step of clock drift)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def password_step(client: FlaskClient) -> object:
    page = client.get("/sign-in").get_data(as_text=True)
    return client.post(
        "/sign-in",
        data={"email": "designer@example.org", "password": PASSWORD, "csrf_token": token_of(page)},
    )


def test_turning_it_on_stores_the_secret_and_hides_it_afterwards(
    app: Flask, client: FlaskClient
) -> None:
    from feedback.storage.second_factor import totp_cipher, unseal

    secret = turn_on(app, client)
    with app.app_context():
        stored = db.session.scalar(select(User.totp_secret))
    assert stored != secret  # encrypted, with a key from the configuration
    assert unseal(totp_cipher(app.config["SECRET_KEY"]), stored) == secret
    assert secret not in client.get("/workspace/two-step").get_data(as_text=True)


def test_sign_in_then_needs_the_code(app: Flask, client: FlaskClient) -> None:
    secret = turn_on(app, client)
    fresh = app.test_client()
    response = password_step(fresh)
    assert response.status_code == 303 and "/sign-in/code" in response.location
    assert fresh.get("/workspace").status_code == 302  # not signed in yet
    page = fresh.get("/sign-in/code").get_data(as_text=True)
    refused = fresh.post("/sign-in/code", data={"code": "123456", "csrf_token": token_of(page)})
    assert refused.status_code == 400 and "The code is not right" in refused.get_data(as_text=True)
    # The next time step's code: the one that turned it on is used up.
    accepted = fresh.post(
        "/sign-in/code", data={"code": next_code(secret), "csrf_token": token_of(page)}
    )
    assert accepted.status_code == 303
    assert fresh.get("/workspace").status_code == 200


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/sign-in/code")
    assert response.status_code == 303 and response.location.endswith("/sign-in")


def test_turning_it_off_needs_a_right_code(app: Flask, client: FlaskClient) -> None:
    secret = turn_on(app, client)
    page = client.get("/workspace/two-step").get_data(as_text=True)
    assert (
        client.post(
            "/workspace/two-step", data={"code": "999999", "csrf_token": token_of(page)}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/workspace/two-step", data={"code": next_code(secret), "csrf_token": token_of(page)}
        ).status_code
        == 303
    )
    with app.app_context():
        assert db.session.scalar(select(User.totp_secret)) is None
