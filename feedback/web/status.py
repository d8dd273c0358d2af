"""Status endpoints for load balancers: no session, no cookies, no templates."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from feedback.storage.db import db
from feedback.web.limits import limits_storage_state

bp = Blueprint("status", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when the database answers, 503 when it does not. "rate_limits" is "memory"
    while the shared limit store (Redis) is unreachable: the app still serves, but each
    process counts on its own (worth an alert, not worth taking the app out)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.rollback_if_open()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok", "rate_limits": limits_storage_state()}, 200
