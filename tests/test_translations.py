"""Catalogue checks: templates current, every catalogue valid, every offered language complete."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

from feedback.config import TRANSLATIONS_DIR
from feedback.storage.gettext_catalogues import (
    SHIPPED_LANGUAGES,
    check_language,
    extract_surveys,
    extract_ui,
    ui_po_path,
)
from surveys.po import compile_po, is_reviewed, read_po_bytes

LANGUAGES = SHIPPED_LANGUAGES[1:]
ALL_PO = sorted(TRANSLATIONS_DIR.rglob("*.po"))


def test_the_committed_templates_match_a_fresh_extraction(tmp_path: Path) -> None:
    for fresh in [*extract_ui(tmp_path), *extract_surveys(tmp_path)]:
        committed = TRANSLATIONS_DIR / fresh.relative_to(tmp_path)
        assert committed.exists(), f"{committed} is missing: run make i18n-extract"
        assert filecmp.cmp(fresh, committed, shallow=False), (
            f"{committed} is out of date: run make i18n-extract"
        )


@pytest.mark.parametrize("path", ALL_PO, ids=lambda p: str(p.relative_to(TRANSLATIONS_DIR)))
def test_every_catalogue_is_valid_compiles_and_says_if_it_was_reviewed(path: Path) -> None:
    language = path.stem if path.parent.parent.name == "surveys" else path.parents[1].name
    po = read_po_bytes(path.read_bytes(), language)  # placeholders and markup checked here
    assert compile_po(po.catalog)
    assert "# Review: " in (po.catalog.header_comment or "")
    assert is_reviewed(po.catalog) is po.reviewed


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_offered_language_is_complete_for_respondents(language: str) -> None:
    assert check_language(language) == []


def test_every_shipped_language_has_an_interface_catalogue() -> None:
    assert all(ui_po_path(language).exists() for language in LANGUAGES)


def test_the_checks_catch_a_broken_translation(tmp_path: Path) -> None:
    bad = (
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        b'msgid "Call %(number)s now"\nmsgstr "Ffoniwch nawr"\n'
    )
    with pytest.raises(ValueError, match="placeholders"):
        read_po_bytes(bad, "cy")


def test_the_shipped_language_names_and_directions_agree_with_babel() -> None:
    """translations/languages.json stands in for Babel's locale data on every page; if
    Babel's data changes, `feedback translations languages` writes it again."""
    from feedback.config import SHIPPED_LANGUAGES
    from feedback.web.languages import FACTS_FILE, facts_from_babel, shipped_facts_json

    stored = json.loads(FACTS_FILE.read_text(encoding="utf-8"))
    assert sorted(stored) == sorted(SHIPPED_LANGUAGES.split(","))
    for code, (name, direction) in stored.items():
        assert (name, direction) == facts_from_babel(code), code
    assert FACTS_FILE.read_text(encoding="utf-8") == shipped_facts_json()
    assert stored["ar"][1] == stored["ur"][1] == stored["fa"][1] == "rtl"
    assert stored["cy"] == ["Cymraeg", "ltr"]
