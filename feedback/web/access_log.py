"""gunicorn's access and error logs, with nothing in them that could tell about a respondent.

A respondent's page address names the page (`/s/<code>/q/<page id>`), and a page
shown only after a certain answer gives that answer away. The log keeps the kind
of page (`/s/<code>/q/…`) and never a client address, user agent, referrer or
time of day, whatever format a deployment sets. With LOG_FORMAT=json (production's
default) both logs are written as the app's are (feedback/web/logs.py): one JSON
object a line, an access line stamped to the hour only.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from gunicorn.glogging import Logger

from feedback.config import log_format
from feedback.web.logs import RedactPageIds, formatter_for, redact_path

__all__ = ["AccessLogger", "redact_path"]

_WITHHELD = ("h", "a", "f", "t", "u")


class AccessLogger(Logger):
    """gunicorn's logger, with respondent page ids and visitor details taken out."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.json = log_format() == "json"
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if self.json:
                    handler.setFormatter(formatter_for("json"))
                handler.addFilter(RedactPageIds())

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

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not getattr(self, "json", False):
            super().access(resp, req, environ, request_time)
            return
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        fields = {
            "method": atoms["m"],
            "path": atoms["U"],
            "status": int(atoms["s"]) if str(atoms["s"]).isdigit() else atoms["s"],
            "duration_ms": int(atoms["M"]),
        }
        try:
            self.access_log.log(
                logging.INFO,
                "%s %s %s",
                fields["method"],
                fields["path"],
                fields["status"],
                extra=fields,
            )
        except Exception:
            self.error(traceback.format_exc())
