"""The question bank in each nation: the same questions, with the lines that differ replaced.

The bank is written for England. In Wales the privacy notice must name the rules a worrying
comment is passed on under (the Wales Safeguarding Procedures) and where people can also give
feedback on care services (Care Inspectorate Wales). Everything else, every question above
all, stays the same, so results from England and Wales can be compared.

A nation's differences are whole lines of the intro and privacy texts, listed in
`bank/nations/<nation>.yaml` as the line written for England and the line for that nation.
A deployment picks its nation once (the NATION setting); the workspace applies it when
publishing from the bank.

Each line for a nation is the line for England with sentences added. The file gives those
sentences in every language the bank is translated into, so a shipped translation gains them
too (`po_with_nation_variants`): a Polish page in Wales names the Welsh procedures, in Polish.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po, write_po

from surveys.loader import parse_survey
from surveys.model import Survey
from surveys.yaml_io import read_yaml

NATIONS = ("england", "wales")
# The nation the bank is written for: its lines need no replacing.
WRITTEN_FOR = "england"
NATIONS_DIR = Path(__file__).parent / "bank" / "nations"
# Survey texts that may differ between nations. Questions never do.
VARIED_TEXTS = ("intro", "privacy")


@dataclass(frozen=True)
class LineChange:
    """A whole line as written for England, and the line that replaces it."""

    england: str
    replacement: str

    @property
    def addition(self) -> str:
        """The sentences the replacement adds after the line for England."""
        return self.replacement[len(self.england) :].strip()


def nation_lines(nation: str) -> tuple[LineChange, ...]:
    """The lines that differ in `nation` (none for England, which the bank is written for)."""
    _check_nation(nation)
    if nation == WRITTEN_FOR:
        return ()
    return _read_lines(NATIONS_DIR / f"{nation}.yaml", nation)


def for_nation(definition: Mapping[str, Any], nation: str) -> dict[str, Any]:
    """A copy of a survey definition with its intro and privacy lines for `nation`."""
    changes = {change.england: change.replacement for change in nation_lines(nation)}
    result = copy.deepcopy(dict(definition))
    for key in VARIED_TEXTS:
        text = result.get(key)
        if isinstance(text, str):
            result[key] = "\n".join(changes.get(line, line) for line in text.split("\n"))
    return result


def bank_survey_for_nation(path: Path, nation: str) -> tuple[Survey, dict[str, Any]]:
    """A bank survey as published in `nation`: the survey and its definition."""
    definition = for_nation(read_yaml(path.read_bytes()), nation)
    return parse_survey(definition, source=path.name), definition


def _check_nation(nation: str) -> None:
    if nation not in NATIONS:
        raise ValueError(f"unknown nation '{nation}' (known: {', '.join(NATIONS)})")


@cache
def _read_lines(path: Path, nation: str) -> tuple[LineChange, ...]:
    document = read_yaml(path.read_bytes())
    entries = document.get("lines") if isinstance(document, Mapping) else None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: must have a list of lines")
    changes = []
    for index, entry in enumerate(entries, start=1):
        england = entry.get("england") if isinstance(entry, Mapping) else None
        replacement = entry.get(nation) if isinstance(entry, Mapping) else None
        if not isinstance(england, str) or not isinstance(replacement, str):
            raise ValueError(f"{path}: line {index} needs the text for england and {nation}")
        changes.append(LineChange(england.strip(), replacement.strip()))
    return tuple(changes)


def translated_for_nation(
    english: str, translated: str, nation: str, language: str, audience: str
) -> str:
    """A translated intro or privacy text with the nation's added sentences in `language`.

    The sentences go at the end of the translated line that matches the English line they
    follow, when the translation keeps the English lines; otherwise at the end."""
    english_lines = english.split("\n")
    lines = translated.split("\n")
    same_shape = len(lines) == len(english_lines)
    extra: list[str] = []
    for change in nation_lines(nation):
        if change.england not in english_lines:
            continue
        added = _addition_in(nation, change.addition, language, audience)
        index = english_lines.index(change.england)
        if same_shape:
            lines[index] = f"{lines[index]} {added}"
        else:
            extra.append(added)
    return "\n".join(lines + extra)


def po_with_nation_variants(raw: bytes, language: str, audience: str) -> bytes:
    """A survey's .po with, beside each intro and privacy message, the same message as it
    reads in every other nation, so the translation is found whichever variant is published."""
    catalog = read_po(io.BytesIO(raw), locale=language)
    for message in list(catalog):
        if message.context not in VARIED_TEXTS or not message.id or not message.string:
            continue
        for nation in NATIONS:
            english = str(message.id)
            varied = for_nation({message.context: english}, nation)[message.context]
            if varied != english and catalog.get(varied, context=message.context) is None:
                string = translated_for_nation(
                    english, str(message.string), nation, language, audience
                )
                catalog.add(varied, string, context=message.context, flags=message.flags)
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False)
    return out.getvalue()


def _addition_in(nation: str, english: str, language: str, audience: str) -> str:
    translations = _read_additions(NATIONS_DIR / f"{nation}.yaml").get(english, {})
    register = "young_people" if audience == "young_people" else "parents"
    return translations.get(language, {}).get(register, english)


@cache
def _read_additions(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    document = read_yaml(path.read_bytes())
    entries = document.get("additions", []) if isinstance(document, Mapping) else []
    additions: dict[str, dict[str, dict[str, str]]] = {}
    for entry in entries:
        english = " ".join(str(entry["english"]).split())
        additions[english] = {
            language: {str(k): str(v) for k, v in registers.items()}
            for language, registers in entry.items()
            if language != "english" and isinstance(registers, Mapping)
        }
    return additions
