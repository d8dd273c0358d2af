"""The bank in Wales: the same questions, with the lines that differ in Wales replaced."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import surveys
from surveys.definition import survey_to_definition
from surveys.loader import parse_survey
from surveys.nations import NATIONS, for_nation, nation_lines

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
