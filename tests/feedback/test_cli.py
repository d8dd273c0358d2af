"""The feedback command, run as a newcomer would run it."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select

from feedback.cli import main
from feedback.storage.accounts import authenticate
from feedback.storage.db import db
from feedback.storage.models import Link, SurveyRecord, SurveyResponse, SurveyVersion, User
from feedback.storage.survey_versions import latest_version, store_survey
from surveys import BANK_DIR, parse_survey

SAMPLE = str(BANK_DIR / "sample-young-people.yaml")


def run(app: Flask, *args: str, stdin: str | None = None):
    """Run a CLI command against the test app's database."""
    runner = CliRunner()
    return runner.invoke(main, list(args), obj=app, input=stdin)


def test_validate_reports_every_problem_with_file_and_question(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad-survey\ntitle: Bad\naudience: young_people\nquestions:\n"
        "  - {id: q1, type: slider, text: Hi}\n"
        "  - {id: q2, type: single_choice, text: Pick, options: []}\n"
    )
    result = CliRunner().invoke(main, ["survey", "validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: question 'q1': unknown type 'slider'" in result.output
    assert (
        f"{bad}: question 'q2': a choice question needs a list of at least 2 options"
        in result.output
    )
    assert "Traceback" not in result.output


def test_validate_accepts_the_sample_survey() -> None:
    result = CliRunner().invoke(main, ["survey", "validate", SAMPLE])
    assert result.exit_code == 0
    assert "ok (sample-young-people, 6 questions)" in result.output


def test_validate_explains_malformed_yaml(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"id: x\ntitle: [unclosed\n")
    result = CliRunner().invoke(main, ["survey", "validate", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}: file: line" in result.output


def test_loading_twice_makes_one_version_and_a_change_makes_another(
    app: Flask, tmp_path: Path
) -> None:
    assert "version 1 (new version)" in run(app, "survey", "load", SAMPLE).output
    assert "version 1 (unchanged)" in run(app, "survey", "load", SAMPLE).output
    changed = tmp_path / "changed.yaml"
    changed.write_text(Path(SAMPLE).read_text().replace("\nminutes: 3\n", "\nminutes: 4\n"))
    assert "version 2 (new version)" in run(app, "survey", "load", str(changed)).output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyVersion)) == 2


def test_link_create_prints_an_address(app: Flask) -> None:
    run(app, "survey", "load", SAMPLE)
    result = run(
        app,
        "link",
        "create",
        "sample-young-people",
        "--channel",
        "Parents - WhatsApp",
        "--base-url",
        "https://feedback.example",
    )
    assert result.exit_code == 0
    code = re.search(r"https://feedback\.example/s/(\w+)", result.output).group(1)
    with app.app_context():
        assert (
            db.session.scalar(select(Link.channel).where(Link.code == code)) == "Parents - WhatsApp"
        )


def test_link_create_for_an_unknown_survey_says_so(app: Flask) -> None:
    result = run(app, "link", "create", "nope", "--channel", "x")
    assert result.exit_code != 0
    assert "no survey with id 'nope'" in result.output


def test_user_create_generates_a_password_that_works(app: Flask) -> None:
    result = run(app, "user", "create", "Designer@Example.org", "--role", "designer")
    password = re.search(r"Password: (\S+)", result.output).group(1)
    with app.app_context():
        assert authenticate(db.session, "designer@example.org", password) is not None


def test_user_create_refuses_a_short_password(app: Flask) -> None:
    result = run(app, "user", "create", "a@example.org", "--password-stdin", stdin="short\n")
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output


def test_demo_seeds_links_responses_and_prints_a_login(app: Flask, tmp_path: Path) -> None:
    kept = tmp_path / "instance" / "demo_password"
    result = run(
        app,
        "demo",
        "--responses",
        "12",
        "--base-url",
        "http://127.0.0.1:5050",
        "--password-file",
        str(kept),
    )
    assert result.exit_code == 0, result.output
    password = re.search(r"password: (\S+)", result.output).group(1)
    assert re.search(r"http://127\.0\.0\.1:5050/s/\w{8}", result.output)
    assert "http://127.0.0.1:5050/dashboards/sample-young-people" in result.output
    assert kept.read_text().strip() == password
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    with app.app_context():
        assert authenticate(db.session, "demo@example.org", password) is not None
        n = db.session.scalar(select(func.count()).select_from(SurveyResponse))
    assert n == 12 * len(list(BANK_DIR.glob("*.yaml")))


def test_demo_again_keeps_the_database_its_edits_and_its_sign_in(
    app: Flask, tmp_path: Path
) -> None:
    kept = tmp_path / "demo_password"
    first = run(app, "demo", "--responses", "12", "--password-file", str(kept))
    password = re.search(r"password: (\S+)", first.output).group(1)
    with app.app_context():
        record = db.session.scalar(
            select(SurveyRecord).where(SurveyRecord.slug == "sample-young-people")
        )
        definition = latest_version(db.session, record.id).definition
        reworded = json.loads(
            json.dumps(definition).replace("Feeling safe where", "Feeling OK where")
        )
        store_survey(db.session, parse_survey(reworded), reworded, date.today())
        sessions = known_session_version(db.session)
        counts = {
            table: db.session.scalar(select(func.count()).select_from(table))
            for table in (SurveyRecord, SurveyVersion, Link, SurveyResponse)
        }
        db.session.commit()
    again = run(app, "demo", "--responses", "12", "--password-file", str(kept))
    assert again.exit_code == 0, again.output
    assert re.search(r"password: (\S+)", again.output).group(1) == password
    assert str(kept) in again.output
    with app.app_context():
        assert {
            table: db.session.scalar(select(func.count()).select_from(table))
            for table in (SurveyRecord, SurveyVersion, Link, SurveyResponse)
        } == counts
        latest = latest_version(db.session, record.id)
        assert "Feeling OK where" in json.dumps(latest.definition)
        # The password was not set again, so a browser signed in before stays signed in.
        assert known_session_version(db.session) == sessions
        assert authenticate(db.session, "demo@example.org", password) is not None


def known_session_version(db_session) -> int:  # noqa: ANN001
    return db_session.scalar(select(User.session_version).where(User.email == "demo@example.org"))


def test_demo_adds_what_an_existing_database_lacks(app: Flask, tmp_path: Path) -> None:
    """A database with surveys of its own (one of them the sample) keeps them all."""
    run(app, "survey", "load", SAMPLE)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(SurveyVersion))
    result = run(app, "demo", "--responses", "12", "--password-file", str(tmp_path / "pw"))
    assert result.exit_code == 0, result.output
    with app.app_context():
        # Loaded by hand, so not made from the bank: the demo makes its own copy beside it.
        slugs = set(db.session.scalars(select(SurveyRecord.slug)))
        assert {"sample-young-people", "sample-young-people-2"} <= slugs
        sample = db.session.scalar(
            select(SurveyRecord).where(SurveyRecord.slug == "sample-young-people")
        )
        assert len(sample.versions) == 1
        assert db.session.scalar(select(func.count()).select_from(SurveyVersion)) == before + len(
            list(BANK_DIR.glob("*.yaml"))
        )


def test_the_console_script_is_installed() -> None:
    result = subprocess.run(
        [Path(sys.executable).parent / "feedback", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    for command in ("migrate", "survey", "user", "link", "demo", "serve", "purge-drafts"):
        assert command in result.stdout


def test_link_create_with_codes_prints_codes_that_work(app: Flask) -> None:
    run(app, "survey", "load", SAMPLE)
    result = run(
        app,
        "link",
        "create",
        "sample-young-people",
        "--channel",
        "Year 9 cards",
        "--codes",
        "3",
        "--kiosk",
        "--closes",
        "2099-01-31",
    )
    assert result.exit_code == 0, result.output
    codes = re.findall(r"^  (\w{8})$", result.output, re.M)
    assert len(codes) == 3
    with app.app_context():
        link = db.session.scalars(select(Link)).one()
        assert link.requires_code and link.kiosk and str(link.closes_on) == "2099-01-31"
        from feedback.storage.access_codes import usable_code

        assert all(usable_code(db.session, link, c) for c in codes)


def test_link_create_refuses_a_language_not_offered(app: Flask) -> None:
    run(app, "survey", "load", SAMPLE)
    result = run(app, "link", "create", "sample-young-people", "--channel", "x", "--language", "xx")
    assert result.exit_code != 0 and "language 'xx' is not offered" in result.output


def test_retention_deletes_old_responses_and_recounts(app: Flask, tmp_path: Path) -> None:
    from datetime import date, timedelta

    from feedback.storage.models import Answer, Tally

    short = tmp_path / "short.yaml"
    short.write_text(Path(SAMPLE).read_text().replace("retention_days: 365", "retention_days: 30"))
    run(app, "demo", "--responses", "12", "--password-file", str(tmp_path / "pw"))
    assert "version 2 (new version)" in run(app, "survey", "load", str(short)).output
    with app.app_context():
        sample = db.session.scalar(select(SurveyVersion.survey_id).where(SurveyVersion.number == 2))
        before = db.session.scalar(
            select(func.count())
            .select_from(SurveyResponse)
            .where(
                SurveyResponse.submitted_on < date.today() - timedelta(days=30),
                SurveyResponse.survey_id == sample,
            )
        )
    assert before > 0
    result = run(app, "retention")
    assert result.exit_code == 0 and f"deleted {before} responses" in result.output
    with app.app_context():
        left = db.session.scalar(
            select(func.count())
            .select_from(SurveyResponse)
            .where(
                SurveyResponse.submitted_on < date.today() - timedelta(days=30),
                SurveyResponse.survey_id == sample,
            )
        )
        orphans = db.session.scalar(
            select(func.count())
            .select_from(Answer)
            .where(Answer.response_id.not_in(select(SurveyResponse.id)))
        )
        counted = db.session.scalar(
            select(func.sum(Tally.count)).where(Tally.survey_id == sample, Tally.item_key == "")
        )
        remaining = db.session.scalar(
            select(func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.survey_id == sample)
        )
    assert left == 0 and orphans == 0 and counted == remaining


def test_an_xlsform_spreadsheet_loads_like_a_survey_file(app: Flask, tmp_path: Path) -> None:
    from tests.surveys.test_xlsform import GOOD_FORM, workbook

    sheet = tmp_path / "kobo-export.xlsx"
    sheet.write_bytes(workbook(GOOD_FORM))
    result = run(app, "survey", "load", str(sheet))
    assert result.exit_code == 0, result.output
    assert "version 1 (new version)" in result.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a spreadsheet")
    result = run(app, "survey", "load", str(broken))
    assert result.exit_code == 1 and f"{broken.name}" in result.output
    assert "Traceback" not in result.output


def test_serve_starts_gunicorn_without_it_on_the_path(tmp_path: Path) -> None:
    """`make run` calls .venv/bin/feedback serve without activating the virtualenv."""
    import os
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        "PATH": "/usr/bin:/bin",
        "FEEDBACK_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite'}",
        "FEEDBACK_INSTANCE_DIR": str(tmp_path),
    }
    feedback = Path(sys.executable).parent / "feedback"
    subprocess.run([feedback, "migrate"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [feedback, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as reply:  # noqa: S310
                    assert reply.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "feedback serve did not start"
                time.sleep(0.2)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=10)


def test_cut_releases_is_idempotent_and_a_release_outlives_retention(
    app: Flask, tmp_path: Path
) -> None:
    """The baseline a later comparison needs stays when its responses are deleted."""
    from dashboards.release import Selection
    from feedback.storage import releases
    from feedback.storage.dashboard_queries import SqlCountsSource

    short = tmp_path / "short.yaml"
    short.write_text(Path(SAMPLE).read_text().replace("retention_days: 365", "retention_days: 30"))
    run(app, "demo", "--responses", "40", "--password-file", str(tmp_path / "pw"))
    first = run(app, "cut-releases")
    assert first.exit_code == 0 and "sample-young-people: release 1" in first.output
    assert "release" not in run(app, "cut-releases").output  # nothing new since
    run(app, "survey", "load", str(short))
    with app.app_context():
        sample = db.session.scalar(select(SurveyVersion.survey_id).where(SurveyVersion.number == 2))
        release = releases.latest(db.session, sample)

        def released() -> dict:
            return dict(
                SqlCountsSource(db.session, sample).counts(Selection(release.covers_before))
            )

        before = released()
    assert run(app, "retention").exit_code == 0
    with app.app_context():
        assert released() == before
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(SurveyResponse)
                .where(SurveyResponse.survey_id == sample)
            )
            < before[("", "")].count
        )
