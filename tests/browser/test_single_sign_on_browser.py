"""Single sign-on in a real browser, through a real OpenID Connect provider on loopback:
a first sign-in gives no access until an admin grants a role, and an account disabled at
the provider loses access. Every page of ours on the way passes axe."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from werkzeug.serving import make_server

from feedback.storage.accounts import create_user
from feedback.storage.db import db
from feedback.storage.migrate import upgrade
from tests.browser.conftest import PHONE, assert_accessible, screenshot
from tests.conftest import make_app
from tests.single_sign_on import disable_at_provider, register_person, running_provider

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "a long admin password for the test"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with running_provider() as issuer:
        yield issuer


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory: pytest.TempPathFactory, provider: str) -> Iterator[str]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('sso') / 'live.sqlite'}"
    upgrade(database_url)
    app = make_app(
        database_url,
        SERVER_NAME=None,
        OIDC_ISSUER=provider,
        OIDC_CLIENT_ID="feedback",
        OIDC_CLIENT_SECRET="client-secret",
        OIDC_PROVIDER_NAME="Test Council",
        # Ask the provider at every request, so the test need not wait for a recheck.
        OIDC_RECHECK_SECONDS=0,
    )
    with app.app_context():
        create_user(db.session, "admin@council.gov.uk", ADMIN_PASSWORD, "admin", date.today())
        db.session.commit()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def only_this_machine(context: BrowserContext) -> None:
    """The provider's form asks for a stylesheet from a CDN: nothing may leave the machine."""

    def route(request: Route) -> None:
        if urlsplit(request.request.url).hostname in ("127.0.0.1", "localhost"):
            request.continue_()
        else:
            request.abort()

    context.route("**/*", route)


def sign_in_at_provider(page: Page, server: str, subject: str | None) -> None:
    """From our sign-in page, through the provider's own form: as `subject`, or refuse."""
    page.goto(f"{server}/sign-in")
    page.get_by_role("link", name="Sign in with Test Council").click()
    page.wait_for_url("**/oauth2/authorize**", wait_until="domcontentloaded")
    if subject is None:
        page.get_by_role("button", name="Deny").click()
    else:
        page.locator("input[name=sub]").fill(subject)
        page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server}/**", wait_until="domcontentloaded")


def grant_role(browser: Browser, server: str, email: str, role: str) -> None:
    context = browser.new_context(**PHONE)
    only_this_machine(context)
    admin = context.new_page()
    admin.goto(f"{server}/sign-in")
    admin.get_by_label("Email address").fill("admin@council.gov.uk")
    admin.get_by_label("Password").fill(ADMIN_PASSWORD)
    admin.get_by_role("button", name="Sign in", exact=True).click()
    admin.goto(f"{server}/workspace/users")
    expect(admin.get_by_text("(signs in with Test Council)")).to_be_visible()
    assert_accessible(admin)
    admin.get_by_label(f"Role of {email}").select_option(role)
    admin.get_by_role("button", name=f"Save {email}").click()
    expect(admin.get_by_label(f"Role of {email}")).to_have_value(role)
    context.close()


def test_sign_in_through_the_provider_access_when_granted_and_lost_when_disabled(
    browser: Browser, page: Page, sso_server: str, provider: str
) -> None:
    only_this_machine(page.context)
    register_person(provider, "casey-1", email="casey@council.gov.uk", name="Casey")
    page.goto(f"{sso_server}/sign-in")
    assert_accessible(page)

    # First sign-in: an account, but nothing to see until an admin grants a role.
    sign_in_at_provider(page, sso_server, "casey-1")
    expect(page.get_by_role("heading", name="Waiting for access")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "sso-waiting-for-access")
    page.goto(f"{sso_server}/workspace")
    expect(page.get_by_role("heading", name="Waiting for access")).to_be_visible()

    grant_role(browser, sso_server, "casey@council.gov.uk", "viewer")
    # A change of role ends the sessions begun before it: sign in again, and see surveys.
    page.goto(f"{sso_server}/workspace")
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    sign_in_at_provider(page, sso_server, "casey-1")
    expect(page).to_have_url(f"{sso_server}/workspace")
    expect(page.get_by_role("link", name="Surveys")).to_be_visible()
    assert_accessible(page)

    # Disabled at the provider: its tokens are refused, and so is the next sign-in.
    disable_at_provider(provider, "casey-1")
    page.goto(f"{sso_server}/workspace")
    expect(page.get_by_text("Test Council no longer accepts your account")).to_be_visible()
    assert_accessible(page)
    sign_in_at_provider(page, sso_server, None)
    expect(page.get_by_text("Test Council did not sign you in.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "sso-refused")
    page.goto(f"{sso_server}/workspace")
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
