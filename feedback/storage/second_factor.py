"""Two-step sign-in codes (TOTP): secrets sealed at rest, and every code used at most once.

A TOTP secret lets anyone who holds it make codes, so it is stored encrypted (Fernet)
with a key that lives in the configuration, not in the database: a copy of the database
alone is not enough. A code stays valid for its 30-second step and the ones either side
(clocks drift), which would let a code seen over someone's shoulder be used again; so the
step of the last accepted code is kept per person and only a later step is accepted.
"""

from __future__ import annotations

import base64
import hmac
import re
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import or_, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from feedback.storage.models import User

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

STEP_SECONDS = 30
CODE_DIGITS = 6
# Secrets stored before they were encrypted (before migration 0008): plain base32.
_PLAIN_SECRET = re.compile(r"[A-Z2-7]{16,64}")
_DERIVED_KEY_INFO = b"feedback: TOTP secrets at rest"


def totp_cipher(secret_key: str, encryption_keys: str | None = None) -> MultiFernet:
    """The cipher for TOTP secrets: the configured Fernet keys (comma-separated, the first
    encrypts, all decrypt), then a key derived from SECRET_KEY with HKDF, which is what
    encrypts when no key is configured and still decrypts after one is."""
    # Imported here: only staff sign-in needs them, and every process imports this module.
    from cryptography.fernet import Fernet, MultiFernet
    from cryptography.hazmat.primitives.hashes import SHA256
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    keys = [Fernet(key.strip()) for key in (encryption_keys or "").split(",") if key.strip()]
    derived = HKDF(algorithm=SHA256(), length=32, salt=None, info=_DERIVED_KEY_INFO).derive(
        secret_key.encode()
    )
    keys.append(Fernet(base64.urlsafe_b64encode(derived)))
    return MultiFernet(keys)


def seal(cipher: MultiFernet, secret: str) -> str:
    return cipher.encrypt(secret.encode()).decode()


def unseal(cipher: MultiFernet, sealed: str | None) -> str | None:
    """The secret, or None if there is none or it cannot be read with these keys."""
    if not sealed:
        return None
    from cryptography.fernet import InvalidToken

    try:
        return cipher.decrypt(sealed.encode()).decode()
    except InvalidToken:
        return sealed if _PLAIN_SECRET.fullmatch(sealed) else None


def new_secret() -> str:
    import pyotp

    return pyotp.random_base32()


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step (this one or either neighbour) whose code `code` is, if any."""
    code = "".join(code.split())
    if len(code) != CODE_DIGITS or not (code.isascii() and code.isdigit()):
        return None
    import pyotp

    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def use_code(db: Session, user: User, code: str, cipher: MultiFernet, now: float) -> bool:
    """Whether `code` is right for `user` and later than every code accepted before. An
    accepted code's step is recorded in the same statement that checks it, so two requests
    with one code cannot both pass (the second finds the step taken)."""
    secret = unseal(cipher, user.totp_secret)
    if secret is None:
        return False
    step = matching_step(secret, code, now)
    if step is None:
        return False
    claimed = db.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        # Sealed again each time: a secret stored before encryption, or under an older
        # key, is stored under the current key from its next use on.
        .values(totp_last_step=step, totp_secret=seal(cipher, secret))
    )
    # An UPDATE's result is a CursorResult, which counts the rows it changed.
    return cast(CursorResult[Any], claimed).rowcount == 1


def turn_on(user: User, secret: str, code: str, cipher: MultiFernet, now: float) -> bool:
    """Store `secret` for `user` if `code` shows their app has it; that code is then used."""
    step = matching_step(secret, code, now)
    if step is None:
        return False
    user.totp_secret, user.totp_last_step = seal(cipher, secret), step
    return True


def turn_off(user: User) -> None:
    # The last step is kept: codes of a later secret still only move forward.
    user.totp_secret = None
