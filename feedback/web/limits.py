"""Rate limits on the routes worth abusing: sign-in, starting and submitting surveys.

Limits are kept in memory, or in Redis when RATELIMIT_STORAGE_URI points at one, so
several app processes share them. When Redis cannot be reached, each process counts
in its own memory until it can again (and /healthz says so): a rate limit store must
not be what stops people signing in or answering.

Keys are keyed hashes, never an address or an e-mail itself, and live only as long as
the limit's window. The client's address is the one the trusted proxies saw (see
TRUSTED_PROXIES), so people behind one load balancer do not share one bucket.
Sign-in is limited per client and, counting only failures, per account, so guessing
spread over many addresses is limited too.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, current_app, request, session
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from werkzeug.wrappers import Response

from feedback.storage.accounts import normalise_email
from feedback.web.errors import error_html


def _keyed(value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]


def client_key() -> str:
    return _keyed(request.remote_addr or "")


def account_key() -> str:
    """The account a password is being tried for, as typed on the sign-in form."""
    return _keyed("account:" + normalise_email(request.form.get("email", "")))


def pending_account_key() -> str:
    """The account whose password was right and whose code is being tried."""
    return _keyed(f"code:{session.get('pending_user', '')}")


def refused(response: Response) -> bool:
    """A try that failed (a sign-in that succeeds or moves on to the code redirects)."""
    return response.status_code == 400


limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=False)


def sign_in_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def account_sign_in_limit() -> str:
    return current_app.config["ACCOUNT_SIGN_IN_LIMIT"]


def two_step_code_limit() -> str:
    return current_app.config["TWO_STEP_CODE_LIMIT"]


def respondent_limit() -> str:
    return current_app.config["SUBMIT_RATE_LIMIT"]


def limits_storage_state() -> str:
    """ "ok" when limits are counted where configured; "memory" when the shared store
    (Redis) cannot be reached and each process counts on its own meanwhile; "off"."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return "off"
    try:
        reachable = limiter.storage.check()
    except Exception:  # noqa: BLE001 - an unreachable store may raise anything
        reachable = False
    return "ok" if reachable else "memory"


def too_many(_error: RateLimitExceeded) -> ResponseReturnValue:
    return error_html("too_many"), 429


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    # One limiter serves every app built in this process (tests build many): a store that
    # failed for an earlier app says nothing about this app's, so start by trusting it.
    limiter._storage_dead = False  # noqa: SLF001 - flask-limiter has no public reset
    app.register_error_handler(RateLimitExceeded, too_many)
