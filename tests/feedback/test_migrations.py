"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import pytest
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


@pytest.mark.parametrize("table", ["answers", "responses"])
def test_answers_and_responses_have_no_hidden_sqlite_rowid(database_url: str, table: str) -> None:
    """A rowid numbers rows in arrival order: it would tell which response came when."""
    if not database_url.startswith("sqlite"):
        # PostgreSQL has no rowid; nothing to check there.
        assert "postgresql" in database_url
        return
    engine = make_engine(database_url)
    with engine.connect() as connection:
        sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = ?", (table,)
        ).scalar()
    engine.dispose()
    assert "WITHOUT ROWID" in sql


def test_responses_table_has_no_column_for_visitor_details(database_url: str) -> None:
    engine = make_engine(database_url)
    columns = {c["name"] for c in inspect(engine).get_columns("responses")}
    engine.dispose()
    # record_key is random (the cell key method's), never derived from the person or time.
    assert columns == {
        "id",
        "survey_id",
        "survey_version_id",
        "link_id",
        "language",
        "submitted_on",
        "record_key",
    }


def test_release_migration_keeps_answers_and_gives_every_tally_its_key_sum(
    database_url: str,
) -> None:
    """Rebuilding `responses` without a rowid must not cascade into its answers."""
    from sqlalchemy import text

    from feedback.storage.migrate import downgrade, upgrade

    downgrade(database_url, "0007")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        for table in ("tallies", "answers", "responses", "links", "survey_versions", "surveys"):
            connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - fixed names
        connection.execute(
            text(
                "INSERT INTO surveys (id, slug, title, is_open, created_on) "
                "VALUES (900001, 's', 'S', true, '2026-11-02')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO survey_versions (id, survey_id, number, content_hash, definition, "
                "published_on) VALUES (900001, 900001, 1, 'h', '{}', '2026-11-02')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO links (id, survey_id, code, channel, audience, is_active) "
                "VALUES (900001, 900001, 'abc', 'c', 'young_people', true)"
            )
        )
        for rid in (11, 12, 13):
            connection.execute(
                text(
                    "INSERT INTO responses (id, survey_id, survey_version_id, link_id, language, "
                    "submitted_on) VALUES (:id, 900001, 900001, 900001, 'en', '2026-11-03')"
                ),
                {"id": rid},
            )
            connection.execute(
                text(
                    "INSERT INTO answers (response_id, item_key, choice, survey_id) "
                    "VALUES (:id, 'q', 'yes', 900001)"
                ),
                {"id": rid},
            )
    upgrade(database_url)
    with engine.connect() as connection:
        keys = dict(connection.execute(text("SELECT id, record_key FROM responses")).all())
        answers = connection.execute(text("SELECT count(*) FROM answers")).scalar()
        tallies = {
            (item, choice): (count, key_sum)
            for item, choice, count, key_sum in connection.execute(
                text("SELECT item_key, choice, count, key_sum FROM tallies")
            )
        }
        # Ids the other tests' sequences will not reach; removed again for them.
        connection.execute(text("DELETE FROM surveys WHERE id = 900001"))
        connection.commit()
    engine.dispose()
    assert sorted(keys) == [11, 12, 13] and all(0 <= k < 256 for k in keys.values())
    assert answers == 3
    assert tallies[("", "")] == (3, sum(keys.values()))
    assert tallies[("q", "yes")] == (3, sum(keys.values()))


def test_surveys_published_from_the_bank_before_templates_are_known_as_its_copies(
    database_url: str,
) -> None:
    """An existing demo or team database keeps its bank surveys as the team's own: publishing
    the bank survey again then offers them instead of making a duplicate."""
    from sqlalchemy import text

    from feedback.storage.migrate import downgrade, upgrade

    downgrade(database_url, "0014")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        for survey_id, slug in ((900011, "parents-design"), (900012, "our-own-survey")):
            connection.execute(
                text(
                    "INSERT INTO surveys (id, slug, title, is_open, created_on) "
                    "VALUES (:id, :slug, 'S', true, '2026-11-02')"
                ),
                {"id": survey_id, "slug": slug},
            )
    upgrade(database_url)
    with engine.connect() as connection:
        made_from = dict(
            connection.execute(
                text("SELECT slug, made_from FROM surveys WHERE id IN (900011, 900012)")
            ).all()
        )
        # Ids the other tests' sequences will not reach; removed again for them.
        connection.execute(text("DELETE FROM surveys WHERE id IN (900011, 900012)"))
        connection.commit()
    engine.dispose()
    assert made_from == {"parents-design": "parents-design", "our-own-survey": None}
