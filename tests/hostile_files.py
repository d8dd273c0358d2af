"""Survey files made to be expensive, as an attacker would make them (all small to send)."""

from __future__ import annotations

import io
import zipfile

from tests.surveys.test_xlsform import GOOD_FORM, workbook

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _with_sheet(sheet_xml: bytes) -> bytes:
    """A real XLSForm whose survey sheet is replaced by `sheet_xml`."""
    original = zipfile.ZipFile(io.BytesIO(workbook(GOOD_FORM)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for entry in original.infolist():
            data = sheet_xml if entry.filename == SHEET else original.read(entry)
            archive.writestr(entry.filename, data)
    return buffer.getvalue()


def _sheet(rows: list[bytes]) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="'
        + MAIN.encode()
        + b'"><sheetData>'
        + b"".join(rows)
        + b"</sheetData></worksheet>"
    )


def _cell(column: str, row: int, text: str) -> bytes:
    reference = f' r="{column}{row}"' if column else ""
    return f'<c{reference} t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def expanding_workbook(megabytes: float) -> bytes:
    """One question repeated until the sheet is `megabytes` long: rows without cell
    references (they are optional) repeat exactly, so the file compresses a thousandfold."""
    header = (
        b"<row>" + _cell("", 0, "type") + _cell("", 0, "name") + _cell("", 0, "label") + b"</row>"
    )
    row = b"<row>" + _cell("", 0, "text") + _cell("", 0, "why") + _cell("", 0, "Why?") + b"</row>"
    return _with_sheet(_sheet([header] + [row] * int(megabytes * 1024 * 1024 / len(row))))


def wide_workbook(columns: int = 4000, rows: int = 300) -> bytes:
    """A header row thousands of columns wide: the reader visits every column of every
    row, so a few KB cost minutes."""
    names = ["type", "name", "label", *(f"h{n}" for n in range(4, columns + 1))]
    header = (
        b'<row r="1">'
        + b"".join(_cell(_column(n), 1, name) for n, name in enumerate(names, 1))
        + b"</row>"
    )
    body = [
        f'<row r="{n}">'.encode() + _cell("A", n, "text") + _cell("B", n, f"q{n}") + b"</row>"
        for n in range(2, rows + 2)
    ]
    return _with_sheet(_sheet([header, *body]))


def many_unknown_fields_yaml(count: int = 60_000) -> bytes:
    """A survey of 1 MB whose every line is a field nobody knows: each is a problem."""
    lines = ["id: many-fields", "title: Many fields", "audience: parents"]
    lines += [f"k{n}: v" for n in range(count)]
    return "\n".join(lines).encode()
