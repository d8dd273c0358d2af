"""Each language's name in that language, and its direction, without loading its locale.

The language menu names every offered language in itself on every page. Babel answers
from the language's whole CLDR locale data, about 1 MB a language kept for the life of
the process: fifteen languages were most of a worker's memory. For the shipped languages
the two facts are read from `translations/languages.json`, made from Babel's own data
(`feedback translations languages`; the tests check that the file still agrees with
Babel); any other language is asked of Babel.
"""

from __future__ import annotations

import json
from functools import lru_cache

from babel import Locale

from feedback.config import SHIPPED_LANGUAGES, TRANSLATIONS_DIR

FACTS_FILE = TRANSLATIONS_DIR / "languages.json"


def facts_from_babel(code: str) -> tuple[str, str]:
    """(name in itself, 'ltr' or 'rtl') from Babel's locale data; ('', 'ltr') if unknown."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, TypeError):
        return "", "ltr"
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return locale.get_display_name(code.replace("-", "_")) or "", direction


@lru_cache(maxsize=1)
def _known() -> dict[str, tuple[str, str]]:
    stored = json.loads(FACTS_FILE.read_text(encoding="utf-8"))
    return {code: (name, direction) for code, (name, direction) in stored.items()}


@lru_cache(maxsize=128)
def language_facts(code: str) -> tuple[str, str]:
    """(name in itself, direction) of a language code such as `pl` or `pt-BR`."""
    return _known().get(code) or facts_from_babel(code)


def shipped_facts_json() -> str:
    """The contents of FACTS_FILE, from Babel: one line a language."""
    lines = [
        f"  {json.dumps(code)}: {json.dumps(list(facts_from_babel(code)), ensure_ascii=False)}"
        for code in sorted(SHIPPED_LANGUAGES.split(","))
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"
