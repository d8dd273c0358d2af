"""Optional two-step sign-in: a code from an authenticator app after the password (TOTP).

Each code is accepted once (see feedback.storage.second_factor); wrong codes are limited
per client and per account. The secret is encrypted in the database, and while it is
being set up it travels in the session cookie encrypted too: the cookie is signed, so
anyone holding it could otherwise read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

import time

from flask import current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user, login_user
from markupsafe import Markup

from feedback.storage import audit, second_factor
from feedback.storage.db import db
from feedback.storage.models import User
from feedback.web.limits import (
    limiter,
    pending_account_key,
    refused,
    sign_in_limit,
    two_step_code_limit,
)
from feedback.web.staff_access import STAFF, require_role, safe_next, start_staff_session
from feedback.workspace.routes import bp, qr_svg

PENDING_SECONDS = 300


def cipher() -> MultiFernet:
    return second_factor.totp_cipher(
        current_app.config["SECRET_KEY"], current_app.config.get("TOTP_ENCRYPTION_KEY")
    )


def begin_second_step(user: User) -> ResponseReturnValue:
    """After a right password for someone with two-step sign-in: ask for the code."""
    session.clear()
    session["pending_user"], session["pending_since"] = user.id, int(time.time())
    return redirect(url_for(".sign_in_code", next=safe_next(request.args.get("next"))), 303)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
@limiter.limit(
    two_step_code_limit, key_func=pending_account_key, methods=["POST"], deduct_when=refused
)
def sign_in_code() -> ResponseReturnValue:
    user_id, since = session.get("pending_user"), session.get("pending_since", 0)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.totp_secret or time.time() - since > PENDING_SECONDS:
        session.clear()
        return redirect(url_for(".sign_in"), 303)
    errors = []
    if request.method == "POST":
        if second_factor.use_code(
            db.session, user, request.form.get("code", ""), cipher(), time.time()
        ):
            session.clear()
            login_user(user)
            start_staff_session(user)
            audit.record(db.session, "signed in", "with two-step code", actor=user.email)
            return redirect(safe_next(request.args.get("next")) or url_for(".surveys"), 303)
        errors = [
            (
                "code",
                "code",
                gettext("The code is not right. Enter the 6 digits your app shows now"),
            )
        ]
        audit.record(db.session, "sign-in refused", "wrong two-step code", actor=user.email)
        db.session.commit()
    status = 400 if errors else 200
    return render_template("workspace/sign_in_code.html", errors=errors), status


@bp.route("/workspace/two-step", methods=["GET", "POST"])
@require_role(*STAFF)
def two_step() -> ResponseReturnValue:
    """Turn two-step sign-in on (scan, then confirm with a code) or off."""
    if current_user.oidc_subject:
        # The organisation's provider decides how these people prove who they are.
        return render_template("workspace/two_step.html", through_provider=True, errors=[])
    if current_user.totp_secret:
        return _turn_off()
    return _turn_on()


def _turn_off() -> ResponseReturnValue:
    errors = []
    if request.method == "POST":
        if second_factor.use_code(
            db.session, current_user, request.form.get("code", ""), cipher(), time.time()
        ):
            second_factor.turn_off(current_user)
            audit.record(db.session, "two-step sign-in turned off")
            return redirect(url_for(".two_step"), 303)
        errors = [("code", "code", gettext("The code is not right"))]
    return render_template(
        "workspace/two_step.html", enabled=True, errors=errors
    ), 400 if errors else 200


def _turn_on() -> ResponseReturnValue:
    secret = second_factor.unseal(cipher(), session.get("new_totp_secret"))
    if secret is None:
        secret = second_factor.new_secret()
        session["new_totp_secret"] = second_factor.seal(cipher(), secret)
    errors = []
    if request.method == "POST":
        if second_factor.turn_on(
            current_user, secret, request.form.get("code", ""), cipher(), time.time()
        ):
            session.pop("new_totp_secret", None)
            audit.record(db.session, "two-step sign-in turned on")
            return redirect(url_for(".two_step"), 303)
        errors = [
            (
                "code",
                "code",
                gettext("The code is not right. Enter the 6 digits your app shows now"),
            )
        ]
    import pyotp

    uri = pyotp.TOTP(secret).provisioning_uri(name=current_user.email, issuer_name="Feedback")
    return render_template(
        "workspace/two_step.html",
        enabled=False,
        secret=secret,
        qr=Markup(qr_svg(uri, "Feedback")),  # noqa: S704 - segno's SVG
        errors=errors,
    ), 400 if errors else 200
