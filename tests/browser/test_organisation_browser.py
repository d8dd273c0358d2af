"""Who runs a survey, the full privacy notices and the accessibility statement, in Chromium:
named on the start page in every language, reachable from every respondent page, accessible."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from feedback.storage.migrate import upgrade
from surveys.organisation import LocalText, Organisation
from tests.browser.conftest import LiveServer, assert_accessible, screenshot
from tests.conftest import add_link, load_definition, make_app

pytestmark = pytest.mark.browser

COUNCIL = Organisation(
    name=LocalText("en", "Anytown Council", (("cy", "Cyngor Anytown"),)),
    purpose=LocalText("en", "To plan safer parks and streets with young people."),
    email="feedback@anytown.example",
    phone="01234 567890",
    dpo_email="dpo@anytown.example",
    complaints="https://anytown.example/complaints",
)


@pytest.fixture(scope="module")
def council_server(
    tmp_path_factory: pytest.TempPathFactory, neutral_site: str
) -> Iterator[LiveServer]:
    """The service run by a council whose name has a Welsh form and no Arabic one."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('council') / 'live.sqlite'}"
    upgrade(database_url)
    app = make_app(database_url, SERVER_NAME=None, EXIT_URL=neutral_site, ORGANISATION=COUNCIL)
    young = load_definition(app)
    links = {
        "young_people": add_link(app, young, channel="Browser test", audience="young_people"),
        "parents": add_link(app, young, channel="Browser test", audience="parents"),
    }
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", links)
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("language", "name", "marked"),
    [
        ("en", "Anytown Council", None),
        ("cy", "Cyngor Anytown", None),
        # No Arabic name was given: the English one, marked as English, left to right.
        ("ar", "Anytown Council", "en"),
    ],
)
def test_a_young_persons_start_page_names_the_organisation(
    council_server: LiveServer, page: Page, language: str, name: str, marked: str | None
) -> None:
    code = council_server.links["young_people"]
    page.goto(f"{council_server.url}/s/{code}?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    facts = page.locator(".start-facts li").first
    expect(facts).to_contain_text(name)
    if marked:
        named = facts.locator(f'span[lang="{marked}"]')
        expect(named).to_have_text(name)
        expect(named).to_have_attribute("dir", "ltr")
    else:
        expect(facts.locator("[lang]")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, f"start-page-organisation-{language}")


def footer_link(page: Page, href_end: str) -> str:
    """The address of the footer link ending in `href_end` (there must be exactly one)."""
    links = page.locator("footer a").evaluate_all("els => els.map(a => a.href)")
    found = [href for href in links if href.split("?")[0].endswith(href_end)]
    assert len(found) == 1, f"{page.url}: footer links {links}"
    return found[0]


def walk_survey(page: Page, server: LiveServer, code: str) -> Iterator[str]:
    """Every page of a survey from start to thank-you, then its help page: yields each URL."""
    page.goto(f"{server.url}/s/{code}")
    yield page.url
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    yield page.url  # before you start
    with page.expect_navigation():
        page.locator("main a.button").click()
    for _ in range(12):
        if page.url.endswith("/check"):
            break
        yield page.url
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
    yield page.url  # check your answers
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".panel-confirmation")).to_be_visible()
    yield page.url  # thank you
    page.goto(f"{server.url}/s/{code}/help")
    yield page.url


@pytest.mark.parametrize("audience", ["young_people", "parents"])
def test_every_page_of_a_survey_leads_to_the_full_notice_and_the_statement(
    council_server: LiveServer, page: Page, audience: str
) -> None:
    code = council_server.links[audience]
    notice = "young-people" if audience == "young_people" else "parents"
    seen = []
    for url in walk_survey(page, council_server, code):
        seen.append(url)
        assert footer_link(page, f"/s/{code}/accessibility")
        assert footer_link(page, f"/s/{code}/privacy/{notice}")
    assert len(seen) >= 8
    # From the last page walked, follow the footer: short notice -> full notice -> statement.
    page.locator("footer a", has_text="Privacy").click()
    expect(page.locator("main")).to_contain_text("Anytown Council")
    page.get_by_role("link", name="Read the full privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Full privacy notice")
    expect(page.locator("main")).to_contain_text("365 days after they are sent")
    assert_accessible(page)
    page.locator("footer a", has_text="Accessibility").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.get_by_role("link", name="Back to the survey")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "cy", "ar"])
@pytest.mark.parametrize(
    "path",
    [
        "/privacy/young-people/full",
        "/privacy/parents/full",
        "/accessibility",
        "/s/{young_people}/privacy/young-people/full",
        "/s/{parents}/privacy/parents/full",
        "/s/{young_people}/accessibility",
    ],
)
def test_the_full_notices_and_the_statement_are_accessible(
    council_server: LiveServer, page: Page, path: str, language: str
) -> None:
    page.goto(f"{council_server.url}{path.format(**council_server.links)}?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main")).to_contain_text("Anytown" if language != "cy" else "Cyngor")
    assert_accessible(page)
    if path.startswith("/privacy/") or path == "/accessibility":
        screenshot(page, f"{path.strip('/').replace('/', '-')}-{language}")


def test_the_pages_without_a_survey_lead_there_too(council_server: LiveServer, page: Page) -> None:
    for path in ["/", "/help", "/privacy", "/privacy/parents", "/nowhere"]:
        page.goto(f"{council_server.url}{path}")
        assert footer_link(page, "/accessibility")
        assert footer_link(page, "/privacy")  # the young people's short notice
