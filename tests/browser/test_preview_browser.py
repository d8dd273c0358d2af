"""The preview shows each page at a phone's width, in any language, with plain links that
work without JavaScript; axe on the preview and on what the frame shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_survey_editor_browser import sign_in

pytestmark = pytest.mark.browser
SLUG = "sample-young-people"


def follow(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).press("Enter")


def test_the_preview_frames_each_page_at_phone_width_in_any_language(
    live_server: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(live_server, page, "previewer@example.org", "designer")
    page.goto(f"{live_server.url}/workspace/surveys/{SLUG}/preview")
    assert_accessible(page)
    box = page.locator("iframe.phone-screen").bounding_box()
    assert box is not None and round(box["width"]) == 360
    frame = page.frame_locator("iframe.phone-screen")
    expect(frame.get_by_role("heading", level=1)).to_have_text("Feeling safe where you spend time")

    follow(page, "Page 1 of 6")
    expect(frame.locator("legend")).to_contain_text(
        "Where do you spend time when you are not at home?"
    )
    # Laid out at a phone's width: the page fills 360 pixels and does not scroll sideways.
    inner = page.frames[1]
    assert inner.evaluate("document.documentElement.clientWidth") == 360
    assert inner.evaluate("document.documentElement.scrollWidth") <= 360
    follow(page, "Next page")
    expect(page.get_by_role("link", name="Page 2 of 6", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    follow(page, "العربية")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    inner = page.frames[1]
    assert inner.evaluate("[document.documentElement.lang, document.dir]") == ["ar", "rtl"]
    assert_accessible(page)
    framed = context.new_page()  # the framed page on its own, as axe reads a whole page
    framed.goto(inner.url)
    assert_accessible(framed)
    context.close()


def test_the_preview_works_without_javascript(live_server: LiveServer, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(live_server, page, "previewer-no-js@example.org", "designer")
    page.goto(f"{live_server.url}/workspace/surveys/{SLUG}/preview")
    follow(page, "Cymraeg")
    follow(page, "Page 6 of 6")
    frame = page.frame_locator("iframe.phone-screen")
    expect(frame.locator("html")).to_have_attribute("lang", "cy")
    expect(frame.locator("textarea")).to_be_disabled()
    expect(page.get_by_role("link", name="Previous page")).to_be_visible()
    context.close()
