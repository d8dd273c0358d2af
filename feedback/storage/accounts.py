"""Design-team accounts: creation and password checks (argon2)."""

from __future__ import annotations

import secrets
from datetime import date
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.storage.models import User


class Role(StrEnum):
    """What a design-team member may do; stored as the value in `users.role`."""

    ADMIN = "admin"  # everything, and manages people, teams and the audit trail
    DESIGNER = "designer"  # publishes and changes surveys, links and "You said, we did"
    VIEWER = "viewer"  # reads dashboards
    REVIEWER = "reviewer"  # reads dashboards and decides which comments the team sees


MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Checked against when the e-mail is unknown, so both paths take the same time.

    Made on first use, not at import: every worker and command imports this module.
    """
    return _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A clear reason an account could not be created or changed."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(db: Session, email: str, password: str, role: str, today: date) -> User:
    """Create a design-team user; raises AccountError with a readable reason."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError("enter an e-mail address, like name@example.org")
    if role not in list(Role):
        raise AccountError(f"role must be one of {', '.join(Role)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if db.scalar(select(User).where(User.email == email)) is not None:
        raise AccountError(f"a user with the e-mail {email} already exists")
    user = User(
        email=email,
        password_hash=_hasher.hash(password),
        role=role,
        is_active=True,
        created_on=today,
    )
    db.add(user)
    db.flush()
    return user


def set_password(user: User, password: str) -> None:
    """A new password, which ends every session begun with the old one."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = _hasher.hash(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """End every session of `user`, on every device, copied cookies included: each session
    carries the version it began under, and only the current one is honoured."""
    user.session_version = (user.session_version or 0) + 1


def known_account(db: Session, email: str) -> str | None:
    """The e-mail of the account `email` names, as stored, or None: what a refused sign-in
    may record, rather than whatever was typed."""
    return db.scalar(select(User.email).where(User.email == normalise_email(email)[:254]))


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = db.scalar(select(User).where(User.email == normalise_email(email)))
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    return user


def generate_password() -> str:
    """A strong random password, easy to copy from a terminal."""
    return secrets.token_urlsafe(15)
