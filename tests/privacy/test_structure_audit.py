"""A structural audit of each release with integer programming, before any noise.

Take the true number of responses of every view a release shows as a constraint on
the unknown counts of its finest cells (week x link x language). For every group
the release hides, with 1 to threshold-1 responses, find the least and the most it
could hold: if the two are equal, the published structure pins it, and noise is
all that protects it. The release design must never pin one; the previous
per-table policy did.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from scipy.optimize import Bounds, LinearConstraint, milp

from dashboards.release import releases_from_boundaries
from tests.privacy.attacker import Publication
from tests.privacy.microdata import Record, release_boundaries
from tests.privacy.publishers import previous_publication, release_publication
from tests.privacy.test_differencing import THRESHOLD, survey_with_targets, surveys_around_a_target


def pinned_groups(publication: Publication, records: list[Record]) -> list[tuple]:
    """The hidden small groups whose size the shown totals fix to one value."""
    cells = list(
        itertools.product(
            sorted({r.week for r in records}),
            sorted({r.link for r in records}),
            sorted({r.language for r in records}),
        )
    )

    def row(view) -> np.ndarray:  # type: ignore[no-untyped-def]
        return np.array([1.0 if view.covers(*cell) else 0.0 for cell in cells])

    shown = [(row(v), len(v.records)) for v in publication.views.values() if v.total is not None]
    constraint = LinearConstraint(
        np.array([r for r, _n in shown]), [n for _r, n in shown], [n for _r, n in shown]
    )
    integral = np.ones(len(cells))
    pinned = []
    for key, view in publication.views.items():
        if view.total is not None or not 1 <= len(view.records) < THRESHOLD:
            continue
        objective = row(view)
        low = milp(
            objective, constraints=constraint, integrality=integral, bounds=Bounds(0, np.inf)
        )
        high = milp(-objective, constraints=constraint, integrality=integral, bounds=Bounds(0, 1e6))
        if low.success and high.success and round(low.fun) == round(-high.fun):
            pinned.append((key, round(low.fun)))
    return pinned


def test_the_previous_policy_pins_hidden_groups() -> None:
    records = survey_with_targets()
    pinned = pinned_groups(previous_publication(records, 5, THRESHOLD), records)
    assert ((("week", "2"),), 3) in pinned


def test_no_release_pins_a_hidden_group() -> None:
    records = survey_with_targets()
    for release in releases_from_boundaries(release_boundaries(records, THRESHOLD, 6)):
        assert pinned_groups(release_publication(records, release, THRESHOLD), records) == []


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys_around_a_target())
def test_no_release_pins_a_hidden_group_on_generated_surveys(records: list[Record]) -> None:
    weeks = max(r.week for r in records) + 2
    for release in releases_from_boundaries(release_boundaries(records, THRESHOLD, weeks)):
        assert pinned_groups(release_publication(records, release, THRESHOLD), records) == []
