"""Alembic environment: the database URL comes from the caller, never from this file."""

from alembic import context

from feedback.storage import models  # noqa: F401 - registers the tables on Base.metadata
from feedback.storage.db import Base, execute_on_driver, make_engine

config = context.config


def database_url() -> str:
    """From `feedback migrate` and the tests; or `alembic -x url=...` (as `make migration` does)."""
    url = (
        config.attributes.get("database_url")
        or context.get_x_argument(as_dictionary=True).get("url")
        or config.get_main_option("sqlalchemy.url")
    )
    if not url:
        raise SystemExit("No database URL: run through `feedback migrate`, or pass -x url=...")
    return str(url)


def run_migrations_online() -> None:
    engine = make_engine(database_url())
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Rebuilding a table (SQLite's only way to change most things) drops the old
            # one, and with foreign keys on that would cascade into the rows that refer to
            # it. The switch works only outside a transaction, hence the raw connection.
            execute_on_driver(connection, "PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
