"""Answering in Welsh, Polish, Arabic and Urdu: complete, accessible, right-to-left where due."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, assert_accessible, screenshot

pytestmark = pytest.mark.browser


def submit_form(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


def complete_in(page: Page, live_server: LiveServer, language: str) -> None:
    """Answer the sample survey in `language`, checking every page with axe on the way."""
    code = live_server.links["sample-young-people"]
    page.goto(f"{live_server.url}/s/{code}?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    submit_form(page)  # start
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main a.button").click()  # past the quick-exit explanation
    for _ in range(10):
        if page.url.endswith("/check"):
            break
        assert_accessible(page)
        choices = page.locator(".choice-input")
        if choices.count():
            choices.first.check()
        submit_form(page)
    assert page.url.endswith("/check")
    assert_accessible(page)
    submit_form(page)
    expect(page.locator(".panel-confirmation")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)


@pytest.mark.parametrize(
    ("language", "direction"), [("cy", "ltr"), ("pl", "ltr"), ("ar", "rtl"), ("ur", "rtl")]
)
def test_a_survey_can_be_answered_in(
    live_server: LiveServer, page: Page, language: str, direction: str
) -> None:
    complete_in(page, live_server, language)
    expect(page.locator("html")).to_have_attribute("dir", direction)


@pytest.mark.parametrize("language", ["ar", "ur"])
def test_right_to_left_pages_mirror_and_are_saved_for_people_to_look_at(
    live_server: LiveServer, page: Page, language: str
) -> None:
    code = live_server.links["sample-young-people"]
    page.goto(f"{live_server.url}/s/{code}?lang={language}")
    submit_form(page)
    page.goto(f"{live_server.url}/s/{code}/q/places")
    # Mirrored: the exit button sits at the inline end, which is the left in RTL.
    box = page.locator("#exit-this-page").bounding_box()
    assert box is not None and box["x"] < 390 / 2
    # Choices: the radio or checkbox is on the right of its label.
    first = page.locator(".choice").first
    input_box = first.locator("input").bounding_box()
    label_box = first.locator("label").bounding_box()
    assert input_box["x"] > label_box["x"]
    screenshot(page, f"rtl-{language}-question-phone")
    page.goto(f"{live_server.url}/help")
    screenshot(page, f"rtl-{language}-help-phone")
    assert_accessible(page)
