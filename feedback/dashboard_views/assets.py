"""plotly.js for the dashboard charts: from the installed plotly package, never a CDN.

It is 4.8 MB, so it is compressed once per process (brotli and gzip) and served
under a content-hashed address that browsers may cache for a year.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from pathlib import Path

import brotli
import plotly
from flask import Blueprint, Response, abort, request, url_for
from flask.typing import ResponseReturnValue

from feedback.web.staff_access import STAFF, require_role
from feedback.web.static_files import ONE_YEAR

bp = Blueprint("dashboard_assets", __name__, url_prefix="/dashboards/assets")


@lru_cache(maxsize=1)
def _plotly() -> tuple[bytes, str]:
    data = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:16]


@lru_cache(maxsize=2)
def _compressed(encoding: str) -> bytes:
    data, _digest = _plotly()
    # Quality 11 takes many seconds for 4.8 MB; 5 gives most of the gain in a fraction of it.
    return brotli.compress(data, quality=5) if encoding == "br" else gzip.compress(data, 6)


def plotly_url() -> str:
    return url_for("dashboard_assets.plotly_js", digest=_plotly()[1])


@bp.get("/plotly-<digest>.min.js")
@require_role(*STAFF)
def plotly_js(digest: str) -> ResponseReturnValue:
    data, current = _plotly()
    if digest != current:
        abort(404)
    accepted = request.accept_encodings
    encoding = next((e for e in ("br", "gzip") if accepted[e]), None)
    response = Response(_compressed(encoding) if encoding else data, mimetype="text/javascript")
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"private, max-age={ONE_YEAR}, immutable"
    response.set_etag(current)
    return response.make_conditional(request)
