"""Survey text in the respondent's language, from the translations stored with the survey.

Translations live in the database (one .po per survey and language), so every
app process sees the same text. A parsed catalogue is cached by its content
hash; the only per-request cost is one small query for that hash.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.storage.memo import Memo
from feedback.storage.models import SurveyTranslation
from feedback.storage.translation_reviews import (
    language_state,
    survey_catalogue_name,
    survey_corrections,
)
from surveys import Survey
from surveys.i18n import Entry, FallbackText, SurveyCatalogue, survey_messages, translate_survey
from surveys.nations import po_with_nation_variants
from surveys.po import PoFile, PoProblem, read_po_bytes, survey_catalogue, survey_po

_catalogues: Memo[str, SurveyCatalogue] = Memo(size=512)
_translated: Memo[tuple[str, str], Survey] = Memo(size=512)


def store_translation(
    db: Session,
    survey_id: int,
    language: str,
    po: PoFile,
    raw: bytes,
    today: date,
    origin: str = "uploaded",
) -> SurveyTranslation:
    """Save a checked .po for a survey and language, replacing any earlier one."""
    row = db.get(SurveyTranslation, (survey_id, language))
    if row is None:
        row = SurveyTranslation(survey_id=survey_id, language=language)
        db.add(row)
    row.po = raw.decode("utf-8")
    row.content_hash = hashlib.sha256(raw).hexdigest()
    row.reviewed = po.reviewed
    row.origin = origin
    row.updated_on = today
    db.flush()
    return row


def catalogue_for(db: Session, survey_id: int, language: str) -> tuple[str, SurveyCatalogue] | None:
    """The survey's catalogue for a language and its hash, or None if there is none."""
    content_hash = db.scalar(
        select(SurveyTranslation.content_hash).where(
            SurveyTranslation.survey_id == survey_id, SurveyTranslation.language == language
        )
    )
    if content_hash is None:
        return None

    def read() -> SurveyCatalogue:
        row = db.get(SurveyTranslation, (survey_id, language))
        assert row is not None
        return survey_catalogue(read_po_bytes(row.po.encode("utf-8"), language))

    return content_hash, _catalogues.get(content_hash, read)


def localised(
    db: Session,
    survey_id: int,
    version_hash: str,
    survey: Survey,
    language: str,
    default_language: str = "en",
) -> Survey:
    """`survey` in `language`: translated where up to date, English (marked) elsewhere."""
    if language == default_language:
        return survey
    found = catalogue_for(db, survey_id, language)
    content_hash, catalogue = found if found else ("", SurveyCatalogue({}))
    revision, corrections = survey_corrections(db, survey_id, language)
    key = (version_hash, f"{language}:{content_hash}:{revision}")
    return _translated.get(
        key, lambda: translate_survey(survey, with_corrections(survey, catalogue, corrections))
    )


def with_corrections(
    survey: Survey, catalogue: SurveyCatalogue, corrections: dict[str, Entry]
) -> SurveyCatalogue:
    """`catalogue` with reviewers' corrections in it, where made for the current English."""
    if not corrections:
        return catalogue
    entries = dict(catalogue.entries)
    for message in survey_messages(survey):
        correction = corrections.get(message.context)
        if correction is not None and correction.source == message.text:
            entries[message.context] = correction
    return SurveyCatalogue(entries)


def contains_fallback(*values: Any) -> bool:
    """Whether any text in these values (dataclasses, tuples, strings) is English fallback."""
    for value in values:
        if isinstance(value, FallbackText):
            return True
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            if contains_fallback(*(getattr(value, f.name) for f in dataclasses.fields(value))):
                return True
        elif isinstance(value, (tuple, list)) and contains_fallback(*value):
            return True
    return False


def mark_fallback(value: Any) -> Any:
    """Jinja finalize: English shown in a translated page is marked lang="en"."""
    if isinstance(value, FallbackText) and value:
        return Markup('<span lang="en" dir="ltr" class="fallback">%s</span>') % escape(str(value))
    return value


class TranslationRefused(ValueError):
    """An uploaded translation was not stored; `problems` says why."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def import_translation(
    db: Session,
    survey_id: int,
    survey: Survey,
    language: str,
    raw: bytes,
    offered: list[str],
    today: date,
) -> SurveyTranslation:
    """Check and store a translator's .po for a survey; the previous one stays if it fails."""
    if language not in offered or language == "en":
        raise TranslationRefused([f"language {language!r} is not offered here"])
    try:
        po = read_po_bytes(raw, language)
    except PoProblem as exc:
        raise TranslationRefused(exc.problems) from None
    known = {m.context for m in survey_messages(survey)}
    unknown = sorted({m.context for m in po.catalog if m.context} - known)
    if unknown:
        raise TranslationRefused([f"message {c!r} is not in this survey" for c in unknown[:10]])
    if not any(m.string for m in po.catalog if m.context):
        raise TranslationRefused(["the file has no translated messages for this survey"])
    return store_translation(db, survey_id, language, po, raw, today)


def export_translation(db: Session, survey_id: int, survey: Survey, language: str) -> bytes:
    """A .po for translators: the current English, with up-to-date and stale translations."""
    found = catalogue_for(db, survey_id, language)
    reviewed = False
    if found:
        row = db.get(SurveyTranslation, (survey_id, language))
        reviewed = bool(row and row.reviewed)
    _revision, corrections = survey_corrections(db, survey_id, language)
    catalogue = with_corrections(survey, found[1] if found else SurveyCatalogue({}), corrections)
    state = language_state(db, language, survey_catalogue_name(survey_id))
    note = ""
    if state.is_reviewed:
        reviewed, note = True, f"{state.marked_by_role} role, {state.marked_on:%Y-%m-%d}"
    return survey_po(survey, language, catalogue if found or corrections else None, reviewed, note)


def survey_catalogue_status(
    db: Session, survey_id: int, survey: Survey, language: str
) -> dict[str, int]:
    """Translated, stale and missing message counts for one survey and language."""
    found = catalogue_for(db, survey_id, language)
    return (found[1] if found else SurveyCatalogue({})).status(survey)


def load_shipped_translations(db: Session, survey_id: int, survey: Survey) -> list[str]:
    """Store the .po files shipped beside a bank survey (translations/surveys/<id>/)."""
    from feedback.storage.gettext_catalogues import survey_dir

    loaded = []
    for path in sorted(survey_dir(survey.id).glob("*.po")):
        # With the intro and privacy as every nation's variant reads them (surveys.nations).
        raw = po_with_nation_variants(path.read_bytes(), path.stem, survey.audience)
        row = db.get(SurveyTranslation, (survey_id, path.stem))
        if row is not None and (
            row.origin != "shipped" or row.content_hash == hashlib.sha256(raw).hexdigest()
        ):
            continue  # a design team's own translation is never replaced by a shipped one
        try:
            po = read_po_bytes(raw, path.stem)
        except PoProblem:
            continue  # a broken shipped file is caught by the catalogue checks, not here
        store_translation(db, survey_id, path.stem, po, raw, date.today(), origin="shipped")
        loaded.append(path.stem)
    return loaded
