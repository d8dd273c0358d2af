"""A survey's links: status, address to copy, dates, switching off, and the test link.

A link's status is what a respondent opening it today meets: open, not yet open, closed
(switched off, or its survey closed) or expired (its closing date has passed).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from dashboards.bands import WaitingBands, waiting_bands
from feedback.storage import audit, releases
from feedback.storage.db import db
from feedback.storage.models import Link, SurveyRecord
from feedback.storage.survey_versions import create_link, link_state
from feedback.web.staff_access import EDITORS, require_role, survey_for_staff
from feedback.workspace.link_labels import band_label, status_label
from feedback.workspace.routes import bp

TEST_CHANNEL = "Test link (answers are never stored)"


def survey_links(record: SurveyRecord) -> tuple[list[Link], Link | None]:
    """The survey's shared links, and its test link if it has one."""
    links = db.session.scalars(
        select(Link).where(Link.survey_id == record.id).order_by(Link.id)
    ).all()
    shared = [link for link in links if not link.is_test]
    test = next((link for link in links if link.is_test), None)
    return shared, test


def bands_for(record: SurveyRecord, links: list[Link]) -> WaitingBands:
    return waiting_bands(
        releases.waiting_by_link(db.session, record.id),
        [link.id for link in links],
        current_app.config["DISCLOSURE_THRESHOLD"],
    )


def date_errors(
    form: MultiDict[str, str], today: date, current_closes_on: date | None = None
) -> list[tuple[str, str, str]]:
    """Problems with a link's opening and closing dates, as (field, name, message).

    A closing date in the past would make a link that takes no answers from the start;
    an expired link's own date may be kept while its other settings change.
    """
    errors = []
    days: dict[str, date | None] = {}
    for name in ("opens_on", "closes_on"):
        try:
            days[name] = _day(form.get(name))
        except ValueError:
            errors.append((name, name, gettext("Enter a date like 2027-01-31")))
    closes_on = days.get("closes_on")
    opens_on = days.get("opens_on")
    if closes_on and closes_on < today and closes_on != current_closes_on:
        errors.append(
            (
                "closes_on",
                "closes_on",
                gettext(
                    "The closing date must be today (%(today)s) or later: a link that "
                    "closed in the past would take no answers. To stop a link now, switch "
                    "it off on its page.",
                    today=today.isoformat(),
                ),
            )
        )
    elif closes_on and opens_on and closes_on < opens_on:
        errors.append(
            (
                "closes_on",
                "closes_on",
                gettext("The closing date must be on or after the opening date"),
            )
        )
    return errors


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _link_for_staff(code: str) -> tuple[Link, SurveyRecord]:
    """A link of a survey the signed-in person may see (404 or 403 otherwise)."""
    link = db.session.scalar(select(Link).where(Link.code == code))
    if link is None:
        abort(404)
    record, _survey = survey_for_staff(link.survey.slug)
    return link, record


@bp.get("/workspace/links/<code>")
@require_role(*EDITORS)
def link_page(code: str) -> ResponseReturnValue:
    link, record = _link_for_staff(code)
    return _link_page(link, record, [])


def _link_page(
    link: Link, record: SurveyRecord, errors: list[tuple[str, str, str]], saved: bool = False
) -> str:
    today = date.today()
    band = bands_for(record, [link]).by_link[link.id]
    return render_template(
        "workspace/link.html",
        link=link,
        record=record,
        status=status_label(link, today),
        state=link_state(link, today).value,
        band=None if link.is_test else band_label(band),
        errors=errors,
        saved=saved or request.args.get("saved"),
        form=request.form if errors else _form_of(link),
    )


def _form_of(link: Link) -> Mapping[str, str]:
    return {
        "opens_on": link.opens_on.isoformat() if link.opens_on else "",
        "closes_on": link.closes_on.isoformat() if link.closes_on else "",
    }


@bp.post("/workspace/links/<code>")
@require_role(*EDITORS)
def change_link_dates(code: str) -> ResponseReturnValue:
    link, record = _link_for_staff(code)
    errors = date_errors(request.form, date.today(), current_closes_on=link.closes_on)
    if errors:
        return _link_page(link, record, errors), 400
    link.opens_on = _day(request.form.get("opens_on"))
    link.closes_on = _day(request.form.get("closes_on"))
    audit.record(db.session, "link dates changed", f"{record.slug}: {link.channel}")
    return redirect(url_for(".link_page", code=code, saved="dates"), 303)


@bp.post("/workspace/links/<code>/state")
@require_role(*EDITORS)
def link_state_switch(code: str) -> ResponseReturnValue:
    link, record = _link_for_staff(code)
    link.is_active = request.form.get("active") == "yes"
    action = "link switched on" if link.is_active else "link switched off"
    audit.record(db.session, action, f"{record.slug}: {link.channel}")
    return redirect(url_for(".link_page", code=code), 303)


@bp.post("/workspace/surveys/<slug>/test-link")
@require_role(*EDITORS)
def make_test_link(slug: str) -> ResponseReturnValue:
    """The survey's test link (made once): the real respondent pages, nothing stored."""
    record, survey = survey_for_staff(slug)
    _shared, test = survey_links(record)
    if test is None:
        test = create_link(db.session, record, channel=TEST_CHANNEL, audience=survey.audience)
        test.is_test = True
        audit.record(db.session, "test link created", slug)
    return redirect(url_for(".survey_detail", slug=slug, _anchor="test-link"), 303)
