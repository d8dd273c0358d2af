"""The words that carry the service's promises are the same everywhere in a language.

translations/glossary/<lang>.po gives each language's term for anonymous, confidential,
delete, Exit this page, Get help now, help, worker, carer, answer and survey (per audience
where the term differs). Wherever the English term is in a message, the translation must use
one of the accepted forms of the language's term (`#. forms:` lists them: inflections and
stems, matched anywhere in the translation, ignoring case). English's own glossary gives the
English forms that count as the term (whole words).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from babel.messages.pofile import read_po

from feedback.config import TRANSLATIONS_DIR
from feedback.storage.gettext_catalogues import SHIPPED_LANGUAGES, ui_po_path
from feedback.storage.glossary import english_patterns, read_glossary

TERMS = (
    "anonymous",
    "confidential",
    "delete",
    "Exit this page",
    "Get help now",
    "help",
    "worker",
    "carer",
    "answer",
    "survey",
)


@dataclass(frozen=True)
class Usage:
    """One translated message: its context, English (singular, plural) and translations."""

    context: str | None
    english: tuple[str, ...]
    translated: tuple[str, ...]


def usages(language: str) -> Iterator[Usage]:
    """Every message of the respondent catalogue (for English, the template, as itself)."""
    path = TRANSLATIONS_DIR / "messages.pot" if language == "en" else ui_po_path(language)
    for message in read_po(io.BytesIO(path.read_bytes()), locale=language):
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = (
            english
            if language == "en"
            else (message.string if isinstance(message.string, tuple) else (message.string,))
        )
        yield Usage(message.context, english, translated)


def glossary_problems(
    used: Iterator[Usage],
    glossary: dict[tuple[str, str | None], list[str]],
    patterns: dict[str, re.Pattern[str]],
) -> list[str]:
    """Messages whose English has a term but whose translation has none of its forms."""
    problems = []
    for usage in used:
        for term, pattern in patterns.items():
            if not any(pattern.search(text) for text in usage.english):
                continue
            forms = glossary.get((term, usage.context)) or glossary.get((term, None)) or []
            for text in usage.translated:
                if not any(form.casefold() in text.casefold() for form in forms):
                    problems.append(f"[{usage.context}] {term!r} not in {text!r}")
    return problems


def test_the_english_glossary_names_every_term_once() -> None:
    assert sorted(term for term, _context in read_glossary("en")) == sorted(TERMS)


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_every_language_has_a_term_for_every_promise(language: str) -> None:
    assert {term for term, _context in read_glossary(language)} == set(TERMS)


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_every_catalogue_uses_its_glossary_terms(language: str) -> None:
    problems = glossary_problems(usages(language), read_glossary(language), english_patterns())
    assert problems == []


def test_the_check_finds_a_term_translated_some_other_way() -> None:
    weakened = Usage("young_people", ("Your answers are anonymous.",), ("Cevaplarında adın yok.",))
    proper = Usage("young_people", ("Your answers are anonymous.",), ("Cevapların anonim.",))
    glossary = {("anonymous", None): ["anonim"], ("answer", None): ["cevap"]}
    assert glossary_problems(iter([proper]), glossary, english_patterns()) == []
    assert glossary_problems(iter([weakened]), glossary, english_patterns()) == [
        "[young_people] 'anonymous' not in 'Cevaplarında adın yok.'"
    ]
