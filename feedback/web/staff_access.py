"""Who may do what in the workspace, and how long a sign-in lasts."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from feedback.storage.accounts import Role
from feedback.storage.db import db
from feedback.storage.models import SurveyRecord, SurveyVersion, User
from feedback.storage.survey_access import may_see, response_in_survey
from feedback.storage.survey_versions import latest_version, published_survey
from feedback.web.errors import SURVEY_LIMITED
from surveys import Survey

# Who may do what: every staff route names one of these in `require_role`, and templates
# ask `can(...)` with one of ABILITIES' names.
ADMIN = (Role.ADMIN,)
EDITORS = (Role.ADMIN, Role.DESIGNER)
REVIEWERS = (Role.ADMIN, Role.REVIEWER)
# Who may change a survey's comment themes: anyone on the team who works with the results.
THEME_EDITORS = (Role.ADMIN, Role.DESIGNER, Role.REVIEWER)
STAFF = tuple(Role)
ABILITIES = {"administer": ADMIN, "edit": EDITORS, "review": REVIEWERS}


def has_role(*roles: Role) -> bool:
    """Whether someone is signed in with one of `roles`."""
    return bool(current_user.is_authenticated and current_user.role in roles)


def can(ability: str) -> bool:
    """For templates: may the signed-in person "administer", "edit" or "review"?"""
    return has_role(*ABILITIES[ability])


def require_role(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Send someone not signed in to sign in; refuse (403) a role not among `roles`."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def start_staff_session(user: User) -> None:
    """Mark the session signed in now, under the person's current session version."""
    session["signed_in_at"] = int(time.time())
    session["session_version"] = user.session_version


def session_is_current(user: User) -> bool:
    """False once the person signed out anywhere, or their password or role changed."""
    return session.get("session_version") == user.session_version


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (never an open redirect).

    Judged as a browser will read it: browsers drop tabs and newlines from addresses and
    treat a backslash as a slash, so "/\t/evil.example" would become "//evil.example".
    Any control character or space, backslash, scheme or host refuses it.
    """
    if (
        not target
        or "\\" in target
        or any(char.isspace() or unicodedata.category(char).startswith("C") for char in target)
    ):
        return None
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not parts.path.startswith("/")
        or parts.path.startswith("//")
    ):
        return None
    return target


def expire_old_sign_ins() -> Response | None:
    """Signed-in sessions end after STAFF_SESSION_HOURS, whatever the browser keeps."""
    if not current_user.is_authenticated:
        return None
    started = session.get("signed_in_at", 0)
    if time.time() - started < current_app.config["STAFF_SESSION_HOURS"] * 3600:
        return None
    logout_user()
    session.clear()
    flash(
        gettext(
            "You were signed out after %(hours)s hours. Sign in again.",
            hours=current_app.config["STAFF_SESSION_HOURS"],
        )
    )
    return redirect(url_for("workspace.sign_in", next=request.path))


# Where someone signed in without a role may still go: the page that says so, and out.
_OPEN_WITHOUT_ROLE = frozenset(
    {"workspace.awaiting_access", "workspace.sign_out", "workspace.sign_in"}
)
_STAFF_BLUEPRINTS = frozenset({"workspace", "dashboards", "dashboard_assets"})


def hold_back_people_without_a_role() -> Response | None:
    """Someone whose account has no role yet (made at their first single sign-on) sees
    nothing of the workspace or dashboards until an admin gives them one."""
    if (
        not current_user.is_authenticated
        or current_user.role is not None
        or request.blueprint not in _STAFF_BLUEPRINTS
        or request.endpoint in _OPEN_WITHOUT_ROLE
    ):
        return None
    return redirect(url_for("workspace.awaiting_access"), 303)


def survey_for_staff(
    slug: str, *, response_id: int | None = None, question_id: str | None = None
) -> tuple[SurveyRecord, Survey]:
    """A published survey the signed-in person may see: 404 if there is none, 403 if it is
    limited to teams or people they are not among.

    Every id a staff address carries besides the survey's own (a response, a question)
    is checked here to belong to that survey, 404 otherwise: access is decided for the
    survey named, so nothing of another survey may be reached through its address.
    """
    found = published_survey(db.session, slug)
    if found is None:
        abort(404)
    record, survey = found
    if not may_see(db.session, current_user, record):
        abort(403, description=SURVEY_LIMITED)
    if question_id is not None and survey.question(question_id) is None:
        abort(404)
    if response_id is not None and not response_in_survey(db.session, record.id, response_id):
        abort(404)
    return found


def latest_version_or_404(record: SurveyRecord) -> SurveyVersion:
    """The latest published version of a survey `survey_for_staff` found; 404 in the rare
    case that it has none (a survey record whose only version is being replaced)."""
    version = latest_version(db.session, record.id)
    if version is None:
        abort(404)
    return version
