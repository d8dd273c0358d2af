"""Fluent speakers' reviews of the respondent catalogue, message by message (ADR 0011).

The shipped catalogue (translations/<lang>/LC_MESSAGES/messages.po) stays the source every
translator works on. A reviewer accepts each message as it is or corrects it; both are kept
here, per language and message, with the English they were made for. A correction is laid
over the shipped catalogue when respondent pages load it, and `feedback translations
apply-reviews` writes corrections and the review header back into the .po file.

A message is *reviewed* when its review was made for its current English and, if it was
accepted rather than corrected, for its current translation too. Anything else is *draft*:
never reviewed, or *changed since review* (the English or the shipped translation moved
on), which needs a reviewer again. A language is reviewed once it was marked so and no
message is draft; a later change to the English makes it draft again.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, unescape, write_po
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.storage import gettext_catalogues
from feedback.storage.gettext_catalogues import Correction
from feedback.storage.glossary import Term, terms_in
from feedback.storage.models import LanguageReview, TranslationReview
from feedback.storage.survey_versions import latest_version, survey_of
from surveys import Survey
from surveys.i18n import Entry, survey_messages
from surveys.po import message_problems

INTERFACE = "messages"
SURVEY_PREFIX = "survey:"
DRAFT, CHANGED, REVIEWED = "draft", "changed", "reviewed"

_REVIEW_HEADERS = ("X-Reviewed-By", "X-Review-Date")
# The header comment's review line, whole (surveys.po reads only its first word).
_WHOLE_REVIEW_LINE = re.compile(r"^# Review: .*$", re.MULTILINE)


@dataclass(frozen=True)
class ShippedMessage:
    """One message of the respondent catalogue as shipped: its English and translation."""

    key: str
    context: str
    english: tuple[str, ...]  # (singular,) or (singular, plural)
    translation: tuple[str, ...]  # one string per plural form
    notes: tuple[str, ...]
    previous_english: str | None  # "#| msgid": the English the translation was made for
    # Marked fuzzy (made for other English): respondents see the English until it is reviewed.
    fuzzy: bool = False
    # Who reads it (the glossary's context): the interface's own context, a survey's audience.
    audience: str | None = None


@dataclass(frozen=True)
class ReviewedMessage:
    """A message as a reviewer sees it: the translation respondents get, and its state."""

    shipped: ShippedMessage
    translation: tuple[str, ...]
    state: str  # DRAFT, CHANGED or REVIEWED
    corrected: bool
    reviewed_on: date | None

    @property
    def key(self) -> str:
        return self.shipped.key


@dataclass(frozen=True)
class LanguageState:
    """A language's catalogue as a whole: counts by state and who marked it reviewed."""

    total: int
    reviewed: int
    changed: int
    marked_by_role: str | None
    marked_on: date | None

    @property
    def drafts(self) -> int:
        return self.total - self.reviewed

    @property
    def is_reviewed(self) -> bool:
        return self.marked_on is not None and self.drafts == 0


class CorrectionRefused(ValueError):
    """A correction was not saved; `problems` says why, in words a reviewer can act on."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class NotYetReviewable(ValueError):
    """A language cannot be marked reviewed while any message is still draft."""


def message_key(context: str, english: str) -> str:
    """A message's stable name in addresses and the database: its context and English."""
    return hashlib.sha256(f"{context}\x04{english}".encode()).hexdigest()[:32]


def _po_path(language: str) -> Path:
    return gettext_catalogues.ui_po_path(language, INTERFACE)


def _template_path() -> Path:
    return gettext_catalogues.TRANSLATIONS_DIR / f"{INTERFACE}.pot"


def _strings(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def shipped_messages(language: str) -> tuple[ShippedMessage, ...]:
    """The respondent catalogue's messages in template order, with `language`'s translations."""
    paths = (_template_path(), _po_path(language))
    mtimes = tuple(p.stat().st_mtime if p.exists() else 0.0 for p in paths)
    return _read_shipped(language, paths, mtimes)


@lru_cache(maxsize=32)
def _read_shipped(
    language: str, paths: tuple[Path, Path], _mtimes: tuple[float, ...]
) -> tuple[ShippedMessage, ...]:
    template = read_po(io.BytesIO(paths[0].read_bytes()))
    translated = (
        read_po(io.BytesIO(paths[1].read_bytes()), locale=language)
        if paths[1].exists()
        else Catalog(locale=language)
    )
    earlier_english = _previous_english(paths[1].read_text("utf-8")) if paths[1].exists() else {}
    found = []
    for message in template:
        if not message.id:
            continue
        english = _strings(message.id)
        context = message.context or ""
        po_message = translated.get(english[0], message.context)
        strings = _strings(po_message.string if po_message else "")
        notes = tuple(message.auto_comments) + (
            tuple(po_message.auto_comments) + tuple(po_message.user_comments) if po_message else ()
        )
        previous = earlier_english.get((context, english[0]), "")
        found.append(
            ShippedMessage(
                message_key(context, english[0]),
                context,
                english,
                strings,
                tuple(dict.fromkeys(notes)),
                previous or None,
                bool(po_message and po_message.fuzzy),
                context or None,
            )
        )
    return tuple(found)


def _previous_english(raw: str) -> dict[tuple[str, str], str]:
    """(context, English) -> the English its translation was made for, from the "#| msgid"
    comments msgmerge and Poedit write on an update (Babel's reader drops them)."""
    found = {}
    for block in raw.split("\n\n"):
        fields: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in block.splitlines():
            for prefix, name in (
                ("#| msgid ", "previous"),
                ("msgctxt ", "context"),
                ("msgid ", "id"),
            ):
                if line.startswith(prefix):
                    current = fields.setdefault(name, [])
                    current.append(line[len(prefix) :])
                    break
            else:
                if current is not None and line.startswith(('"', '#| "')):
                    current.append(line.removeprefix("#| "))
                else:
                    current = None
        if "previous" in fields and "id" in fields:
            key = (_unquoted(fields.get("context", [])), _unquoted(fields["id"]))
            found[key] = _unquoted(fields["previous"])
    return found


def _unquoted(parts: list[str]) -> str:
    return "".join(unescape(part.strip()) for part in parts)


def survey_catalogue_name(survey_id: int) -> str:
    """The review catalogue of one survey's own text (stored in survey_translations)."""
    return f"{SURVEY_PREFIX}{survey_id}"


def survey_review_messages(
    db: Session, survey_id: int, survey: Survey, language: str
) -> tuple[ShippedMessage, ...]:
    """A survey's messages with their stored translation; one made for older English is
    offered to the reviewer as fuzzy, with that English as the previous one."""
    from feedback.storage.survey_translations import catalogue_for

    found = catalogue_for(db, survey_id, language)
    entries = found[1].entries if found else {}
    messages = []
    for message in survey_messages(survey):
        entry = entries.get(message.context)
        moved = entry is not None and entry.source != message.text
        messages.append(
            ShippedMessage(
                message_key(message.context, message.text),
                message.context,
                (message.text,),
                (entry.translation if entry else "",),
                (),
                entry.source if entry is not None and moved else None,
                entry is not None and (entry.fuzzy or moved),
                survey.audience,
            )
        )
    return tuple(messages)


def catalogue_messages(db: Session, catalogue: str, language: str) -> tuple[ShippedMessage, ...]:
    if not catalogue.startswith(SURVEY_PREFIX):
        return shipped_messages(language)
    survey_id = int(catalogue.removeprefix(SURVEY_PREFIX))
    version = latest_version(db, survey_id)
    if version is None:
        return ()
    return survey_review_messages(db, survey_id, survey_of(version), language)


def register_notes(language: str) -> dict[str, str]:
    """The catalogue header's register note for each context, and for "Both" of them."""
    path = _po_path(language)
    if not path.exists():
        return {}
    header = path.read_text(encoding="utf-8").split('msgid ""', 1)[0]
    notes: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in header.splitlines():
        text = line[1:].rstrip() if line.startswith("#") else ""
        label = re.match(r"^ {1,3}(\w+):\s*(.*)$", text)
        if label:
            current = notes.setdefault(label.group(1), [])
            current.append(label.group(2))
        elif current is not None and text.startswith("    "):
            current.append(text.strip())
        else:
            current = None
    return {name: " ".join(parts) for name, parts in notes.items()}


def _reviews(db: Session, language: str, catalogue: str) -> dict[str, TranslationReview]:
    rows = db.scalars(
        select(TranslationReview).where(
            TranslationReview.catalogue == catalogue, TranslationReview.language == language
        )
    )
    return {row.message_key: row for row in rows}


def reviewed_messages(
    db: Session, language: str, catalogue: str = INTERFACE
) -> list[ReviewedMessage]:
    """Every message of a catalogue with its review state in `language`."""
    reviews = _reviews(db, language, catalogue)
    return [
        _with_review(message, reviews) for message in catalogue_messages(db, catalogue, language)
    ]


def _with_review(message: ShippedMessage, reviews: dict[str, TranslationReview]) -> ReviewedMessage:
    review = reviews.get(message.key)
    if review is None:
        earlier = (
            reviews.get(message_key(message.context, message.previous_english))
            if message.previous_english
            else None
        )
        state = CHANGED if earlier is not None else DRAFT
        return ReviewedMessage(message, message.translation, state, False, None)
    forms = tuple(review.translation)
    if review.corrected:
        return ReviewedMessage(message, forms, REVIEWED, True, review.reviewed_on)
    # Accepted, but the shipped translation has changed since: it needs another look.
    state = REVIEWED if forms == message.translation else CHANGED
    return ReviewedMessage(message, message.translation, state, False, review.reviewed_on)


def language_state(db: Session, language: str, catalogue: str = INTERFACE) -> LanguageState:
    messages = reviewed_messages(db, language, catalogue)
    mark = db.get(LanguageReview, (catalogue, language))
    return LanguageState(
        total=len(messages),
        reviewed=sum(1 for m in messages if m.state == REVIEWED),
        changed=sum(1 for m in messages if m.state == CHANGED),
        marked_by_role=mark.reviewed_by_role if mark else None,
        marked_on=mark.reviewed_on if mark else None,
    )


def has_catalogue(language: str) -> bool:
    return _po_path(language).is_file()


def find_message(
    db: Session, language: str, key: str, catalogue: str = INTERFACE
) -> ShippedMessage | None:
    return next((m for m in catalogue_messages(db, catalogue, language) if m.key == key), None)


def glossary_terms(message: ShippedMessage, language: str) -> list[Term]:
    return terms_in(message.english, language, message.audience)


def correction_problems(message: ShippedMessage, forms: Sequence[str], language: str) -> list[str]:
    """What is wrong with a correction, each in words a reviewer can act on; [] if nothing."""
    if len(forms) != len(message.translation) or not all(f.strip() for f in forms):
        return ["Enter the translation (every form of it)"]
    problems = []
    for form in forms:
        for problem in message_problems(message.english[-1], form, "The translation"):
            problems.append(
                problem.replace("the placeholders", "it must keep the placeholders").replace(
                    "the markup", "it must keep the markup"
                )
            )
    for term in glossary_terms(message, language):
        if not all(term.used_in(form) for form in forms):
            problems.append(
                f"Use the glossary term \u201c{term.required}\u201d for "
                f"\u201c{term.english}\u201d (translations/glossary/{language}.po)"
            )
    return list(dict.fromkeys(problems))


def _record(
    db: Session,
    language: str,
    message: ShippedMessage,
    forms: tuple[str, ...],
    corrected: bool,
    role: str,
    today: date,
    catalogue: str,
) -> TranslationReview:
    row = _review_of(db, language, message, catalogue)
    if row is None:
        row = TranslationReview(catalogue=catalogue, language=language, message_key=message.key)
        db.add(row)
    row.context = message.context
    row.english = message.english[0]
    row.translation = list(forms)
    row.corrected = corrected
    row.reviewed_by_role = role
    row.reviewed_on = today
    # A new random revision rather than a count: caches keyed by it can never mistake a
    # catalogue for an earlier one (a count starts again if the row is ever recreated).
    _language_row(db, language, catalogue).revision = secrets.randbelow(2**31 - 1) + 1
    db.flush()
    return row


def _review_of(
    db: Session, language: str, message: ShippedMessage, catalogue: str
) -> TranslationReview | None:
    return db.scalar(
        select(TranslationReview).where(
            TranslationReview.catalogue == catalogue,
            TranslationReview.language == language,
            TranslationReview.message_key == message.key,
        )
    )


def _language_row(db: Session, language: str, catalogue: str) -> LanguageReview:
    row = db.get(LanguageReview, (catalogue, language))
    if row is None:
        row = LanguageReview(catalogue=catalogue, language=language, revision=0)
        db.add(row)
    return row


def accept(
    db: Session,
    language: str,
    message: ShippedMessage,
    role: str,
    today: date,
    catalogue: str = INTERFACE,
) -> TranslationReview:
    """The shipped translation is right as it is (a fuzzy one then reaches respondents, as a
    correction would: gettext itself never shows a fuzzy translation)."""
    if not all(message.translation):
        raise CorrectionRefused(["This message has no translation yet: enter one and save it"])
    earlier = _review_of(db, language, message, catalogue)
    if earlier is not None and earlier.corrected:
        # What the reviewer sees, and accepts, is the earlier correction.
        forms = tuple(earlier.translation)
        return _record(db, language, message, forms, True, role, today, catalogue)
    return _record(
        db, language, message, message.translation, message.fuzzy, role, today, catalogue
    )


def correct(
    db: Session,
    language: str,
    message: ShippedMessage,
    forms: Sequence[str],
    role: str,
    today: date,
    catalogue: str = INTERFACE,
) -> TranslationReview:
    """A reviewer's own wording; refused (nothing stored) if it breaks a placeholder or term."""
    cleaned = tuple(form.strip() for form in forms)
    problems = correction_problems(message, cleaned, language)
    if problems:
        raise CorrectionRefused(problems)
    changed = cleaned != message.translation or message.fuzzy
    return _record(db, language, message, cleaned, changed, role, today, catalogue)


def mark_reviewed(
    db: Session, language: str, role: str, today: date, catalogue: str = INTERFACE
) -> LanguageReview:
    """The whole catalogue reviewed: only once no message is draft."""
    state = language_state(db, language, catalogue)
    if state.drafts:
        raise NotYetReviewable(f"{state.drafts} messages are still draft")
    row = _language_row(db, language, catalogue)
    row.reviewed_by_role = role
    row.reviewed_on = today
    db.flush()
    return row


# -- what respondents see -------------------------------------------------------------------
_corrections: dict[tuple[str, int], tuple[Correction, ...]] = {}


def interface_corrections(db: Session, language: str) -> tuple[Correction, ...]:
    """The corrections to lay over the shipped catalogue (one primary-key read when cached)."""
    revision = db.scalar(
        select(LanguageReview.revision).where(
            LanguageReview.catalogue == INTERFACE, LanguageReview.language == language
        )
    )
    if not revision:
        return ()
    found = _corrections.get((language, revision))
    if found is None:
        found = _current_corrections(db, language)
        if len(_corrections) > 256:
            _corrections.clear()
        _corrections[(language, revision)] = found
    return found


def _current_corrections(db: Session, language: str) -> tuple[Correction, ...]:
    current = {m.key for m in shipped_messages(language)}
    rows = db.scalars(
        select(TranslationReview)
        .where(
            TranslationReview.catalogue == INTERFACE,
            TranslationReview.language == language,
            TranslationReview.corrected,
        )
        .order_by(TranslationReview.message_key)
    )
    return tuple(
        (row.context, row.english, tuple(row.translation))
        for row in rows
        if row.message_key in current
    )


_survey_corrections: dict[tuple[str, str, int], dict[str, Entry]] = {}


def survey_corrections(db: Session, survey_id: int, language: str) -> tuple[int, dict[str, Entry]]:
    """A survey's corrections in `language` as catalogue entries by context, with the
    revision they are at (0 and none when nobody corrected anything)."""
    catalogue = survey_catalogue_name(survey_id)
    revision = db.scalar(
        select(LanguageReview.revision).where(
            LanguageReview.catalogue == catalogue, LanguageReview.language == language
        )
    )
    if not revision:
        return 0, {}
    cached = _survey_corrections.get((catalogue, language, revision))
    if cached is not None:
        return revision, cached
    rows = db.scalars(
        select(TranslationReview).where(
            TranslationReview.catalogue == catalogue,
            TranslationReview.language == language,
            TranslationReview.corrected,
        )
    )
    found = {row.context: Entry(source=row.english, translation=row.translation[0]) for row in rows}
    if len(_survey_corrections) > 256:
        _survey_corrections.clear()
    _survey_corrections[(catalogue, language, revision)] = found
    return revision, found


def apply_corrections(catalog: Catalog, corrections: Sequence[Correction]) -> None:
    """Put reviewers' corrections into a parsed catalogue, where its English still matches."""
    for context, english, forms in corrections:
        message = catalog.get(english, context or None)
        if message is not None:
            message.string = forms[0] if isinstance(message.id, str) else forms
            message.flags.discard("fuzzy")


# -- back into the .po ----------------------------------------------------------------------
def review_comment(state: LanguageState) -> str:
    """The header comment line saying who reviewed the catalogue (a role) and when."""
    if state.is_reviewed:
        return (
            f"# Review: reviewed by a fluent speaker ({state.marked_by_role} role, "
            f"{state.marked_on:%Y-%m-%d})."
        )
    return (
        f"# Review: draft - {state.reviewed} of {state.total} messages reviewed by a fluent "
        f"speaker, {state.drafts} not yet reviewed or changed since."
    )


def reviewed_po(db: Session, language: str) -> bytes:
    """The language's .po with every correction in it and a header saying who reviewed it."""
    raw = _po_path(language).read_text(encoding="utf-8")
    catalog = read_po(io.StringIO(raw), locale=language)
    apply_corrections(catalog, _current_corrections(db, language))
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False)
    body = buffer.getvalue().decode("utf-8")
    state = language_state(db, language)
    comment = raw.split('msgid ""', 1)[0]
    line = review_comment(state)
    comment = (
        _WHOLE_REVIEW_LINE.sub(lambda _found: line, comment, count=1)
        if _WHOLE_REVIEW_LINE.search(comment)
        else comment + line + "\n"
    )
    body = 'msgid ""' + body.split('msgid ""', 1)[1]
    return (comment + _with_review_headers(body, state)).encode("utf-8")


def _with_review_headers(body: str, state: LanguageState) -> str:
    """Header fields any .po tool keeps: the reviewing role and date, or none yet."""
    lines = [line for line in body.split("\n") if not line.startswith(_REVIEW_HEADERS, 1)]
    if state.marked_on is None:
        return "\n".join(lines)
    fields = [
        f'"X-Reviewed-By: {state.marked_by_role} role\\n"',
        f'"X-Review-Date: {state.marked_on:%Y-%m-%d}\\n"',
    ]
    at = next(i for i, line in enumerate(lines) if line.startswith('"MIME-Version'))
    return "\n".join(lines[:at] + fields + lines[at:])


def write_reviewed_po(db: Session, language: str) -> Path:
    path = _po_path(language)
    path.write_bytes(reviewed_po(db, language))
    return path
