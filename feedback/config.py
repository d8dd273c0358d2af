"""Configuration from the environment. Secrets come only from the environment."""

from __future__ import annotations

import json
import math
import os
import secrets
import string
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from surveys.nations import NATIONS
from surveys.organisation import (
    DEFAULT_ENFORCEMENT,
    DEFAULT_LAWFUL_BASIS,
    ENFORCEMENT_BODIES,
    LANGUAGE_CODE,
    LAWFUL_BASES,
    LocalText,
    Organisation,
)

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("FEEDBACK_INSTANCE_DIR", ROOT / "instance"))
TRANSLATIONS_DIR = ROOT / "translations"
SHIPPED_LANGUAGES = "en,cy,pl,ro,pa,ur,pt,es,ar,bn,gu,so,uk,tr,fa"


class ConfigError(RuntimeError):
    """The service cannot start safely with this configuration."""


MIN_SECRET_KEY_BYTES = 32
MAKE_A_SECRET_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"  # noqa: S105
# Words of values copied from examples and tutorials: whoever knows those can forge a
# session. Five letters or more, so a random key contains one by chance about never.
PLACEHOLDER_WORDS = (
    "change",
    "secret",
    "example",
    "default",
    "password",
    "replace",
    "placeholder",
    "insecure",
    "dummy",
    "production",
    "please",
)


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


def random_bytes_in(key: str) -> float:
    """How many random bytes `key` can hold at most, judged by the alphabet it is written in
    (hex carries 4 bits a character, base64 6, other printable text at most 6.5)."""
    if all(c in string.hexdigits for c in key):
        bits = 4.0
    elif all(c in string.ascii_letters + string.digits + "-_+/=" for c in key):
        bits = 6.0
    else:
        bits = math.log2(95)
    return len(key) * bits / 8


def check_secret_key(key: str) -> None:
    """Refuse a production SECRET_KEY that someone could guess: short, or a placeholder."""
    how = f"Make one with: {MAKE_A_SECRET_KEY}"
    if random_bytes_in(key) < MIN_SECRET_KEY_BYTES:
        raise ConfigError(
            f"SECRET_KEY is too short to be safe: it must hold at least "
            f"{MIN_SECRET_KEY_BYTES} random bytes (64 hex or 43 base64 "
            f"characters). {how}"
        )
    spellings = [
        form for word in PLACEHOLDER_WORDS for form in (word, word.upper(), word.capitalize())
    ]
    if any(form in key for form in spellings) or len(set(key)) < 10:
        raise ConfigError(f"SECRET_KEY looks like a placeholder, not a random value. {how}")


LOG_FORMATS = ("json", "plain")


def log_format(environ: Mapping[str, str] | None = None) -> str:
    """How logs are written: LOG_FORMAT, else one JSON object a line in production (for a
    log collector) and plain lines in development."""
    environ = os.environ if environ is None else environ
    chosen = environ.get("LOG_FORMAT", "").strip().lower()
    if not chosen:
        development = environ.get("FEEDBACK_ENV", "production") in ("development", "test")
        return "plain" if development else "json"
    if chosen not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT must be json or plain, not {chosen!r}")
    return chosen


def _list_env(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _check_totp_keys(keys: str | None) -> None:
    """Refuse a malformed TOTP_ENCRYPTION_KEY at start, not at someone's sign-in."""
    if not (keys or "").strip():
        return  # nothing to check: keep cryptography out of every process's start-up
    from cryptography.fernet import Fernet

    for key in (keys or "").split(","):
        if key.strip():
            try:
                Fernet(key.strip())
            except ValueError:
                raise ConfigError(
                    "TOTP_ENCRYPTION_KEY must be Fernet keys, comma-separated: make one with "
                    "python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'"
                ) from None


# Used only outside production, so a local or test service still says who runs it.
DEVELOPMENT_ORGANISATION = "Example Council"


def _local_text_env(name: str, language: str) -> LocalText:
    """NAME in `language`, with translations from NAME_CY, NAME_PL, ... where given."""
    translations = tuple(
        (key[len(name) + 1 :].lower().replace("_", "-"), value.strip())
        for key, value in sorted(os.environ.items())
        if key.startswith(name + "_") and value.strip()
    )
    return LocalText(language, os.environ.get(name, "").strip(), translations)


def organisation_from_env(development: bool) -> Organisation:
    """The organisation that runs the service (docs/adr/0012), from ORGANISATION_* settings."""
    language = os.environ.get("ORGANISATION_LANGUAGE", "en").strip() or "en"
    if not LANGUAGE_CODE.match(language):
        raise ConfigError("ORGANISATION_LANGUAGE must be a language code such as en or cy")
    name = _local_text_env("ORGANISATION_NAME", language)
    if not name and development:
        name = LocalText("en", DEVELOPMENT_ORGANISATION)
    lawful_basis = os.environ.get("LAWFUL_BASIS", DEFAULT_LAWFUL_BASIS).strip()
    if lawful_basis not in LAWFUL_BASES:
        raise ConfigError(f"LAWFUL_BASIS must be one of {', '.join(LAWFUL_BASES)}")
    enforcement = os.environ.get("ACCESSIBILITY_ENFORCEMENT", DEFAULT_ENFORCEMENT).strip()
    if enforcement not in ENFORCEMENT_BODIES:
        raise ConfigError(
            "ACCESSIBILITY_ENFORCEMENT must be ehrc (England, Scotland, Wales) "
            "or ecni (Northern Ireland)"
        )
    return Organisation(
        name=name,
        purpose=_local_text_env("ORGANISATION_PURPOSE", language),
        email=os.environ.get("ORGANISATION_EMAIL", "").strip(),
        phone=os.environ.get("ORGANISATION_PHONE", "").strip(),
        address=os.environ.get("ORGANISATION_ADDRESS", "").strip(),
        website=os.environ.get("ORGANISATION_WEBSITE", "").strip(),
        dpo_email=os.environ.get("DPO_EMAIL", "").strip(),
        lawful_basis=lawful_basis,
        complaints=os.environ.get("COMPLAINTS_URL", "").strip(),
        enforcement=enforcement,
    )


# Settings for staff single sign-on (OpenID Connect): README "Single sign-on" explains them.
_OIDC_SETTINGS = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")


def _is_loopback(url: str) -> bool:
    return urlsplit(url).hostname in ("localhost", "127.0.0.1", "::1")


def _oidc_settings() -> dict[str, Any]:
    """Single sign-on settings from the environment; all empty when it is not set up."""
    issuer = (os.environ.get("OIDC_ISSUER") or "").rstrip("/") or None
    return {
        # The provider's issuer, exactly as its ID tokens name it: tokens naming another
        # issuer are refused. Entra ID: https://login.microsoftonline.com/<tenant-id>/v2.0;
        # Google: https://accounts.google.com.
        "OIDC_ISSUER": issuer,
        # Where the provider describes itself; the issuer's well-known address unless set.
        "OIDC_DISCOVERY_URL": os.environ.get("OIDC_DISCOVERY_URL") or None,
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID") or None,
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET") or None,
        "OIDC_SCOPES": os.environ.get("OIDC_SCOPES", "openid email profile"),
        # What the button says: "Sign in with <name>".
        "OIDC_PROVIDER_NAME": os.environ.get("OIDC_PROVIDER_NAME", "Single sign-on"),
        # A claim listing the person's groups (Entra ID: "groups" or "roles"), and which
        # role each group gives; with a mapping, the provider decides roles at every sign-in.
        "OIDC_GROUPS_CLAIM": os.environ.get("OIDC_GROUPS_CLAIM") or None,
        "OIDC_GROUP_ROLES": _json_env("OIDC_GROUP_ROLES", {}),
        # Claims every ID token must carry with these values, e.g. {"hd": "council.gov.uk"}
        # so that only the council's Google Workspace accounts are let in.
        "OIDC_REQUIRED_CLAIMS": _json_env("OIDC_REQUIRED_CLAIMS", {}),
        # How often a signed-in person's access is confirmed with the provider (its
        # userinfo endpoint refuses a disabled account's token), in seconds.
        "OIDC_RECHECK_SECONDS": _int_env("OIDC_RECHECK_SECONDS", 300),
        # Passwords kept by this service; "false" leaves single sign-on the only way in.
        "LOCAL_PASSWORDS": os.environ.get("LOCAL_PASSWORDS", "true") != "false",
    }


def single_sign_on_enabled(config: dict[str, Any]) -> bool:
    return bool(config.get("OIDC_ISSUER"))


def _check_single_sign_on(config: dict[str, Any], development: bool) -> None:
    """Refuse at start a single sign-on set-up that could not work or would not be safe."""
    if not single_sign_on_enabled(config):
        if any(config.get(name) for name in _OIDC_SETTINGS):
            raise ConfigError("OIDC_ISSUER must be set for single sign-on (OIDC_CLIENT_ID is)")
        if not config["LOCAL_PASSWORDS"]:
            raise ConfigError(
                "LOCAL_PASSWORDS=false needs single sign-on (OIDC_ISSUER and the client "
                "settings): otherwise nobody could sign in"
            )
        return
    missing = [name for name in _OIDC_SETTINGS if not config.get(name)]
    if missing:
        raise ConfigError(f"Single sign-on needs {', '.join(missing)} as well as OIDC_ISSUER")
    for name in ("OIDC_ISSUER", "OIDC_DISCOVERY_URL"):
        url = config.get(name)
        if url and urlsplit(url).scheme != "https" and not (development or _is_loopback(url)):
            raise ConfigError(f"{name} must be an https:// address, not {url!r}")
    _check_group_roles(config)
    if not isinstance(config["OIDC_REQUIRED_CLAIMS"], dict):
        raise ConfigError('OIDC_REQUIRED_CLAIMS must be a JSON object, e.g. {"hd": "example.org"}')
    if not config["OIDC_DISCOVERY_URL"]:
        config["OIDC_DISCOVERY_URL"] = (
            config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration"
        )


def _check_group_roles(config: dict[str, Any]) -> None:
    from feedback.storage.accounts import Role

    mapping = config["OIDC_GROUP_ROLES"]
    if not isinstance(mapping, dict) or any(role not in list(Role) for role in mapping.values()):
        raise ConfigError(
            'OIDC_GROUP_ROLES must map group names to roles, e.g. {"<group-id>": "designer"}; '
            f"roles are {', '.join(Role)}"
        )
    if mapping and not config["OIDC_GROUPS_CLAIM"]:
        raise ConfigError("OIDC_GROUP_ROLES needs OIDC_GROUPS_CLAIM (the claim listing groups)")


def _check_safeguarding(config: dict[str, Any]) -> None:
    if config["NATION"] not in NATIONS:
        raise ConfigError(f"NATION must be one of {', '.join(NATIONS)}, not {config['NATION']!r}")
    signed_on = config["SAFEGUARDING_SIGNED_OFF_ON"]
    if bool(signed_on) != bool(config["SAFEGUARDING_SIGNED_OFF_BY"]):
        raise ConfigError(
            "Set both SAFEGUARDING_SIGNED_OFF_BY (a role) and SAFEGUARDING_SIGNED_OFF_ON "
            "(the date, YYYY-MM-DD), or neither"
        )
    if signed_on:
        try:
            config["SAFEGUARDING_SIGNED_OFF_ON"] = date.fromisoformat(signed_on)
        except ValueError:
            raise ConfigError(
                f"SAFEGUARDING_SIGNED_OFF_ON must be a date like 2026-11-20, not {signed_on!r}"
            ) from None


def _check_production(config: dict[str, Any]) -> None:
    """What production needs to be safe behind a load balancer, checked before it starts."""
    check_secret_key(config["SECRET_KEY"])
    public_url = config["PUBLIC_URL"] or ""
    address = urlsplit(public_url)
    if address.scheme != "https" or not address.hostname:
        raise ConfigError(
            "PUBLIC_URL must be set to the https:// address people reach the "
            "service at (e.g. https://feedback.example.gov.uk): printed links "
            "and QR codes use it, never the Host header of a request"
        )
    if not config["TRUSTED_HOSTS"]:
        config["TRUSTED_HOSTS"] = [address.hostname]
    if not config["ORGANISATION"].name:
        raise ConfigError(
            "ORGANISATION_NAME must be set: every survey and privacy notice says who runs "
            "it (see README, Configuration)"
        )


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
        # Host names requests may carry (others get 400); in production PUBLIC_URL's
        # host unless set. Add a load balancer's health-check host here if it differs.
        "TRUSTED_HOSTS": _list_env("TRUSTED_HOSTS") or None,
        # How many reverse proxies in front of the app add X-Forwarded-For (and -Proto):
        # only their entries are believed; 0 means clients reach the app directly.
        "TRUSTED_PROXIES": _int_env("TRUSTED_PROXIES", 0),
        # Fernet keys (comma-separated, the first encrypts) for TOTP secrets at rest;
        # without one, a key is derived from SECRET_KEY.
        "TOTP_ENCRYPTION_KEY": os.environ.get("TOTP_ENCRYPTION_KEY") or None,
        "DISCLOSURE_THRESHOLD": _int_env("DISCLOSURE_THRESHOLD", 10),
        "DRAFT_LIFETIME_MINUTES": _int_env("DRAFT_LIFETIME_MINUTES", 120),
        # How long a process keeps a link, its survey and notes before reading them again:
        # other processes see a staff action (closing a link, publishing) within this long,
        # the process that made it at once (feedback/respondent/cache.py).
        "RESPONDENT_CACHE_SECONDS": _int_env("RESPONDENT_CACHE_SECONDS", 5),
        # Respondent pages' frame (head, exit bar, header, footer) rendered once per
        # language, audience and kind of link (feedback/web/frame.py); off renders it each time.
        "RESPONDENT_FRAME_CACHE": os.environ.get("RESPONDENT_FRAME_CACHE", "true") != "false",
        # Respondent pages post a page of answers at a time: 64 KB is ample.
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "MAX_FORM_PARTS": 200,
        # A neutral page that shows nothing personal, as GOV.UK's Exit this page uses.
        "EXIT_URL": os.environ.get("EXIT_URL", "https://www.bbc.co.uk/weather"),
        # One JSON object a line (production's default) or plain lines (development's).
        "LOG_FORMAT": log_format({**os.environ, "FEEDBACK_ENV": env}),
        # Languages offered to respondents: English and the shipped catalogues by default.
        "LANGUAGES": os.environ.get("LANGUAGES", SHIPPED_LANGUAGES).split(","),
        # A kiosk (shared tablet) asks "Are you still there?" after this long without a
        # touch and resets KIOSK_WARNING_SECONDS later; without JavaScript, after 20 minutes.
        "KIOSK_IDLE_SECONDS": _int_env("KIOSK_IDLE_SECONDS", 90),
        "KIOSK_WARNING_SECONDS": 30,
        "KIOSK_NO_SCRIPT_RESET_SECONDS": 1200,
        "KIOSK_DONE_SECONDS": 20,
        "LOCAL_HELPLINES": _json_env("LOCAL_HELPLINES", []),
        # Who runs the service, for every start page, privacy notice and the accessibility
        # statement (surveys may override it); docs/adr/0012.
        "ORGANISATION": organisation_from_env(development),
        # The day the accessibility statement was last checked against the service.
        "ACCESSIBILITY_REVIEWED": os.environ.get("ACCESSIBILITY_REVIEWED", "2026-12-03"),
        # The nation whose safeguarding rules the bank's privacy texts name (england, wales).
        "NATION": os.environ.get("NATION", "england").strip().lower(),
        # Who signed off the bank's promise about passing on worries (a role, never a name),
        # and when (YYYY-MM-DD): shown to designers before they publish.
        "SAFEGUARDING_SIGNED_OFF_BY": os.environ.get("SAFEGUARDING_SIGNED_OFF_BY", "").strip(),
        "SAFEGUARDING_SIGNED_OFF_ON": os.environ.get("SAFEGUARDING_SIGNED_OFF_ON", "").strip(),
        # Rate limits per client (a school's whole class may share one address: generous).
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "true") != "false",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Redis unreachable: count in this process's memory instead of refusing requests,
        # and give up on a connection quickly so pages do not wait for it.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Failed tries per account, from anywhere: guessing spread over many addresses.
        "ACCOUNT_SIGN_IN_LIMIT": os.environ.get("ACCOUNT_SIGN_IN_LIMIT", "10 per 15 minutes"),
        "TWO_STEP_CODE_LIMIT": os.environ.get("TWO_STEP_CODE_LIMIT", "5 per 15 minutes"),
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
        # Flask-WTF's extra check for HTTPS requests wants a Referer from this host, and
        # every page sends Referrer-Policy: no-referrer (Exit this page must not tell the
        # neutral site where the person was), so browsers send none and every form posted
        # over HTTPS was refused. The token, and the SameSite=Lax cookie it lives in
        # (HTTPS-only, with HSTS for subdomains too), are the protection.
        "WTF_CSRF_SSL_STRICT": False,
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "text/csv",
            "image/svg+xml",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIN_SIZE": 256,
        **_oidc_settings(),
    }
    config.update(overrides)
    if not config["SECRET_KEY"]:
        if not development:
            raise ConfigError(
                f"SECRET_KEY is not set. Set it to a long random value ({MAKE_A_SECRET_KEY}), "
                "or set FEEDBACK_ENV=development for a local key."
            )
        config["SECRET_KEY"] = _development_secret_key()
    if not development:
        _check_production(config)
    _check_totp_keys(config["TOTP_ENCRYPTION_KEY"])
    try:
        date.fromisoformat(config["ACCESSIBILITY_REVIEWED"])
    except ValueError:
        raise ConfigError("ACCESSIBILITY_REVIEWED must be a date such as 2026-12-03") from None
    _check_single_sign_on(config, development)
    _check_safeguarding(config)
    if config["DISCLOSURE_THRESHOLD"] < 5:
        raise ConfigError("DISCLOSURE_THRESHOLD cannot be below 5")
    return config
