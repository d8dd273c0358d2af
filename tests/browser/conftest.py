"""Browser fixtures: the real app over real HTTP, driven in Debian's Chromium by Playwright.

The neutral site that "Exit this page" opens is outside this machine, so the
tests point EXIT_URL at a second local server on another origin, standing in
for it; nothing leaves the machine.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import axe_playwright_python
import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from feedback.storage.db import db
from feedback.storage.migrate import upgrade
from feedback.storage.models import SurveyRecord
from surveys import bank_files
from tests.conftest import add_link, load_definition, make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
EVERY_QUESTION = Path(__file__).resolve().parents[1] / "every_question.yaml"
NEUTRAL_PAGE = b"<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1></html>"


@dataclass
class LiveServer:
    app: Flask
    url: str
    links: dict[str, str]  # survey id -> link code


class _NeutralSite(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(NEUTRAL_PAGE)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="session")
def neutral_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NeutralSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_port}/weather"
    server.shutdown()
    server.server_close()


def made_from_the_bank(app: Flask, survey_id: int, bank_name: str) -> None:
    """Mark a survey as the team's copy of a bank survey, as publishing it in the UI does."""
    with app.app_context():
        db.session.get(SurveyRecord, survey_id).made_from = bank_name
        db.session.commit()


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, neutral_site: str
) -> Iterator[LiveServer]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'live.sqlite'}"
    upgrade(database_url)
    app = make_app(
        database_url,
        SERVER_NAME=None,
        EXIT_URL=neutral_site,
        KIOSK_IDLE_SECONDS=2,
        KIOSK_WARNING_SECONDS=3,
    )
    links = {}
    for path in bank_files():
        record = load_definition(app, path)
        made_from_the_bank(app, record.id, path.stem)
        links[record.slug] = add_link(app, record, channel="Browser test")
        if record.slug == "sample-young-people":
            links["kiosk"] = add_link(app, record, channel="Tablet", kiosk=True)
    # Every kind of question, with the longest matrix a phone is likely to meet.
    links["every-question"] = add_link(
        app, load_definition(app, EVERY_QUESTION), channel="Browser test"
    )
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", links)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(**PHONE)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def axe_violations(page: Page) -> list[dict]:
    """WCAG 2.2 A/AA violations axe-core finds on the page as it is now."""
    page.evaluate(AXE_SOURCE)
    options = json.dumps(
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    results = page.evaluate(f"axe.run(document, {options})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
    ]


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot for a person to look at (test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
