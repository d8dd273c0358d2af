"""Page weight of the first survey pages, measured in Debian's Chromium at phone size.

Counts every request the page makes and the bytes transferred (compressed
bodies as sent by the app, plus headers). Budget: the first survey page at
most 14 KB compressed in total and at most 3 requests.

    .venv/bin/python bench/page_weight.py
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback import create_app  # noqa: E402
from feedback.storage.db import db  # noqa: E402
from feedback.storage.migrate import upgrade  # noqa: E402
from feedback.storage.survey_versions import create_link, store_survey  # noqa: E402
from surveys import BANK_DIR, load_survey  # noqa: E402
from surveys.yaml_io import read_yaml  # noqa: E402

BUDGET_BYTES = 14 * 1024
BUDGET_REQUESTS = 3
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def serve_sample() -> tuple[str, str]:
    """Start the app on a fresh SQLite database with the sample survey; return (url, code)."""
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    upgrade(url)
    app = create_app({"FEEDBACK_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url})
    path = BANK_DIR / "sample-young-people.yaml"
    with app.app_context():
        stored = store_survey(
            db.session, load_survey(path), read_yaml(path.read_bytes()), date.today()
        )
        link = create_link(
            db.session, stored.version.survey, channel="bench", audience="young_people"
        )
        code = link.code
        db.session.commit()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", code


def measure(page: Page, url: str) -> tuple[int, int, list[str]]:
    """Load `url` in a fresh cache; return (requests, bytes transferred, request list)."""
    seen: list = []

    def record(request: object) -> None:
        seen.append(request)

    page.on("requestfinished", record)
    page.goto(url, wait_until="load")
    page.remove_listener("requestfinished", record)
    total = 0
    names = []
    fetched = 0
    for request in seen:
        response = request.response()
        if response is None or response.from_service_worker:
            continue
        sizes = request.sizes()
        transferred = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        if transferred <= 0:
            continue  # served from the browser's cache: nothing crossed the network
        fetched += 1
        total += transferred
        encoding = response.headers.get("content-encoding", "none")
        name = request.url.split("?")[0].rsplit("/", 1)[-1]
        names.append(f"{request.resource_type} {name} {transferred} B ({encoding})")
    return fetched, total, names


def main() -> int:
    base, code = serve_sample()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        rows = []
        for label, path in [("start page", f"/s/{code}")]:
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
            )
            page = context.new_page()
            count, size, names = measure(page, base + path)
            rows.append((label, count, size, names))
            if label == "start page":
                page.get_by_role("button", name="Start now").click()
                page.wait_for_load_state()
                page.get_by_role("link", name="Continue").click()
                page.wait_for_load_state()
                count2, size2, names2 = measure(page, page.url)
                rows.append(("question page (cached CSS/JS)", count2, size2, names2))
            context.close()
        browser.close()
    print(f"{'page':34} {'requests':>8} {'bytes':>8}")
    for label, count, size, names in rows:
        print(f"{label:34} {count:>8} {size:>8}")
        for name in names:
            print(f"    {name}")
    first = rows[0]
    ok = first[1] <= BUDGET_REQUESTS and first[2] <= BUDGET_BYTES
    print(
        f"\nFirst page: {first[2] / 1024:.1f} KB in {first[1]} requests "
        f"(budget {BUDGET_BYTES // 1024} KB, {BUDGET_REQUESTS} requests): "
        f"{'within budget' if ok else 'OVER BUDGET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
