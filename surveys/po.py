"""Reading, checking and writing gettext .po files, for survey text and the interface.

A translation must carry the same placeholders (%(name)s) and the same markup
tags as its source: a translator cannot add a link, a script or a missing
variable. Problems are collected with the message they belong to.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po

from surveys.i18n import Entry, SurveyCatalogue, survey_messages
from surveys.model import Survey

MAX_PO_BYTES = 2_000_000
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
# Whether a fluent speaker has reviewed a catalogue is recorded in its header comment,
# which every .po tool keeps: "# Review: draft ..." or "# Review: reviewed ...".
REVIEW_LINE = re.compile(r"^# Review: (\w+)", re.MULTILINE)
DRAFT_NOTE = "# Review: draft - not yet reviewed by a fluent speaker."


class PoProblem(ValueError):
    """A .po file cannot be used; `problems` says why, message by message."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class PoFile:
    catalog: Catalog
    reviewed: bool


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


def tags(text: str) -> list[str]:
    return sorted(m.group(0) for m in TAG.finditer(text))


def message_problems(source: str, translation: str, where: str) -> list[str]:
    """Placeholder and markup differences between a source and its translation."""
    problems = []
    if placeholders(source) != placeholders(translation):
        problems.append(
            f"{where}: the placeholders must be {placeholders(source) or 'none'}, "
            f"not {placeholders(translation) or 'none'}"
        )
    if tags(source) != tags(translation):
        problems.append(
            f"{where}: the markup must be {tags(source) or 'none'}, "
            f"not {tags(translation) or 'none'}"
        )
    return problems


def read_po_bytes(data: bytes, locale: str | None = None) -> PoFile:
    """Parse a .po file strictly: UTF-8, well formed, translations that fit their sources."""
    if len(data) > MAX_PO_BYTES:
        raise PoProblem([f"the file is larger than {MAX_PO_BYTES // 1_000_000} MB"])
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PoProblem([f"the file is not UTF-8 text (byte {exc.start})"]) from None
    try:
        catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeError) as exc:
        raise PoProblem([f"the file is not a valid .po file ({exc})"]) from None
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        # A plural message's id and string are (singular, plural, ...) sequences.
        sources = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        strings = (message.string,) if isinstance(message.string, str) else tuple(message.string)
        where = f"message {message.context + ': ' if message.context else ''}{sources[0]!r}"
        for translation in strings:
            if translation:
                problems.extend(message_problems(sources[-1], translation, where))
    if problems:
        raise PoProblem(problems)
    return PoFile(catalog, is_reviewed(catalog))


def is_reviewed(catalog: Catalog) -> bool:
    """True when the header comment says a fluent speaker reviewed the catalogue."""
    found = REVIEW_LINE.search(catalog.header_comment or "")
    return found is not None and found.group(1).lower() == "reviewed"


def header_comment(title: str, reviewed: bool, note: str = "") -> str:
    review = (
        f"# Review: reviewed by a fluent speaker{' (' + note + ')' if note else ''}."
        if reviewed
        else DRAFT_NOTE
    )
    return f"# {title}\n{review}"


def compile_po(catalog: Catalog) -> bytes:
    """The .mo form of a catalogue (fuzzy entries left out), as gettext loads it."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def survey_catalogue(po: PoFile) -> SurveyCatalogue:
    """A survey's translations, keyed by message context."""
    entries = {}
    for message in po.catalog:
        if message.context and isinstance(message.id, str) and isinstance(message.string, str):
            entries[message.context] = Entry(
                source=message.id, translation=message.string, fuzzy=message.fuzzy
            )
    return SurveyCatalogue(entries)


def survey_po(
    survey: Survey,
    locale: str | None = None,
    existing: SurveyCatalogue | None = None,
    reviewed: bool = False,
    review_note: str = "",
) -> bytes:
    """A .po (or, without a locale, a .pot) of a survey, keeping up-to-date translations.

    A translation made for older English is kept but marked fuzzy, with the old English
    as the previous msgid, so a translator sees exactly what changed.
    """
    language = f"{locale} translation" if locale else "Translation template"
    catalog = Catalog(
        locale=locale,
        project=f"survey {survey.id}",
        domain=survey.id,
        header_comment=header_comment(
            f'{language} of the survey "{survey.id}".', reviewed, review_note
        )
        if locale
        else f'# {language} of the survey "{survey.id}".',
        creation_date=datetime(2026, 1, 1, tzinfo=UTC),
        revision_date=datetime(2026, 1, 1, tzinfo=UTC),
        fuzzy=False,
    )
    for message in survey_messages(survey):
        entry = existing.entries.get(message.context) if existing else None
        string = ""
        flags: tuple[str, ...] = ()
        previous: str | tuple[str, ...] = ()  # babel's "no previous msgid"
        if entry is not None and entry.translation:
            string = entry.translation
            if entry.source != message.text or entry.fuzzy:
                flags, previous = ("fuzzy",), entry.source
        catalog.add(
            message.text, string, context=message.context, flags=flags, previous_id=previous
        )
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_previous=True, omit_header=False)
    return buffer.getvalue()
