"""Editing a survey in the browser: every change becomes a new version with a readable diff."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from feedback.storage.db import db
from feedback.storage.models import AuditEvent, SurveyRecord, SurveyVersion
from feedback.storage.survey_versions import latest_version, survey_of
from tests.feedback.test_dashboard import sign_in
from tests.forms import form_fields
from tests.respondent import Respondent

SLUG = "sample-young-people"
EDIT = f"/workspace/surveys/{SLUG}/edit"
PUBLISH = f"/workspace/surveys/{SLUG}/edit/publish"


def designer(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(app, client, "designer")
    return client


def press(client: FlaskClient, page: str, action: str, form_action: str = EDIT, **changes: str):  # noqa: ANN201
    """Post the edit form as shown in `page`, with `changes` typed in and `action` pressed."""
    fields = form_fields(
        page, form_action, button=action.partition(":")[0] if action and ":" not in action else None
    )
    assert fields, f"no form posting to {form_action}"
    fields.update(changes)
    if action:
        fields["action"] = action
    return client.post(form_action, data=fields)


def versions(app: Flask) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(SurveyVersion.number)
                .join(SurveyRecord)
                .where(SurveyRecord.slug == SLUG)
                .order_by(SurveyVersion.number)
            )
        )


def latest(app: Flask):  # noqa: ANN201
    with app.app_context():
        record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == SLUG))
        return survey_of(latest_version(db.session, record.id))


def publish(client: FlaskClient, edit_page: str, **changes: str):  # noqa: ANN201
    review = press(client, edit_page, "review", **changes)
    assert review.status_code == 200, review.get_data(as_text=True)[:2000]
    return press(client, review.get_data(as_text=True), "", form_action=PUBLISH), review


def test_rewording_a_question_publishes_a_new_version_respondents_see(
    app: Flask, sample_link: str
) -> None:
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    assert "How safe do those places usually feel?" in page
    published, review = publish(
        client, page, **{"feel_safe-text": "How safe do those places feel to you?"}
    )
    shown = review.get_data(as_text=True)
    assert "Reworded" in shown and "Question 2: wording" in shown
    assert "<del>usually </del>" in shown and "<ins> to you</ins>" in shown
    assert published.status_code == 303
    assert published.location.endswith(f"/workspace/surveys/{SLUG}?published=2")
    assert versions(app) == [1, 2]
    assert latest(app).question("feel_safe").text == "How safe do those places feel to you?"

    person = Respondent(app.test_client(), sample_link)
    person.start()
    person.answer("places", {"places_visited": ["park"]})
    assert "How safe do those places feel to you?" in person.get(
        f"/s/{sample_link}/q/safety"
    ).get_data(as_text=True)

    history = client.get(f"/workspace/surveys/{SLUG}/versions/2").get_data(as_text=True)
    assert "What changed in version 2" in history and "<del>usually </del>" in history
    with app.app_context():
        assert db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "survey edited")
        ).all() == [f"{SLUG}: version 2 from version 1"]


def test_moving_removing_and_adding_from_the_library(app: Flask, sample_link: str) -> None:
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    moved = press(client, page, "down:workers").get_data(as_text=True)
    removed = press(client, moved, "remove:makes_safer").get_data(as_text=True)
    assert "makes_safer-text" not in removed
    added = press(client, removed, "add", library_question="trust_worker").get_data(as_text=True)
    assert 'name="trust_worker-text"' in added
    published, review = publish(client, added)
    shown = review.get_data(as_text=True)
    assert "Moved" in shown and "Removed" in shown and "Added" in shown
    assert published.status_code == 303
    order = [q.id for q in latest(app).questions()]
    assert order == [
        "places_visited",
        "feel_safe",
        "listened_to",
        "workers_with_group",
        "change_one_thing",
        "trust_worker",
    ]


def test_show_if_is_set_from_one_plain_choice(app: Flask, sample_link: str) -> None:
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    assert (
        'When to show this page: <span class="rule" dir="auto">Only if “Where do you '
        "spend time when you are not at home?” is answered" in page
    )
    assert "is “Youth club”" not in page  # the choices appear for one question at a time
    page = press(client, page, "condition:workers_with_group").get_data(as_text=True)
    assert "Only if “Where do you spend time when you are not at home?” is “Youth club”" in page
    assert page.count('<select class="select select-wide" id="') == 2  # + the library
    published, review = publish(
        client, page, **{"workers_with_group-show_if": "equals:places_visited:youth_club"}
    )
    assert "When shown" in review.get_data(as_text=True)
    assert published.status_code == 303
    condition = latest(app).question("workers_with_group").show_if
    assert (condition.question, condition.equals) == ("places_visited", "youth_club")


def test_retention_is_changed_in_the_browser_and_checked(app: Flask, sample_link: str) -> None:
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    refused = press(client, page, "review", retention_days="forever")
    assert refused.status_code == 400
    assert "Enter how many days to keep responses" in refused.get_data(as_text=True)
    assert versions(app) == [1]
    published, _review = publish(client, page, retention_days="30")
    assert published.status_code == 303
    assert latest(app).retention_days == 30
    assert "deleted 30 days after" in client.get(published.location).get_data(as_text=True)


def test_problems_are_listed_and_nothing_is_published(app: Flask, sample_link: str) -> None:
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    response = press(client, page, "review", **{"feel_safe-text": "  "})
    shown = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#feel_safe-text"' in shown and "Question 2:" in shown
    unchanged = press(client, page, "review")
    assert "You have not changed anything yet" in unchanged.get_data(as_text=True)
    depended_on = press(client, page, "remove:places_visited")
    assert depended_on.status_code == 400
    assert "depends on this question" in depended_on.get_data(as_text=True)
    assert versions(app) == [1]


def test_an_edit_that_was_tampered_with_is_refused(app: Flask, sample_link: str) -> None:
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    fields = form_fields(page, EDIT)
    fields["edit"] = fields["edit"][:-3] + "abc"
    assert client.post(PUBLISH, data=fields).status_code == 400
    assert versions(app) == [1]


def test_a_later_save_is_told_not_silently_lost(app: Flask, sample_link: str) -> None:
    first, second = designer(app), app.test_client()
    sign_in(app, second, "admin")
    first_page = first.get(EDIT).get_data(as_text=True)
    second_page = second.get(EDIT).get_data(as_text=True)
    second_review = press(second, second_page, "review", title="Safe places survey")

    published, _review = publish(
        first, first_page, **{"feel_safe-text": "How safe do these places feel?"}
    )
    assert published.status_code == 303

    stale = press(second, second_review.get_data(as_text=True), "", form_action=PUBLISH)
    shown = stale.get_data(as_text=True)
    text = re.sub(r"<[^>]+>", "", shown)
    assert stale.status_code == 409
    assert "Your changes have not been published yet" in shown
    assert "Now: How safe do these places feel?" in text  # theirs
    assert "Now: Safe places survey" in text  # mine, kept
    assert versions(app) == [1, 2]

    review = press(second, shown, "review")
    assert review.status_code == 200
    assert "Publish version 3" in review.get_data(as_text=True)
    final = press(second, review.get_data(as_text=True), "", form_action=PUBLISH)
    assert final.status_code == 303
    assert versions(app) == [1, 2, 3]
    assert latest(app).title == "Safe places survey"


def test_only_people_who_may_edit_reach_the_editor(app: Flask, sample_link: str) -> None:
    for role in ("viewer", "reviewer"):
        client = app.test_client()
        sign_in(app, client, role)
        assert client.get(EDIT).status_code == 403
    assert app.test_client().get(EDIT).status_code == 302


def test_version_history_links_each_change(app: Flask, sample_link: str) -> None:
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    publish(client, page, title="Safer places")
    detail = client.get(f"/workspace/surveys/{SLUG}").get_data(as_text=True)
    assert re.search(rf'href="/workspace/surveys/{SLUG}/versions/2"', detail)
    assert "This is the first version." in client.get(
        f"/workspace/surveys/{SLUG}/versions/1"
    ).get_data(as_text=True)
    assert client.get(f"/workspace/surveys/{SLUG}/versions/9").status_code == 404


def test_markup_typed_into_the_editor_is_shown_as_text_everywhere(
    app: Flask, sample_link: str
) -> None:
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    published, review = publish(
        client, page, **{"feel_safe-text": f"How safe? {payload}", "feel_safe-hint": payload}
    )
    assert published.status_code == 303
    person = Respondent(app.test_client(), sample_link)
    person.start()
    person.answer("places", {"places_visited": ["park"]})
    pages = [
        review.get_data(as_text=True),
        client.get(EDIT).get_data(as_text=True),
        client.get(f"/workspace/surveys/{SLUG}/versions/2").get_data(as_text=True),
        person.get(f"/s/{sample_link}/q/safety").get_data(as_text=True),
    ]
    for shown in pages:
        assert "<script>alert(1)" not in shown and "<img src=x" not in shown
        assert "&lt;script&gt;alert(1)" in shown


def test_a_stale_save_can_be_combined_with_the_newer_version(app: Flask, sample_link: str) -> None:
    first, second = designer(app), app.test_client()
    sign_in(app, second, "admin")
    first_page = first.get(EDIT).get_data(as_text=True)
    second_page = second.get(EDIT).get_data(as_text=True)
    publish(first, first_page, **{"feel_safe-text": "How safe do these places feel?"})

    stale = press(second, second_page, "review", title="Safe places survey")
    assert stale.status_code == 409
    combined = press(second, stale.get_data(as_text=True), "merge")
    shown = combined.get_data(as_text=True)
    assert combined.status_code == 200 and "Publish version 3" in shown
    assert "both changed these" not in shown
    assert press(second, shown, "", form_action=PUBLISH).status_code == 303
    survey = latest(app)
    assert survey.title == "Safe places survey"
    assert survey.question("feel_safe").text == "How safe do these places feel?"


def test_combining_says_where_both_changed_the_same_thing(app: Flask, sample_link: str) -> None:
    first, second = designer(app), app.test_client()
    sign_in(app, second, "admin")
    first_page = first.get(EDIT).get_data(as_text=True)
    second_page = second.get(EDIT).get_data(as_text=True)
    publish(first, first_page, **{"feel_safe-text": "Theirs?"})
    stale = press(second, second_page, "review", **{"feel_safe-text": "Mine?"})
    combined = press(second, stale.get_data(as_text=True), "merge").get_data(as_text=True)
    assert "You and a colleague both changed these" in combined
    assert "How safe do those places usually feel?”: wording" in combined
    assert "Now: " in re.sub(r"<[^>]+>", "", combined)
    assert versions(app) == [1, 2]


def test_a_large_survey_can_be_edited_and_published(app: Flask) -> None:
    from datetime import date

    from feedback.storage.survey_versions import store_survey
    from surveys import parse_survey

    definition = {
        "id": "big-survey",
        "title": "Big",
        "audience": "parents",
        "questions": [
            {
                "id": f"q{n}",
                "type": "single_choice",
                "text": f"Question number {n} " + "x" * 150,
                "hint": "A hint " * 20,
                "options": [
                    {"value": f"o{k}", "label": f"Answer {k} " + "y" * 60} for k in range(6)
                ],
            }
            for n in range(200)
        ],
    }
    with app.app_context():
        store_survey(db.session, parse_survey(definition), definition, date.today())
        db.session.commit()
    client = designer(app)
    edit = "/workspace/surveys/big-survey/edit"
    page = client.get(edit).get_data(as_text=True)
    fields = form_fields(page, edit)
    assert len(fields) > 1000
    fields.update({"q150-text": "A reworded question", "action": "review"})
    review = client.post(edit, data=fields)
    assert review.status_code == 200, review.get_data(as_text=True)[:500]
    published = client.post(
        "/workspace/surveys/big-survey/edit/publish",
        data=form_fields(
            review.get_data(as_text=True), "/workspace/surveys/big-survey/edit/publish"
        ),
    )
    assert published.status_code == 303


def test_a_rule_left_pointing_at_a_later_question_is_kept_and_reported(
    app: Flask, sample_link: str
) -> None:
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    moved = press(client, page, "down:places").get_data(as_text=True)
    opened = press(client, moved, "condition:page-safety").get_data(as_text=True)
    assert re.search(
        r'<option value="answered:places_visited" selected>As now: Only if '
        r"“Where do you spend time when you are not at home\?” is answered",
        opened,
    )
    review = press(client, opened, "review")
    assert review.status_code == 400
    assert (
        "Question 1: when it is shown refers to question 2, which is not an "
        "earlier question" in review.get_data(as_text=True)
    )
    assert versions(app) == [1]


def test_whatever_the_editor_form_holds_the_answer_is_a_page_not_a_crash(
    app: Flask, sample_link: str
) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    client = designer(app)
    fields = form_fields(client.get(EDIT).get_data(as_text=True), EDIT)
    names = st.sampled_from(sorted(set(fields) - {"csrf_token", "edit"}))
    actions = st.one_of(
        st.sampled_from(["review", "merge", "add", "continue", ""]),
        st.builds(
            lambda kind, target: f"{kind}:{target}",
            st.sampled_from(["up", "down", "remove", "condition"]),
            st.one_of(
                st.sampled_from(["places", "feel_safe", "page-safety"]), st.text(max_size=20)
            ),
        ),
    )
    values = st.one_of(
        st.text(max_size=300),
        st.sampled_from(
            [
                "",
                "keep",
                "answered:feel_safe",
                "equals:x:y",
                "answered:",
                "equals:places_visited:park",
                "0",
                "99999999999",
                "<script>alert(1)</script>",
            ]
        ),
    )

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        changes=st.dictionaries(names, values, max_size=6),
        action=actions,
        library=st.text(max_size=30),
    )
    def check(changes: dict[str, str], action: str, library: str) -> None:
        response = client.post(
            EDIT, data={**fields, **changes, "action": action, "library_question": library}
        )
        assert response.status_code in (200, 400, 409), (changes, action)

    check()
    assert versions(app) == [1]


def test_a_core_question_keeps_its_words_and_answers_at_every_wave(app: Flask) -> None:
    """Rewording a core question would make the later waves incomparable: it is refused,
    and nothing is published; other questions of the same survey can still change."""
    from surveys import BANK_DIR
    from tests.conftest import load_definition

    load_definition(app, BANK_DIR / "young-people-design.yaml")
    client = designer(app)
    edit = "/workspace/surveys/young-people-design/edit"
    page = client.get(edit).get_data(as_text=True)
    refused = press(
        client,
        page,
        "review",
        form_action=edit,
        **{"trust_tell_worker-text": "Would you tell a worker anything at all?"},
    )
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "is a core question, asked the same way at every wave" in shown
    assert "has different words" in shown
    with app.app_context():
        record = db.session.scalar(
            select(SurveyRecord).where(SurveyRecord.slug == "young-people-design")
        )
        assert latest_version(db.session, record.id).number == 1
    accepted = press(
        client,
        page,
        "review",
        form_action=edit,
        **{"title": "Your ideas for safer places (spring)"},
    )
    assert accepted.status_code == 200
