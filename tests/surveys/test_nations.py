"""The bank in Wales: the same questions, with the lines that differ in Wales replaced."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import surveys
from surveys.definition import survey_to_definition
from surveys.loader import parse_survey
from surveys.nations import NATIONS, for_nation, nation_lines, po_with_nation_variants
from surveys.po import read_po_bytes

BANK = [p for p in surveys.bank_files() if p.stem != "sample-young-people"]


def definition(path: Path) -> dict[str, Any]:
    return survey_to_definition(surveys.load_survey(path))


def test_england_is_the_bank_as_written() -> None:
    original = definition(BANK[0])
    assert for_nation(original, "england") == original
    assert nation_lines("england") == ()
    assert set(NATIONS) == {"england", "wales"}


def test_an_unknown_nation_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="scotland.*england, wales"):
        for_nation(definition(BANK[0]), "scotland")


@pytest.mark.parametrize("path", BANK, ids=[p.stem for p in BANK])
def test_the_wales_variant_cites_the_welsh_procedures_and_regulator(path: Path) -> None:
    england = definition(path)
    kept = copy.deepcopy(england)
    wales = parse_survey(for_nation(england, "wales"), source="wales")
    assert england == kept, "the definition given is not changed"
    assert "Wales Safeguarding Procedures" in wales.privacy
    assert "Care Inspectorate Wales" in wales.privacy
    english_only = {change.england for change in nation_lines("wales")}
    assert not english_only & set(wales.privacy.splitlines())


@pytest.mark.parametrize("path", BANK, ids=[p.stem for p in BANK])
def test_the_questions_are_the_same_in_wales(path: Path) -> None:
    england = surveys.load_survey(path)
    wales = parse_survey(for_nation(definition(path), "wales"), source="wales")
    assert wales.pages == england.pages
    assert wales.intro == england.intro


def test_every_line_for_england_is_in_the_bank() -> None:
    # A line the bank no longer has would silently leave a survey without its Welsh version.
    written = {line for path in BANK for line in surveys.load_survey(path).privacy.splitlines()}
    assert {change.england for change in nation_lines("wales")} <= written


def test_a_broken_lines_file_is_reported(tmp_path: Path) -> None:
    from surveys.nations import _read_lines

    path = tmp_path / "wales.yaml"
    path.write_text("lines:\n  - england: Only one side\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1 needs the text for england and wales"):
        _read_lines(path, "wales")


# -- translated ------------------------------------------------------------------------------

SHIPPED = surveys.BANK_DIR.parent.parent / "translations" / "surveys"


# The Welsh procedures and regulator, by their names in English or in Welsh.
PROPER_NAMES = (
    ("Wales Safeguarding Procedures", "Gweithdrefnau Diogelu Cymru"),
    ("Care Inspectorate Wales", "Arolygiaeth Gofal Cymru"),
)


@pytest.mark.parametrize("path", BANK, ids=[p.stem for p in BANK])
def test_every_language_says_what_the_welsh_lines_add(path: Path) -> None:
    # A parent reading Polish in Cardiff is told about the Wales Safeguarding Procedures and
    # Care Inspectorate Wales too: the shipped translation gains the Welsh lines, in Polish.
    england = surveys.load_survey(path)
    wales = parse_survey(for_nation(definition(path), "wales"), source="wales")
    for po_path in sorted((SHIPPED / path.stem).glob("*.po")):
        language = po_path.stem
        raw = po_with_nation_variants(po_path.read_bytes(), language, england.audience)
        catalogue = read_po_bytes(raw, language).catalog
        for field in ("intro", "privacy"):
            as_in_england = catalogue.get(getattr(england, field), context=field)
            as_in_wales = catalogue.get(getattr(wales, field), context=field)
            assert as_in_england is not None and as_in_england.string, (language, field)
            assert as_in_wales is not None and as_in_wales.string, (language, field)
            if getattr(wales, field) == getattr(england, field):
                continue
            kept = as_in_england.string.split("\n")
            assert all(line in as_in_wales.string for line in kept), (language, field)
            assert as_in_wales.string != as_in_england.string, (language, field)
            for change in nation_lines("wales"):
                assert change.addition not in as_in_wales.string, (language, "left in English")
            if field == "privacy":
                for names in PROPER_NAMES:
                    assert any(name in as_in_wales.string for name in names), (language, names)
