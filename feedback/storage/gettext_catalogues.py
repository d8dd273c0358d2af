"""Catalogues on disk: the interface (`messages`, `staff`) and the shipped surveys.

Layout under translations/:
    messages.pot, staff.pot                  extracted from the code and templates
    <lang>/LC_MESSAGES/messages.po           what respondents see (complete for each language)
    <lang>/LC_MESSAGES/staff.po              what design teams see (optional)
    surveys/<survey id>/<survey id>.pot      one survey's text
    surveys/<survey id>/<lang>.po            its translation

.po files are the source of truth: they are compiled in memory when loaded,
so there is no build step and no .mo file to forget.

Every message in messages.pot has a context naming its audience (`young_people` or
`parents`), so each language can speak to each in its own register. Respondent code says
`say(...)` (or `N_` for a built-in answer label) and extraction writes the message once
for each audience; a page for one audience only uses `pgettext(audience, ...)`.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, cast

from babel.messages.catalog import Message
from babel.messages.pofile import read_po
from babel.support import Translations

from feedback.config import ROOT, TRANSLATIONS_DIR
from feedback.config import SHIPPED_LANGUAGES as SHIPPED
from surveys import Survey, bank_files, load_survey
from surveys.po import (
    PoProblem,
    compile_po,
    is_reviewed,
    read_po_bytes,
    survey_catalogue,
    survey_po,
)

# English plus the languages most spoken in England and Wales (Census 2021), Welsh first.
SHIPPED_LANGUAGES = tuple(SHIPPED.split(","))
DOMAINS = {"messages": "babel.cfg", "staff": "babel-staff.cfg"}
EXTRACT_OPTIONS = [
    "-k",
    "_l",
    "-k",
    "N_",
    "-k",
    "pgettext:1c,2",
    "-k",
    "npgettext:1c,2,3",
    "--no-location",
    "--sort-output",
    "--omit-header",
    "--width=100",
]
# The gettext contexts of the respondent catalogue, one per audience (web.locale uses them).
AUDIENCE_CONTEXTS = ("young_people", "parents")
# Respondent keywords whose message is shown to both audiences: which arguments are text.
_SAID_TO_BOTH = {"say": (0,), "say_to": (1,), "say_n": (0, 1), "N_": (0,)}
# (line, function name, its message or messages, translator comments), as extractors yield.
_Extracted = tuple[int, str, str | None | tuple[str | None, ...], list[str]]


def ui_po_path(language: str, domain: str = "messages") -> Path:
    return TRANSLATIONS_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def survey_dir(survey_id: str) -> Path:
    return TRANSLATIONS_DIR / "surveys" / survey_id


def survey_po_path(survey_id: str, language: str) -> Path:
    return survey_dir(survey_id) / f"{language}.po"


def extract_ui(target_dir: Path = TRANSLATIONS_DIR) -> list[Path]:
    """Write messages.pot and staff.pot from the code and templates."""
    # Babel's command line and extractors are imported by the commands that use them,
    # not by every server process that reads catalogues.
    from babel.messages.frontend import CommandLineInterface

    written = []
    for domain, config in DOMAINS.items():
        output = target_dir / f"{domain}.pot"
        CommandLineInterface().run(
            [
                "pybabel",
                "--quiet",
                "extract",
                "-F",
                str(ROOT / config),
                *EXTRACT_OPTIONS,
                "-o",
                str(output),
                str(ROOT),
            ]
        )
        written.append(output)
    return written


def extract_python_for_audiences(
    fileobj: BinaryIO,
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[_Extracted]:
    """Babel's Python extractor, with `say` and `N_` messages written once per audience."""
    from babel.messages.extract import extract_python

    # Babel annotates extract_python with other types than it is called with and yields:
    # babel.messages.extract passes keyword names and a plain dict of options, and it
    # yields (line, function name, messages, comments) like every extractor.
    found = extract_python(
        fileobj,
        [*keywords, *_SAID_TO_BOTH],  # type: ignore[arg-type]
        comment_tags,
        options,  # type: ignore[arg-type]
    )
    return _once_per_audience(cast(Iterator[_Extracted], found))


def extract_jinja_for_audiences(
    fileobj: BinaryIO,
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[_Extracted]:
    """Jinja's extractor, with `say` and `say_n` messages written once per audience."""
    from jinja2.ext import babel_extract

    found = babel_extract(fileobj, [*keywords, *_SAID_TO_BOTH], list(comment_tags), dict(options))
    return _once_per_audience(found)


def _once_per_audience(found: Iterator[_Extracted]) -> Iterator[_Extracted]:
    for lineno, keyword, messages, comments in found:
        positions = _SAID_TO_BOTH.get(keyword)
        if positions is None:
            yield lineno, keyword, messages, comments
            continue
        strings = messages if isinstance(messages, tuple) else (messages,)
        texts = tuple(strings[i] if i < len(strings) else None for i in positions)
        if not all(isinstance(text, str) for text in texts):
            continue  # say(variable): nothing to extract, as with gettext(variable)
        with_context = "npgettext" if len(texts) == 2 else "pgettext"
        for context in AUDIENCE_CONTEXTS:
            yield lineno, with_context, (context, *texts), comments


def extract_surveys(target_dir: Path = TRANSLATIONS_DIR) -> list[Path]:
    """Write one .pot per shipped survey."""
    written = []
    for path in bank_files():
        survey = load_survey(path)
        output = target_dir / "surveys" / survey.id / f"{survey.id}.pot"
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(survey_po(survey))
        written.append(output)
    return written


def update_ui(language: str) -> Path:
    """Create or update a language's interface catalogue from messages.pot."""
    from babel.messages.frontend import CommandLineInterface

    path = ui_po_path(language)
    template = str(TRANSLATIONS_DIR / "messages.pot")
    command = "update" if path.exists() else "init"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            command,
            "-D",
            "messages",
            "-i",
            template,
            "-d",
            str(TRANSLATIONS_DIR),
            "-l",
            language,
            "--width=100",
            *(["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []),
        ]
    )
    return path


def update_survey(survey: Survey, language: str) -> Path:
    """Create or update one survey's catalogue for a language, keeping what still fits."""
    path = survey_po_path(survey.id, language)
    existing, reviewed = None, False
    if path.exists():
        po = read_po_bytes(path.read_bytes(), language)
        existing, reviewed = survey_catalogue(po), po.reviewed
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(survey_po(survey, language, existing, reviewed))
    return path


# A reviewer's correction: (context, English, translated forms), laid over the shipped text.
Correction = tuple[str, str, tuple[str, ...]]


@lru_cache(maxsize=64)
def _compiled(
    language: str, _mtimes: tuple[float, ...], corrections: tuple[Correction, ...] = ()
) -> Translations:
    from feedback.storage.translation_reviews import apply_corrections

    loaded = []
    for domain in DOMAINS:
        path = ui_po_path(language, domain)
        if path.exists():
            catalog = read_po(io.BytesIO(path.read_bytes()), locale=language)
            if domain == "messages":
                apply_corrections(catalog, corrections)
            loaded.append(Translations(fp=io.BytesIO(compile_po(catalog)), domain=domain))
    if not loaded:
        return Translations()
    # The first catalogue keeps its plural rule (merge() would not copy it: Welsh has six).
    merged = loaded[0]
    for extra in loaded[1:]:
        merged.merge(extra)
    return merged


def ui_translations(language: str, corrections: tuple[Correction, ...] = ()) -> Translations:
    """The interface in `language` (messages and staff merged), with reviewers' corrections
    to the respondent text laid over it; recompiled when a file or a correction changes."""
    mtimes = tuple(
        p.stat().st_mtime if p.exists() else 0.0 for p in (ui_po_path(language, d) for d in DOMAINS)
    )
    return _compiled(language, mtimes, corrections)


def check_language(language: str) -> list[str]:
    """Problems with a language's respondent catalogues: unreadable, incomplete or mismatched.

    Every message must be translated (none empty, none fuzzy) with the placeholders
    and markup of its source; survey catalogues must match their current English.
    """
    problems = _check_ui(language)
    for path in bank_files():
        survey = load_survey(path)
        po_path = survey_po_path(survey.id, language)
        if not po_path.exists():
            problems.append(f"{po_path.relative_to(ROOT)}: missing")
            continue
        try:
            catalogue = survey_catalogue(read_po_bytes(po_path.read_bytes(), language))
        except PoProblem as exc:
            problems.extend(f"{po_path.relative_to(ROOT)}: {p}" for p in exc.problems)
            continue
        status = catalogue.status(survey)
        if status["translated"] != status["total"]:
            problems.append(
                f"{po_path.relative_to(ROOT)}: {status['missing']} missing and "
                f"{status['stale']} stale of {status['total']} messages"
            )
    return problems


def _check_ui(language: str) -> list[str]:
    path = ui_po_path(language)
    where = path.relative_to(ROOT)
    if not path.exists():
        return [f"{where}: missing"]
    try:
        po = read_po_bytes(path.read_bytes(), language)
    except PoProblem as exc:
        return [f"{where}: {p}" for p in exc.problems]
    template = read_po(io.BytesIO((TRANSLATIONS_DIR / "messages.pot").read_bytes()))
    problems = []
    for message in template:
        if not message.id:
            continue
        if not _translated(po.catalog.get(message.id, message.context)):
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            problems.append(f"{where}: not translated: {key!r}")
    return problems


def _translated(found: Message | None) -> bool:
    """Whether a catalogue's message has every form translated and is not a draft guess."""
    if found is None or found.fuzzy or not found.string:
        return False
    return isinstance(found.string, str) or all(found.string)


def ui_status(language: str) -> dict[str, int | bool]:
    """How much of the respondent interface a language covers, and whether it was reviewed."""
    template = read_po(io.BytesIO((TRANSLATIONS_DIR / "messages.pot").read_bytes()))
    total = sum(1 for m in template if m.id)
    path = ui_po_path(language)
    if not path.exists():
        return {"total": total, "translated": 0, "reviewed": False}
    catalog = read_po(io.BytesIO(path.read_bytes()), locale=language)
    translated = 0
    for message in template:
        if message.id and _translated(catalog.get(message.id, message.context)):
            translated += 1
    return {"total": total, "translated": translated, "reviewed": is_reviewed(catalog)}
