"""Changing a published survey in the browser, by keyboard, with axe on every page: the
editor, the check page, a second editor's stale save, the version history, teams and limits."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from feedback.storage.accounts import create_user
from feedback.storage.db import db
from feedback.storage.models import SurveyRecord
from feedback.storage.survey_versions import latest_version, survey_of
from tests.browser.conftest import LiveServer, assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "a long workspace password"
SLUG = "young-people-design"


def sign_in(live_server: LiveServer, page: Page, email: str, role: str) -> None:
    with live_server.app.app_context():
        create_user(db.session, email, PASSWORD, role, date.today())
        db.session.commit()
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")


def press(page: Page, role: str, name: str) -> None:
    """Activate a control from the keyboard, as someone without a mouse would."""
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.press("Enter")


def latest_survey(live_server: LiveServer):  # noqa: ANN201
    from sqlalchemy import select

    with live_server.app.app_context():
        record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == SLUG))
        return survey_of(latest_version(db.session, record.id))


def test_a_survey_is_changed_reviewed_and_published_by_keyboard(
    live_server: LiveServer, page: Page
) -> None:
    sign_in(live_server, page, "editor@example.org", "designer")
    page.goto(f"{live_server.url}/workspace/surveys/{SLUG}?lang=en")
    assert_accessible(page)
    press(page, "link", "Change questions, wording or how long responses are kept")
    assert_accessible(page)
    # Core questions (the first 15) are asked alike at every wave; the rest can change.
    questions = latest_survey(live_server).questions()
    target, following = questions[15], questions[16]
    assert not target.core and not following.core
    page.locator(f"#{target.id}-text").fill("What would make places safer for you?")
    page.get_by_label("Keep responses for (days)").fill("400")
    press(page, "button", "Move down question 17")
    with page.expect_navigation():
        page.locator(f'button[value="condition:{following.id}"]').press("Enter")
    expect(page.locator(f"#{following.id}-show_if")).to_have_value("")
    assert_accessible(page)
    expect(page.locator(f"#{target.id}-text")).to_have_value(
        "What would make places safer for you?"
    )
    page.get_by_label("Question", exact=True).select_option("easy_talk_to")
    press(page, "button", "Add the question")
    assert_accessible(page)

    # Meanwhile a colleague publishes a change from another tab.
    colleague = page.context.new_page()
    colleague.goto(f"{live_server.url}/workspace/surveys/{SLUG}/edit")
    colleague.get_by_label("Title").fill("Your ideas for safer places (2)")
    press(colleague, "button", "Check changes before publishing")
    press(colleague, "button", "Publish version 2")
    expect(colleague.get_by_role("status").filter(has_text="Published as version")).to_contain_text(
        "Published as version 2"
    )

    press(page, "button", "Check changes before publishing")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Someone else changed this survey while you were editing"
    )
    assert_accessible(page)
    press(page, "button", "Combine my changes with theirs")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your changes")
    expect(page.locator(".changes")).to_contain_text("Moved")
    expect(page.locator(".changes")).to_contain_text("Added")
    assert_accessible(page)
    press(page, "button", "Publish version 3")
    expect(page.get_by_role("status").filter(has_text="Published as version")).to_contain_text(
        "Published as version 3"
    )

    survey = latest_survey(live_server)
    assert survey.title == "Your ideas for safer places (2)"  # theirs, combined with mine
    assert survey.retention_days == 400
    ids = [q.id for q in survey.questions()]
    assert ids.index(following.id) == ids.index(questions[17].id) + 1  # moved down one
    assert "easy_talk_to" in ids
    press(page, "link", "what changed in version 3")
    assert_accessible(page)
    expect(page.locator(".changes")).to_contain_text("What would make places safer for you?")


def test_teams_and_a_limited_survey_are_accessible(
    live_server: LiveServer, page: Page, browser
) -> None:  # noqa: ANN001
    sign_in(live_server, page, "admin-teams@example.org", "admin")
    page.goto(f"{live_server.url}/workspace/teams?lang=en")
    assert_accessible(page)
    page.get_by_label("Team name").fill("Schools consultation")
    press(page, "button", "Create team")
    page.get_by_label("Add someone to Schools consultation").select_option(
        label="admin-teams@example.org"
    )
    press(page, "button", "Add to Schools consultation")
    expect(page.locator(".card")).to_contain_text("admin-teams@example.org")
    assert_accessible(page)

    page.goto(f"{live_server.url}/workspace/surveys/parents-experience")
    page.get_by_label("Only the teams and people ticked below").check()
    page.get_by_label("Schools consultation").check()
    press(page, "button", "Save who can see it")
    expect(page.get_by_label("Schools consultation")).to_be_checked()
    assert_accessible(page)

    outsider = browser.new_context().new_page()
    sign_in(live_server, outsider, "outsider@example.org", "viewer")
    outsider.goto(f"{live_server.url}/dashboards/parents-experience")
    expect(outsider.get_by_role("heading", level=1)).to_have_text(
        "This survey is limited to other teams"
    )
    assert_accessible(outsider)
    outsider.context.close()
