"""A viewer trying to pick someone out by subtracting what the dashboards publish.

A publication is what one release lets a viewer see: for every view (a set of
filters), the published number of responses, the published count of each answer
and the comment list, each None when hidden. The attacker knows which views
partition which (every week of a month, every link of the survey) and tries:
- sibling subtraction: a view minus all but one of its parts;
- nested periods: a month minus its other weeks, the whole minus its months;
- release to release: the same view in two consecutive releases;
- comment sets: a view's comments minus those of all but one part.
A *leak* is a route whose result is an exact group of 1 to 4 people, or their
answers or their comments. The ground truth (which records a view holds) is used
only to check the attacker's result, never by the attacker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from tests.privacy.microdata import OPTIONS, Record

ViewKey = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class View:
    total: int | None
    options: Mapping[str, int | None]
    comments: frozenset[int] | None
    records: frozenset[int]  # ground truth, for checking only
    # Which (week, link, language) cells the view covers: what the structure audit needs.
    covers: Callable[[int, int, str], bool] | None = None


@dataclass
class Publication:
    views: dict[ViewKey, View]
    partitions: list[tuple[ViewKey, list[ViewKey]]] = field(default_factory=list)


@dataclass(frozen=True)
class Leak:
    route: str
    view: ViewKey
    what: str


def _small(n: int) -> bool:
    return 1 <= n <= 4


def _answer_counts(records: frozenset[int], data: Mapping[int, Record]) -> dict[str, int]:
    return {o: sum(1 for r in records if data[r].answer == o) for o in OPTIONS}


def sibling_leaks(publication: Publication, data: Mapping[int, Record]) -> list[Leak]:
    leaks = []
    for whole_key, part_keys in publication.partitions:
        whole = publication.views.get(whole_key)
        parts = [publication.views.get(k) for k in part_keys]
        if whole is None or any(p is None for p in parts):
            continue
        for index, target_key in enumerate(part_keys):
            target = parts[index]
            others = [p for i, p in enumerate(parts) if i != index]
            leaks += _difference(
                f"siblings of {whole_key}", target_key, whole, others, target.records, data
            )  # type: ignore[union-attr]
    return leaks


def release_leaks(
    before: Publication, after: Publication, data: Mapping[int, Record]
) -> list[Leak]:
    leaks = []
    for key, now in after.views.items():
        then = before.views.get(key)
        if then is None:
            continue
        leaks += _difference(
            "release to release", key, now, [then], now.records - then.records, data
        )
    return leaks


def _difference(
    route: str,
    key: ViewKey,
    whole: View,
    others: Sequence[View],
    truth: frozenset[int],
    data: Mapping[int, Record],
) -> list[Leak]:
    if not _small(len(truth)):
        return []
    leaks = []
    if whole.total is not None and all(o.total is not None for o in others):
        estimate = whole.total - sum(o.total for o in others)  # type: ignore[misc]
        if estimate == len(truth):
            leaks.append(Leak(route, key, f"count {estimate}"))
    true_answers = _answer_counts(truth, data)
    estimates = {}
    for option in OPTIONS:
        values = [whole.options.get(option)] + [o.options.get(option) for o in others]
        if all(v is not None for v in values):
            estimates[option] = values[0] - sum(values[1:])  # type: ignore[operator]
    if len(estimates) == len(OPTIONS) and estimates == true_answers:
        leaks.append(Leak(route, key, f"answers {estimates}"))
    if whole.comments is not None and all(o.comments is not None for o in others):
        left = whole.comments.difference(*[o.comments for o in others])  # type: ignore[misc]
        wrote = frozenset(r for r in truth if data[r].comment)
        if left and left == wrote:
            leaks.append(Leak(route, key, f"comments of {sorted(left)}"))
    return leaks


def attack(publications: Sequence[Publication], data: Mapping[int, Record]) -> list[Leak]:
    """Every route, on every release and every pair of consecutive releases."""
    leaks = []
    for publication in publications:
        leaks += sibling_leaks(publication, data)
    for before, after in zip(publications, publications[1:], strict=False):
        leaks += release_leaks(before, after, data)
    return leaks
