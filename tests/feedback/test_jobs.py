"""`feedback jobs`: the scheduled jobs, run by real processes as a timer runs them.

Every machine runs `feedback jobs` from its own timer, so several may run it at the same
moment: each job must still be done once. The processes log what they did as production
logs it (one JSON object a line), and the test counts from those lines and the database.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from feedback.cli import main
from feedback.storage.db import db
from feedback.storage.jobs import JOB_NAMES, advisory_key, sqlite_lock_path
from feedback.storage.models import (
    AuditEvent,
    Draft,
    JobRun,
    Link,
    Release,
    SurveyResponse,
    SurveyVersion,
)
from feedback.storage.responses import utcnow
from surveys import BANK_DIR
from tests.servers import SECRET_KEY

FEEDBACK = Path(sys.executable).parent / "feedback"
SAMPLE = BANK_DIR / "sample-young-people.yaml"
EXPIRED_DRAFTS = 3


def production_env(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "FEEDBACK_ENV": "production",
        "PUBLIC_URL": "https://feedback.example.gov.uk",
        "ORGANISATION_NAME": "Example Council",
    }
    env.pop("LOG_FORMAT", None)  # production's default: JSON
    return env


# Every process a test starts, so that it is stopped and its pipes closed even when the
# test fails before reading them (a process left running fails the next test's setup).
_started: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def _no_process_left_behind() -> Iterator[None]:
    yield
    while _started:
        process = _started.pop()
        if process.poll() is None:
            process.kill()
        process.communicate()


def start_jobs(database_url: str, *args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(  # noqa: S603 - fixed command line
        [str(FEEDBACK), "jobs", *args],
        env=production_env(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _started.append(process)
    return process


def job_lines(process: subprocess.Popen[str]) -> list[dict]:
    """The JSON log lines a `feedback jobs` process wrote, once it has finished."""
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert out == ""
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    return [line for line in lines if line["logger"] == "feedback.jobs"]


def states(lines: list[dict]) -> dict[str, str]:
    return {line["job"]: line["state"] for line in lines}


def work_for_every_job(app: Flask, tmp_path: Path) -> int:
    """Responses to release and some past retention, and expired drafts; returns how many
    responses retention should delete."""
    short = tmp_path / "short.yaml"
    short.write_text(SAMPLE.read_text().replace("retention_days: 365", "retention_days: 30"))
    runner = CliRunner()
    assert runner.invoke(main, ["demo", "--responses", "40"], obj=app).exit_code == 0
    assert runner.invoke(main, ["survey", "load", str(short)], obj=app).exit_code == 0
    with app.app_context():
        survey_id = db.session.scalar(
            select(SurveyVersion.survey_id).where(SurveyVersion.number == 2)
        )
        link = db.session.scalar(select(Link).where(Link.survey_id == survey_id))
        version = db.session.scalar(
            select(SurveyVersion.id).where(SurveyVersion.survey_id == survey_id)
        )
        for number in range(EXPIRED_DRAFTS):
            db.session.add(
                Draft(
                    token_hash=f"{number:064x}",
                    link_id=link.id,
                    survey_version_id=version,
                    answers={},
                    expires_at=utcnow() - timedelta(hours=1),
                )
            )
        past_retention = db.session.scalar(
            select(func.count())
            .select_from(SurveyResponse)
            .where(
                SurveyResponse.survey_id == survey_id,
                SurveyResponse.submitted_on < utcnow().date() - timedelta(days=30),
            )
        )
        db.session.commit()
    assert past_retention > 0
    return past_retention


def test_two_processes_at_once_do_each_job_once(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    past_retention = work_for_every_job(app, tmp_path)
    first, second = start_jobs(database_url), start_jobs(database_url)
    logged = job_lines(first) + job_lines(second)

    ran = Counter(line["job"] for line in logged if line["state"] == "ran")
    assert ran == Counter(JOB_NAMES), logged  # each job once, by one process or the other
    others = [line["state"] for line in logged if line["state"] != "ran"]
    assert len(others) == len(JOB_NAMES) and set(others) <= {"skipped", "not due"}
    by_job = {line["job"]: line["message"] for line in logged if line["state"] == "ran"}
    assert by_job["purge-drafts"] == f"purge-drafts: removed {EXPIRED_DRAFTS} expired drafts"
    assert f"deleted {past_retention} responses in all" in by_job["retention"]
    assert "sample-young-people: release 1" in by_job["cut-releases"]
    with app.app_context():
        runs = Counter(db.session.scalars(select(JobRun.name)))
        retention_audits = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "retention run")
        )
        highest_release = db.session.scalar(select(func.max(Release.number)))
        drafts = db.session.scalar(select(func.count()).select_from(Draft))
    assert runs == Counter(JOB_NAMES)
    assert retention_audits == 1 and highest_release == 1 and drafts == 0


def test_a_job_that_just_ran_is_not_due_and_force_runs_it(app: Flask, database_url: str) -> None:
    assert states(job_lines(start_jobs(database_url))) == dict.fromkeys(JOB_NAMES, "ran")
    again = job_lines(start_jobs(database_url))
    assert states(again) == dict.fromkeys(JOB_NAMES, "not due")
    assert all("last run" in line["message"] for line in again)
    forced = job_lines(start_jobs(database_url, "--only", "retention", "--force"))
    assert states(forced) == {"retention": "ran"}


@contextmanager
def held_elsewhere(database_url: str, job: str) -> Iterator[None]:
    """Another machine in the middle of `job`: its lock, held by another connection."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (advisory_key(job),))
            yield
        return
    with open(sqlite_lock_path(url.database, job), "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        yield


def test_a_job_running_elsewhere_is_skipped_with_a_log_line(app: Flask, database_url: str) -> None:
    with held_elsewhere(database_url, "retention"):
        logged = job_lines(start_jobs(database_url))
    assert states(logged) == {"purge-drafts": "ran", "retention": "skipped", "cut-releases": "ran"}
    skipped = next(line for line in logged if line["job"] == "retention")
    assert skipped["message"] == "retention: skipped (running elsewhere)"
    assert skipped["level"] == "info" and skipped["time"].endswith("Z")
    # Once the other run has finished, retention is due here (it never ran).
    assert states(job_lines(start_jobs(database_url, "--only", "retention"))) == {
        "retention": "ran"
    }


def test_an_unreachable_database_is_one_error_line_not_a_traceback() -> None:
    unreachable = "postgresql+psycopg://postgres@127.0.0.1:9/feedback"  # discard port
    process = start_jobs(unreachable)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 1
    (line,) = [json.loads(text) for text in err.splitlines()]
    assert line["level"] == "error" and line["state"] == "failed"
    assert line["message"] == "purge-drafts: database unavailable (OperationalError)"
