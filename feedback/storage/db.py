"""Database access: the engine, a session per request, and SQLite's settings.

One transaction per request: views and domain code add and flush; the
request boundary commits if the response succeeded and rolls back otherwise.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

from flask import Flask, current_app, g
from sqlalchemy import MetaData, Table, create_engine, event
from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.expression import Executable

# Stable constraint names, so migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# SQLite in WAL mode lets readers run beside one writer, but a transaction that
# reads and later writes fails if another writer committed in between. Writing
# transactions therefore start with BEGIN IMMEDIATE (taking the write lock up
# front, waiting up to busy_timeout); read-only requests start with BEGIN, and
# requests whose reads need no common snapshot (a respondent's page: a link and a
# draft) start none at all, each statement reading on its own.
_sqlite_begin: ContextVar[str] = ContextVar("sqlite_begin", default="BEGIN IMMEDIATE")


def read_only_transactions(enabled: bool, each_statement_alone: bool = False) -> None:
    """Choose how the next SQLite transactions in this context begin. A request started
    with `each_statement_alone` must call `Database.start_writing` before it writes."""
    if not enabled:
        _sqlite_begin.set("BEGIN IMMEDIATE")
    else:
        _sqlite_begin.set("" if each_statement_alone else "BEGIN")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted drafts must not linger: freed pages are overwritten with zeros, and the
        # write-ahead log is cut back to nothing whenever a checkpoint empties it.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_size_limit=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        begin = _sqlite_begin.get()
        if begin:
            connection.exec_driver_sql(begin)


def forget_deleted_rows(engine: Engine) -> None:
    """Copy the write-ahead log into the database and empty it (SQLite only).

    Until then, the log keeps earlier versions of pages, with the answers of drafts
    that were deleted since. Run after purging drafts, outside any transaction.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        execute_on_driver(connection, "PRAGMA wal_checkpoint(TRUNCATE)")


def execute_on_driver(connection: Connection, statement: str) -> None:
    """Run `statement` on the driver's own connection, outside SQLAlchemy's transaction
    (SQLite's PRAGMAs that a transaction would ignore)."""
    driver = connection.connection.driver_connection
    if driver is None:
        raise RuntimeError("the database connection has been closed")
    driver.execute(statement)


def table_of(model: type[Base]) -> Table:
    """A model's Core table, for statements built once and run without the ORM."""
    return cast(Table, model.__table__)


def rows_changed(db: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and say how many rows it changed."""
    result = db.execute(statement)
    # Session.execute is typed for SELECT's Result; UPDATE and DELETE give a CursorResult.
    if not isinstance(result, CursorResult):
        raise TypeError("rows_changed takes an UPDATE or DELETE statement")
    return result.rowcount or 0


def make_engine(url: str) -> Engine:
    """An engine for `url`, with SQLite given the settings this service relies on.

    Errors never quote the values of a statement (hide_parameters): they are answers,
    and an error's message ends up in the logs.
    """
    if url.startswith("sqlite"):
        # Pooled per process (each gunicorn worker builds its own app and engine), so the
        # connection settings run once per connection, not once per request. An in-memory
        # database cannot be shared between connections: it gets no pool.
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = (
            create_engine(url, poolclass=NullPool, hide_parameters=True)
            if memory
            else create_engine(url, pool_size=5, max_overflow=10, hide_parameters=True)
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True
    )


@dataclass
class _AppDatabase:
    engine: Engine
    sessionmaker: sessionmaker[Session]


class Database:
    """The Flask extension: created unbound, then `init_app`'d by the factory.

    Each app keeps its own engine (in app.extensions), so several apps in one process,
    as in tests, never share or swap connections.
    """

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["feedback_db"] = _AppDatabase(
            engine, sessionmaker(bind=engine, expire_on_commit=False)
        )
        app.teardown_appcontext(self._close_session)

    @property
    def engine(self) -> Engine:
        """The current app's engine."""
        return current_app.extensions["feedback_db"].engine

    @property
    def session(self) -> Session:
        """The session of the current request (or app context), created on first use."""
        if "db_session" not in g:
            g.db_session = current_app.extensions["feedback_db"].sessionmaker()
        return g.db_session

    def commit_if_open(self) -> None:
        """Commit the request's session, if one was used."""
        if "db_session" in g:
            g.db_session.commit()

    def rollback_if_open(self) -> None:
        if "db_session" in g:
            g.db_session.rollback()

    def start_writing(self) -> None:
        """Before writing in a request that began read-only: end the read transaction."""
        if "db_session" in g:
            g.db_session.rollback()
        read_only_transactions(False)

    def _close_session(self, _exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()
