"""Static files served from memory, with a content hash in their URL.

Phones on patchy data should fetch the stylesheet and script once: the URL
carries a hash of the content, so the files can be cached for a year and a
new release still reaches everyone. Serving bytes (not a file stream) also
lets the compression layer handle them like any other response.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import stat
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, abort, current_app, request, url_for
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600


@lru_cache(maxsize=64)
def _read(path: str, _mtime: float) -> tuple[bytes, str]:
    data = Path(path).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:16]


def _load(filename: str) -> tuple[bytes, str, str]:
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder else None
    if path is None or not Path(path).is_file():
        abort(404)
    data, digest = _read(path, Path(path).stat().st_mtime)
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return data, digest, mimetype


def static_url(filename: str) -> str:
    """The URL of a static file, versioned by its content (every page asks for two)."""
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder else None
    try:
        status = os.stat(path) if path is not None else None
    except OSError:
        status = None
    if status is None or not stat.S_ISREG(status.st_mode):
        abort(404)
    _data, digest = _read(path, status.st_mtime)
    return url_for("static", filename=filename, v=digest)


class FeedbackFlask(Flask):
    def send_static_file(self, filename: str) -> Response:
        data, digest, mimetype = _load(filename)
        response = Response(data, mimetype=mimetype)
        if request.args.get("v") == digest:
            response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        response.set_etag(digest)
        response.make_conditional(request)  # in place: a 304 or a range, as asked
        return response
