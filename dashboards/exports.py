"""CSV and XLSX of exactly the tables shown on screen, safe to open in a spreadsheet.

A cell that starts with =, +, -, @, tab or carriage return would be read as a
formula by Excel or LibreOffice; such text is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Value = str | int | None


@dataclass(frozen=True)
class Sheet:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]


def safe_cell(value: Value) -> Value:
    """Neutralise text a spreadsheet would run as a formula; numbers pass as numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(sheets: Sequence[Sheet]) -> str:
    """All tables in one CSV, each under its title, separated by a blank line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for sheet in sheets:
        writer.writerow([safe_cell(sheet.title)])
        writer.writerow([safe_cell(h) for h in sheet.header])
        writer.writerows([safe_cell(v) for v in row] for row in sheet.rows)
        writer.writerow([])
    return buffer.getvalue()


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """One worksheet per table."""
    from openpyxl import Workbook  # only exports need it, and it is slow to import

    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, sheet in enumerate(sheets, start=1):
        worksheet = workbook.create_sheet(title=f"{index}")
        worksheet.append([safe_cell(sheet.title)])
        worksheet.append([safe_cell(h) for h in sheet.header])
        for row in sheet.rows:
            worksheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
