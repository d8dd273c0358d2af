"""Answers per wording cannot be subtracted from the unsplit answers to pick anyone out.

A question's answers shown per wording are views with one more filter, a run of
whole release periods; the attacker and the structural audit get every such view
beside every other view of the release, with the wording changed at every point a
release can hold: on a period boundary, or inside a period (which then holds both
wordings and is a group of its own).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from dashboards.dashboard import build_dashboard, wording_groups
from dashboards.disclosure import DisclosurePolicy
from dashboards.filters import Filter
from dashboards.frames import FrameSource
from dashboards.release import plan_release, releases_from_boundaries
from surveys.rewording import Wording
from tests.privacy.attacker import attack
from tests.privacy.microdata import FIRST_MONDAY, LINKS, SURVEY, Record, release_boundaries
from tests.privacy.publishers import release_publication
from tests.privacy.test_differencing import THRESHOLD, survey_with_targets
from tests.privacy.test_structure_audit import pinned_groups


def history(changed_on: date) -> dict[str, tuple[Wording, ...]]:
    return {"q": (Wording("Which one?", None), Wording("Which?", changed_on))}


def change_days(records: list[Record]) -> list[date]:
    """Changes on period boundaries and inside periods, early and late in the responses."""
    assert max(r.week for r in records) == 4
    return [FIRST_MONDAY + timedelta(weeks=w, days=d) for w, d in ((1, 3), (2, 0), (3, 3))]


def test_the_split_leaks_nothing_and_pins_nobody() -> None:
    records = survey_with_targets()
    data = {r.id: r for r in records}
    boundaries = release_boundaries(records, THRESHOLD, 6)
    split_somewhere = False
    for changed_on in change_days(records):
        publications = [
            release_publication(records, release, THRESHOLD, history(changed_on))
            for release in releases_from_boundaries(boundaries)
        ]
        split_somewhere |= any(k and k[-1][0] == "wording" for p in publications for k in p.views)
        assert attack(publications, data) == [], changed_on
        for publication in publications:
            assert pinned_groups(publication, records) == [], changed_on
    assert split_somewhere


def _source(periods: list[tuple[int, int]]) -> FrameSource:
    """Responses per week: (how many, how many of them answered q)."""
    rows, answers = [], []
    for week, (responses, answered) in enumerate(periods):
        for i in range(responses):
            rid = 1000 * week + i + 1
            rows.append((rid, (rid * 37) % 256, FIRST_MONDAY + timedelta(weeks=week), 1, "en"))
            if i < answered:
                answers.append((rid, "q", "a"))
    return FrameSource(
        pd.DataFrame(
            rows, columns=["response_id", "record_key", "submitted_on", "link_id", "language"]
        ),
        pd.DataFrame(answers, columns=["response_id", "item_key", "choice"]),
        LINKS,
    )


@pytest.mark.parametrize("answered_in_the_middle", range(1, THRESHOLD))
def test_the_people_who_answered_a_small_wording_cannot_be_worked_out(
    answered_in_the_middle: int,
) -> None:
    """Three periods: the old wording, the week it changed (few answered the question
    there), the new wording. Shown wordings, taken from the unsplit number who answered,
    must never leave that small group."""
    source = _source([(30, 30), (20, answered_in_the_middle), (30, 30)])
    boundaries = [FIRST_MONDAY + timedelta(weeks=w) for w in (1, 2, 3)]
    release = releases_from_boundaries(boundaries)[-1]
    plan = plan_release(source, release, THRESHOLD)
    wording = history(FIRST_MONDAY + timedelta(weeks=1, days=2))
    assert [g.label for g in wording_groups(plan, wording["q"])] == ["Which one?", "", "Which?"]
    policy = DisclosurePolicy(THRESHOLD)
    for filters in [(), (Filter("period", "2"),)]:
        dashboard = build_dashboard(source, SURVEY, plan, policy, filters, (), wording)
        whole = next(t for t in dashboard.tables if t.item_key == "q")
        split = dashboard.wordings["q"]
        if not whole.shown or not split.tables:
            continue
        shown = [p.table.base.count for p in split.tables if p.table.shown]
        hidden = [p for p in split.tables if not p.table.shown]
        if hidden and shown:
            # Published counts are rounded to 5, so compare the true sizes instead.
            true = {
                p.group.key: n
                for p, n in zip(split.tables, (30, answered_in_the_middle, 30), strict=True)
            }
            left = sum(true[p.group.key] for p in hidden)
            assert left == 0 or left >= THRESHOLD, (filters, true, shown)
    unsplit = build_dashboard(source, SURVEY, plan, policy, (), (), wording)
    middle = unsplit.wordings["q"].tables[1].table
    assert not middle.shown
    # Not the middle alone: one of the others hides with it, so their sum is no small group.
    assert sum(not p.table.shown for p in unsplit.wordings["q"].tables) >= 2
