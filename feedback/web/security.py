"""Response headers that keep every page private and its content our own."""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.wrappers import Response

# No inline script or style, and nothing from any other site: no CDN, fonts or analytics.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


# Dashboard charts (plotly.js) set inline styles as they draw; those staff-only pages
# allow inline *style*, never inline script. Respondent pages keep the strict policy.
CHART_PAGE_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


def allow_chart_styles(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CHART_PAGE_POLICY
    return response


# Everything staff are sent (pages, exports, .po files, QR codes) holds survey results or
# workspace details: never kept by a browser's or a proxy's cache.
STAFF_BLUEPRINTS = frozenset({"workspace", "dashboards"})
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # The neutral site that Exit this page opens must not learn where the person was.
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype == "text/html" or request.blueprint in STAFF_BLUEPRINTS:
        headers.setdefault("Cache-Control", "no-store")
    if current_app.config["FEEDBACK_ENV"] == "production":
        # Production is only ever reached over HTTPS (PUBLIC_URL must be https://).
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
