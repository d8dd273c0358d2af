"""Every gunicorn worker, `feedback` command and test server imports the app: what only
some pages need is imported by those pages, not by everyone at start."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each is imported where it is used: exports, uploads, dashboards, editing, sign-in.
NOT_AT_START = (
    "argon2",
    "authlib",
    "babel.messages.frontend",
    "cryptography",
    "dashboards.dashboard",
    "dashboards.release",
    "feedback.dashboard_views",
    "feedback.workspace",
    "flask_login",
    "openpyxl",
    "pandas",
    "phonenumbers",
    "plotly",
    "pyotp",
    "pyxform",
    "requests",
    "scipy",
    "segno",
    "sqlalchemy.dialects.postgresql",
    "surveys.diff",
    "yaml",
)


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    database = tmp_path_factory.mktemp("start") / "start.sqlite"
    env = {
        **os.environ,
        "FEEDBACK_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "PUBLIC_URL": "https://feedback.example.gov.uk",
        "ORGANISATION_NAME": "Anytown Council",
        "TRUSTED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    code = (
        "import gc, json, sys, feedback.wsgi\n"
        "print(json.dumps({'modules': sorted(sys.modules), 'frozen': gc.get_freeze_count()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("module", NOT_AT_START)
def test_the_app_starts_without(module: str, started: dict[str, Any]) -> None:
    assert module not in started["modules"]


def test_what_it_needs_is_there(started: dict[str, Any]) -> None:
    # The check above would pass on a process that imported nothing.
    assert {"flask", "sqlalchemy.orm", "feedback.respondent.routes"} <= set(started["modules"])


def test_what_start_up_made_is_left_out_of_garbage_collections(started: dict[str, Any]) -> None:
    # The modules, mapped classes and templates live as long as the worker; a full
    # collection walking them took about 70 ms every few hundred requests.
    assert started["frozen"] > 50_000
