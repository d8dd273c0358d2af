"""Single-use codes for a link, handed out on cards to a class or group.

Codes are stored as hashes beside their link with only a "used" flag: no time,
and nothing that says which response a code let through.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from feedback.storage.codes import random_code, stored_hash
from feedback.storage.db import rows_changed
from feedback.storage.models import AccessCode, Link

ACCESS_CODE_LENGTH = 8


def _hash(code: str) -> str:
    """Codes are typed as they are read off a card: spaces and capitals do not count."""
    return stored_hash("".join(code.split()).lower())


def generate_codes(db: Session, link: Link, count: int) -> list[str]:
    """New single-use codes for `link`; the plain codes exist only in this return value."""
    codes: list[str] = []
    while len(codes) < count:
        code = random_code(ACCESS_CODE_LENGTH)
        if db.get(AccessCode, _hash(code)) is None and code not in codes:
            codes.append(code)
    db.add_all(AccessCode(code_hash=_hash(c), link_id=link.id, used=False) for c in codes)
    link.requires_code = True
    db.flush()
    return codes


def usable_code(db: Session, link: Link, code: str) -> str | None:
    """The hash of `code` if it belongs to `link` and has not been used, else None."""
    if not code or len(code) > 64:
        return None
    found = db.scalar(
        select(AccessCode).where(
            AccessCode.code_hash == _hash(code),
            AccessCode.link_id == link.id,
            AccessCode.used.is_(False),
        )
    )
    return found.code_hash if found else None


def use_code(db: Session, code_hash: str) -> bool:
    """Mark a code used; False if it was used already (by another visit, say)."""
    changed = rows_changed(
        db,
        update(AccessCode)
        .where(AccessCode.code_hash == code_hash, AccessCode.used.is_(False))
        .values(used=True),
    )
    return changed == 1
