"""Dashboard filters: at most two at a time, on coarse categories, each value checked.

A filter is written `dimension:value` (in URLs as `?f=language:cy&f=channel:3`). The
values a release offers come from `dashboards.release`: groups of at least the
threshold (`channel:other` for the small links put together), release periods
(`period:2`) and waves (`wave:5`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DIMENSIONS = ("audience", "age_band", "language", "channel", "wave", "period")
MAX_FILTERS = 2


class FilterProblem(ValueError):
    """The filters asked for cannot be applied; the message says why, in plain words."""


@dataclass(frozen=True)
class Filter:
    dimension: str
    value: str

    def __str__(self) -> str:
        return f"{self.dimension}:{self.value}"


def parse_filters(raw: Sequence[str], allowed: Mapping[str, Iterable[str]]) -> tuple[Filter, ...]:
    """Check filters from a request against the values this survey has.

    `allowed` maps each dimension to its valid values. Raises FilterProblem.
    """
    if len(raw) > MAX_FILTERS:
        raise FilterProblem(f"At most {MAX_FILTERS} filters can be used at a time.")
    filters: list[Filter] = []
    for text in raw:
        dimension, _, value = text.partition(":")
        if dimension not in DIMENSIONS:
            raise FilterProblem(f"There is no filter called {dimension[:40]!r}.")
        if dimension in {f.dimension for f in filters}:
            raise FilterProblem("Each kind of filter can be used once.")
        if value not in set(allowed.get(dimension, ())):
            raise FilterProblem(f"{value[:40]!r} is not one of this survey's {dimension} values.")
        filters.append(Filter(dimension, value))
    return tuple(filters)


def parents(filters: tuple[Filter, ...]) -> list[tuple[Filter, ...]]:
    """The views with one filter fewer: what a filtered view could be subtracted from."""
    return [tuple(f for f in filters if f is not dropped) for dropped in filters]
