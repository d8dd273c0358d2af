"""Short random codes people type (link codes, single-use access codes) and the one hash
under which secret values (draft tokens, access codes) are stored."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/l/I: codes are read off posters and cards and typed on phones.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_CHARS = frozenset(CODE_ALPHABET + CODE_ALPHABET.upper())


def random_code(length: int) -> str:
    """`length` characters from CODE_ALPHABET, from the operating system's random source."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def stored_hash(secret: str) -> str:
    """What is stored instead of a secret: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()
