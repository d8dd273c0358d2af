"""A reviewer works through the comments with the keyboard: several decided at once, and the
list opens again where they were; the theme list is edited; axe on every page."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from feedback.storage.accounts import create_user
from feedback.storage.db import db
from feedback.storage.demo import seed_responses
from feedback.storage.models import CommentReview, SurveyRecord
from feedback.storage.survey_versions import create_link
from feedback.storage.tallies import week_start
from tests.browser.conftest import LiveServer, assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "a long reviewer password"
SLUG = "parents-design"
COMMENTS = f"/dashboards/{SLUG}/comments/parent_one_thing"


@pytest.fixture(scope="module")
def released(live_server: LiveServer) -> None:
    with live_server.app.app_context():
        record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == SLUG))
        link = create_link(db.session, record, "Family hub", "parents")
        last_sunday = week_start(date.today()) - timedelta(days=1)
        seed_responses(db.session, record, [link], 80, last_sunday, random.Random(11))
        create_user(db.session, "reviewer@example.org", PASSWORD, "reviewer", date.today())
        db.session.commit()


def decisions(live_server: LiveServer) -> dict[int, bool]:
    with live_server.app.app_context():
        rows = db.session.execute(select(CommentReview.response_id, CommentReview.hidden))
        return {response_id: hidden for response_id, hidden in rows}


def current_comment(page: Page) -> str:
    return page.evaluate("document.activeElement.id")


def test_a_reviewer_decides_comments_in_batches_by_keyboard(
    live_server: LiveServer, page: Page, released: None
) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill("reviewer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")
    page.goto(f"{live_server.url}{COMMENTS}")
    expect(page.get_by_text("Deciding several comments at once")).to_be_visible()
    assert_accessible(page)
    before = decisions(live_server)

    page.keyboard.press("j")
    first = current_comment(page)
    assert first.startswith("comment-")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("j")
    third = current_comment(page)
    page.keyboard.press("x")
    with page.expect_navigation():
        page.keyboard.press("a")
    expect(page.get_by_role("status")).to_have_text("2 comments shown to the team.")
    # Back where the reviewer was: the first comment decided has the focus.
    assert page.url.endswith(f"#{first}") and current_comment(page) == first
    assert_accessible(page)
    shown = {int(first.split("-")[1]), int(third.split("-")[1])}
    assert {k: v for k, v in decisions(live_server).items() if k not in before} == dict.fromkeys(
        shown, False
    )

    page.keyboard.press("j")  # the next comment, from where the list reopened
    following = current_comment(page)
    assert following not in (first, "")
    with page.expect_navigation():
        page.keyboard.press("h")  # nothing ticked: the comment it is on
    expect(page.get_by_role("status")).to_have_text("1 comment hidden from the team.")
    assert current_comment(page) == following
    assert decisions(live_server)[int(following.split("-")[1])] is True
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Change the themes for this survey").press("Enter")
    assert_accessible(page)
    page.get_by_label("Themes, one on each line").fill("Schools: school*\nNothing:  ")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the themes").press("Enter")
    expect(page.locator(".error-summary")).to_contain_text("has no words or phrases")
    assert_accessible(page)
    page.get_by_label("Themes, one on each line").fill("Schools: school*, college*\nHelp: help*")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the themes").press("Enter")
    expect(page.locator("#themes-title + table")).to_contain_text("Schools")
    expect(page.locator("#themes-title + table")).not_to_contain_text("Lighting and layout")
    assert_accessible(page)
