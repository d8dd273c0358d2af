"""Complete responses per second (every page, check answers, submit) over real HTTP.

Clients on 127.0.0.1 each run the whole sample survey in a loop (16 requests a
response) against gunicorn with several workers, on SQLite and on PostgreSQL.
For scale: LimeSurvey 6.14 takes about 10 complete responses a second on this kind
of machine; the goal is at least 50 times that.

The clients are threads in this process, on the same two cores as the server, so more
of them is not more load: past a few, they and the server's workers compete for the CPU
(and SQLite's single writer). The run therefore sweeps the number of clients and reports
each, so the peak and where it falls off are both visible.

    .venv/bin/python bench/submissions.py [--seconds 15] [--clients 2 4 8 16] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.storage.migrate import upgrade  # noqa: E402
from tests.conftest import add_link, load_definition, make_app  # noqa: E402
from tests.http_respondent import HttpRespondent  # noqa: E402
from tests.servers import Gunicorn  # noqa: E402


def database(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/submissions.sqlite"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute('DROP DATABASE IF EXISTS "feedback_bench_submit" WITH (FORCE)')
        c.execute('CREATE DATABASE "feedback_bench_submit"')
    return "postgresql+psycopg://postgres@127.0.0.1:5432/feedback_bench_submit"


def run(kind: str, seconds: int, clients: int, workers: int) -> tuple[float, int]:
    url = database(kind)
    upgrade(url)
    code = add_link(make_app(url), load_definition(make_app(url)))
    server = Gunicorn(url, workers=workers).start()
    done, failed = [0], [0]
    stop = threading.Event()
    lock = threading.Lock()

    def loop() -> None:
        person = HttpRespondent("127.0.0.1", server.port, code, timeout=30)
        while not stop.is_set():
            try:
                person.cookie = ""
                person.answer_all()
                ok = person.submit() == 303
            except (OSError, http.client.HTTPException, AssertionError):
                ok = False
                person.close()
                person = HttpRespondent("127.0.0.1", server.port, code, timeout=30)
            with lock:
                (done if ok else failed)[0] += 1

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.perf_counter() - started
    server.stop()
    return done[0] / elapsed, failed[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--clients", type=int, nargs="+", default=[2, 4, 8, 16])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"gunicorn --workers {args.workers}; {args.seconds} s per run\n")
    print(
        f"{'database':12} {'clients':>7} {'responses/s':>12} {'failed':>7} "
        f"{'vs LimeSurvey (10/s)':>21}"
    )
    for kind in args.databases:
        for clients in args.clients:
            rate, failed = run(kind, args.seconds, clients, args.workers)
            print(
                f"{kind:12} {clients:>7} {rate:>12.1f} {failed:>7} {rate / 10:>20.1f}x", flush=True
            )


if __name__ == "__main__":
    main()
