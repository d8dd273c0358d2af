"""The audit trail: one append-only record per significant staff action."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import has_request_context
from flask_login import current_user
from sqlalchemy.orm import Session

from feedback.storage.models import AuditEvent

MAX_DETAIL = 500


def actor_name() -> str:
    """The signed-in user's e-mail, or "command line" outside a request."""
    if has_request_context() and current_user.is_authenticated:
        return current_user.email
    return "command line"


def record(db: Session, action: str, detail: str = "", actor: str | None = None) -> None:
    """Add an event to the current transaction (it is stored with the action, or not at all)."""
    db.add(
        AuditEvent(
            at=datetime.now(UTC).replace(tzinfo=None, microsecond=0),
            actor=actor or actor_name(),
            action=action,
            detail=detail[:MAX_DETAIL],
        )
    )
