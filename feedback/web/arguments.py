"""Whole numbers from addresses and forms, bounded so that no lookup can overflow.

Python's integers have no limit, SQLite's are 64-bit: an unbounded id or page number in
an address reached the database and failed there (a 500). Every number a request
carries is read through here, or through the `int` route converter registered below,
and one out of range is answered as a missing page, never an error.
"""

from __future__ import annotations

import re

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

# The largest id any table holds (SQLite's INTEGER and PostgreSQL's BIGINT are 64-bit).
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in every route: at most MAX_ID, so larger numbers do not match (404)."""

    def __init__(self, map: object, *args: object, **kwargs: object) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]


def parse_id(text: str | None) -> int | None:
    """An id typed or posted as ASCII digits, within MAX_ID; None for anything else
    (str.isdigit would let "²" through to int(), which then fails)."""
    if text is None or not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def page_number(name: str = "page", last: int = 100_000) -> int:
    """A page number from the query string: 1 when absent, 404 when not 1 to `last`."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return 1
    number = parse_id(raw)
    if number is None or number > last:
        abort(404)
    return number


def init_app(app: Flask) -> None:
    # Before any blueprint is registered: rules take their converters when added.
    app.url_map.converters["int"] = BoundedIntegerConverter
