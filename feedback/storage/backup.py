"""Backing up a database and restoring it: `feedback backup <file>`, `feedback restore <file>`.

SQLite is copied with its online backup API, page by page under a read transaction, so
the copy is consistent while the app goes on serving. PostgreSQL goes through its own
tools, `pg_dump -Fc` and `pg_restore`, which must be installed and of the server's major
version or newer. Either way, a backup carries its schema's migration revision, and a
restore refuses a backup this release cannot read, and a database that already holds
anything (unless forced).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, table, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from feedback.storage.db import make_engine
from feedback.storage.migrate import alembic_config, upgrade

VERSION_TABLE = "alembic_version"


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


# -- what a database holds -------------------------------------------------------------------
def _revisions() -> tuple[str, set[str]]:
    """This release's latest migration revision, and every revision it knows."""
    scripts = ScriptDirectory.from_config(alembic_config(""))
    known = {script.revision for script in scripts.walk_revisions()}
    return scripts.get_current_head() or "", known


def holds_anything(database_url: str) -> bool:
    """Whether any table but the migration record has a row (a database just migrated by
    `feedback migrate` holds nothing)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            for name in inspect(connection).get_table_names():
                if name == VERSION_TABLE:
                    continue
                if connection.execute(select(text("1")).select_from(table(name)).limit(1)).first():
                    return True
        return False
    finally:
        engine.dispose()


def check_revision(revision: str | None, source: str) -> str:
    """Refuse a backup without a migration revision or with one from a later release."""
    head, known = _revisions()
    if not revision:
        raise BackupError(f"{source} is not a Feedback backup: it has no migration revision")
    if revision not in known:
        raise BackupError(
            f"{source} was made by a later release of Feedback (schema revision {revision}; "
            f"this release knows up to {head}): restore it with that release or a later one"
        )
    return revision


# -- SQLite ----------------------------------------------------------------------------------
def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up or restored")
    return Path(url.database)


def _sqlite_revision(path: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()  # noqa: S608
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a whole SQLite database with the online backup API (consistent while in use)."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as reader:
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)
        finally:
            writer.close()


def _backup_sqlite(url: URL, destination: Path) -> None:
    source = _sqlite_path(url)
    if not source.exists():
        raise BackupError(f"there is no database at {source}")
    # Written beside the destination, then renamed: a file of that name is always whole.
    handle, partial = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.")
    os.close(handle)
    try:
        _sqlite_copy(source, Path(partial))
        os.replace(partial, destination)
    finally:
        Path(partial).unlink(missing_ok=True)


def _restore_sqlite(backup: Path, url: URL) -> None:
    _sqlite_copy(backup, _sqlite_path(url))


# -- PostgreSQL ------------------------------------------------------------------------------
def _libpq_environment(url: URL) -> dict[str, str]:
    """Connection settings for pg_dump and pg_restore as libpq's variables, so a password
    never appears on a command line another user could list."""
    settings = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    return {**os.environ, **{k: str(v) for k, v in settings.items() if v}}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _run(command: list[str], url: URL) -> str:
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments from the operator
        command, env=_libpq_environment(url), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
    return result.stdout


def _postgres_revision(backup: Path) -> str | None:
    """The migration revision inside a pg_dump archive (the data of its version table)."""
    result = subprocess.run(  # noqa: S603
        [_tool("pg_restore"), "--data-only", f"--table={VERSION_TABLE}", "--file=-", str(backup)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return None
    lines = result.stdout.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("COPY ") and number + 1 < len(lines):
            value = lines[number + 1].strip()
            return None if value == "\\." else value
    return None


def _backup_postgres(url: URL, destination: Path) -> None:
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        _run([_tool("pg_dump"), "--format=custom", f"--file={partial}"], url)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


def _restore_postgres(backup: Path, url: URL) -> None:
    # --clean drops what the backup holds before recreating it (a migrated, empty database
    # has the same tables); one transaction, so a failed restore leaves nothing half done.
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url.database}",
            str(backup),
        ],
        url,
    )


# -- the commands ----------------------------------------------------------------------------
def backup(database_url: str, destination: Path, overwrite: bool = False) -> str | None:
    """Write a backup of the database to `destination`; returns its migration revision."""
    url = make_url(database_url)
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} already exists: choose another name, or use --force")
    if not destination.parent.is_dir():
        raise BackupError(f"there is no folder {destination.parent}")
    if url.get_backend_name() == "postgresql":
        _backup_postgres(url, destination)
        return _postgres_revision(destination)
    _backup_sqlite(url, destination)
    return _sqlite_revision(destination)


def restore(database_url: str, source: Path, overwrite: bool = False) -> str:
    """Replace the database with a backup, then bring it up to this release's schema.

    Refuses a database that holds anything unless `overwrite`; returns the backup's revision.
    """
    url = make_url(database_url)
    if not source.is_file():
        raise BackupError(f"there is no file {source}")
    postgres = url.get_backend_name() == "postgresql"
    revision = check_revision(
        _postgres_revision(source) if postgres else _sqlite_revision(source), str(source)
    )
    try:
        occupied = holds_anything(database_url)
    except OperationalError as exc:
        raise BackupError(f"cannot reach the database ({type(exc.orig).__name__})") from None
    if not overwrite and occupied:
        raise BackupError(
            "the database already holds surveys or responses: restoring would replace them. "
            "Restore into an empty database, or use --force to replace it"
        )
    if postgres:
        _restore_postgres(source, url)
    else:
        _restore_sqlite(source, url)
    upgrade(database_url)
    return revision
