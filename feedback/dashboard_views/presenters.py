"""Words for the dashboard pages (staff-facing text: the `staff` catalogue)."""

from __future__ import annotations

from flask_babel import gettext

from dashboards.disclosure import Suppression


def suppression_text(reason: Suppression) -> str:
    """Why a figure is hidden, in plain words."""
    if reason is Suppression.SMALL_COUNT:
        return gettext("Fewer than 5")
    if reason is Suppression.SECONDARY:
        return gettext("Hidden so the small number next to it cannot be worked out")
    return gettext("Hidden: too few responses")
