"""Charts a design team reads in Chromium: hidden answers keep their bars, the comparison and
the printable report draw charts that print without JavaScript, filters read in words."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboards.perturbation import KEY_RANGE
from feedback.storage import releases, tallies
from feedback.storage.accounts import create_user
from feedback.storage.db import db
from feedback.storage.models import SurveyRecord, SurveyResponse, Wave
from feedback.storage.responses import answer_rows
from feedback.storage.survey_versions import create_link, store_survey
from surveys import parse_survey
from tests.browser.conftest import PHONE, LiveServer, assert_accessible, screenshot
from tests.feedback.test_readable_filters import raw_codes

pytestmark = pytest.mark.browser
SLUG = "charts-in-the-browser"
EMAIL, PASSWORD = "charts@example.org", "a long password for charts"
MONDAY = tallies.week_start(date.today())
DEFINITION = {
    "id": SLUG,
    "title": "Charts in the browser",
    "audience": "young_people",
    "questions": [
        {"id": "mood", "type": "faces", "points": 5, "text": "How do you feel at the club?"},
        {
            "id": "where",
            "type": "single_choice",
            "text": "Where do you feel safest?",
            "options": [
                {"value": "club", "label": "At the club"},
                {"value": "home", "label": "At home"},
            ],
        },
    ],
}
# Per period (two weeks each): how many chose each face. Very unhappy and Unhappy are
# 3 and 4 people in all: too few to show, so the faces chart must keep their places.
FACES = ({"1": 3, "2": 4, "3": 20, "4": 18, "5": 15}, {"3": 15, "4": 20, "5": 25})
LINKS = (("Youth club - QR poster", "13-15"), ("School - class link", "11-12"))
LANGUAGES = ("en", "en", "en", "cy", "pl")


@pytest.fixture(scope="module")
def charted(live_server: LiveServer) -> str:
    """Two release periods of answers through two named links in three languages, and a
    wave for each period."""
    rng = random.Random(16)
    with live_server.app.app_context():
        survey = parse_survey(DEFINITION)
        version = store_survey(db.session, survey, DEFINITION, date.today()).version
        record = version.survey
        links = []
        for name, age_band in LINKS:
            link = create_link(db.session, record, channel=name, audience="young_people")
            link.age_band = age_band
            links.append(link)
        for period, faces in enumerate(FACES):
            first_day = MONDAY - timedelta(weeks=4 - 2 * period)
            for face, count in faces.items():
                for n in range(count):
                    response = SurveyResponse(
                        id=rng.getrandbits(62) + 1,
                        survey_id=record.id,
                        survey_version_id=version.id,
                        link_id=links[n % 2].id,
                        language=LANGUAGES[n % len(LANGUAGES)],
                        record_key=rng.randrange(KEY_RANGE),
                        submitted_on=first_day + timedelta(days=rng.randrange(14)),
                    )
                    db.session.add(response)
                    db.session.flush()
                    answers = {"mood": [face], "where": [rng.choice(["club", "home"])]}
                    db.session.add_all(answer_rows(response, answers))
        tallies.rebuild(db.session, record.id)
        assert releases.cut(db.session, record.id, MONDAY - timedelta(weeks=2), 10)
        assert releases.cut(db.session, record.id, MONDAY, 10)
        split = MONDAY - timedelta(weeks=2)
        db.session.add_all(
            [
                Wave(survey_id=record.id, name="Before the change", ends_on=split - timedelta(1)),
                Wave(
                    survey_id=record.id,
                    name="After the change",
                    starts_on=split,
                    ends_on=MONDAY - timedelta(1),
                ),
            ]
        )
        create_user(db.session, EMAIL, PASSWORD, "viewer", date.today())
        db.session.commit()
    return SLUG


def sign_in(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_the_faces_chart_keeps_five_bars_when_two_are_hidden(
    live_server: LiveServer, page: Page, charted: str
) -> None:
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/dashboards/{charted}")
    chart = page.locator('[data-figure-for="fig-mood"]')
    expect(chart.locator(".main-svg").first).to_be_visible()
    # Five bars in their places, bottom to top; the two small ones marked, not dropped.
    expect(chart.locator(".barlayer .point")).to_have_count(5)
    labels = chart.locator(".ytick text").all_text_contents()
    assert sorted(labels) == sorted(["Very unhappy", "Unhappy", "Okay", "Happy", "Very happy"])
    texts = chart.locator(".bartext").all_text_contents()
    assert len(texts) == 5 and texts.count("hidden") == 2
    table = page.get_by_role("table", name="How do you feel at the club?")
    expect(table.get_by_role("row", name="Very unhappy")).to_contain_text("Hidden")
    assert_accessible(page)
    screenshot(page, "faces-chart-with-hidden-answers")


def test_the_comparison_draws_both_waves_with_their_intervals(
    live_server: LiveServer, page: Page, charted: str
) -> None:
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/dashboards/{charted}")
    page.get_by_label("Before", exact=True).select_option(label="Before the change")
    page.get_by_label("After", exact=True).select_option(label="After the change")
    with page.expect_navigation():
        page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Before the change compared with After the change"
    )
    chart = page.get_by_role("img", name="How do you feel at the club?")
    expect(chart).to_be_visible()
    description = chart.locator("desc").text_content() or ""
    assert "Very unhappy: Before the change: hidden to protect privacy" in description
    assert "Okay: Before the change: " in description and "After the change: " in description
    # Five answers, a bar for each wave: none dropped, the hidden ones drawn dashed.
    assert chart.locator("rect[stroke-dasharray]").count() == 4
    assert chart.locator("path").count() == 6  # an interval for each bar shown
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= PHONE["viewport"]["width"]
    screenshot(page, "comparison-charts")


def test_the_report_prints_its_charts_without_javascript(
    live_server: LiveServer, browser: Browser, page: Page, charted: str
) -> None:
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/dashboards/{charted}/report")
    assert_accessible(page)
    context = browser.new_context(**PHONE, java_script_enabled=False)
    try:
        no_js = context.new_page()
        sign_in(no_js, live_server)
        no_js.goto(f"{live_server.url}/dashboards/{charted}/report")
        no_js.emulate_media(media="print")
        for title in ("How do you feel at the club?", "Where do you feel safest?"):
            chart = no_js.get_by_role("img", name=title)
            expect(chart).to_be_visible()
            assert chart.locator("text").filter(has_text="hidden to protect privacy").count() == (
                2 if title.startswith("How") else 0
            )
            expect(no_js.get_by_role("table", name=title)).to_be_visible()
        screenshot(no_js, "printable-report")
    finally:
        context.close()


def test_every_filter_value_reads_in_words(
    live_server: LiveServer, page: Page, charted: str
) -> None:
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/dashboards/{charted}")
    with live_server.app.app_context():
        from sqlalchemy import select

        from feedback.storage.models import Link

        codes = set(db.session.scalars(select(Link.code)))
    choices = (
        page.get_by_label("Filter 1")
        .locator("option")
        .evaluate_all("options => options.map(o => [o.value, o.textContent])")
    )
    values = [value for value, _text in choices if value]
    assert {v.split(":")[0] for v in values} >= {"channel", "language", "period", "wave"}
    problems = []
    for value in values:
        page.get_by_label("Filter 1").select_option(value)
        with page.expect_navigation():
            page.get_by_role("button", name="Apply filters").click()
        summary = page.locator(".notice", has_text="Filtered by").inner_text()
        labels = [summary.split(":", 1)[1]]
        labels += page.locator("select option").all_text_contents()
        labels += page.locator("th[scope=row]").all_text_contents()
        for text in labels:
            if found := raw_codes(text, codes):
                problems.append((value, text, found))
        assert_accessible(page)
    assert problems == []


def test_a_rewording_kept_apart_shows_answers_per_wording(
    live_server: LiveServer, page: Page, charted: str
) -> None:
    """Last in this file: it changes the survey the tests above read."""
    with live_server.app.app_context():
        create_user(db.session, "rewording@example.org", PASSWORD, "designer", date.today())
        db.session.commit()
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill("rewording@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/workspace/surveys/{charted}/edit")
    page.locator("#mood-text").fill("How do you feel at the youth club now?")
    with page.expect_navigation():
        page.get_by_role("button", name="Check changes before publishing").first.click()
    expect(page.get_by_role("heading", name="Reworded questions: how should results show them?"))
    assert_accessible(page)
    page.get_by_label("A different question: answers before and after shown apart").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish version 2").click()
    with live_server.app.app_context():
        from sqlalchemy import select

        from feedback.storage.models import SurveyVersion

        version = db.session.scalar(
            select(SurveyVersion)
            .where(SurveyVersion.number == 2)
            .join(SurveyVersion.survey)
            .where(SurveyRecord.slug == charted)
        )
        assert version.rewordings == {"mood": "new"}
        # As if published on the Monday the second period began, before its answers.
        version.published_on = MONDAY - timedelta(weeks=2)
        for response in db.session.scalars(
            select(SurveyResponse).where(
                SurveyResponse.survey_id == version.survey_id,
                SurveyResponse.submitted_on >= version.published_on,
            )
        ):
            response.survey_version_id = version.id
        db.session.commit()
    page.goto(f"{live_server.url}/dashboards/{charted}")
    section = page.locator(
        "section",
        has=page.get_by_role("heading", level=3, name="How do you feel at the youth club now?"),
    )
    expect(section.locator(".notice")).to_contain_text(
        "The wording of this question changed: asked as “How do you feel at the club?” up to"
    )
    expect(section.get_by_role("heading", level=4)).to_have_count(2)
    expect(section.locator(".chart")).to_have_count(2)
    expect(section.locator(".chart .main-svg").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "answers-per-wording")
