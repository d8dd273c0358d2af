"""Staff single sign-on through the organisation's OpenID Connect provider (Authlib).

Authlib runs the authorization code flow with PKCE (S256), and checks the state (the
answer belongs to a sign-in this browser started) and the ID token: its signature
against the provider's published keys, its audience, its expiry, its nonce, and its
issuer against OIDC_ISSUER.

A signed-in person's access is confirmed with the provider again every
OIDC_RECHECK_SECONDS: its userinfo endpoint refuses the token of an account that was
disabled or signed out there, which ends the session here. The token is kept with the account,
encrypted as the two-step secret is. A session
also ends when the provider's token expires, so the person signs in through the provider
again (quietly, while they are signed in there), and a disabled account is refused then.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from feedback.config import single_sign_on_enabled
from feedback.storage import second_factor
from feedback.storage.models import User

if TYPE_CHECKING:
    from authlib.integrations.flask_client.apps import FlaskOAuth2App
    from cryptography.fernet import MultiFernet

log = logging.getLogger(__name__)

PROVIDER = "organisation"
_EXTENSION = "feedback_single_sign_on"
# In the session: when the provider's token expires, and when access was last confirmed.
_EXPIRES, _CHECKED = "provider_token_expires", "provider_checked_at"
# Only staff pages need the provider's word; respondent pages never wait for it.
_STAFF_BLUEPRINTS = frozenset({"workspace", "dashboards", "dashboard_assets"})
# The provider's endpoints answer a person waiting at a page: give up rather than hang.
PROVIDER_TIMEOUT_SECONDS = 10


def init_app(app: Flask) -> None:
    """Register the provider's client when single sign-on is set up (OIDC_ISSUER)."""
    if not single_sign_on_enabled(app.config):
        return
    # Imported only when single sign-on is set up: Authlib, requests and their
    # cryptography are a third of the app's import time, and respondents never need them.
    from authlib.integrations.flask_client import OAuth

    # One OAuth registry per app: tests build apps for different providers in one process.
    oauth = OAuth()
    oauth.init_app(app)
    oauth.register(
        PROVIDER,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=app.config["OIDC_DISCOVERY_URL"],
        client_kwargs={
            "scope": app.config["OIDC_SCOPES"],
            "code_challenge_method": "S256",
            "timeout": PROVIDER_TIMEOUT_SECONDS,
        },
    )
    app.extensions[_EXTENSION] = oauth
    app.before_request(recheck_with_provider)


def enabled() -> bool:
    return _EXTENSION in current_app.extensions


def provider() -> FlaskOAuth2App:
    client: FlaskOAuth2App = current_app.extensions[_EXTENSION].create_client(PROVIDER)
    return client


def redirect_address() -> str:
    """Where the provider sends people back: registered with it, so from PUBLIC_URL when
    that is set rather than from whatever Host a request carried."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for("workspace.sign_in_provider_return")
    return url_for("workspace.sign_in_provider_return", _external=True)


# Google's tokens may name its issuer without the scheme, as its documentation says.
_ISSUER_ALIASES = {"https://accounts.google.com": ["accounts.google.com"]}


def expected_claims() -> dict[str, Any]:
    """The ID token's issuer must be the configured one, whatever discovery said."""
    issuer = current_app.config["OIDC_ISSUER"]
    return {"iss": {"essential": True, "values": [issuer, *_ISSUER_ALIASES.get(issuer, [])]}}


def cipher() -> MultiFernet:
    return second_factor.totp_cipher(
        current_app.config["SECRET_KEY"], current_app.config.get("TOTP_ENCRYPTION_KEY")
    )


def keep_provider_token(user: User, token: dict[str, Any]) -> None:
    """Keep the access token (encrypted) to confirm the person's access with it later."""
    now = int(time.time())
    user.oidc_access_token = second_factor.seal(cipher(), str(token.get("access_token", "")))
    session[_EXPIRES] = int(token.get("expires_at") or now + 3600)
    session[_CHECKED] = now


def recheck_with_provider() -> Response | None:
    """Before a signed-in person's request: end the session if the provider's token has
    expired, or if the provider no longer accepts it (checked every OIDC_RECHECK_SECONDS)."""
    if (
        not current_user.is_authenticated
        or _EXPIRES not in session
        or request.blueprint not in _STAFF_BLUEPRINTS
    ):
        return None
    now = time.time()
    if now >= session.get(_EXPIRES, 0):
        return _sign_out(gettext("Your sign-in has ended. Sign in again to carry on."))
    if now - session.get(_CHECKED, 0) < current_app.config["OIDC_RECHECK_SECONDS"]:
        return None
    verdict = _ask_provider(second_factor.unseal(cipher(), current_user.oidc_access_token) or "")
    if verdict is False:
        return _sign_out(
            gettext(
                "%(provider)s no longer accepts your account, so you have been signed out.",
                provider=current_app.config["OIDC_PROVIDER_NAME"],
            )
        )
    if verdict is True:
        session[_CHECKED] = int(now)
    return None


def _ask_provider(access_token: str) -> bool | None:
    """Whether the provider still accepts the token for this person; None if it could not
    be asked (it is asked again at the next request, and the session ends with the token)."""
    import requests

    try:
        endpoint = provider().load_server_metadata()["userinfo_endpoint"]
        answer = requests.get(
            endpoint,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=PROVIDER_TIMEOUT_SECONDS,
        )
    except (requests.RequestException, KeyError, ValueError) as problem:
        log.warning("could not ask the sign-in provider: %s", type(problem).__name__)
        return None
    if 400 <= answer.status_code < 500:
        # Refused (401 is the standard's answer to a revoked token; some providers say 400).
        return False
    if answer.status_code != 200:
        log.warning("the sign-in provider answered %s", answer.status_code)
        return None
    try:
        subject = answer.json().get("sub")
    except ValueError:
        return None
    return subject == current_user.oidc_subject


def _sign_out(message: str) -> Response:
    logout_user()
    session.clear()
    flash(message)
    return redirect(url_for("workspace.sign_in", next=request.path))
