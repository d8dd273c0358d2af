"""A design team, through the browser only: bank survey -> published -> link -> answered ->
counted on the dashboard. Every workspace page is checked with axe on the way."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from dashboards.perturbation import published_count
from feedback.storage.accounts import create_user
from feedback.storage.db import db
from tests.browser.conftest import LiveServer, assert_accessible
from tests.conftest import age_responses

pytestmark = pytest.mark.browser
PASSWORD = "a long workspace password"


def click(page: Page, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.click()


def test_from_the_bank_to_the_dashboard_through_the_ui(live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context():
        create_user(db.session, "team@example.org", PASSWORD, "designer", date.today())
        db.session.commit()
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill("team@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    click(page, "button", "Sign in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveys")
    assert_accessible(page)
    click(page, "link", "New survey")
    assert_accessible(page)
    # The live server already has a survey made from this bank survey: open it.
    click(page, "button", "Keeping young people safe in our area")  # "Publish this survey: …"
    expect(page.get_by_role("heading", level=1)).to_have_text("You already have this survey")
    assert_accessible(page)
    click(page, "link", "Keeping young people safe in our area (parents-design)")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Keeping young people safe in our area"
    )
    assert_accessible(page)
    click(page, "link", "Preview as respondents see it")
    click(page, "link", "اردو")
    # The page stays in the staff language; the phone-width frame shows Urdu, right to left.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.frame_locator("iframe.phone-screen").locator("html")).to_have_attribute(
        "dir", "rtl"
    )
    assert_accessible(page)
    click(page, "link", "Back to the survey")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Channel").fill("Parents – school gate leaflet")
    page.get_by_label("Who it is for").select_option("parents")
    click(page, "button", "Create link")
    assert_accessible(page)
    address = page.get_by_label("Address of the link").input_value()
    code = re.search(r"/s/(\w{8})", address).group(1)
    click(page, "link", "Print a poster")
    assert_accessible(page)
    expect(page.locator(".poster-qr svg")).to_be_visible()

    for _ in range(10):  # ten parents answer the first question
        visitor = page.context.browser.new_context()
        parent = visitor.new_page()
        parent.goto(f"{live_server.url}/s/{code}")
        with parent.expect_navigation():
            parent.get_by_role("button", name="Start now").click()
        with parent.expect_navigation():
            parent.get_by_role("link", name="Continue").click()
        parent.locator(".choice-input").first.check()
        while "/check" not in parent.url:
            with parent.expect_navigation():
                parent.get_by_role("button", name="Continue").click()
        with parent.expect_navigation():
            parent.get_by_role("button", name="Send my answers").click()
        expect(parent.locator(".panel-confirmation")).to_be_visible()
        visitor.close()

    age_responses(live_server.app)  # the week closes
    stored, key_sum = responses_to(live_server, "parents-design")
    assert stored >= 10
    click(page, "link", "Back to the survey")
    with page.expect_navigation():
        page.get_by_role("link", name="Surveys", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Results\W+Keeping young people safe")).click()
    # The release's figure: the count as the cell key method publishes it.
    expect(page.locator(".stat-value")).to_have_text(str(published_count(stored, key_sum)))
    assert_accessible(page)


def responses_to(live_server: LiveServer, slug: str) -> tuple[int, int]:
    """How many responses a survey has, and the sum of their record keys."""
    from sqlalchemy import func, select

    from feedback.storage.models import SurveyRecord, SurveyResponse

    with live_server.app.app_context():
        count, keys = db.session.execute(
            select(func.count(), func.sum(SurveyResponse.record_key))
            .join(SurveyRecord, SurveyRecord.id == SurveyResponse.survey_id)
            .where(SurveyRecord.slug == slug)
        ).one()
        return int(count), int(keys or 0)
