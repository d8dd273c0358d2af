"""The service's logs: one JSON object a line in production, plain lines in development.

Every line, the app's and gunicorn's, has `time`, `level`, `logger` and `message`; a
line about a request adds its `method`, its `path` (respondent page ids taken out, see
`redact_path`), and for the access log its `status` and `duration_ms`. No line carries
a client address, user agent, referrer or respondent page id, and a line about a request
is stamped to the hour only: a log of when each page was asked for, lined up with the
stored responses, would give back the time of day that responses leave out (ADR 0001).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

from flask import Flask, has_request_context, request

_RESPONDENT_PAGE = re.compile(r"^(/s/[^/?]+/q/)[^/?\s]*")
_RESPONDENT_PAGE_ANYWHERE = re.compile(r"(/s/[^/?\s\"']+/q/)[^/?\s\"']*")
# Extra fields a record may carry, in the order they are written.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms")
OTHER_FIELDS = ("job", "state")
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact_path(path: str) -> str:
    """A request path as a log may keep it: no respondent page id."""
    return _RESPONDENT_PAGE.sub(r"\1…", path)


def redact_text(text: str) -> str:
    """A message as a log may keep it: no respondent page id anywhere in it (gunicorn names
    the address of a request that failed)."""
    return _RESPONDENT_PAGE_ANYWHERE.sub(r"\1…", text)


class RedactPageIds(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    if getattr(record, "path", None) is not None:
        moment = moment.replace(minute=0, second=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class JsonFormatter(logging.Formatter):
    """One JSON object a line, with the fields a log collector indexes."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in (*REQUEST_FIELDS, *OTHER_FIELDS):
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestFields(logging.Filter):
    """Adds the current request's method and redacted path to the app's records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and getattr(record, "path", None) is None:
            record.method = request.method
            record.path = redact_path(request.path)
        return True


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record arrives (a command's test swaps it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else logging.Formatter(PLAIN_FORMAT)


def configure(logger: logging.Logger, log_format: str) -> None:
    """Give `logger` (the app's, "feedback") one handler to standard error in `log_format`."""
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = _CurrentStderr()
    handler.setFormatter(formatter_for(log_format))
    handler.addFilter(RequestFields())
    handler.addFilter(RedactPageIds())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # Its own handler only: the lines must not appear twice through the root logger.
    logger.propagate = False


def init_app(app: Flask) -> None:
    configure(app.logger, app.config["LOG_FORMAT"])
