"""A fluent speaker reviews Welsh and Arabic in the browser, with the keyboard only once the
page is open, and marks Welsh reviewed; respondents then see the correction. axe on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete

from feedback.storage.accounts import create_user
from feedback.storage.db import db
from feedback.storage.models import LanguageReview, TranslationReview, User
from feedback.storage.translation_reviews import accept, message_key, shipped_messages
from tests.browser.conftest import LiveServer, assert_accessible, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "a long reviewer password"
# Left as drafts for the reviewer, in the order the page lists them.
LEFT_FOR_THE_REVIEWER = {
    message_key("parents", "(optional)"),
    message_key("young_people", "(optional)"),
    message_key("young_people", "Start now"),
}


@pytest.fixture
def reviewing(live_server: LiveServer) -> Iterator[LiveServer]:
    """A reviewer's account, and every Welsh message but three already accepted; the
    reviews are removed afterwards, so other tests see the shipped translations."""
    app = live_server.app
    with app.app_context():
        create_user(
            db.session, "translation-reviewer@example.org", PASSWORD, "reviewer", date.today()
        )
        for message in shipped_messages("cy"):
            if message.key not in LEFT_FOR_THE_REVIEWER:
                accept(db.session, "cy", message, "reviewer", date.today())
        db.session.commit()
    yield live_server
    with app.app_context():
        db.session.execute(delete(TranslationReview))
        db.session.execute(delete(LanguageReview))
        db.session.execute(delete(User).where(User.email == "translation-reviewer@example.org"))
        db.session.commit()


def press_and_wait(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def focused(page: Page) -> str:
    """What has the keyboard focus: its tag, name and id."""
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()} ${e.name || ''} ${e.id || ''}`; })()"
    )


def test_a_reviewer_reviews_welsh_and_arabic_with_the_keyboard(
    reviewing: LiveServer, page: Page
) -> None:
    server = reviewing
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto(f"{server.url}/sign-in?next=/workspace/translations")
    page.get_by_label("Email address").fill("translation-reviewer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    press_and_wait(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Translations")
    assert_accessible(page)

    page.get_by_role("link", name="Review the Cymraeg translation").focus()
    press_and_wait(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review Welsh")
    expect(page.locator(".review-row")).to_have_count(3)
    assert_accessible(page)
    screenshot(page, "translation-review-cy")

    # The first draft, "(optional)" for parents: the field, then Accept.
    first = page.locator(".review-row textarea").first
    expect(first).to_have_attribute("lang", "cy")
    expect(first).to_have_attribute("dir", "ltr")
    first.focus()
    page.keyboard.press("Tab")
    assert focused(page).startswith("button action")
    press_and_wait(page, "Enter")
    expect(page.get_by_role("status")).to_have_text("Accepted.")
    expect(page.locator(".review-row")).to_have_count(2)
    # Back at the next message: Tab reaches its field straight away.
    page.keyboard.press("Tab")
    assert focused(page).startswith("textarea translation")
    page.keyboard.press("Tab")
    press_and_wait(page, "Enter")
    assert_accessible(page)

    # "Start now" for young people: a correction, typed and saved from the keyboard.
    page.keyboard.press("Tab")
    assert focused(page).startswith("textarea translation")
    page.keyboard.press("Control+A")
    page.keyboard.type("Dechrau arni nawr")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert "Save correction" in page.evaluate("document.activeElement.textContent")
    press_and_wait(page, "Enter")
    expect(page.get_by_role("status")).to_have_text("Correction saved.")
    expect(page.locator(".review-row")).to_have_count(0)
    assert_accessible(page)

    mark = page.get_by_role("button", name="Mark Welsh reviewed")
    mark.focus()
    press_and_wait(page, "Enter")
    expect(page.get_by_role("status")).to_have_text("Welsh marked reviewed.")
    expect(page.locator("#review-state")).to_contain_text("Reviewed by the reviewer role on")
    assert_accessible(page)

    page.goto(f"{server.url}/workspace/translations")
    expect(page.locator("tr", has_text="(cy)").first).to_contain_text(
        "Reviewed by the reviewer role"
    )
    expect(page.locator("tr", has_text="(ar)").first).to_contain_text(
        re.compile(r"\(0 of \d+ messages reviewed\)")
    )
    assert_accessible(page)

    # Arabic: fields right to left; one message accepted with the keyboard.
    page.get_by_role("link", name="Review the العربية translation").focus()
    press_and_wait(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review Arabic")
    field = page.locator(".review-row textarea").first
    expect(field).to_have_attribute("dir", "rtl")
    expect(field).to_have_attribute("lang", "ar")
    assert_accessible(page)
    screenshot(page, "translation-review-ar")
    field.focus()
    page.keyboard.press("Tab")
    press_and_wait(page, "Enter")
    expect(page.get_by_role("status")).to_have_text("Accepted.")
    expect(page.get_by_role("link", name="Reviewed (1)")).to_be_visible()
    assert_accessible(page)

    # A young person's start page in Welsh has the correction.
    respondent = page.context.browser.new_page()
    respondent.goto(f"{server.url}/s/{server.links['sample-young-people']}?lang=cy")
    expect(respondent.get_by_role("button", name="Dechrau arni nawr")).to_be_visible()
    assert_accessible(respondent)
    respondent.close()
