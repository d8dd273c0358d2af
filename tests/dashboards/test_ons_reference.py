"""Our cell key perturbation, through the app's SQL path, equals the ONS package's, cell for cell.

The same microdata (responses with record keys) goes into the database, where the
tallies keep counts and key sums, and into the ONS Statistical Methods Library's
`cell-key-perturbation` package with our ptable. Every cell of the table
link x language x answer must come out the same: the same published count, or
hidden in both (the package's threshold rule is our "published count below the
threshold is hidden").
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
from cell_key_perturbation.create_perturbed_table import create_perturbed_table
from flask import Flask
from sqlalchemy import select

from dashboards.disclosure import NOTHING, DisclosurePolicy
from dashboards.perturbation import ptable_frame
from dashboards.release import Selection
from feedback.storage import tallies
from feedback.storage.dashboard_queries import SqlCountsSource
from feedback.storage.db import db
from feedback.storage.models import Answer, Link, SurveyResponse
from feedback.storage.survey_versions import latest_version
from tests.conftest import add_link, load_definition

CHOICES = ("1", "2", "3", "4", "5")
LANGUAGES = ("en", "cy", "pl")


def _microdata(app: Flask, size: int) -> pd.DataFrame:
    record = load_definition(app)
    for channel in ("Youth club", "School", "Park outreach"):
        add_link(app, record, channel=channel)
    rng = random.Random(2021)
    rows = []
    with app.app_context():
        version = latest_version(db.session, record.id)
        links = list(db.session.scalars(select(Link.id).where(Link.survey_id == record.id)))
        monday = tallies.week_start(date.today()) - timedelta(weeks=1)
        for number in range(size):
            row = {
                "response_id": number + 1,
                "record_key": rng.randrange(256),
                "link_id": rng.choice(links),
                "language": rng.choice(LANGUAGES),
                "answer": rng.choice(CHOICES[: rng.randint(2, 5)]),
            }
            rows.append(row)
            db.session.add(
                SurveyResponse(
                    id=row["response_id"],
                    survey_id=record.id,
                    survey_version_id=version.id,
                    link_id=row["link_id"],
                    language=row["language"],
                    submitted_on=monday,
                    record_key=row["record_key"],
                )
            )
            db.session.add(
                Answer(
                    response_id=row["response_id"],
                    survey_id=record.id,
                    item_key="feel_safe",
                    choice=row["answer"],
                )
            )
        db.session.flush()
        tallies.rebuild(db.session, record.id)
        db.session.commit()
    return pd.DataFrame(rows)


def test_sql_path_and_ons_package_publish_the_same_table(app: Flask) -> None:
    microdata = _microdata(app, 1500)
    reference = create_perturbed_table(
        data=microdata,
        ptable=ptable_frame(),
        geog=[],
        tab_vars=["link_id", "language", "answer"],
        record_key="record_key",
        threshold=10,
    )
    policy = DisclosurePolicy(threshold=10)
    with app.app_context():
        record_id = db.session.scalar(select(Link.survey_id))
        source = SqlCountsSource(db.session, record_id)
        before = tallies.week_start(date.today())
        compared = 0
        for row in reference.itertuples():
            selection = Selection(
                before, link_ids=frozenset({int(row.link_id)}), languages=frozenset({row.language})
            )
            cell = policy.count(source.counts(selection).get(("feel_safe", row.answer), NOTHING))
            expected = None if pd.isna(row.count) else int(row.count)
            assert (cell.count if cell.shown else None) == expected, row
            compared += 1
    # Nearly every link x language x answer cell, many of them perturbed and some hidden.
    assert compared == len(reference) >= 40
    assert (reference["pvalue"] != 0).sum() > 10
    assert reference["count"].isna().sum() > 0
