"""Configuration from the environment. Secrets come only from the environment."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("FEEDBACK_INSTANCE_DIR", ROOT / "instance"))
TRANSLATIONS_DIR = ROOT / "translations"
SHIPPED_LANGUAGES = "en,cy,pl,ro,pa,ur,pt,es,ar,bn,gu,so,uk,tr,fa"


class ConfigError(RuntimeError):
    """The service cannot start safely with this configuration."""


def _development_secret_key() -> str:
    """A key kept in the instance folder, so local sessions survive a restart."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _json_env(name: str, default: Any) -> Any:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        example = '[{"name": "...", "description": "...", "phone": "..."}]'
        raise ConfigError(f"{name} must be JSON, e.g. {example}") from None


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the app configuration from defaults, the environment and `overrides`."""
    overrides = overrides or {}
    env = overrides.get("FEEDBACK_ENV", os.environ.get("FEEDBACK_ENV", "production"))
    development = env in ("development", "test")
    config: dict[str, Any] = {
        "FEEDBACK_ENV": env,
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'feedback.sqlite'}"
        ),
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        # The address people reach the service at, for printed links and QR codes.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL"),
        "DISCLOSURE_THRESHOLD": _int_env("DISCLOSURE_THRESHOLD", 10),
        "DRAFT_LIFETIME_MINUTES": _int_env("DRAFT_LIFETIME_MINUTES", 120),
        # Respondent pages post a page of answers at a time: 64 KB is ample.
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "MAX_FORM_PARTS": 200,
        # A neutral page that shows nothing personal, as GOV.UK's Exit this page uses.
        "EXIT_URL": os.environ.get("EXIT_URL", "https://www.bbc.co.uk/weather"),
        # Languages offered to respondents: English and the shipped catalogues by default.
        "LANGUAGES": os.environ.get("LANGUAGES", SHIPPED_LANGUAGES).split(","),
        # A kiosk (shared tablet) asks "Are you still there?" after this long without a
        # touch and resets KIOSK_WARNING_SECONDS later; without JavaScript, after 20 minutes.
        "KIOSK_IDLE_SECONDS": _int_env("KIOSK_IDLE_SECONDS", 90),
        "KIOSK_WARNING_SECONDS": 30,
        "KIOSK_NO_SCRIPT_RESET_SECONDS": 1200,
        "KIOSK_DONE_SECONDS": 20,
        "LOCAL_HELPLINES": _json_env("LOCAL_HELPLINES", []),
        # Rate limits per client (a school's whole class may share one address: generous).
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "true") != "false",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "STAFF_SESSION_HOURS": _int_env("STAFF_SESSION_HOURS", 8),
        "SUBMIT_RATE_LIMIT": os.environ.get("SUBMIT_RATE_LIMIT", "600 per minute"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(TRANSLATIONS_DIR),
        "SESSION_COOKIE_NAME": "feedback",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        # The CSRF token lives as long as the (browser-session) cookie; drafts expire anyway.
        "WTF_CSRF_TIME_LIMIT": None,
        "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/javascript", "application/javascript",
                               "application/json", "text/csv",
                               "image/svg+xml"],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIN_SIZE": 256,
    }
    config.update(overrides)
    if not config["SECRET_KEY"]:
        if not development:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value "
                "(python -c 'import secrets; print(secrets.token_hex(32))'), "
                "or set FEEDBACK_ENV=development for a local key."
            )
        config["SECRET_KEY"] = _development_secret_key()
    if config["DISCLOSURE_THRESHOLD"] < 5:
        raise ConfigError("DISCLOSURE_THRESHOLD cannot be below 5")
    return config
