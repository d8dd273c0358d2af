"""Bank surveys as templates, links with status and addresses to copy, and the test link,
in Chromium with axe on every page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from feedback.storage.accounts import create_user
from feedback.storage.db import db
from feedback.storage.models import SurveyRecord, SurveyResponse, Tally
from feedback.storage.survey_versions import latest_version, survey_of
from tests.browser.conftest import PHONE, LiveServer, assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "a long workspace password"
BANK = "parents-experience"


def sign_in(live_server: LiveServer, page: Page, email: str) -> None:
    with live_server.app.app_context():
        create_user(db.session, email, PASSWORD, "designer", date.today())
        db.session.commit()
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def click(page: Page, role: str, name: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.click()


def definition_text(live_server: LiveServer, slug: str) -> str:
    with live_server.app.app_context():
        record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == slug))
        return str(latest_version(db.session, record.id).definition)


def publish_from_bank(page: Page, live_server: LiveServer, title: str) -> None:
    page.goto(f"{live_server.url}/workspace/surveys/new")
    assert_accessible(page)
    click(page, "button", re.compile(rf"Publish this survey\W+{re.escape(title)}$"))


def test_a_reworded_question_survives_publishing_from_the_bank_again(
    live_server: LiveServer, page: Page
) -> None:
    sign_in(live_server, page, "templates@example.org")
    with live_server.app.app_context():
        record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == BANK))
        bank_survey = survey_of(latest_version(db.session, record.id))
    # Core questions are asked alike at every wave and are not reworded; others can be.
    question = next(q for q in bank_survey.questions() if not q.core and q.text)
    original_bank_text = definition_text(live_server, BANK)

    # The team already has this bank survey: it is asked, and makes a copy of its own.
    publish_from_bank(page, live_server, bank_survey.title)
    expect(page.get_by_role("heading", level=1)).to_have_text("You already have this survey")
    assert_accessible(page)
    click(page, "button", "Make another copy")
    # This bank survey has notes to read first (and perhaps a warning to acknowledge); the
    # copy is still a survey of its own.
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you publish")
    assert_accessible(page)
    acknowledge = page.get_by_label("I have read these warnings and still want to publish")
    if acknowledge.count():
        acknowledge.check()
    click(page, "button", re.compile(r"^Publish( anyway)?$"))
    expect(page.get_by_role("status").filter(has_text="Published as version")).to_contain_text(
        "Published as version 1."
    )
    copy_slug = re.search(r"/workspace/surveys/([\w-]+)", page.url).group(1)
    assert copy_slug != BANK and copy_slug.startswith(BANK)
    assert_accessible(page)

    # Reword a question and publish that as version 2.
    click(page, "link", "Change questions, wording or how long responses are kept")
    assert_accessible(page)
    reworded = "How has the new way of working changed things for your family?"
    page.locator(f"#{question.id}-text").fill(reworded)
    click(page, "button", "Check changes before publishing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your changes")
    assert_accessible(page)
    if page.get_by_label("I have read these warnings and still want to publish").count():
        page.get_by_label("I have read these warnings and still want to publish").check()
    click(page, "button", "Publish version 2")
    expect(page.get_by_role("status").filter(has_text="Published as version")).to_contain_text(
        "Published as version 2"
    )

    # Publishing the bank survey again offers the team's surveys and changes neither.
    publish_from_bank(page, live_server, bank_survey.title)
    expect(page.get_by_role("heading", level=1)).to_have_text("You already have this survey")
    assert_accessible(page)
    click(page, "link", f"{bank_survey.title} ({copy_slug})")
    expect(page.locator(".caption").first).to_contain_text("version 2")
    assert_accessible(page)
    click(page, "link", "what changed in version 2")
    expect(page.locator("main")).to_contain_text(reworded)
    assert_accessible(page)
    assert reworded in definition_text(live_server, copy_slug)
    assert definition_text(live_server, BANK) == original_bank_text


def test_link_status_dates_and_copying_the_address(
    live_server: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(**PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    sign_in(live_server, page, "links@example.org")
    survey_page = f"{live_server.url}/workspace/surveys/young-people-experience-easy-read"
    page.goto(survey_page)
    assert_accessible(page)

    # A closing date in the past is refused, with the message at the field.
    page.get_by_label("Channel").fill("Youth centre - noticeboard")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page.get_by_label("Closes after (optional)").fill(yesterday)
    click(page, "button", "Create link")
    expect(page.locator(".error-summary")).to_contain_text("The closing date must be today")
    expect(page.locator("#closes_on-error")).to_contain_text("or later")
    assert_accessible(page)
    later = (date.today() + timedelta(days=30)).isoformat()
    page.get_by_label("Closes after (optional)").fill(later)
    click(page, "button", "Create link")
    assert_accessible(page)

    # Copy the address: the button says so in a live region, and the clipboard has it.
    field = page.get_by_label("Address of the link")
    address = field.input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/s/\w{{8}}", address)
    page.get_by_role("button", name=re.compile("^Copy link")).click()
    expect(page.locator(".copy-status[role=status]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == address

    # The link's own page: its status, its band, switching it off.
    click(page, "link", "The link’s page: status, dates, switching it off")
    expect(page.locator(".status-tag")).to_have_text(f"Open (until {later})")
    expect(page.get_by_text("fewer than 10", exact=True)).to_be_visible()
    assert_accessible(page)
    click(page, "button", "Switch this link off")
    expect(page.locator(".status-tag")).to_have_text("Closed (switched off)")
    assert_accessible(page)
    page.goto(survey_page)
    row = page.get_by_role("row").filter(has_text="Youth centre - noticeboard")
    expect(row).to_contain_text("Closed (switched off)")
    expect(row).to_contain_text("fewer than 10")
    assert_accessible(page)
    context.close()


def test_without_its_script_the_address_is_a_field_to_select(
    live_server: LiveServer, page: Page
) -> None:
    """The copy script blocked (as when JavaScript is off, but axe can still run): the
    button stays hidden and the address can be selected in its read-only field."""
    page.route("**/static/workspace.js*", lambda route: route.abort())
    sign_in(live_server, page, "noscript@example.org")
    code = live_server.links["young-people-experience"]
    page.goto(f"{live_server.url}/workspace/links/{code}")
    field = page.get_by_label("Address of the link")
    expect(field).to_be_visible()
    expect(field).to_have_attribute("readonly", "")
    expect(field).to_have_value(f"{live_server.url}/s/{code}")
    expect(page.get_by_role("button", name=re.compile("^Copy link"))).to_be_hidden()
    field.focus()
    page.keyboard.press("Control+A")
    selected = page.evaluate(
        "(() => { const f = document.activeElement;"
        " return f.value.slice(f.selectionStart, f.selectionEnd); })()"
    )
    assert selected == f"{live_server.url}/s/{code}"
    assert_accessible(page)


def test_the_test_link_is_marked_on_every_page_and_counts_nothing(
    live_server: LiveServer, page: Page
) -> None:
    sign_in(live_server, page, "tester@example.org")
    slug = "sample-young-people"
    page.goto(f"{live_server.url}/workspace/surveys/{slug}")
    click(page, "button", "Make a test link")
    expect(page.get_by_label("Address of the test link")).to_be_visible()
    assert_accessible(page)
    with live_server.app.app_context():
        survey_id = db.session.scalar(select(SurveyRecord.id).where(SurveyRecord.slug == slug))

        def stored() -> tuple[int, int]:
            responses = db.session.scalar(
                select(func.count())
                .select_from(SurveyResponse)
                .where(SurveyResponse.survey_id == survey_id)
            )
            tallied = db.session.scalar(
                select(func.coalesce(func.sum(Tally.count), 0)).where(
                    Tally.survey_id == survey_id, Tally.item_key == ""
                )
            )
            return responses, tallied

        before = stored()
    click(page, "link", "Open the test link")
    for _step in range(20):  # start, before you start, each page, check, thank you
        expect(page.locator("main .notice").first).to_contain_text("Test:")
        expect(page.locator("main")).to_contain_text(
            "Nothing you answer here is stored or counted."
        )
        assert_accessible(page)
        if "/done" in page.url:
            break
        next_step = page.locator(
            "main button.button:text-is('Start now'), main button.button:text-is('Continue'), "
            "main button.button:text-is('Send my answers'), main a.button:text-is('Continue')"
        ).first
        with page.expect_navigation():
            next_step.click()
    expect(page.locator(".panel-confirmation")).to_be_visible()
    with live_server.app.app_context():
        assert stored() == before
