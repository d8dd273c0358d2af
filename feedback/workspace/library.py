"""The question library as the workspace offers it."""

from __future__ import annotations

from functools import lru_cache

from surveys.library import LibraryQuestion, load_library


@lru_cache(maxsize=1)
def library_questions() -> tuple[LibraryQuestion, ...]:
    """The question library, read and checked once per process (it ships with the code)."""
    return tuple(load_library())


@lru_cache(maxsize=1)
def library_by_id() -> dict[str, LibraryQuestion]:
    return {item.question.id: item for item in library_questions()}
