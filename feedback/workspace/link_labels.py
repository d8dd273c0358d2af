"""How a link's status and a band of responses read on design-team pages."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext

from dashboards.bands import Band
from feedback.storage.models import Link
from feedback.storage.survey_versions import LinkState, link_state


def status_label(link: Link, today: date) -> str:
    """The link's status in a few words, with the date that decides it."""
    state = link_state(link, today)
    if state is LinkState.NOT_YET_OPEN and link.opens_on:
        return gettext("Not yet open (opens on %(day)s)", day=link.opens_on.isoformat())
    if state is LinkState.EXPIRED and link.closes_on:
        return gettext("Expired (closed after %(day)s)", day=link.closes_on.isoformat())
    if state is LinkState.CLOSED and not link.is_active:
        return gettext("Closed (switched off)")
    if state is LinkState.CLOSED:
        return gettext("Closed (the survey is closed)")
    if link.closes_on:
        return gettext("Open (until %(day)s)", day=link.closes_on.isoformat())
    return gettext("Open")


def band_label(band: Band) -> str:
    if band.lower == 0:
        return gettext("fewer than %(number)s", number=f"{(band.upper or 0) + 1:,}")
    if band.upper is None:
        return gettext("%(number)s or more", number=f"{band.lower:,}")
    return gettext("%(lower)s to %(upper)s", lower=f"{band.lower:,}", upper=f"{band.upper:,}")
