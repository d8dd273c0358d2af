"""The `feedback` command: migrate, load and check surveys, users, links, demo, serve."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from feedback import create_app
from feedback.config import INSTANCE_DIR, ROOT, ConfigError
from feedback.storage import audit
from feedback.storage.access_codes import generate_codes
from feedback.storage.accounts import (
    AccountError,
    Role,
    allow_single_sign_on,
    create_user,
    generate_password,
    normalise_email,
)
from feedback.storage.db import db
from feedback.storage.jobs import JOB_NAMES, JOBS, JobOutcome, JobSettings, job_named, run_job
from feedback.storage.migrate import upgrade
from feedback.storage.models import SurveyRecord, User
from feedback.storage.survey_translations import (
    TranslationRefused,
    export_translation,
    import_translation,
    load_shipped_translations,
    survey_catalogue_status,
)
from feedback.storage.survey_versions import create_link, latest_version, store_survey, survey_of
from surveys import Survey, SurveyDefinitionError, load_survey, parse_survey
from surveys.xlsform import xlsform_to_definition
from surveys.yaml_io import read_yaml

# The one place for server settings (threads, timeouts, limits, log format).
GUNICORN_CONFIG = ROOT / "gunicorn.conf.py"


def with_appcontext(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command inside the app (built from the environment unless one was passed in)."""

    @click.pass_context
    @functools.wraps(command)
    def run_in_app(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        app = ctx.find_object(Flask)
        if app is None:
            try:
                app = create_app()
            except ConfigError as exc:
                raise click.ClickException(str(exc)) from None
        with app.app_context():
            return command(*args, **kwargs)

    return run_in_app


@click.group()
def main() -> None:
    """Feedback: anonymous, accessible surveys and disclosure-controlled dashboards."""


@main.command()
@with_appcontext
def migrate() -> None:
    """Create or upgrade the database to the latest schema."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo("Database is up to date.")


@main.group()
def survey() -> None:
    """Check and load survey definition files."""


@survey.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate_surveys(files: tuple[Path, ...]) -> None:
    """Check survey files and print every problem found (no database needed)."""
    failed = False
    for path in files:
        try:
            loaded = load_survey(path)
        except SurveyDefinitionError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        click.echo(f"{path}: ok ({loaded.id}, {len(loaded.questions())} questions)")
    if failed:
        sys.exit(1)


def _read_definition(path: Path) -> tuple[Survey, dict]:
    """A survey file (YAML, or an XLSForm .xlsx as KoboToolbox and ODK use) and its dict."""
    if path.suffix.lower() in (".xlsx", ".xls"):
        definition = xlsform_to_definition(path.read_bytes(), path.name)
        return parse_survey(definition, source=str(path)), definition
    return load_survey(path), read_yaml(path.read_bytes())


@survey.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_appcontext
def load_surveys(files: tuple[Path, ...]) -> None:
    """Validate survey files (YAML or XLSForm) and publish each as a new version if changed."""
    failed = False
    for path in files:
        try:
            loaded, definition = _read_definition(path)
        except SurveyDefinitionError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        except OSError as exc:
            failed = True
            click.echo(f"{path}: file: cannot be read ({exc.strerror})", err=True)
            continue
        result = store_survey(db.session, loaded, definition, date.today())
        state = "new version" if result.created else "unchanged"
        if result.created:
            audit.record(
                db.session, "survey published", f"{loaded.id} version {result.version.number}"
            )
        click.echo(f"{path}: {loaded.id} version {result.version.number} ({state})")
        for language in load_shipped_translations(db.session, result.version.survey_id, loaded):
            click.echo(f"  translation: {language}")
    db.session.commit()
    if failed:
        sys.exit(1)


@main.group()
def link() -> None:
    """Shared links: each names a channel, never a person."""


@link.command("create")
@click.argument("survey_id")
@click.option("--channel", required=True, help='Who it goes to and how, e.g. "Parents - WhatsApp".')
@click.option(
    "--audience",
    type=click.Choice(["young_people", "parents", "mixed"]),
    default="young_people",
    show_default=True,
)
@click.option("--language", default=None, help="Language the link opens in, e.g. cy.")
@click.option("--opens", type=click.DateTime(["%Y-%m-%d"]), default=None, help="YYYY-MM-DD")
@click.option("--closes", type=click.DateTime(["%Y-%m-%d"]), default=None, help="YYYY-MM-DD")
@click.option("--kiosk", is_flag=True, help="For a shared tablet: resets after submit or idling.")
@click.option(
    "--codes",
    type=click.IntRange(0, 5000),
    default=0,
    help="Print this many single-use codes; the link then needs one.",
)
@click.option("--base-url", envvar="PUBLIC_URL", default="http://127.0.0.1:5000", show_default=True)
@with_appcontext
def create_link_command(
    survey_id: str,
    channel: str,
    audience: str,
    language: str | None,
    opens: datetime | None,
    closes: datetime | None,
    kiosk: bool,
    codes: int,
    base_url: str,
) -> None:
    """Create a shared link for a loaded survey and print its address."""
    record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == survey_id))
    if record is None:
        raise click.ClickException(f"no survey with id {survey_id!r}: load it first")
    if language and language not in current_app.config["LANGUAGES"]:
        offered = ", ".join(current_app.config["LANGUAGES"])
        raise click.ClickException(f"language {language!r} is not offered ({offered})")
    new = create_link(
        db.session,
        record,
        channel=channel,
        audience=audience,
        language=language,
        opens_on=opens.date() if opens else None,
        closes_on=closes.date() if closes else None,
    )
    new.kiosk = kiosk
    audit.record(db.session, "link created", f"{survey_id}: {channel}")
    printed_codes = generate_codes(db.session, new, codes) if codes else []
    db.session.commit()
    click.echo(f"{base_url.rstrip('/')}/s/{new.code}  {channel}")
    if printed_codes:
        click.echo("Single-use codes (print them now: they are not stored in a readable form):")
        for code in printed_codes:
            click.echo(f"  {code}")


@main.group()
def user() -> None:
    """Design-team accounts."""


@user.command("create")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default="designer",
    show_default=True,
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email: str, role: str, password_stdin: bool) -> None:
    """Create a user. Without --password-stdin a strong password is generated and printed."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else generate_password()
    try:
        create_user(db.session, email, password, role, date.today())
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    audit.record(db.session, "user created", f"{email} as {role}")
    db.session.commit()
    click.echo(f"Created {role} {email}")
    if not password_stdin:
        click.echo(f"Password: {password}")


@user.command("allow-single-sign-on")
@click.argument("email")
@with_appcontext
def allow_single_sign_on_command(email: str) -> None:
    """Let an existing account be used by the next single sign-on with its e-mail address.

    Accounts are otherwise linked to the provider's id for the person, never found by
    e-mail: run this only when the address at the provider is surely the same person's.
    """
    issuer = current_app.config.get("OIDC_ISSUER")
    if not issuer:
        raise click.ClickException("Single sign-on is not set up (OIDC_ISSUER)")
    account = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if account is None:
        raise click.ClickException(f"No account has the e-mail address {email}")
    allow_single_sign_on(account, issuer)
    audit.record(db.session, "single sign-on allowed", account.email, actor="command line")
    db.session.commit()
    click.echo(f"{account.email} will be linked at its next sign-in through {issuer}")


@main.group()
def translations() -> None:
    """Catalogues for the interface and the shipped surveys."""


@translations.command("extract")
def translations_extract() -> None:
    """Extract interface text and shipped survey text into .pot templates."""
    from feedback.storage.gettext_catalogues import extract_surveys, extract_ui

    for path in [*extract_ui(), *extract_surveys()]:
        click.echo(f"wrote {path}")


@translations.command("update")
@click.argument("languages", nargs=-1)
def translations_update(languages: tuple[str, ...]) -> None:
    """Bring each language's catalogues up to date with the templates (all shipped if none)."""
    from feedback.storage.gettext_catalogues import SHIPPED_LANGUAGES, update_survey, update_ui
    from surveys import bank_files

    for language in languages or SHIPPED_LANGUAGES[1:]:
        update_ui(language)
        for path in bank_files():
            update_survey(load_survey(path), language)
        click.echo(f"updated {language}")


@translations.command("languages")
def translations_languages() -> None:
    """Write translations/languages.json: each shipped language's name and direction."""
    from feedback.web.languages import FACTS_FILE, shipped_facts_json

    FACTS_FILE.write_text(shipped_facts_json(), encoding="utf-8")
    click.echo(f"wrote {FACTS_FILE}")


@translations.command("export")
@click.argument("survey_id")
@click.argument("language")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None)
@with_appcontext
def translations_export(survey_id: str, language: str, output: Path | None) -> None:
    """Write a survey's .po for a language (for Poedit or Weblate)."""
    record, survey = _stored_survey(survey_id)
    data = export_translation(db.session, record.id, survey, language)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {output}")
    else:
        click.echo(data.decode("utf-8"), nl=False)


@translations.command("import")
@click.argument("survey_id")
@click.argument("language")
@click.argument("po_file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def translations_import(survey_id: str, language: str, po_file: Path) -> None:
    """Check and store a translator's .po for a survey; nothing changes if it has problems."""
    record, survey = _stored_survey(survey_id)
    try:
        raw = po_file.read_bytes()
        row = import_translation(
            db.session,
            record.id,
            survey,
            language,
            raw,
            current_app.config["LANGUAGES"],
            date.today(),
        )
    except OSError as exc:
        raise click.ClickException(f"{po_file}: cannot be read ({exc.strerror})") from None
    except TranslationRefused as exc:
        for problem in exc.problems:
            click.echo(f"{po_file}: {problem}", err=True)
        raise click.ClickException("translation not imported; the previous one is kept") from None
    audit.record(db.session, "translation imported", f"{survey_id}: {language}")
    db.session.commit()
    status = survey_catalogue_status(db.session, record.id, survey, language)
    click.echo(
        f"imported {language} for {survey_id}: {status['translated']} of "
        f"{status['total']} messages up to date"
        f"{'' if row.reviewed else ' (draft: not reviewed by a fluent speaker)'}"
    )


def _stored_survey(survey_id: str) -> tuple[SurveyRecord, Survey]:
    record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == survey_id))
    version = latest_version(db.session, record.id) if record else None
    if record is None or version is None:
        raise click.ClickException(f"no survey with id {survey_id!r}: load it first")
    return record, survey_of(version)


@translations.command("apply-reviews")
@click.argument("languages", nargs=-1)
@with_appcontext
def translations_apply_reviews(languages: tuple[str, ...]) -> None:
    """Write reviewers' corrections and who reviewed (a role) and when into each language's
    respondent .po (every offered language if none given), to commit with the code."""
    from feedback.storage.gettext_catalogues import ui_po_path
    from feedback.storage.translation_reviews import language_state, write_reviewed_po

    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    for language in languages or current_app.config["LANGUAGES"]:
        if language == default:
            continue
        if not ui_po_path(language).exists():
            raise click.ClickException(f"no respondent catalogue for {language!r}")
        path = write_reviewed_po(db.session, language)
        state = language_state(db.session, language)
        click.echo(
            f"wrote {path}: {state.reviewed} of {state.total} messages reviewed"
            f"{' (language reviewed)' if state.is_reviewed else ''}"
        )


@translations.command("check")
@click.argument("languages", nargs=-1)
def translations_check(languages: tuple[str, ...]) -> None:
    """Check catalogues are complete, current and match their sources (all if none given)."""
    from feedback.storage.gettext_catalogues import SHIPPED_LANGUAGES, check_language

    failed = False
    for language in languages or SHIPPED_LANGUAGES[1:]:
        problems = check_language(language)
        failed = failed or bool(problems)
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(f"{language}: {'ok' if not problems else f'{len(problems)} problems'}")
    if failed:
        sys.exit(1)


def _job_settings() -> JobSettings:
    return JobSettings(date.today(), current_app.config["DISCLOSURE_THRESHOLD"])


def _run_now(name: str) -> JobOutcome:
    """Run one scheduled job now, due or not (still never beside another run of it)."""
    outcome = run_job(db.session, db.engine, job_named(name), _job_settings(), force=True)
    if outcome.state == "skipped":
        raise click.ClickException(f"{name} is running elsewhere; try again when it has finished")
    return outcome


@main.command("retention")
@with_appcontext
def retention() -> None:
    """Delete responses past their survey's retention period (run daily from a scheduler)."""
    for line in _run_now("retention").lines:
        click.echo(line)


@main.command("purge-drafts")
@with_appcontext
def purge_drafts() -> None:
    """Delete expired answers-in-progress (run from a scheduler, e.g. every 15 minutes)."""
    for line in _run_now("purge-drafts").lines:
        click.echo(line)


@main.command("cut-releases")
@with_appcontext
def cut_releases() -> None:
    """Cut a new protected release of each survey that has enough new responses (run daily;
    a dashboard that is opened cuts its own release if one is due)."""
    for line in _run_now("cut-releases").lines:
        click.echo(line)


@main.command("jobs")
@click.option(
    "--only",
    "only",
    multiple=True,
    type=click.Choice(JOB_NAMES),
    help="Run just this job (may be repeated).",
)
@click.option("--force", is_flag=True, help="Run the jobs even if they ran recently.")
@with_appcontext
def jobs(only: tuple[str, ...], force: bool) -> None:
    """Run the scheduled jobs that are due: draft purge (every 15 minutes), retention and
    release cutting (daily). Run it from a timer on every app machine, every 15 minutes:
    a job another machine is running is skipped, one that ran recently is not done again."""
    log = logging.getLogger("feedback.jobs")
    for job in JOBS:
        if only and job.name not in only:
            continue
        try:
            outcome = run_job(db.session, db.engine, job, _job_settings(), force=force)
        except OperationalError as exc:
            # The timer runs again in 15 minutes; the journal says why this run did nothing.
            log.error(
                "%s: database unavailable (%s)",
                job.name,
                type(exc.orig).__name__,
                extra={"job": job.name, "state": "failed"},
            )
            sys.exit(1)
        log.info(outcome.describe(), extra={"job": outcome.name, "state": outcome.state})


@main.command("backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@with_appcontext
def backup_command(file: Path, force: bool) -> None:
    """Back the database up to FILE, while the service goes on serving (SQLite: the online
    backup API; PostgreSQL: pg_dump's custom format)."""
    from feedback.storage.backup import BackupError, backup

    try:
        revision = backup(current_app.config["DATABASE_URL"], file, overwrite=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up to {file} (schema revision {revision or 'none'}).")


@main.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore a backup made by `feedback backup` into the database (stop the app first),
    then bring it up to this release's schema."""
    from feedback.storage.backup import BackupError, restore

    db.session.close()
    db.engine.dispose()  # nothing of this process may hold the database while it is replaced
    try:
        revision = restore(current_app.config["DATABASE_URL"], file, overwrite=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored {file} (schema revision {revision}); the database is up to date.")


@main.command()
@click.option("--responses", default=80, show_default=True, help="Synthetic responses per survey.")
@click.option("--base-url", envvar="PUBLIC_URL", default=None)
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where the demo password is kept [default: instance/demo_password].",
)
@with_appcontext
def demo(responses: int, base_url: str | None, password_file: Path | None) -> None:
    """Give the database what the demo lacks (a survey made from each bank survey, links,
    synthetic responses, a sign-in); what is there, and any change to it, is kept."""
    from feedback.storage.demo import set_up_demo

    port = os.environ.get("PORT", "5000")
    base = (base_url or f"http://127.0.0.1:{port}").rstrip("/")
    upgrade(current_app.config["DATABASE_URL"])
    password_file = password_file or INSTANCE_DIR / "demo_password"
    report = set_up_demo(
        db.session, responses, date.today(), password_file, current_app.config["NATION"]
    )
    db.session.commit()
    click.echo("\nFeedback demo is ready.\n")
    click.echo("Shared links (open one on a phone, or in a narrow browser window):")
    for survey_title, channel, code in report.links:
        click.echo(f"  {base}/s/{code}   {survey_title} - {channel}")
    click.echo("\nDashboards (sign in first):")
    for survey_title, slug in report.dashboards:
        click.echo(f"  {base}/dashboards/{slug}   {survey_title}")
    click.echo(f"\nDesign-team sign-in: {base}/sign-in")
    click.echo(f"  email:    {report.email}")
    click.echo(f"  password: {report.password}")
    click.echo(f"  (kept in {password_file} for this machine only; delete it for a new one)\n")


@main.command()
@click.option("--port", envvar="PORT", default=5000, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(port: int, host: str, workers: int) -> None:
    """Serve the app with gunicorn, with the settings in gunicorn.conf.py."""
    # gunicorn installed beside this Python (the virtualenv's), whether or not it is on PATH.
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    args = [
        gunicorn,
        "--config",
        str(GUNICORN_CONFIG),
        "--workers",
        str(workers),
        "--bind",
        f"{host}:{port}",
        "feedback.wsgi:app",
    ]
    os.execvp(args[0], args)  # noqa: S606 - replaces this process with gunicorn
