"""A young person on a phone: complete the survey, with touch, keyboard, and no JavaScript.

Every page visited is checked with axe-core for WCAG 2.2 A/AA violations.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, select

from feedback.storage.db import db
from feedback.storage.models import Draft, Link, SurveyResponse
from tests.browser.conftest import LiveServer, assert_accessible, screenshot

pytestmark = pytest.mark.browser


def press(page: Page, name: str, how: str = "tap") -> None:
    """Press a button that submits a form, and wait for the page it leads to."""
    with page.expect_navigation():
        getattr(page.get_by_role("button", name=name), how)()


def start(page: Page, how: str = "tap") -> None:
    """Start now, then past the one-time explanation of Exit this page."""
    press(page, "Start now", how)
    expect(page.get_by_role("heading", level=1)).to_have_text("Leaving this website quickly")
    if how == "tap":  # axe needs JavaScript; the no-JavaScript runs click instead
        assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Continue").click()


def choice(page: Page, name: str) -> Locator:
    """A radio button or checkbox by its accessible name (what a screen reader says)."""
    return page.get_by_role("radio", name=name, exact=True).or_(
        page.get_by_role("checkbox", name=name, exact=True)
    )


def responses_for(server: LiveServer, code: str) -> int:
    with server.app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(SurveyResponse).join(Link).where(Link.code == code)
        )


def drafts(server: LiveServer) -> int:
    with server.app.app_context():
        return db.session.scalar(select(func.count()).select_from(Draft))


def answer_sample_by_tapping(page: Page) -> None:
    """Answer each page of the sample survey, checking each page's accessibility."""
    steps = [
        ["Park or open space", "Youth club"],
        ["Happy"],
        ["Good lighting"],
        ["Maybe"],
        ["Agree"],
    ]
    for labels in steps:
        assert_accessible(page)
        for label in labels:
            choice(page, label).tap()
        press(page, "Continue", "tap")
    assert_accessible(page)
    page.get_by_label("What is one thing that would make your area safer?").fill(
        "A youth club open at weekends."
    )
    press(page, "Continue", "tap")


def test_a_phone_completes_the_sample_survey_and_one_response_is_stored(
    live_server: LiveServer, page: Page
) -> None:
    code = live_server.links["sample-young-people"]
    before = responses_for(live_server, code)
    page.goto(f"{live_server.url}/s/{code}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Feeling safe where you spend time")
    assert_accessible(page)
    start(page, "tap")
    answer_sample_by_tapping(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert_accessible(page)
    expect(page.locator(".summary-list")).to_contain_text("A youth club open at weekends.")
    press(page, "Send my answers", "tap")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_accessible(page)
    screenshot(page, "phone-confirmation")
    assert responses_for(live_server, code) == before + 1
    # Back and send again: still one response.
    page.go_back()
    if page.get_by_role("button", name="Send my answers").count():
        press(page, "Send my answers")
    assert responses_for(live_server, code) == before + 1


def test_error_state_is_accessible_and_focused(live_server: LiveServer, page: Page) -> None:
    code = live_server.links["sample-young-people"]
    page.goto(f"{live_server.url}/s/{code}")
    start(page, "tap")
    press(page, "Continue", "tap")  # places left blank: the safety page is skipped
    for label in [
        "Adults I trust nearby",
        "Youth workers",
        "My friends being there",
        "Good lighting",
    ]:
        choice(page, label).tap()
    press(page, "Continue", "tap")
    assert page.title().startswith("Error:")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose up to 3 answers")
    # The choices made are still there.
    expect(choice(page, "Youth workers")).to_be_checked()
    assert_accessible(page)
    screenshot(page, "phone-error-state")


def test_keyboard_alone_completes_the_survey(live_server: LiveServer, page: Page) -> None:
    code = live_server.links["sample-young-people"]
    before = responses_for(live_server, code)
    page.goto(f"{live_server.url}/s/{code}")
    keyboard = page.keyboard

    def tab_to(name: str) -> None:
        for _ in range(60):
            keyboard.press("Tab")
            focused = page.evaluate(
                "() => { const e = document.activeElement;"
                " return (e.labels && e.labels[0] ? e.labels[0].innerText : e.innerText) || ''; }"
            )
            if name in focused:
                return
        raise AssertionError(f"could not reach {name!r} with Tab")

    def enter_and_wait() -> None:
        with page.expect_navigation():
            keyboard.press("Enter")

    tab_to("Start now")
    enter_and_wait()
    tab_to("Continue")  # past the explanation of Exit this page
    enter_and_wait()
    tab_to("Park or open space")
    keyboard.press("Space")
    tab_to("Continue")
    enter_and_wait()
    assert page.url.endswith("/q/safety")
    tab_to("Very unhappy")  # Tab reaches the radio group; arrows move within it
    keyboard.press("ArrowDown")
    keyboard.press("ArrowDown")
    tab_to("Continue")
    enter_and_wait()
    for _ in range(4):  # the remaining pages are optional: continue past them
        tab_to("Continue")
        enter_and_wait()
    assert page.url.endswith("/check")
    expect(page.locator(".summary-list")).to_contain_text("Okay")
    tab_to("Send my answers")
    enter_and_wait()
    assert "/done" in page.url
    assert responses_for(live_server, code) == before + 1


def test_without_javascript_the_survey_still_works(
    live_server: LiveServer, no_js_page: Page
) -> None:
    page = no_js_page
    code = live_server.links["sample-young-people"]
    before = responses_for(live_server, code)
    page.goto(f"{live_server.url}/s/{code}")
    start(page, "click")
    answer_sample_by_tapping_without_touch(page)
    press(page, "Send my answers", "click")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert responses_for(live_server, code) == before + 1


def answer_sample_by_tapping_without_touch(page: Page) -> None:
    choice(page, "Shops or shopping centre").check()
    press(page, "Continue", "click")
    choice(page, "Unhappy").check()
    press(page, "Continue", "click")
    for _ in range(4):
        press(page, "Continue", "click")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")


def test_320px_wide_with_text_at_200_percent_needs_no_sideways_scrolling(
    live_server: LiveServer, browser
) -> None:
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    code = live_server.links["sample-young-people"]
    page.goto(f"{live_server.url}/s/{code}")
    paths = [f"/s/{code}", "/help", "/privacy"]
    start(page, "tap")
    paths.append(page.url.removeprefix(live_server.url))
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    screenshot(page, "reflow-320px-200pc")
    context.close()


def test_shift_three_times_exits_and_discards_the_draft(
    live_server: LiveServer, page: Page
) -> None:
    code = live_server.links["sample-young-people"]
    page.goto(f"{live_server.url}/s/{code}")
    start(page, "tap")
    choice(page, "Park or open space").tap()
    press(page, "Continue", "tap")
    before = drafts(live_server)
    assert before >= 1
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("**/weather")
    expect(page.get_by_role("heading", level=1)).to_have_text("Weather")
    assert drafts(live_server) == before - 1
    assert [c for c in page.context.cookies() if c["name"] == "feedback"] == []


def test_exit_button_works_without_javascript(live_server: LiveServer, no_js_page: Page) -> None:
    code = live_server.links["sample-young-people"]
    no_js_page.goto(f"{live_server.url}/s/{code}")
    start(no_js_page, "click")
    no_js_page.get_by_role("link", name="Exit this page").click()
    no_js_page.wait_for_url("**/weather")
    no_js_page.go_back()
    # The survey page is not shown again from the cache: the draft is gone.
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text("Your answers were cleared")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/help",
        "/privacy",
        "/privacy/parents",
        "/s/zzzz9999",
        "/nowhere",
        "/sign-in",
        "/help?lang=ur",
        "/privacy?lang=cy",
    ],
)
def test_other_respondent_pages_are_accessible(
    live_server: LiveServer, page: Page, path: str
) -> None:
    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)


def test_closed_and_ended_pages_are_accessible(live_server: LiveServer, page: Page) -> None:
    code = live_server.links["sample-young-people"]
    page.goto(f"{live_server.url}/s/{code}/q/places")  # no draft: session ended
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers were cleared")
    assert_accessible(page)
    with live_server.app.app_context():
        link = db.session.scalar(select(Link).where(Link.code == code))
        from feedback.storage.survey_versions import create_link

        closed = create_link(db.session, link.survey, channel="Closed", audience="young_people")
        closed.is_active = False
        closed_code = closed.code
        db.session.commit()
    page.goto(f"{live_server.url}/s/{closed_code}")
    expect(page.get_by_role("heading", level=1)).to_have_text("This survey has closed")
    assert_accessible(page)


@pytest.mark.parametrize(
    "survey_id",
    [
        "young-people-design",
        "young-people-design-easy-read",
        "young-people-experience",
        "parents-design",
        "parents-experience",
    ],
)
def test_every_bank_survey_renders_and_can_be_completed(
    live_server: LiveServer, page: Page, survey_id: str
) -> None:
    code = live_server.links[survey_id]
    before = responses_for(live_server, code)
    page.goto(f"{live_server.url}/s/{code}")
    assert_accessible(page)
    start(page, "tap")
    for _ in range(40):
        if "/check" in page.url:
            break
        assert_accessible(page)
        first_choice = page.locator(".choice-input").first
        if first_choice.count():
            first_choice.tap()
        press(page, "Continue", "tap")
    assert "/check" in page.url
    press(page, "Send my answers", "tap")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert responses_for(live_server, code) == before + 1
