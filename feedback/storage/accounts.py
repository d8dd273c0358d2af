"""Design-team accounts: creation, password checks (argon2), and accounts that sign in
through the organisation's single sign-on (OpenID Connect)."""

from __future__ import annotations

import secrets
from datetime import date
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.storage.models import User

if TYPE_CHECKING:
    from argon2 import PasswordHasher


class Role(StrEnum):
    """What a design-team member may do; stored as the value in `users.role`."""

    ADMIN = "admin"  # everything, and manages people, teams and the audit trail
    DESIGNER = "designer"  # publishes and changes surveys, links and "You said, we did"
    VIEWER = "viewer"  # reads dashboards
    REVIEWER = "reviewer"  # reads dashboards and decides which comments the team sees


# When someone's groups give several roles, the one that lets them do most wins.
ROLE_PRECEDENCE = (Role.ADMIN, Role.DESIGNER, Role.REVIEWER, Role.VIEWER)
MIN_PASSWORD_LENGTH = 12


@cache
def _hasher() -> PasswordHasher:
    """argon2's hasher, imported on first use: respondent pages never need it."""
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Checked against when the e-mail is unknown, so both paths take the same time.

    Made on first use, not at import: every worker and command imports this module.
    """
    return _hasher().hash(secrets.token_hex(16))


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
        password_hash=_hasher().hash(password),
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
    user.password_hash = _hasher().hash(password)
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
    stored = user.password_hash if user else None
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        # Accounts without a password (single sign-on only) take the same time to refuse.
        _hasher().verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not stored or not user.is_active:
        return None
    return user


def account_for_identity(
    db: Session, issuer: str, subject: str, email: str, today: date
) -> tuple[User, bool]:
    """The account linked to the provider's identity (issuer and subject) and whether it was
    made now: someone's first sign-in makes one, with no role until one is given.

    The e-mail is what the provider says today: it is kept up to date, but never used to
    find an account, so an address that moves to someone else brings them nothing. An
    address already used by another account is refused (AccountError), not linked.
    """
    email = normalise_email(email)[:254]
    user = db.scalar(select(User).where(User.oidc_issuer == issuer, User.oidc_subject == subject))
    holder = db.scalar(select(User).where(User.email == email))
    if user is None and holder is not None and awaits_link(holder, issuer):
        holder.oidc_subject = subject
        return holder, False
    if user is None:
        if holder is not None:
            raise AccountError(
                f"another account already uses the e-mail address {email}: an admin can "
                "let it sign in this way (feedback user allow-single-sign-on)"
            )
        user = User(
            email=email,
            password_hash=None,
            role=None,
            is_active=True,
            created_on=today,
            oidc_issuer=issuer,
            oidc_subject=subject,
        )
        db.add(user)
        db.flush()
        return user, True
    if holder is None:
        user.email = email
    return user, False


def allow_single_sign_on(user: User, issuer: str) -> None:
    """Let an existing account be taken over by the next single sign-on with its e-mail
    address from `issuer`: an admin's decision that the address is the same person's."""
    if user.oidc_issuer != issuer or user.oidc_subject is None:
        user.oidc_issuer, user.oidc_subject = issuer, None


def awaits_link(user: User, issuer: str) -> bool:
    return user.oidc_issuer == issuer and user.oidc_subject is None


def role_from_groups(groups: object, group_roles: dict[str, str]) -> str | None:
    """The role the provider's groups give (the most capable if several), or None."""
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, list):
        return None
    given = {group_roles.get(str(group)) for group in groups}
    return next((role.value for role in ROLE_PRECEDENCE if role in given), None)


def set_role(user: User, role: str | None) -> None:
    """A new role (or none), which ends every session begun under the old one."""
    if role != user.role:
        user.role = role
        end_sessions(user)


def generate_password() -> str:
    """A strong random password, easy to copy from a terminal."""
    return secrets.token_urlsafe(15)
