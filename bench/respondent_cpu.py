"""What the server spends on respondents: CPU per page, CPU per complete response, start-up.

Throughput in requests a second mostly measures the machine and whatever shares it (the
load generator, gunicorn's own work). These measures count the CPU the service itself
spends, so a change can be judged on its own:

- **in-process CPU per request**: the Flask test client drives the app in this process
  (production settings, CSRF on, a real SQLite database), and `time.process_time()` is
  read around each request: the start page, a question page, an answer POST, check
  answers and submit. A bare Flask "hello" app is measured the same way, so each page's
  cost can be stated as a multiple of it.
- **server CPU per complete response**: gunicorn (the repository's settings, 2 workers)
  on SQLite and on PostgreSQL, pinned to one core with the clients pinned to the other;
  utime+stime of the server's processes from /proc before and after, divided by the
  responses stored; and the hello app under the same gunicorn, per sixteen requests (a
  response's worth). The responses a second of that run are reported too.
- **start-up**: CPU to import the app (`import feedback.wsgi`, the figure every worker,
  command and test server pays: the whole process's CPU, and `-X importtime`'s figure),
  the time until a new gunicorn serves its first page, and a worker's resident memory
  after 1,000 respondent requests.

`--compare REV...` measures git worktrees of each REV and the code as it is now in the same
run, taking turns round by round, so the machine's noise falls on all alike. `--without`
adds the code as it is now with one of its caches switched off (`frame`: the respondent
frame; `cache`: the per-process respondent cache), to show what each is worth on its own.

    .venv/bin/python bench/respondent_cpu.py [--rounds 5] [--compare REV...]
        [--without frame cache] [--measures pages server startup]
        [--databases sqlite postgresql]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("start page", "question page", "answer POST", "check answers", "submit")
PRODUCTION = {
    "FEEDBACK_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "PUBLIC_URL": "https://feedback.example.gov.uk",
    "ORGANISATION_NAME": "Anytown Council",
    "TRUSTED_HOSTS": "127.0.0.1,localhost,feedback.example.gov.uk",
    "RATELIMIT_ENABLED": "false",
}


def _upgrade(url: str) -> None:
    """Migrate with the tree's own code. An earlier revision may keep its migrations at
    feedback/migrate.py; the installed package's import finder would otherwise reach past
    the tree for a module it lacks and migrate with today's code."""
    import feedback

    assert Path(feedback.__file__).is_relative_to(ROOT), (feedback.__file__, ROOT)
    name = "feedback.storage.migrate"
    if not (ROOT / "feedback" / "storage" / "migrate.py").exists():
        name = "feedback.migrate"
    importlib.import_module(name).upgrade(url)


# --- one measurement, run in a child process with one tree's code -----------------------


def measure_pages(respondents: int) -> dict[str, float]:
    """Milliseconds of CPU per request of each kind, and for the hello app."""
    from bench.hello_app import app as hello
    from tests.conftest import add_link, load_definition, make_app
    from tests.http_respondent import SAMPLE_PAGES

    url = f"sqlite:///{tempfile.mkdtemp()}/pages.sqlite"
    _upgrade(url)
    code = add_link(make_app(url), load_definition(make_app(url)))
    os.environ.update({**PRODUCTION, "DATABASE_URL": url})
    from feedback.wsgi import app  # the app gunicorn serves, built as it builds it

    base = f"/s/{code}"
    timer = _Timer()
    for respondent in range(respondents + 3):  # the first three warm the process up
        if respondent == 3:
            timer = _Timer()
        client = app.test_client()
        token = _csrf(timer.request(client, "start page", "GET", base).data)
        start = client.post(
            f"{base}/start", data={"csrf_token": token}, base_url=HTTPS, headers=SAME_ORIGIN
        )
        assert start.status_code == 303, start.status_code
        for page_id, fields in SAMPLE_PAGES:
            path = f"{base}/q/{page_id}"
            assert timer.request(client, "question page", "GET", path).status_code == 200
            answers = {**fields, "csrf_token": token}
            assert timer.request(client, "answer POST", "POST", path, answers).status_code == 303
        assert timer.request(client, "check answers", "GET", f"{base}/check").status_code == 200
        done = timer.request(client, "submit", "POST", f"{base}/submit", {"csrf_token": token})
        assert done.status_code == 303, done.status_code
    hello_client = hello.test_client()
    for _ in range(50):
        hello_client.get("/")
    before = time.process_time()
    for _ in range(respondents * 6):
        hello_client.get("/")
    hello_ms = (time.process_time() - before) * 1000 / (respondents * 6)
    result = {name: timer.spent[name] * 1000 / timer.counts[name] for name in PAGES}
    result["hello"] = hello_ms
    return result


# Older code refused an HTTPS form without a same-origin Referer (Flask-WTF's
# strict check), so the requests carry one; today's code ignores it.
SAME_ORIGIN = {"Referer": PRODUCTION["PUBLIC_URL"] + "/"}
HTTPS = PRODUCTION["PUBLIC_URL"]  # the session cookie is for HTTPS (and, in older code, this host)


class _Timer:
    """CPU spent in this process per kind of request."""

    def __init__(self) -> None:
        self.spent = dict.fromkeys(PAGES, 0.0)
        self.counts = dict.fromkeys(PAGES, 0)

    def request(
        self, client: Any, name: str, method: str, path: str, fields: dict[str, Any] | None = None
    ) -> Any:
        before = time.process_time()
        response = client.open(
            path, method=method, data=fields, base_url=HTTPS, headers=SAME_ORIGIN
        )
        self.spent[name] += time.process_time() - before
        self.counts[name] += 1
        return response


def _csrf(html: bytes) -> str:
    from tests.http_respondent import CSRF

    found = CSRF.search(html)
    assert found, "no CSRF token on the start page"
    return found.group(1).decode()


def measure_server(kind: str, responses: int) -> dict[str, float]:
    """Server CPU (ms) per stored response, and responses a second, over real HTTP."""
    from tests.conftest import add_link, load_definition, make_app
    from tests.http_respondent import HttpRespondent
    from tests.servers import Gunicorn

    url = _database(kind)
    _upgrade(url)
    code = add_link(make_app(url), load_definition(make_app(url)))
    server = Gunicorn(url, workers=2).start()
    pinned = _pin(server)
    try:
        warm = HttpRespondent("127.0.0.1", server.port, code, timeout=60)
        for _ in range(4):  # both workers past their first pages
            warm.cookie = ""
            warm.answer_all()
            assert warm.submit() == 303
        stored_before = _stored(url)
        cpu_before = _process_tree_cpu(server.process.pid)
        started = time.perf_counter()
        _respond(server.port, code, responses, clients=2)
        elapsed = time.perf_counter() - started
        cpu = _process_tree_cpu(server.process.pid) - cpu_before
        stored = _stored(url) - stored_before
    finally:
        server.stop()
        if kind == "postgresql":
            _drop_database()
    return {
        "cpu ms per response": cpu * 1000 / stored,
        "hello cpu ms per 16": _hello_server_cpu(url, requests=16 * responses) * 16,
        "responses/s": stored / elapsed,
        "pinned": pinned,
    }


def _hello_server_cpu(url: str, requests: int) -> float:
    """Milliseconds of server CPU per request for the hello app under the same gunicorn,
    measured the same way: what serving a request costs before any of the app's work."""
    from tests.http_respondent import HttpRespondent
    from tests.servers import Gunicorn

    server = Gunicorn(url, workers=2, app="bench.hello_app:app").start()
    _pin(server)
    try:
        clients = [HttpRespondent("127.0.0.1", server.port, "", timeout=60) for _ in range(2)]
        for client in clients:
            assert client.get("/") == 200
        cpu_before = _process_tree_cpu(server.process.pid)
        threads = [
            threading.Thread(target=lambda c=c: [c.get("/") for _ in range(requests // 2)])
            for c in clients
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        cpu = _process_tree_cpu(server.process.pid) - cpu_before
    finally:
        server.stop()
    return cpu * 1000 / requests


def _database(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/server.sqlite"
    import psycopg

    _drop_database()
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute('CREATE DATABASE "feedback_bench_cpu"')
    return "postgresql+psycopg://postgres@127.0.0.1:5432/feedback_bench_cpu"


def _drop_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute('DROP DATABASE IF EXISTS "feedback_bench_cpu" WITH (FORCE)')


def _stored(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM responses")).scalar_one()
    engine.dispose()
    return int(count)


def _pin(server: Any) -> float:
    """Server on the first core, this process (the clients) on the others, when there are
    at least two; 1.0 when pinned, 0.0 when the machine has one core."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return 0.0
    for pid in _process_tree(server.process.pid):
        os.sched_setaffinity(pid, {cores[0]})
    os.sched_setaffinity(0, set(cores[1:]))
    return 1.0


def _process_tree(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in children:
            found.extend(_process_tree(int(child)))
    return found


def _process_tree_cpu(pid: int) -> float:
    """Seconds of user and system CPU spent by a process and its live children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for each in _process_tree(pid):
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def _respond(port: int, code: str, responses: int, clients: int) -> None:
    from tests.http_respondent import HttpRespondent

    remaining = [responses]
    lock = threading.Lock()

    def loop() -> None:
        person = HttpRespondent("127.0.0.1", port, code, timeout=60)
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            person.cookie = ""
            person.answer_all()
            assert person.submit() == 303

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure_startup() -> dict[str, float]:
    """CPU to import the app, seconds to a first page, and a worker's memory."""
    import resource

    from tests.conftest import add_link, load_definition, make_app
    from tests.http_respondent import HttpRespondent
    from tests.servers import Gunicorn

    env = {**os.environ, **PRODUCTION, "DATABASE_URL": "sqlite://"}
    importing = [sys.executable, "-X", "importtime", "-c", "import feedback.wsgi"]
    subprocess.run(importing, env=env, check=True, capture_output=True)  # bytecode written
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = subprocess.run(importing, env=env, check=True, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    import_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # -X importtime's own figure for the app: the cumulative microseconds of its line.
    line = next(x for x in report.stderr.splitlines() if x.endswith("| feedback.wsgi"))
    importtime = int(line.split("|")[1]) / 1e6

    url = f"sqlite:///{tempfile.mkdtemp()}/startup.sqlite"
    _upgrade(url)
    code = add_link(make_app(url), load_definition(make_app(url)))
    started = time.perf_counter()
    server = Gunicorn(url, workers=1).start()
    try:
        person = HttpRespondent("127.0.0.1", server.port, code, timeout=60)
        assert person.get(f"/s/{code}") == 200
        first_page = time.perf_counter() - started
        requests = 1
        while requests < 1000:  # whole responses: 16 requests each
            person.cookie = ""
            person.answer_all()
            assert person.submit() == 303
            requests += 16
        workers = _process_tree(server.process.pid)[1:]
        rss_kb = max(_rss_kb(pid) for pid in workers)
    finally:
        server.stop()
    return {
        "import cpu s": import_cpu,
        "importtime s": importtime,
        "first page s": first_page,
        "worker rss MB": rss_kb / 1024,
    }


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise LookupError(pid)


MEASURES: dict[str, Callable[[argparse.Namespace], dict[str, float]]] = {
    "pages": lambda a: measure_pages(a.respondents),
    "server-sqlite": lambda a: measure_server("sqlite", a.responses),
    "server-postgresql": lambda a: measure_server("postgresql", a.responses),
    "startup": lambda a: measure_startup(),
}


# --- the run: each measure, round by round, in each tree ---------------------------------


WITHOUT = {
    "frame": {"RESPONDENT_FRAME_CACHE": "false"},
    "cache": {"RESPONDENT_CACHE_SECONDS": "0"},
}


def run_child(
    tree: Path, measure: str, args: argparse.Namespace, env: dict[str, str]
) -> dict[str, float]:
    command = [
        sys.executable,
        "bench/respondent_cpu.py",
        "--child",
        measure,
        "--respondents",
        str(args.respondents),
        "--responses",
        str(args.responses),
    ]
    output = subprocess.run(
        command, cwd=tree, check=True, capture_output=True, text=True, env={**os.environ, **env}
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def selected_measures(args: argparse.Namespace) -> list[str]:
    chosen = []
    for measure in args.measures:
        if measure == "server":
            chosen.extend(f"server-{kind}" for kind in args.databases)
        else:
            chosen.append(measure)
    return chosen


def best(key: str, runs: list[dict[str, float]]) -> float:
    """The best of the rounds: noise on a shared machine only ever adds CPU time and takes
    responses a second away, so the best round is the one nearest the code's own cost."""
    values = [run[key] for run in runs]
    return max(values) if key == "responses/s" else min(values)


def report(results: dict[str, dict[str, list[dict[str, float]]]], labels: list[str]) -> None:
    load = os.getloadavg()[0]
    print(f"\nload average at the end: {load:.1f}; the best of each measure's rounds\n")
    for measure, by_label in results.items():
        keys = [key for key in by_label[labels[0]][0] if key != "pinned"]
        ratio = f"  {'now/' + labels[0]:>12}" if len(labels) > 1 else ""
        print(f"{measure}:")
        print(f"  {'':22}" + "".join(f"{label:>14}" for label in labels) + ratio)
        for key in keys:
            values = [best(key, by_label[label]) for label in labels]
            line = f"  {key:22}" + "".join(f"{v:>14.3f}" for v in values)
            if len(labels) > 1 and values[0]:
                line += f"  {values[-1] / values[0]:>12.2f}"
            print(line)
        if measure == "pages":
            for page in PAGES:
                multiples = "".join(
                    f"{best(page, by_label[label]) / best('hello', by_label[label]):>14.1f}"
                    for label in labels
                )
                print(f"  {page + ' / hello':22}{multiples}")
        if measure.startswith("server") and not all(
            run["pinned"] for runs in by_label.values() for run in runs
        ):
            print("  (one core: server and clients were not pinned apart)")
        print()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=sorted(MEASURES))
    parser.add_argument("--measures", nargs="+", default=["pages", "server", "startup"])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--respondents", type=int, default=40)
    parser.add_argument("--responses", type=int, default=150)
    parser.add_argument("--compare", metavar="REV", nargs="+", default=[])
    parser.add_argument("--without", choices=sorted(WITHOUT), nargs="+", default=[])
    args = parser.parse_args()
    # Installed servers keep compiled bytecode; a shell that forbids writing it would
    # make every process compile the app's sources again, before and after alike.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.child:
        print(json.dumps(MEASURES[args.child](args)))
        return
    # What is measured: (label, code, environment), the code as it is now last.
    from bench.worktrees import add_worktree, remove_worktree

    hello = ROOT / "bench" / "hello_app.py"
    runs = [(rev[:8], add_worktree(rev, Path(__file__), hello), {}) for rev in args.compare]
    runs += [(f"no {name}", ROOT, WITHOUT[name]) for name in args.without]
    runs.append(("now", ROOT, {}))
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    try:
        for measure in selected_measures(args):
            results[measure] = {label: [] for label, _tree, _env in runs}
            for round_number in range(args.rounds):
                for label, tree, env in runs:
                    results[measure][label].append(run_child(tree, measure, args, env))
                print(f"{measure}: round {round_number + 1} of {args.rounds}", flush=True)
    finally:
        for _label, tree, _env in runs:
            if tree != ROOT:
                remove_worktree(tree)
    report(results, [label for label, _tree, _env in runs])


if __name__ == "__main__":
    main()
