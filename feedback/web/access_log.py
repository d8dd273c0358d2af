"""gunicorn's access log, with nothing in it that could tell about a respondent.

A respondent's page address names the page (`/s/<code>/q/<page id>`), and a page
shown only after a certain answer gives that answer away. The log keeps the kind
of page (`/s/<code>/q/…`) and never a client address, user agent, referrer or
time of day, whatever format a deployment sets.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

_RESPONDENT_PAGE = re.compile(r"^(/s/[^/?]+/q/)[^/?\s]*")
_WITHHELD = ("h", "a", "f", "t", "u")


def redact_path(path: str) -> str:
    """A request path as the log may keep it: no respondent page id."""
    return _RESPONDENT_PAGE.sub(r"\1…", path)


class AccessLogger(Logger):
    """gunicorn's logger, with respondent page ids and visitor details taken out."""

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any
    ) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in _WITHHELD:
            atoms[key] = "-"
        atoms["U"] = redact_path(atoms.get("U") or "")
        method, _uri, protocol = (atoms.get("r") or "- - -").split(" ", 2)
        atoms["r"] = f"{method} {redact_path(environ.get('PATH_INFO', ''))} {protocol}"
        # Request headers ({name}i) could carry anything; the log keeps none of them.
        return {k: v for k, v in atoms.items() if not k.startswith("{")}
