"""A design-stage baseline compared with a later experience survey in the browser, after the
baseline's responses were deleted for retention: its released figures are what remain."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from werkzeug.serving import make_server

from feedback.storage.accounts import create_user
from feedback.storage.db import db
from feedback.storage.migrate import upgrade
from feedback.storage.models import SurveyResponse
from feedback.storage.retention import delete_expired
from tests.browser.conftest import assert_accessible, screenshot
from tests.conftest import make_app
from tests.feedback.test_baseline_comparison import _survey_with_a_wave

pytestmark = pytest.mark.browser
PASSWORD = "a long baseline password"


@pytest.fixture(scope="module")
def baseline_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """Its own database: retention here deletes a whole survey's responses."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('baseline') / 'baseline.sqlite'}"
    upgrade(database_url)
    app = make_app(database_url, SERVER_NAME=None)
    design = _survey_with_a_wave(app, "young-people-design", seed=1)
    _survey_with_a_wave(app, "young-people-experience", seed=2)
    with app.app_context():
        create_user(db.session, "designer@example.org", PASSWORD, "admin", date.today())
        delete_expired(db.session, date.today() + timedelta(days=3650))
        db.session.commit()
        left = db.session.scalar(
            select(func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.survey_id == design.id)
        )
        assert left == 0, "retention deleted the baseline's responses"
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_baseline_deleted_for_retention_is_still_compared_with_a_later_wave(
    baseline_server: tuple[Flask, str], page: Page
) -> None:
    _app, url = baseline_server
    page.goto(f"{url}/sign-in")
    page.get_by_label("Email address").fill("designer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(f"{url}/dashboards/young-people-design")
    assert_accessible(page)
    # The baseline's wave before, the experience survey's wave after: chosen in the form.
    after = page.get_by_label("After", exact=True)
    later = after.locator("option", has_text="young-people-experience wave")
    expect(later).to_have_count(1)
    after.select_option(later.get_attribute("value"))
    with page.expect_navigation():
        page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("compared with")
    main = page.locator("main")
    expect(main).to_contain_text("How safe do you feel walking alone in your area during the day?")
    # Each compared answer has its change with a 95% interval, e.g. "+4 to +19".
    expect(main).to_contain_text("to +")
    expect(main).to_contain_text("not compared because they were asked differently or only once")
    assert_accessible(page)
    screenshot(page, "baseline-compared-after-retention")
