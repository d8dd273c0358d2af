"""On a small phone: Exit this page always in reach, Start now on the first screen, focus
never hidden under the exit button, and English helpline text on an Arabic page read as
English, left to right."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, LiveServer, assert_accessible, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {**PHONE, "viewport": {"width": 360, "height": 640}}
EXIT_BOX = """() => {
  const r = document.getElementById('exit-this-page').getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
}"""


@pytest.fixture
def small_phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**SMALL_PHONE)
    yield context.new_page()
    context.close()


def every_respondent_page(server: LiveServer, page: Page) -> Iterator[str]:
    """Go to each page of the every-question survey (its longest is the matrix), and name it."""
    code = server.links["every-question"]
    base = f"{server.url}/s/{code}"
    page.goto(base)
    yield "start"
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    yield "before you start"
    for page_id in ["where", "feelings", "grid", "more"]:
        page.goto(f"{base}/q/{page_id}")
        if page_id == "where":
            page.get_by_role("checkbox", name="Park").check()
            with page.expect_navigation():
                page.get_by_role("button", name="Continue").click()
            page.goto(f"{base}/q/{page_id}")
        yield page_id
    page.goto(f"{base}/check")
    yield "check your answers"
    page.goto(f"{base}/help?page=grid")
    yield "help"
    page.goto(f"{server.url}/privacy")
    yield "privacy"


def assert_exit_in_view_at_every_scroll_position(page: Page, name: str) -> None:
    viewport = page.viewport_size
    assert viewport is not None
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, viewport["height"] // 4):
        page.evaluate(f"window.scrollTo(0, {y})")
        box = page.evaluate(EXIT_BOX)
        assert box["top"] >= 0 and box["bottom"] <= viewport["height"], (name, y, box)
        assert box["left"] >= 0 and box["right"] <= viewport["width"], (name, y, box)


def test_exit_this_page_stays_in_view_on_every_page_at_360px(
    live_server: LiveServer, small_phone: Page
) -> None:
    seen = []
    for name in every_respondent_page(live_server, small_phone):
        assert_exit_in_view_at_every_scroll_position(small_phone, name)
        seen.append(name)
        if name == "grid":
            assert small_phone.evaluate("document.documentElement.scrollHeight") > 3 * 640
            small_phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            screenshot(small_phone, "exit-in-reach-matrix-bottom-360")
    assert len(seen) == 9


def test_focus_is_never_hidden_under_the_exit_button_at_320px_and_200_percent_text(
    live_server: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(**{**PHONE, "viewport": {"width": 320, "height": 640}})
    page = context.new_page()
    code = live_server.links["every-question"]
    page.goto(f"{live_server.url}/s/{code}")
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    page.goto(f"{live_server.url}/s/{code}/q/grid")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    # Tabbing backwards from the end scrolls up: the case where the sticky button could hide
    # what has focus.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.locator("footer a").last.focus()
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate("""() => {
          const el = document.activeElement;
          if (!el || el === document.body || el.closest('.exit-bar') ||
              el.classList.contains('skip-link')) return null;
          const r = el.getBoundingClientRect();
          return {top: r.top, tag: el.tagName, id: el.id};
        }""")
        if focused is None:
            continue
        exit_bottom = page.evaluate(EXIT_BOX)["bottom"]
        assert focused["top"] >= exit_bottom, focused
    context.close()


@pytest.mark.parametrize(
    "survey",
    ["sample-young-people", "every-question", "parents-design", "young-people-design-easy-read"],
)
def test_start_now_is_on_the_first_screen_of_a_small_phone(
    live_server: LiveServer, small_phone: Page, survey: str
) -> None:
    small_phone.goto(f"{live_server.url}/s/{live_server.links[survey]}")
    box = small_phone.get_by_role("button", name="Start now").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 640, box
    screenshot(small_phone, f"start-first-screen-{survey}-360")


def test_a_local_helpline_on_an_arabic_page_is_read_as_english_left_to_right(
    live_server: LiveServer, page: Page
) -> None:
    app = live_server.app
    saved = app.config.get("LOCAL_HELPLINES", [])
    app.config["LOCAL_HELPLINES"] = [
        {
            "name": "Anytown Children's Services",
            "description": "Weekdays 9 to 5, and out of hours",
            "phone": "01234 567890",
        }
    ]
    try:
        page.goto(f"{live_server.url}/help?lang=ar")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        description = page.get_by_text("Weekdays 9 to 5, and out of hours")
        expect(description).to_have_attribute("lang", "en")
        assert description.evaluate("el => getComputedStyle(el).direction") == "ltr"
        name = page.get_by_text("Anytown Children's Services")
        assert name.evaluate("el => el.closest('[lang]').getAttribute('lang')") == "en"
        assert name.evaluate("el => getComputedStyle(el).direction") == "ltr"
        # The page around it stays Arabic, right to left.
        heading = page.get_by_role("heading", level=1)
        assert heading.evaluate("el => el.closest('[lang]').getAttribute('lang')") == "ar"
        assert heading.evaluate("el => getComputedStyle(el).direction") == "rtl"
        assert_accessible(page)
        screenshot(page, "rtl-ar-help-local-helpline")
    finally:
        app.config["LOCAL_HELPLINES"] = saved
