"""Each language's terms for the words that carry the service's promises.

translations/glossary/<lang>.po gives a language's term for anonymous, confidential, delete,
Exit this page, Get help now, help, worker, carer, answer and survey (per audience where the
term differs); `#. forms:` lists the inflections and stems that count as using it, matched
anywhere in a translation, ignoring case. English's own glossary gives the English forms that
count as the term (whole words). tests/test_glossary.py holds every catalogue to it, and the
review page to each correction.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.messages.pofile import read_po

from feedback.config import TRANSLATIONS_DIR

GLOSSARY_DIR = TRANSLATIONS_DIR / "glossary"
FORMS = re.compile(r"^forms:\s*(.+)$")

Glossary = dict[tuple[str, str | None], list[str]]


@dataclass(frozen=True)
class Term:
    """A glossary term found in an English message, and what the language must use for it."""

    english: str
    required: str
    forms: tuple[str, ...]

    def used_in(self, translation: str) -> bool:
        return any(form.casefold() in translation.casefold() for form in self.forms)


@lru_cache(maxsize=32)
def read_glossary(language: str) -> Glossary:
    """(term, context) -> accepted forms, from translations/glossary/<language>.po."""
    path = GLOSSARY_DIR / f"{language}.po"
    if not path.is_file():
        return {}
    catalog = read_po(io.BytesIO(path.read_bytes()), locale=language)
    glossary: Glossary = {}
    for message in catalog:
        if not isinstance(message.id, str) or not message.id:
            continue
        forms = [
            f.strip()
            for comment in message.auto_comments
            if (found := FORMS.match(comment.strip()))
            for f in found.group(1).split(",")
            if f.strip()
        ]
        glossary[(message.id, message.context)] = forms or [str(message.string)]
    return glossary


@lru_cache(maxsize=32)
def required_term(language: str, term: str, context: str | None) -> str:
    """The glossary's own wording of `term` (msgstr), for telling a reviewer what to use."""
    path = GLOSSARY_DIR / f"{language}.po"
    catalog = read_po(io.BytesIO(path.read_bytes()), locale=language)
    found = catalog.get(term, context) or catalog.get(term)
    return str(found.string) if found is not None and found.string else term


@lru_cache(maxsize=1)
def english_patterns() -> dict[str, re.Pattern[str]]:
    """Each term's English forms as one whole-word pattern."""
    return {
        term: re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b", re.IGNORECASE)
        for (term, _context), forms in read_glossary("en").items()
    }


def terms_in(english: tuple[str, ...] | str, language: str, context: str | None) -> list[Term]:
    """The glossary terms an English message uses, with what `language` must say for each."""
    texts = (english,) if isinstance(english, str) else english
    glossary = read_glossary(language)
    found = []
    for term, pattern in english_patterns().items():
        if not any(pattern.search(text) for text in texts):
            continue
        forms = glossary.get((term, context)) or glossary.get((term, None))
        if forms:
            found.append(Term(term, required_term(language, term, context), tuple(forms)))
    return found
