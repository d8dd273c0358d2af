"""The question bank in each nation: the same questions, with the lines that differ replaced.

The bank is written for England. In Wales the privacy notice must name the rules a worrying
comment is passed on under (the Wales Safeguarding Procedures) and where people can also give
feedback on care services (Care Inspectorate Wales). Everything else, every question above
all, stays the same, so results from England and Wales can be compared.

A nation's differences are whole lines of the intro and privacy texts, listed in
`bank/nations/<nation>.yaml` as the line written for England and the line for that nation.
A deployment picks its nation once; the workspace applies it when publishing from the bank.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

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
