"""Dashboard render time and memory at 10k, 100k and 1M responses, on SQLite and PostgreSQL.

Seeds real responses and answers for the sample survey (spread over 12 closed weeks and
two links), builds the tallies, then renders the dashboard page through the Flask test
client a few times, signed in. Reports the median render time and the peak Python memory
allocated while rendering (tracemalloc): it should not grow with the number of responses.

    .venv/bin/python bench/dashboard.py                 # 10k and 100k, both databases
    .venv/bin/python bench/dashboard.py --sizes 1000000 --databases sqlite
    .venv/bin/python bench/dashboard.py --survey young-people-experience --sizes 100000 \
        --compare 98022c6^                             # before and after, in the same run

`--compare REV` first runs this same script against a git worktree of REV (its own code,
migrations and templates), then against the working tree, so both are measured on the
machine as it is during one run.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback import create_app  # noqa: E402
from feedback.storage import tallies
from feedback.storage.accounts import create_user  # noqa: E402
from feedback.storage.db import db  # noqa: E402
from feedback.storage.demo import synthetic_answers  # noqa: E402
from feedback.storage.migrate import upgrade  # noqa: E402
from feedback.storage.models import Answer, SurveyResponse  # noqa: E402
from feedback.storage.responses import answer_rows  # noqa: E402
from feedback.storage.survey_versions import create_link, store_survey, survey_of  # noqa: E402
from surveys import BANK_DIR, load_survey  # noqa: E402
from surveys.yaml_io import read_yaml  # noqa: E402

PASSWORD = "benchmark password 1"
HEADER = f"{'code':8} {'database':10} {'responses':>10} {'seed s':>8} {'render ms':>10} {'MB':>6}"
BATCH = 20_000


def database(kind: str, size: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/bench-{size}.sqlite"
    name = f"feedback_bench_{size}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def seed(app, size: int, survey_id: str) -> float:  # noqa: ANN001
    started = time.perf_counter()
    path = BANK_DIR / f"{survey_id}.yaml"
    rng = random.Random(size)
    last_sunday = tallies.week_start(date.today()) - timedelta(days=1)
    with app.app_context():
        stored = store_survey(
            db.session, load_survey(path), read_yaml(path.read_bytes()), date.today()
        )
        record = stored.version.survey
        links = [
            create_link(db.session, record, channel, "young_people")
            for channel in ("School", "Youth club")
        ]
        create_user(db.session, "bench@example.org", PASSWORD, "viewer", date.today())
        db.session.commit()
        survey = survey_of(stored.version)
        for start in range(0, size, BATCH):
            responses, answers = [], []
            for _ in range(min(BATCH, size - start)):
                response = SurveyResponse(
                    id=rng.getrandbits(62) + 1,
                    survey_id=record.id,
                    survey_version_id=stored.version.id,
                    link_id=rng.choice(links).id,
                    language="en",
                    record_key=rng.randrange(256),
                    submitted_on=last_sunday - timedelta(days=rng.randrange(84)),
                )
                responses.append(
                    {c.key: getattr(response, c.key) for c in SurveyResponse.__table__.columns}
                )
                answers.extend(
                    {c.key: getattr(a, c.key) for c in Answer.__table__.columns}
                    for a in answer_rows(response, synthetic_answers(survey, rng))
                )
            db.session.execute(SurveyResponse.__table__.insert(), responses)
            db.session.execute(Answer.__table__.insert(), answers)
            db.session.commit()
        tallies.rebuild(db.session, record.id)
        db.session.commit()
    return time.perf_counter() - started


def render(app, survey_id: str, repeats: int = 5) -> tuple[float, float]:  # noqa: ANN001
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/sign-in", data={"email": "bench@example.org", "password": PASSWORD, "csrf_token": token}
    )
    client.get(f"/dashboards/{survey_id}")  # warm caches (and cut the release)
    times, peaks = [], []
    for _ in range(repeats):
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(f"/dashboards/{survey_id}")
        times.append(time.perf_counter() - started)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert response.status_code == 200 and b"stat-value" in response.data
    return statistics.median(times), max(peaks) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--survey", default="sample-young-people", help="a bank survey's id")
    parser.add_argument("--compare", metavar="REV", help="also measure this commit, first")
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare:
        measure_commit(args.compare, sys.argv[1:])
        args.label = "now"
    print(HEADER, flush=True)
    for kind in args.databases:
        for size in args.sizes:
            measure(kind, size, args.survey, args.label)


def measure(kind: str, size: int, survey_id: str, label: str) -> None:
    url = database(kind, size)
    upgrade(url)
    app = create_app({"FEEDBACK_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url})
    seconds = seed(app, size, survey_id)
    median, peak = render(app, survey_id)
    print(
        f"{label:8} {kind:10} {size:>10,} {seconds:>8.0f} {median * 1000:>10.0f} {peak:>8.1f}",
        flush=True,
    )
    with app.app_context():
        db.engine.dispose()


def measure_commit(revision: str, arguments: list[str]) -> None:
    """Run this script, as it is now, against a worktree of `revision`'s code."""
    from bench.worktrees import add_worktree, remove_worktree

    worktree = add_worktree(revision, Path(__file__))
    try:
        rest = [
            a
            for i, a in enumerate(arguments)
            if a != "--compare" and (i == 0 or arguments[i - 1] != "--compare")
        ]
        subprocess.run(
            [sys.executable, "bench/dashboard.py", *rest, "--label", revision[:8]],
            cwd=worktree,
            check=True,
        )
    finally:
        remove_worktree(worktree)


if __name__ == "__main__":
    main()
