"""The one cache for values a key fully determines but that are made from more than the key.

A parsed survey version is fixed by (version id, content hash), but parsing it needs the
stored definition; a translated survey is fixed by the hashes of the version and the
catalogue, but translating needs both objects. `functools.lru_cache` keys on every
argument, so it fits only where the arguments are the key (it is used for those); these
caches are `Memo`s instead. Per process, never shared: every value can be made again.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """Values by key, made on first use; emptied whole when it holds `size` of them (the
    keys are few in practice: versions, catalogues, languages; a full memo means something
    changes often, and starting again is then as good as choosing what to drop).

    With `seconds`, each value is made again once it is that old: for values made from
    rows that staff may change (feedback.respondent.cache)."""

    def __init__(self, size: int, seconds: float | None = None) -> None:
        self.size = size
        self.seconds = math.inf if seconds is None else seconds
        self._values: dict[K, tuple[float, V]] = {}

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value for `key`, calling `make()` for it if there is none yet (or it expired)."""
        now = time.monotonic()
        found = self._values.get(key)
        if found is not None and found[0] > now:
            return found[1]
        value = make()
        if len(self._values) >= self.size:
            self._values.clear()
        self._values[key] = (now + self.seconds, value)
        return value

    def clear(self) -> None:
        self._values.clear()
