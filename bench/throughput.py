"""Survey page throughput under gunicorn, beside a bare Flask app and nginx, in one run.

wrk (Debian's package) drives each server on 127.0.0.1 for the same time with the same
connections. Absolute numbers vary by machine; the ratios are the point:
the survey's start page and a question page against a bare Flask "hello" app (goal:
at least 0.5 of it) and against nginx serving a static copy of the page (the ceiling).

    .venv/bin/python bench/throughput.py [--seconds 10] [--workers 2]

Both apps run under the same gunicorn settings, so the ratio is like for like: 2 sync
workers by default, one per core of the development machine. The pages are CPU-bound
(the database is SQLite in the same process, or PostgreSQL on loopback, so a worker
rarely waits), and there 3 or 4 workers served fewer survey pages a second than 2 (more
switching between processes, with wrk on the same cores); threads (gthread) would mainly
add keep-alive, which helps the bare app more than pages that spend their time in Python.
wrk sends no Accept-Encoding, so no page is compressed here (brotli at quality 4, about
0.1 ms a page, is not in these figures).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.storage.migrate import upgrade  # noqa: E402
from tests.conftest import add_link, load_definition, make_app  # noqa: E402
from tests.http_respondent import HttpRespondent  # noqa: E402
from tests.servers import Gunicorn, free_port, wait_for_port  # noqa: E402

NGINX_CONF = """
daemon off; worker_processes 1; pid {dir}/nginx.pid; error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; gzip on; gzip_types text/css application/javascript;
  types {{ text/html html; text/css css; application/javascript js; }}
  server {{ listen 127.0.0.1:{port}; root {dir}/www; location / {{ try_files $uri /index.html; }} }}
}}
"""


def wrk(url: str, seconds: int, cookie: str = "") -> dict[str, float]:
    command = ["wrk", "-t2", "-c50", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)

    def latency(percent: str) -> float:
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rate": rate,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def static_copy(port: int, code: str, folder: Path) -> None:
    """Save the start page and its CSS/JS as files, links rewritten, for nginx."""
    client = HttpRespondent("127.0.0.1", port, code, timeout=60)
    _status, _headers, body = client.request("GET", f"/s/{code}")
    www = folder / "www"
    www.mkdir(parents=True)
    www.chmod(0o755)
    html = body.decode()
    for name in ("feedback.css", "respondent.js"):
        _s, _h, asset = client.request("GET", f"/static/{name}")
        (www / name).write_bytes(asset)
        html = re.sub(rf"/static/{re.escape(name)}\?v=\w+", f"/{name}", html)
    (www / "index.html").write_text(html)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="feedback-bench-"))
    folder.chmod(0o755)  # nginx workers run as an unprivileged user
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    upgrade(url)
    code = add_link(make_app(url), load_definition(make_app(url)))
    app_server = Gunicorn(url, workers=args.workers).start()
    hello = Gunicorn(url, workers=args.workers, app="bench.hello_app:app").start()
    # A generous timeout: a busy machine can take seconds to boot a worker for the first page.
    person = HttpRespondent("127.0.0.1", app_server.port, code, timeout=60)
    person.get(f"/s/{code}")
    person.post(f"/s/{code}/start", {})
    static_copy(app_server.port, code, folder)
    nginx_port = free_port()
    (folder / "nginx.conf").write_text(NGINX_CONF.format(dir=folder, port=nginx_port))
    nginx = subprocess.Popen(["nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)])
    wait_for_port(nginx_port)
    try:
        rows = [
            ("bare Flask hello", wrk(f"http://127.0.0.1:{hello.port}/", args.seconds)),
            (
                "nginx, static copy of start page",
                wrk(f"http://127.0.0.1:{nginx_port}/", args.seconds),
            ),
            (
                "survey start page",
                wrk(f"http://127.0.0.1:{app_server.port}/s/{code}", args.seconds),
            ),
            (
                "survey question page",
                wrk(
                    f"http://127.0.0.1:{app_server.port}/s/{code}/q/places",
                    args.seconds,
                    cookie=person.cookie,
                ),
            ),
        ]
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app_server.stop()
        hello.stop()
        time.sleep(0.2)
        shutil.rmtree(folder, ignore_errors=True)
    base = rows[0][1]["rate"]
    print(f"gunicorn --workers {args.workers} (sync); wrk -t2 -c50 -d{args.seconds}s\n")
    print(f"{'server':34} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'vs hello':>9} {'errors':>6}")
    for name, r in rows:
        print(
            f"{name:34} {r['rate']:>8.0f} {r['p50']:>7.1f} {r['p99']:>7.1f} "
            f"{r['rate'] / base:>9.2f} {r['errors']:>6}"
        )


if __name__ == "__main__":
    main()
