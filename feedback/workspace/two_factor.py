"""Optional two-step sign-in: a code from an authenticator app after the password (TOTP)."""

from __future__ import annotations

import time

import pyotp
from flask import redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user, login_required, login_user
from markupsafe import Markup

from feedback.storage import audit
from feedback.storage.db import db
from feedback.storage.models import User
from feedback.web.limits import limiter, sign_in_limit
from feedback.web.staff_access import start_staff_session
from feedback.workspace.routes import bp, qr_svg

PENDING_SECONDS = 300


def code_is_right(secret: str, code: str) -> bool:
    code = "".join(code.split())
    return code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


def begin_second_step(user: User) -> ResponseReturnValue:
    """After a right password for someone with two-step sign-in: ask for the code."""
    session.clear()
    session["pending_user"], session["pending_since"] = user.id, int(time.time())
    return redirect(url_for(".sign_in_code", next=request.args.get("next")), 303)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def sign_in_code() -> ResponseReturnValue:
    user_id, since = session.get("pending_user"), session.get("pending_since", 0)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.totp_secret or time.time() - since > PENDING_SECONDS:
        session.clear()
        return redirect(url_for(".sign_in"), 303)
    errors = []
    if request.method == "POST":
        if code_is_right(user.totp_secret, request.form.get("code", "")):
            session.clear()
            login_user(user)
            start_staff_session()
            audit.record(db.session, "signed in", "with two-step code", actor=user.email)
            return redirect(url_for(".surveys"), 303)
        errors = [("code", "code", gettext("The code is not right. Enter the 6 digits your "
                                           "app shows now"))]
        audit.record(db.session, "sign-in refused", "wrong two-step code", actor=user.email)
        db.session.commit()
    status = 400 if errors else 200
    return render_template("workspace/sign_in_code.html", errors=errors), status


@bp.route("/workspace/two-step", methods=["GET", "POST"])
@login_required
def two_step() -> ResponseReturnValue:
    """Turn two-step sign-in on (scan, then confirm with a code) or off."""
    errors = []
    if current_user.totp_secret:
        if request.method == "POST":
            if code_is_right(current_user.totp_secret, request.form.get("code", "")):
                current_user.totp_secret = None
                audit.record(db.session, "two-step sign-in turned off")
                return redirect(url_for(".two_step"), 303)
            errors = [("code", "code", gettext("The code is not right"))]
        return render_template("workspace/two_step.html", enabled=True, errors=errors), \
            400 if errors else 200
    secret = session.setdefault("new_totp_secret", pyotp.random_base32())
    if request.method == "POST":
        if code_is_right(secret, request.form.get("code", "")):
            current_user.totp_secret = secret
            session.pop("new_totp_secret", None)
            audit.record(db.session, "two-step sign-in turned on")
            return redirect(url_for(".two_step"), 303)
        errors = [("code", "code", gettext("The code is not right. Enter the 6 digits your "
                                           "app shows now"))]
    uri = pyotp.TOTP(secret).provisioning_uri(name=current_user.email, issuer_name="Feedback")
    return render_template("workspace/two_step.html", enabled=False, secret=secret,
                           qr=Markup(qr_svg(uri, "Feedback")), errors=errors), \
        400 if errors else 200  # noqa: S704 - segno's SVG
