"""Rate limits on the routes worth abusing: sign-in, starting and submitting surveys.

Limits are kept in memory, or in Redis when RATELIMIT_STORAGE_URI points at one, so
several app processes share them. The key is a keyed hash of the client's address,
never the address itself, and it lives only as long as the limit's window.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded


def client_key() -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    address = (request.remote_addr or "").encode()
    return hmac.new(secret, address, hashlib.sha256).hexdigest()[:32]


limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=False)


def sign_in_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def respondent_limit() -> str:
    return current_app.config["SUBMIT_RATE_LIMIT"]


def too_many(_error: RateLimitExceeded) -> ResponseReturnValue:
    return render_template("errors/too_many.html"), 429


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, too_many)
