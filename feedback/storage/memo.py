"""The one cache for values a key fully determines but that are made from more than the key.

A parsed survey version is fixed by (version id, content hash), but parsing it needs the
stored definition; a translated survey is fixed by the hashes of the version and the
catalogue, but translating needs both objects. `functools.lru_cache` keys on every
argument, so it fits only where the arguments are the key (it is used for those); these
caches are `Memo`s instead. Per process, never shared: every value can be made again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """Values by key, made on first use; emptied whole when it holds `size` of them (the
    keys are few in practice: versions, catalogues, languages; a full memo means something
    changes often, and starting again is then as good as choosing what to drop)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: dict[K, V] = {}

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value for `key`, calling `make()` for it if there is none yet."""
        if key in self._values:
            return self._values[key]
        value = make()
        if len(self._values) >= self.size:
            self._values.clear()
        self._values[key] = value
        return value
