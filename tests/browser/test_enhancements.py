"""What JavaScript adds on top of working pages: character count, kiosk reset, page weight."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, assert_accessible, screenshot

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def open_last_page(live_server: LiveServer, page: Page, code: str) -> None:
    page.goto(f"{live_server.url}/s/{code}")
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    page.goto(f"{live_server.url}/s/{code}/q/one_change")  # the draft exists: go straight there


def test_long_text_counts_characters_as_you_type(live_server: LiveServer, page: Page) -> None:
    open_last_page(live_server, page, live_server.links["sample-young-people"])
    count = page.locator(".character-count")
    expect(count).to_have_text("Characters left: 1000")
    page.get_by_role("textbox").fill("x" * 1003)
    expect(count).to_have_text("Characters too many: 3")
    assert_accessible(page)


def test_the_too_long_error_gives_the_number_the_counter_shows(
    live_server: LiveServer, page: Page
) -> None:
    open_last_page(live_server, page, live_server.links["sample-young-people"])
    # Emoji are two UTF-16 units each but one character; the e-mail address is scrubbed
    # into a longer marker. Neither may change the count the person is told.
    page.get_by_role("textbox").fill("\N{GRINNING FACE}" * 992 + " a@b.co x  ")
    count = page.locator(".character-count")
    expect(count).to_have_text("Characters too many: 1")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.locator(".error-summary")).to_contain_text("Your answer is 1001 characters")
    expect(page.locator(".character-count")).to_have_text("Characters too many: 1")


def test_a_kiosk_asks_if_you_are_there_then_resets(live_server: LiveServer, page: Page) -> None:
    code = live_server.links["kiosk"]
    open_last_page(live_server, page, code)
    page.get_by_role("textbox").fill("Something private")
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_visible(timeout=5000)
    expect(warning).to_contain_text("Are you still there?")
    assert_accessible(page)
    screenshot(page, "kiosk-warning")
    # "I am still here" keeps the answer; ignoring the warning resets to the start.
    warning.get_by_role("button", name="I am still here").click()
    expect(warning).to_have_count(0)
    expect(page.get_by_role("textbox")).to_have_value("Something private")
    page.wait_for_url(f"**/s/{code}", timeout=10000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Feeling safe where you spend time")
    page.goto(f"{live_server.url}/s/{code}/q/one_change")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers were cleared")


def test_read_aloud_appears_only_where_the_browser_has_a_voice(
    live_server: LiveServer, page: Page
) -> None:
    open_last_page(live_server, page, live_server.links["sample-young-people"])
    has_voice = page.evaluate(
        "() => speechSynthesis.getVoices().some(v => v.lang.startsWith('en'))"
    )
    expect(page.locator(".read-aloud")).to_have_count(1 if has_voice else 0)


def test_the_first_page_is_within_its_weight_budget() -> None:
    """Runs the benchmark script itself: at most 14 KB compressed and 3 requests."""
    result = subprocess.run(
        [sys.executable, "bench/page_weight.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "within budget" in result.stdout


def test_an_exclusive_answer_clears_the_others_and_they_clear_it(
    live_server: LiveServer, page: Page
) -> None:
    page.goto(f"{live_server.url}/s/{live_server.links['young-people-design']}")
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    page.goto(f"{live_server.url}/s/{live_server.links['young-people-design']}/q/who_talk_to")
    boxes = page.locator("input[name=who_talk_to]")
    ordinary, no_one = boxes.first, page.locator("input[name=who_talk_to][value=no_one]")
    ordinary.check()
    no_one.check()
    expect(ordinary).not_to_be_checked()
    ordinary.check()
    expect(no_one).not_to_be_checked()
    assert_accessible(page)
