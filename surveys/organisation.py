"""Who runs a survey: the organisation respondents are told about, and the facts its privacy
notice and accessibility statement are built from.

A deployment has one organisation (the environment, read by feedback.config); a survey run in
partnership may override any of it in its file (`organisation:`, see docs/survey-format.md).
The organisation's own words (its name, what the service is for) are written in its own
language and may come translated; where a page's language has none, the page shows them
marked with the language they are in.

No Flask here: the survey loader reads the override, the app reads the deployment's settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

# UK GDPR Article 6(1) bases a survey like this can rest on; a council's consultation is
# usually a public task (6(1)(e)), so that is the default.
LAWFUL_BASES = ("public_task", "consent", "legitimate_interests", "legal_obligation")
DEFAULT_LAWFUL_BASIS = "public_task"
# Who enforces the accessibility regulations: the Equality and Human Rights Commission in
# England, Scotland and Wales; the Equality Commission for Northern Ireland there.
ENFORCEMENT_BODIES = ("ehrc", "ecni")
DEFAULT_ENFORCEMENT = "ehrc"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class LocalText:
    """Text the organisation wrote: in its own language, and in any others it gave."""

    language: str
    text: str
    translations: tuple[tuple[str, str], ...] = ()

    def in_language(self, language: str) -> tuple[str, str]:
        """(text, the language it is in) for a page in `language`: its translation if there is
        one, else the original, whose language the page must then mark."""
        if language == self.language:
            return self.text, self.language
        for code, text in self.translations:
            if code == language:
                return text, code
        return self.text, self.language

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True)
class Organisation:
    """Everything respondents are told about who asks, and how to reach them."""

    name: LocalText
    # What the service is for, in the organisation's words; empty: the service's own words.
    purpose: LocalText
    email: str = ""
    phone: str = ""
    address: str = ""
    website: str = ""
    dpo_email: str = ""
    # Whether the deployment's own helplines (LOCAL_HELPLINES) apply to this survey: a survey
    # run with a partner in another area says false, so nobody is sent to the wrong place.
    local_helplines: bool = True
    lawful_basis: str = DEFAULT_LAWFUL_BASIS
    # Where to complain to the organisation itself first (a web page or an e-mail address).
    complaints: str = ""
    enforcement: str = DEFAULT_ENFORCEMENT

    @property
    def data_protection_contact(self) -> str:
        """The DPO's address, or the organisation's when it gave no separate one."""
        return self.dpo_email or self.email


# Fields a survey may override, and the kind of value each takes.
_TEXT_FIELDS = ("name", "purpose")
_STRING_FIELDS = ("email", "phone", "address", "website", "dpo_email", "complaints")
OVERRIDE_KEYS = frozenset(
    {*_TEXT_FIELDS, *_STRING_FIELDS, "language", "local_helplines", "lawful_basis"}
)


@dataclass(frozen=True)
class OrganisationOverride:
    """What one survey's file says about who runs it; None keeps the deployment's value."""

    name: LocalText | None = None
    purpose: LocalText | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    website: str | None = None
    dpo_email: str | None = None
    local_helplines: bool | None = None
    lawful_basis: str | None = None
    complaints: str | None = None


def apply_override(base: Organisation, override: OrganisationOverride | None) -> Organisation:
    """The organisation a survey names: the deployment's, with the survey's own values."""
    if override is None:
        return base
    changes = {
        f.name: getattr(override, f.name)
        for f in fields(override)
        if getattr(override, f.name) is not None
    }
    return replace(base, **changes)


def local_text(value: Any, language: str, where: str, problems: list[str]) -> LocalText | None:
    """Text given as a string (in `language`) or as {language: text, ...}, the first being
    the original."""
    if isinstance(value, str) and value.strip():
        return LocalText(language, value.strip())
    if isinstance(value, Mapping) and value:
        pairs = [(str(code), text) for code, text in value.items()]
        bad = [code for code, text in pairs if not LANGUAGE_CODE.match(code)]
        if bad or not all(isinstance(text, str) and text.strip() for _code, text in pairs):
            problems.append(
                f"{where} must be text, or language codes each with text (e.g. en: ..., cy: ...)"
            )
            return None
        (first_code, first_text), *rest = pairs
        return LocalText(first_code, first_text.strip(), tuple((c, t.strip()) for c, t in rest))
    problems.append(f"{where} must be text")
    return None


def parse_override(raw: Any) -> tuple[OrganisationOverride | None, list[str]]:
    """A survey file's `organisation:` mapping, and every problem with it."""
    if raw is None:
        return None, []
    if not isinstance(raw, Mapping):
        return None, ["organisation must be a mapping of fields (name, email, ...)"]
    problems = [f"organisation: unknown field '{key}'" for key in sorted(set(raw) - OVERRIDE_KEYS)]
    language = raw.get("language", "en")
    if not isinstance(language, str) or not LANGUAGE_CODE.match(language):
        problems.append("organisation: language must be a language code such as en or cy")
        language = "en"
    values: dict[str, Any] = {}
    for key in _TEXT_FIELDS:
        if key in raw:
            values[key] = local_text(raw[key], language, f"organisation: {key}", problems)
    values.update(_strings(raw, problems))
    values.update(_choices(raw, problems))
    if problems:
        return None, problems
    return OrganisationOverride(**values), []


def _strings(raw: Mapping[str, Any], problems: list[str]) -> dict[str, str]:
    """The contact fields: non-empty text, addresses that look like addresses."""
    values = {}
    for key in _STRING_FIELDS:
        if key not in raw:
            continue
        if isinstance(raw[key], str) and raw[key].strip():
            values[key] = raw[key].strip()
        else:
            problems.append(f"organisation: {key} must be text")
    for key in ("email", "dpo_email"):
        if key in values and not EMAIL.match(values[key]):
            problems.append(f"organisation: {key} must be an e-mail address")
    return values


def _choices(raw: Mapping[str, Any], problems: list[str]) -> dict[str, Any]:
    """local_helplines (true or false) and lawful_basis (one of LAWFUL_BASES)."""
    values: dict[str, Any] = {}
    if "local_helplines" in raw:
        if isinstance(raw["local_helplines"], bool):
            values["local_helplines"] = raw["local_helplines"]
        else:
            problems.append("organisation: local_helplines must be true or false")
    if "lawful_basis" in raw:
        if raw["lawful_basis"] in LAWFUL_BASES:
            values["lawful_basis"] = raw["lawful_basis"]
        else:
            problems.append(f"organisation: lawful_basis must be one of {', '.join(LAWFUL_BASES)}")
    return values


def override_to_dict(override: OrganisationOverride) -> dict[str, Any]:
    """The `organisation:` mapping a survey file writes for `override` (see parse_override)."""
    data: dict[str, Any] = {}
    texts = [getattr(override, key) for key in _TEXT_FIELDS if getattr(override, key)]
    if texts:
        data["language"] = texts[0].language
    for key in _TEXT_FIELDS:
        text: LocalText | None = getattr(override, key)
        if text is None:
            continue
        if text.translations or text.language != data["language"]:
            data[key] = {text.language: text.text, **dict(text.translations)}
        else:
            data[key] = text.text
    for key in (*_STRING_FIELDS, "local_helplines", "lawful_basis"):
        value = getattr(override, key)
        if value is not None:
            data[key] = value
    return data
