"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from feedback.storage.db import Base, make_engine


def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_answers_have_no_hidden_sqlite_rowid(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        # PostgreSQL has no rowid; nothing to check there.
        assert "postgresql" in database_url
        return
    engine = make_engine(database_url)
    with engine.connect() as connection:
        sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'answers'").scalar()
    engine.dispose()
    assert "WITHOUT ROWID" in sql


def test_responses_table_has_no_column_for_visitor_details(database_url: str) -> None:
    engine = make_engine(database_url)
    columns = {c["name"] for c in inspect(engine).get_columns("responses")}
    engine.dispose()
    assert columns == {"id", "survey_id", "survey_version_id", "link_id", "language",
                       "submitted_on"}
