"""A design team reads the dashboard in Chromium: signed in, accessible, charts drawn, CSP kept."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from feedback.storage.accounts import create_user
from feedback.storage.db import db
from feedback.storage.demo import seed_responses
from feedback.storage.models import SurveyRecord
from feedback.storage.survey_versions import create_link
from feedback.storage.tallies import week_start
from tests.browser.conftest import LiveServer, assert_accessible, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "a long dashboard password"


@pytest.fixture(scope="module")
def seeded(live_server: LiveServer) -> str:
    """A bank survey with 150 synthetic responses over past weeks, and a designer."""
    with live_server.app.app_context():
        record = db.session.scalar(
            select(SurveyRecord).where(SurveyRecord.slug == "young-people-experience")
        )
        # Two channels, each well over 10 responses, so the channel filter is offered.
        links = [
            create_link(db.session, record, channel, "young_people")
            for channel in ("School", "Youth club")
        ]
        # All within closed weeks (the dashboard never shows the week in progress).
        last_sunday = week_start(date.today()) - timedelta(days=1)
        seed_responses(db.session, record, links, 150, last_sunday, random.Random(7))
        create_user(db.session, "designer@example.org", PASSWORD, "admin", date.today())
        db.session.commit()
    return "young-people-experience"


def sign_in(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/sign-in")
    assert_accessible(page)
    page.get_by_label("Email address").fill("designer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_the_dashboard_is_accessible_with_charts_and_no_csp_errors(
    live_server: LiveServer, page: Page, seeded: str
) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server)
    assert_accessible(page)
    page.goto(f"{live_server.url}/dashboards/{seeded}")
    expect(page.locator(".stat-value")).to_have_text("150")
    expect(page.locator(".chart .main-svg").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "dashboard")
    assert problems == []
    for path in ["report", "comments/one_thing_keep"]:
        page.goto(f"{live_server.url}/dashboards/{seeded}/{path}")
        assert_accessible(page)
    for path in [
        "/workspace",
        "/workspace/translations",
        "/workspace/users",
        "/workspace/two-step",
        "/workspace/audit",
        f"/dashboards/{seeded}?f=period:1",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)


def test_a_filtered_view_and_a_refused_filter(
    live_server: LiveServer, page: Page, seeded: str
) -> None:
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/dashboards/{seeded}")
    # The first group offered (small links are grouped, so no link is offered by name here).
    page.get_by_label("Filter 1").select_option(index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".notice").first).to_contain_text("Filtered by")
    assert_accessible(page)
    page.goto(f"{live_server.url}/dashboards/{seeded}?f=language:en&f=channel:1&f=audience:x")
    expect(page.get_by_role("heading", level=1)).to_have_text("These results cannot be shown")
    assert_accessible(page)
