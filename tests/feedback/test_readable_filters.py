"""Every filter, value and summary reads in the names people gave: never a code.

A demo-sized dashboard (several links with names, two audiences, age bands, four
languages, several release periods and two waves) is walked value by value: each
filter is applied, and the labels of the page, its report and its CSV export are
searched for link codes, language codes, ISO dates, internal ids and field names.
"""

from __future__ import annotations

import csv
import html
import io
import random
import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dashboards.perturbation import KEY_RANGE
from feedback.storage import releases, tallies
from feedback.storage.db import db
from feedback.storage.demo import synthetic_answers
from feedback.storage.models import AuditEvent, Link, SurveyRecord, SurveyResponse, Wave
from feedback.storage.responses import answer_rows
from feedback.storage.survey_versions import create_link, latest_version, survey_of
from tests.conftest import load_definition
from tests.feedback.test_dashboard import sign_in

SLUG = "sample-young-people"
MONDAY = tallies.week_start(date.today())
LINKS = (  # (name, audience, age band, how many answer through it)
    ("Youth club - QR poster", "young_people", "13-15", 160),
    ("School - class link", "young_people", "11-12", 140),
    ("Family hub - WhatsApp", "parents", None, 120),
    ("Newsletter", "parents", None, 90),
    ("One person's link", "young_people", "16-17", 3),
)
LANGUAGES = {"en": 0.55, "cy": 0.2, "pl": 0.15, "ar": 0.08, "so": 0.02}
WEEKS = 8


def demo_sized(app: Flask) -> dict[str, str]:
    """Responses over eight closed weeks through named links in several languages, four
    releases cut along the way, and two waves. Returns each link's code and name."""
    record = load_definition(app)
    rng = random.Random(16)
    with app.app_context():
        survey = survey_of(latest_version(db.session, record.id))
        version_id = latest_version(db.session, record.id).id
        stored = db.session.get(SurveyRecord, record.id)
        codes = {}
        for name, audience, age_band, count in LINKS:
            link = create_link(db.session, stored, channel=name, audience=audience)
            link.age_band = age_band
            codes[link.code] = name
            for _ in range(count):
                response = SurveyResponse(
                    id=rng.getrandbits(62) + 1,
                    survey_id=record.id,
                    survey_version_id=version_id,
                    link_id=link.id,
                    language=rng.choices(list(LANGUAGES), weights=list(LANGUAGES.values()))[0],
                    record_key=rng.randrange(KEY_RANGE),
                    submitted_on=MONDAY - timedelta(days=1 + rng.randrange(7 * WEEKS)),
                )
                db.session.add(response)
                db.session.flush()
                db.session.add_all(answer_rows(response, synthetic_answers(survey, rng)))
        tallies.rebuild(db.session, record.id)
        for weeks_ago in (6, 4, 2):
            assert releases.cut(db.session, record.id, MONDAY - timedelta(weeks=weeks_ago), 10)
        assert releases.cut(db.session, record.id, MONDAY, 10)
        db.session.add_all(
            [
                Wave(
                    survey_id=record.id,
                    name="Before the change",
                    starts_on=None,
                    ends_on=MONDAY - timedelta(weeks=4, days=1),
                ),
                Wave(
                    survey_id=record.id,
                    name="After the change",
                    starts_on=MONDAY - timedelta(weeks=4),
                    ends_on=MONDAY - timedelta(days=1),
                ),
            ]
        )
        db.session.commit()
        ids = [str(i) for i in db.session.scalars(select(Link.id))]
    return codes | {f"id:{i}": "" for i in ids}


def raw_codes(text: str, link_codes: set[str]) -> list[str]:
    """Every code-like thing in a label: what a person should never have to decode."""
    found = []
    words = set(re.findall(r"[\w-]+", text))
    found += sorted(words & link_codes)
    found += sorted(words & set(LANGUAGES))
    found += re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)  # a date in ISO form, not in words
    found += re.findall(r"\b[a-z]+_[a-z_]+\b", text)  # a field name: young_people, age_band
    found += re.findall(r"\b[a-z_]+:\w+", text)  # a filter as the URL spells it: channel:3
    found += re.findall(r"\w+ = \w+", text)  # "Channel = 5"
    if re.fullmatch(r"\s*\d+\s*", text):
        found.append(text)  # a bare number standing for a group
    return found


def labels_of(page: str) -> list[str]:
    """The texts that name things on a page: options, the filter summary, table headings."""
    patterns = [
        r"<option[^>]*>(.*?)</option>",
        r"<optgroup label=\"([^\"]*)\"",
        r"<th[^>]*>(.*?)</th>",
        r"<h[1-3][^>]*>(.*?)</h[1-3]>",
        r"<title>(.*?)</title>",
        r"<p class=\"notice\">(.*?)</p>",
        r"<caption[^>]*>(.*?)</caption>",
    ]
    found = []
    for pattern in patterns:
        for match in re.findall(pattern, page, re.S):
            found.append(html.unescape(re.sub(r"<[^>]+>", " ", match)).strip())
    return [text for text in found if text]


def test_every_filter_value_reads_in_words(app: Flask, client: FlaskClient) -> None:
    links = demo_sized(app)
    link_codes = {code for code in links if not code.startswith("id:")}
    sign_in(app, client)
    overview = client.get(f"/dashboards/{SLUG}").get_data(as_text=True)
    values = re.findall(r'<option value="([a-z_]+:[^"]+)"', overview)
    dimensions = {value.split(":")[0] for value in values}
    # The walk covers every kind of filter the demo offers.
    assert dimensions == {"channel", "audience", "age_band", "language", "period", "wave"}
    problems: dict[str, list[str]] = {}

    def check(where: str, texts: list[str]) -> None:
        for text in texts:
            if codes := raw_codes(text, link_codes):
                problems.setdefault(where, []).append(f"{text!r}: {codes}")

    check("overview", labels_of(overview))
    # Languages are named for the reader and in their own words.
    for name in ("Welsh (Cymraeg)", "Polish (polski)", "Arabic (العربية)", "English"):
        assert f">{name}</option>" in overview
    for value in sorted(set(values)):
        page = client.get(f"/dashboards/{SLUG}?f={value}")
        assert page.status_code == 200, value
        check(f"?f={value}", labels_of(page.get_data(as_text=True)))
        report = client.get(f"/dashboards/{SLUG}/report?f={value}").get_data(as_text=True)
        check(f"report ?f={value}", labels_of(report))
        export = client.get(f"/dashboards/{SLUG}/export.csv?f={value}").get_data(as_text=True)
        rows = list(csv.reader(io.StringIO(export.lstrip("\ufeff"))))
        check(f"export ?f={value}", [c for row in rows for c in row if not c.isdigit()])
    with app.app_context():
        waves = [str(w.id) for w in db.session.scalars(select(Wave).order_by(Wave.id))]
        trail = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "exported results")
        ).all()
    assert len(trail) == len(set(values))
    check("audit trail", list(trail))
    assert f"{SLUG} as csv, filtered by Language: Welsh (Cymraeg)" in trail
    compare = client.get(f"/dashboards/{SLUG}/compare?a={waves[0]}&b={waves[1]}")
    assert compare.status_code == 200
    check("compare", labels_of(compare.get_data(as_text=True)))
    assert problems == {}
