"""Reviewing comments as a queue: several decided at once, all or nothing; themes the team
writes for each survey, counted through the release like every other figure."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from dashboards import DisclosurePolicy
from dashboards.disclosure import NOTHING, Tallied
from feedback.storage.db import db
from feedback.storage.models import Answer, AuditEvent, CommentReview, SurveyResponse
from tests.conftest import add_link, age_responses, load_definition
from tests.feedback.test_dashboard import sign_in
from tests.feedback.test_dashboards_full import page_of, park, submit

SLUG = "sample-young-people"
URL = f"/dashboards/{SLUG}/comments/change_one_thing"
REVIEW = f"{URL}/review"


def comments_released(app: Flask, club: int = 11, school: int = 10) -> None:
    code = add_link(app, load_definition(app))
    submit(app, code, club, {**park(), "one_change": {"change_one_thing": "An after school club"}})
    submit(app, code, school, {**park(), "one_change": {"change_one_thing": "My school is ok"}})
    age_responses(app)


def reviewer(app: Flask) -> tuple[FlaskClient, str, list[str]]:
    client = app.test_client()
    sign_in(app, client, "reviewer")
    page = page_of(client, URL)[1]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client, token, re.findall(r'name="comment" value="(\d+)"', page)


def reviews(app: Flask) -> dict[int, bool]:
    with app.app_context():
        rows = db.session.execute(select(CommentReview.response_id, CommentReview.hidden))
        return {response_id: hidden for response_id, hidden in rows}


def test_several_comments_are_decided_at_once_and_the_list_opens_where_it_was(
    app: Flask,
) -> None:
    comments_released(app)
    client, token, ids = reviewer(app)
    assert len(ids) == 21
    shown = client.post(
        f"{REVIEW}?page=1", data={"csrf_token": token, "decision": "show", "comment": ids[3:6]}
    )
    assert shown.status_code == 303
    assert shown.location.endswith(f"page=1&decided=show:3#comment-{ids[3]}")
    hidden = client.post(
        REVIEW, data={"csrf_token": token, "one": f"hide:{ids[7]}", "comment": ids[:2]}
    )
    assert hidden.status_code == 303  # the one comment's own button, not the ticked ones
    assert reviews(app) == {**{int(i): False for i in ids[3:6]}, int(ids[7]): True}
    page = page_of(client, shown.location)[1]
    assert "3 comments shown to the team." in page
    with app.app_context():
        assert db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "comment shown")
        ).all() == [f"{SLUG}: change_one_thing, 3 comment(s)"]
    viewer = app.test_client()
    sign_in(app, viewer, "viewer")
    assert page_of(viewer, URL)[1].count('class="comment-text"') == 3


def test_a_batch_with_a_stale_or_foreign_id_changes_nothing(app: Flask) -> None:
    comments_released(app)
    # A response of another survey, with a comment of its own.
    from surveys import BANK_DIR

    other = add_link(app, load_definition(app, BANK_DIR / "young-people-design.yaml"))
    client, token, ids = reviewer(app)
    with app.app_context():
        foreign = db.session.scalar(
            select(SurveyResponse.id).where(SurveyResponse.survey_id != _survey_id(app))
        )
    assert other
    for bad in ["999999999", "not-a-number", str(foreign) if foreign else "12345"]:
        refused = client.post(
            REVIEW, data={"csrf_token": token, "decision": "hide", "comment": [ids[0], bad]}
        )
        text = refused.get_data(as_text=True)
        assert refused.status_code == 400, text[-500:]
        assert "Nothing was changed" in text and "1 of the 2 comments chosen" in text
    # Comments sent after the release are in no list yet: deciding them is refused too.
    code = add_link(app, load_definition(app))
    submit(app, code, 1, {**park(), "one_change": {"change_one_thing": "Too new"}})
    with app.app_context():
        newest = db.session.scalar(select(Answer.response_id).where(Answer.text == "Too new"))
    refused = client.post(
        REVIEW, data={"csrf_token": token, "decision": "show", "comment": [ids[1], str(newest)]}
    )
    assert refused.status_code == 400
    for data in ({"decision": "show"}, {"decision": "maybe", "comment": ids[0]}):
        assert client.post(REVIEW, data={"csrf_token": token, **data}).status_code == 400
    assert reviews(app) == {}
    viewer = app.test_client()
    sign_in(app, viewer, "viewer")
    viewer_token = re.search(r'name="csrf_token" value="([^"]+)"', page_of(viewer, URL)[1])
    assert (
        viewer.post(
            REVIEW, data={"csrf_token": viewer_token.group(1), "decision": "show", "comment": ids}
        ).status_code
        == 403
    )
    assert reviews(app) == {}


def _survey_id(app: Flask) -> int:
    from feedback.storage.models import SurveyRecord

    with app.app_context():
        return db.session.scalar(select(SurveyRecord.id).where(SurveyRecord.slug == SLUG))


def released_theme_count(app: Flask, words: str) -> str:
    """What the release should publish for the comments containing `words`: the cell key
    method on their count and record keys, worked out here from the responses."""
    with app.app_context():
        rows = db.session.execute(
            select(Answer.text, SurveyResponse.record_key)
            .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
            .where(Answer.item_key == "change_one_thing")
        ).all()
    policy = DisclosurePolicy(threshold=app.config["DISCLOSURE_THRESHOLD"])
    total = sum((Tallied(1, key) for _text, key in rows), NOTHING)
    found = sum((Tallied(1, key) for text, key in rows if words in text), NOTHING)
    cell = policy.count(found, policy.count(total))
    return str(cell.count) if cell.shown else "Hidden"


def theme_cell(page: str, theme: str) -> str:
    text = re.search(rf"{re.escape(theme)}</th>\s*<td[^>]*>([^<]*)<", page).group(1).strip()
    return "Hidden" if text.startswith("Hidden") else text


def test_a_survey_s_own_themes_are_counted_through_the_release(app: Flask) -> None:
    comments_released(app)
    client, token, _ids = reviewer(app)
    page = page_of(client, URL)[1]
    # The defaults: "after school" clubs are not School; the school comments are.
    assert theme_cell(page, "School") == released_theme_count(app, "My school")
    assert theme_cell(page, "Youth workers and activities") == str(
        released_theme_count(app, "after school")
    )
    form = page_of(client, f"/dashboards/{SLUG}/themes?question=change_one_thing")[1]
    assert "School: school*, teacher*, college*, not after school" in form
    refused = client.post(
        f"/dashboards/{SLUG}/themes?question=change_one_thing",
        data={"csrf_token": token, "themes": "Clubs: club*\nEmpty:   ,  "},
    )
    assert refused.status_code == 400
    assert "the theme “Empty” has no words or phrases" in refused.get_data(as_text=True)
    saved = client.post(
        f"/dashboards/{SLUG}/themes?question=change_one_thing",
        data={"csrf_token": token, "themes": "After school: after school\nAll: my school, club"},
    )
    assert saved.status_code == 303 and "/comments/change_one_thing" in saved.location
    page = page_of(client, URL)[1]
    assert "Lighting and layout" not in page
    assert theme_cell(page, "After school") == released_theme_count(app, "after school")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 21
    # Both kinds of comment: every comment in the release.
    assert theme_cell(page, "All") == released_theme_count(app, " ")
    viewer = app.test_client()
    sign_in(app, viewer, "viewer")
    assert page_of(viewer, f"/dashboards/{SLUG}/themes")[0] == 403
