"""The session cookie: Flask's own signed cookie, its serializer built once per app.

Flask builds the serializer (keys, salt, JSON tagging, signer settings) twice a request,
to open the session and to save it. The keys change only when the app is reconfigured,
so it is kept with the app and rebuilt only then. The cookie and its signature are
exactly Flask's, so a cookie signed before this change opens after it.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class SessionInterface(SecureCookieSessionInterface):
    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = app.extensions.get("session_serializer")
        if cached is None or cached[0] != keys:
            cached = (keys, super().get_signing_serializer(app))
            app.extensions["session_serializer"] = cached
        serializer: URLSafeTimedSerializer | None = cached[1]
        return serializer


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
