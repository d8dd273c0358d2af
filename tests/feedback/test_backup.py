"""`feedback backup` and `feedback restore`: a restored backup serves the same dashboards."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from feedback.cli import main
from feedback.storage.db import db
from feedback.storage.models import SurveyRecord
from tests.conftest import _create_postgres_database, _drop_postgres_database, make_app
from tests.feedback.test_dashboard import PASSWORD
from tests.feedback.test_dashboard import sign_in as create_viewer_and_sign_in


def run(app: Flask, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj=app)


@pytest.fixture
def fresh_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as `database_url`, never migrated."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    name, url = _create_postgres_database()
    yield url
    _drop_postgres_database(name)


def sign_in(client: FlaskClient) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/sign-in", data={"email": "viewer@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303


def dashboards(app: Flask, client: FlaskClient) -> dict[str, bytes]:
    """Every survey's dashboard page (without its form tokens) and its CSV export."""
    with app.app_context():
        slugs = list(db.session.scalars(select(SurveyRecord.slug).order_by(SurveyRecord.slug)))
    seen = {}
    for slug in slugs:
        page = client.get(f"/dashboards/{slug}")
        assert page.status_code == 200
        seen[f"/dashboards/{slug}"] = re.sub(rb'value="[^"]{40,}"', b"", page.data)
        export = client.get(f"/dashboards/{slug}/export.csv")
        assert export.status_code == 200
        seen[f"/dashboards/{slug}/export.csv"] = export.data
    return seen


def test_a_restored_backup_serves_the_same_dashboards(
    app: Flask, client: FlaskClient, fresh_database: str, tmp_path: Path
) -> None:
    assert run(app, "demo", "--responses", "40").exit_code == 0
    assert run(app, "cut-releases").exit_code == 0
    create_viewer_and_sign_in(app, client)
    original = dashboards(app, client)
    # Figures to compare: the sample survey has a release with counts in it.
    assert b"stat-value" in original["/dashboards/sample-young-people"]
    assert original["/dashboards/sample-young-people/export.csv"].count(b"\n") > 10

    backup_file = tmp_path / "feedback.backup"
    made = run(app, "backup", str(backup_file))
    assert made.exit_code == 0, made.output
    assert f"Backed up to {backup_file}" in made.output
    assert run(app, "backup", str(backup_file)).exit_code == 1  # never overwritten unasked

    restored_app = make_app(fresh_database)
    result = run(restored_app, "restore", str(backup_file))
    assert result.exit_code == 0, result.output
    restored_client = restored_app.test_client()
    sign_in(restored_client)
    assert dashboards(restored_app, restored_client) == original

    # A database that holds anything is replaced only when asked to.
    again = run(restored_app, "restore", str(backup_file))
    assert again.exit_code == 1
    assert "already holds surveys or responses" in again.output
    assert "Traceback" not in again.output
    forced = run(restored_app, "restore", str(backup_file), "--force")
    assert forced.exit_code == 0, forced.output
    assert dashboards(restored_app, restored_client) == original
    with restored_app.app_context():
        db.engine.dispose()


def test_a_backup_from_a_later_release_or_no_backup_at_all_is_refused(tmp_path: Path) -> None:
    later = tmp_path / "later.sqlite"
    with sqlite3.connect(later) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.execute("INSERT INTO alembic_version VALUES ('9999')")
    connection.close()
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("shopping list")
    target = make_app(f"sqlite:///{tmp_path / 'target.sqlite'}")

    refused = run(target, "restore", str(later))
    assert refused.exit_code == 1
    assert "made by a later release of Feedback (schema revision 9999" in refused.output
    refused = run(target, "restore", str(not_a_backup))
    assert refused.exit_code == 1 and "is not a Feedback backup" in refused.output
    missing = run(target, "restore", str(tmp_path / "nowhere.backup"))
    assert missing.exit_code == 1 and "there is no file" in missing.output
