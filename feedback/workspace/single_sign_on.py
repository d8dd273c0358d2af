"""Signing in through the organisation's provider (OpenID Connect), and the page for people
whose account has no role yet.

Someone's first sign-in makes an account linked to the provider's id for them, with no
role: they see only a page saying so until an admin gives them one on the People page,
or, with OIDC_GROUP_ROLES, until the provider lists them in a group that gives one. Each
sign-in reads the groups again, so a role taken away at the provider goes here too.

Two-step codes (TOTP) are not asked of these accounts: the provider decides how people
prove who they are, and its multi-factor authentication is where councils require it.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask import (
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from feedback.storage import audit
from feedback.storage.accounts import (
    AccountError,
    account_for_identity,
    role_from_groups,
    set_role,
)
from feedback.storage.db import db
from feedback.storage.models import User
from feedback.web import single_sign_on
from feedback.web.limits import limiter, sign_in_limit
from feedback.web.staff_access import safe_next, start_staff_session
from feedback.workspace.routes import REFUSED_ACTOR, bp

log = logging.getLogger(__name__)

_NEXT = "provider_next"


def _unconfirmed_errors() -> tuple[type[Exception], ...]:
    """Everything that can go wrong between the provider's answer and a verified ID token:
    a refused or tampered answer, a token that fails its checks, a provider not reachable.
    (Authlib and requests are imported only where single sign-on is used.)"""
    import requests
    from authlib.common.errors import AuthlibBaseError
    from joserfc.errors import JoseError

    return (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError)


@bp.get("/sign-in/sso")
@limiter.limit(sign_in_limit)
def sign_in_provider() -> ResponseReturnValue:
    """Send the person to the provider to sign in (state, nonce and PKCE kept by Authlib).

    A link, not a form: the pages' Content-Security-Policy lets forms post only to this
    site, and browsers hold a form's redirect to the provider to that too. Starting a
    sign-in changes nothing but this browser's own session."""
    if not single_sign_on.enabled():
        abort(404)
    next_page = safe_next(request.args.get("next"))
    try:
        answer = single_sign_on.provider().authorize_redirect(single_sign_on.redirect_address())
    except _unconfirmed_errors() as problem:
        log.warning("could not reach the sign-in provider: %s", type(problem).__name__)
        return _refused(
            gettext("%(provider)s cannot be reached just now. Try again soon.", provider=_name())
        )
    if next_page:
        session[_NEXT] = next_page
    return answer


@bp.get("/sign-in/sso/return")
@limiter.limit(sign_in_limit)
def sign_in_provider_return() -> ResponseReturnValue:
    """The provider's answer: check it, find or make the account, and sign in."""
    if not single_sign_on.enabled():
        abort(404)
    verified = _verified_claims()
    if not isinstance(verified, tuple):
        return verified
    claims, token = verified
    missing = _missing_required_claims(claims)
    if missing:
        return _refuse_identity(f"lacks {missing}")
    try:
        user, created = account_for_identity(
            db.session,
            current_app.config["OIDC_ISSUER"],
            str(claims["sub"]),
            _email_of(claims),
            date.today(),
        )
    except AccountError as problem:
        audit.record(db.session, "sign-in refused", str(problem), actor=REFUSED_ACTOR)
        db.session.commit()
        return _refused(
            gettext(
                "The account you signed in with cannot be used here yet: another account "
                "has its email address. Ask an admin of this service to link them."
            )
        )
    if created:
        audit.record(
            db.session, "user created", "at first single sign-on, no role", actor=user.email
        )
    if current_app.config["OIDC_GROUP_ROLES"]:
        set_role(user, _role_from(claims))
    if not user.is_active:
        audit.record(db.session, "sign-in refused", "account switched off", actor=user.email)
        db.session.commit()
        return _refused(gettext("Your account has been switched off here. Ask an admin."))
    return _sign_in(user, token)


def _name() -> str:
    return str(current_app.config["OIDC_PROVIDER_NAME"])


def _verified_claims() -> tuple[dict[str, Any], dict[str, Any]] | Response:
    """The ID token's claims, verified by Authlib; else the page that says why not."""
    from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError

    try:
        token = single_sign_on.provider().authorize_access_token(
            claims_options=single_sign_on.expected_claims()
        )
    except MismatchingStateError:
        return _refused(
            gettext(
                "This sign-in was not started here, or it took too long. Start again from "
                "the sign-in page."
            )
        )
    except OAuthError as problem:
        if problem.error == "access_denied":
            return _refused(gettext("%(provider)s did not sign you in.", provider=_name()), 403)
        return _unconfirmed(problem)
    except _unconfirmed_errors() as problem:
        return _unconfirmed(problem)
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        # No verified ID token (nothing else says who this is): never sign in on less.
        return _unconfirmed(ValueError("no ID token"))
    return dict(claims), token


def _unconfirmed(problem: Exception) -> Response:
    # The kind of problem and the claim it concerns, never a token.
    log.warning("single sign-on answer refused: %s %s", type(problem).__name__, problem)
    return _refused(
        gettext(
            "We could not confirm your sign-in with %(provider)s. Start again from the "
            "sign-in page; if it happens again, tell whoever runs this service.",
            provider=_name(),
        )
    )


def _missing_required_claims(claims: dict[str, Any]) -> str:
    required: dict[str, Any] = current_app.config["OIDC_REQUIRED_CLAIMS"]
    wrong = [name for name, value in required.items() if claims.get(name) != value]
    return ", ".join(sorted(wrong))


def _refuse_identity(reason: str) -> Response:
    audit.record(db.session, "sign-in refused", f"provider identity {reason}", actor=REFUSED_ACTOR)
    db.session.commit()
    return _refused(
        gettext("The account you signed in with is not one this service accepts."),
        403,
    )


def _email_of(claims: dict[str, Any]) -> str:
    """The person's address as the provider gives it (Entra ID may give only the user
    principal name), or a stand-in made from their id at the provider."""
    for name in ("email", "preferred_username", "upn"):
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            return value
    host = current_app.config["OIDC_ISSUER"].split("//", 1)[-1].split("/", 1)[0]
    return f"{claims['sub']}@{host}"


def _role_from(claims: dict[str, Any]) -> str | None:
    return role_from_groups(
        claims.get(current_app.config["OIDC_GROUPS_CLAIM"]),
        current_app.config["OIDC_GROUP_ROLES"],
    )


def _sign_in(user: User, token: dict[str, Any]) -> ResponseReturnValue:
    next_page = session.get(_NEXT)
    # A fresh session on sign-in, so nothing from before carries over.
    session.clear()
    login_user(user)
    start_staff_session(user)
    single_sign_on.keep_provider_token(user, token)
    audit.record(
        db.session,
        "signed in",
        f"through {current_app.config['OIDC_PROVIDER_NAME']}",
        actor=user.email,
    )
    if user.role is None:
        return redirect(url_for(".awaiting_access"), 303)
    return redirect(safe_next(next_page) or url_for(".surveys"), 303)


def _refused(message: str, status: int = 400) -> Response:
    return make_response(render_template("workspace/sign_in_refused.html", message=message), status)


@bp.get("/workspace/waiting-for-access")
@login_required
def awaiting_access() -> ResponseReturnValue:
    """What someone signed in without a role sees, wherever they go in the workspace."""
    if current_user.role is not None:
        return redirect(url_for(".surveys"), 303)
    return render_template("workspace/awaiting_access.html")
