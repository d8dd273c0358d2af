"""A team's own question, made in the editor by keyboard, published, and answered on a phone;
axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from feedback.storage.db import db
from feedback.storage.models import Answer, SurveyRecord
from feedback.storage.survey_versions import latest_version, survey_of
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_survey_editor_browser import press, sign_in

pytestmark = pytest.mark.browser
SLUG = "young-people-experience-easy-read"
QID = "how_do_you_get_to"


def latest(live_server: LiveServer):  # noqa: ANN201
    with live_server.app.app_context():
        record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == SLUG))
        return survey_of(latest_version(db.session, record.id))


def test_an_own_question_is_made_published_and_answered(
    live_server: LiveServer, page: Page
) -> None:
    sign_in(live_server, page, "own-questions@example.org", "designer")
    page.goto(f"{live_server.url}/workspace/surveys/{SLUG}/edit?lang=en")
    assert_accessible(page)
    page.get_by_label("Choose one answer", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_label("Wording of your question").fill("How do you get to the youth club?")
    page.get_by_label("Answers to choose from, one on each line").fill("Walk\nBus\nGet a lift")
    press(page, "button", "Add your question")
    expect(page.get_by_role("status")).to_contain_text("Your question was added at the end")
    assert_accessible(page)

    page.locator(f"#{QID}-new-option").fill("Cycle or scoot")
    with page.expect_navigation():
        page.locator(f'button[value="option-add:{QID}"]').press("Enter")
    expect(page.locator(f"#{QID}-option-cycle_or_scoot")).to_have_value("Cycle or scoot")
    for _twice in range(2):
        with page.expect_navigation():
            page.locator(f'button[value="option-up:{QID}:cycle_or_scoot"]').press("Enter")
    with page.expect_navigation():
        page.locator(f'button[value="option-remove:{QID}:get_a_lift"]').press("Enter")
    expect(page.locator(f"#{QID}-option-get_a_lift")).to_have_count(0)
    assert_accessible(page)

    press(page, "button", "Check changes before publishing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your changes")
    expect(page.locator(".changes")).to_contain_text("How do you get to the youth club?")
    assert_accessible(page)
    if page.locator("#acknowledged").count():  # the survey's own publication warnings
        page.locator("#acknowledged").focus()
        page.keyboard.press("Space")
    press(page, "button", "Publish version")
    expect(page.get_by_role("status").filter(has_text="Published as version")).to_contain_text(
        "Published as version"
    )

    question = latest(live_server).question(QID)
    assert [o.label for o in question.options] == ["Walk", "Cycle or scoot", "Bus"]
    page_id = next(p.id for p in latest(live_server).pages if p.questions[0].id == QID)

    code = live_server.links[SLUG]
    respondent = page.context.browser.new_context(viewport={"width": 360, "height": 740})
    phone = respondent.new_page()
    phone.goto(f"{live_server.url}/s/{code}?lang=en")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Start").first.press("Enter")
    phone.goto(f"{live_server.url}/s/{code}/q/{page_id}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("How do you get to the youth club?")
    assert_accessible(phone)
    phone.get_by_label("Cycle or scoot").focus()
    phone.keyboard.press("Space")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Continue").press("Enter")
    phone.goto(f"{live_server.url}/s/{code}/check")
    expect(phone.locator("main")).to_contain_text("Cycle or scoot")
    assert_accessible(phone)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Send my answers").press("Enter")
    assert_accessible(phone)
    respondent.close()
    with live_server.app.app_context():
        assert (
            "cycle_or_scoot"
            in db.session.scalars(select(Answer.choice).where(Answer.item_key == QID)).all()
        )
