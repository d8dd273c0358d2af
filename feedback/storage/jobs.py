"""Scheduled jobs: draft purge, retention and release cutting, run by `feedback jobs`.

Every app machine may run `feedback jobs` from its own timer, at the same moment as the
others. Each job therefore runs under a lock (a PostgreSQL session-level advisory lock,
or a file lock beside a SQLite database): a job another process is running is skipped.
Under the lock, the job's last recorded run says whether it is due, so a job that has
just finished elsewhere is not done again either. Each job that did its work leaves a
`JobRun` row saying what it did.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from feedback.storage import audit, releases
from feedback.storage.db import forget_deleted_rows
from feedback.storage.models import JobRun, SurveyRecord
from feedback.storage.responses import purge_expired_drafts, utcnow
from feedback.storage.retention import delete_expired

# How long a job's record of its runs is kept: long enough to see that it has been running.
KEEP_RUNS_FOR = timedelta(days=30)


@dataclass(frozen=True)
class JobSettings:
    """What the jobs need from the app's configuration."""

    today: date
    disclosure_threshold: int


@dataclass(frozen=True)
class Job:
    name: str
    # Whether a job last finished at `last` (None: never) is due again at `now`.
    due: Callable[[datetime | None, datetime], bool]
    # Does the work in the session's transaction; returns lines saying what it did.
    work: Callable[[Session, JobSettings], list[str]]
    # Run after the work is committed, outside any transaction.
    after_commit: Callable[[Engine], None] | None = None


@dataclass
class JobOutcome:
    name: str
    # "ran", "not due" or "skipped" (running elsewhere)
    state: str
    lines: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if self.state == "ran":
            return f"{self.name}: " + "; ".join(self.lines or ["nothing to do"])
        return f"{self.name}: {self.state}" + (f" ({'; '.join(self.lines)})" if self.lines else "")


def every(gap: timedelta) -> Callable[[datetime | None, datetime], bool]:
    """Due when the last run finished at least `gap` ago."""
    return lambda last, now: last is None or now - last >= gap


def once_a_day(last: datetime | None, now: datetime) -> bool:
    """Due on the first run of each day (UTC)."""
    return last is None or last.date() < now.date()


# -- the jobs --------------------------------------------------------------------------------
def _purge_drafts(session: Session, _settings: JobSettings) -> list[str]:
    removed = purge_expired_drafts(session)
    session.execute(delete(JobRun).where(JobRun.finished_at < utcnow() - KEEP_RUNS_FOR))
    return [f"removed {removed} expired drafts"]


def _retention(session: Session, settings: JobSettings) -> list[str]:
    deleted = delete_expired(session, settings.today)
    total = sum(deleted.values())
    audit.record(session, "retention run", f"{total} responses deleted")
    lines = [
        f"{slug}: deleted {count} responses past the retention period"
        for slug, count in deleted.items()
    ]
    return [*lines, f"deleted {total} responses in all"]


def _cut_releases(session: Session, settings: JobSettings) -> list[str]:
    lines = []
    for record in session.scalars(select(SurveyRecord).order_by(SurveyRecord.slug)):
        release = releases.cut(session, record.id, settings.today, settings.disclosure_threshold)
        if release is not None:
            lines.append(
                f"{record.slug}: release {release.number}, responses before "
                f"{release.covers_before.isoformat()}"
            )
    return lines


# Drafts expire on the hour and the timer runs every 15 minutes; retention and releases
# work in whole days.
JOBS = (
    Job("purge-drafts", every(timedelta(minutes=10)), _purge_drafts, forget_deleted_rows),
    Job("retention", once_a_day, _retention),
    Job("cut-releases", once_a_day, _cut_releases),
)
JOB_NAMES = tuple(job.name for job in JOBS)


def job_named(name: str) -> Job:
    return next(job for job in JOBS if job.name == name)


# -- locks -----------------------------------------------------------------------------------
def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for a job's PostgreSQL advisory lock."""
    digest = hashlib.sha256(f"feedback job {name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def _postgres_lock(engine: Engine, name: str) -> Iterator[bool]:
    # A connection of its own, outside any transaction, holds the session-level lock
    # while the job works on the session's connection.
    connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        key = advisory_key(name)
        held = bool(
            connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
        )
        try:
            yield held
        finally:
            if held:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
    except BaseException:
        # Whatever state the lock is in, it must not go back to the pool with it.
        connection.invalidate()
        raise
    finally:
        connection.close()


def sqlite_lock_path(database: str, name: str) -> str:
    """The lock file of a job, beside the database (in the folder the service may write)."""
    return f"{database}.{name}.lock"


@contextmanager
def _file_lock(path: str) -> Iterator[bool]:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)  # closing releases the lock


@contextmanager
def job_lock(engine: Engine, name: str) -> Iterator[bool]:
    """Hold the job's lock if no other process does; yields whether it is held."""
    if engine.dialect.name == "postgresql":
        with _postgres_lock(engine, name) as held:
            yield held
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield True  # a database no other process can open
        return
    with _file_lock(sqlite_lock_path(database, name)) as held:
        yield held


# -- running ---------------------------------------------------------------------------------
def last_run(session: Session, name: str) -> datetime | None:
    return session.scalar(select(func.max(JobRun.finished_at)).where(JobRun.name == name))


def run_job(
    session: Session, engine: Engine, job: Job, settings: JobSettings, force: bool = False
) -> JobOutcome:
    """Run `job` unless another process is running it or (without `force`) it is not due."""
    with job_lock(engine, job.name) as held:
        if not held:
            return JobOutcome(job.name, "skipped", ["running elsewhere"])
        started = utcnow()
        last = last_run(session, job.name)
        if not force and not job.due(last, started):
            session.rollback()
            return JobOutcome(job.name, "not due", [f"last run {last:%Y-%m-%d %H:%M} UTC"])
        lines = job.work(session, settings)
        session.add(
            JobRun(
                name=job.name,
                started_at=started.replace(microsecond=0),
                finished_at=utcnow().replace(microsecond=0),
                outcome="; ".join(lines),
            )
        )
        session.commit()
        if job.after_commit is not None:
            job.after_commit(engine)
        return JobOutcome(job.name, "ran", lines)
