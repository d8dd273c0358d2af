"""Addresses of shared links as people will type or scan them."""

from __future__ import annotations

from flask import current_app, url_for

from feedback.storage.models import Link


def public_link_url(link: Link) -> str:
    """The full address of a link: PUBLIC_URL when configured, else this request's host."""
    base = current_app.config.get("PUBLIC_URL")
    path = url_for("respondent.start", code=link.code)
    if base:
        return base.rstrip("/") + path
    return url_for("respondent.start", code=link.code, _external=True)
