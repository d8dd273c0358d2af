"""Who may do what in the workspace, and how long a sign-in lasts."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

ADMIN = ("admin",)
EDITORS = ("admin", "designer")
REVIEWERS = ("admin", "reviewer")


def require_role(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse (403) a signed-in user whose role is not one of `roles`."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def start_staff_session() -> None:
    session["signed_in_at"] = int(time.time())


def expire_old_sign_ins() -> Response | None:
    """Signed-in sessions end after STAFF_SESSION_HOURS, whatever the browser keeps."""
    if not current_user.is_authenticated:
        return None
    started = session.get("signed_in_at", 0)
    if time.time() - started < current_app.config["STAFF_SESSION_HOURS"] * 3600:
        return None
    logout_user()
    session.clear()
    flash(gettext("You were signed out after %(hours)s hours. Sign in again.",
                  hours=current_app.config["STAFF_SESSION_HOURS"]))
    return redirect(url_for("workspace.sign_in", next=request.path))
