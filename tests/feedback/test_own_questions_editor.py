"""A team's own questions and answers through the editor: added, checked, published, answered,
with codes that never change meaning across versions."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from feedback.storage.db import db
from feedback.storage.models import Answer
from tests.feedback.test_dashboard import sign_in
from tests.feedback.test_survey_editor import EDIT, PUBLISH, designer, latest, press, publish
from tests.respondent import Respondent


def test_an_own_question_with_answers_is_added_changed_published_and_answered(
    app: Flask, sample_link: str
) -> None:
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    added = press(
        client,
        page,
        "own",
        new_question_type="single_choice",
        new_question_text="How do you get to the youth club?",
        new_question_answers="Walk\nBus\n\nBus\nGet a lift",
    )
    shown = added.get_data(as_text=True)
    assert added.status_code == 200, shown[:2000]
    qid = "how_do_you_get_to"
    assert f'name="{qid}-option-walk"' in shown and f'name="{qid}-option-get_a_lift"' in shown
    assert "Your question was added at the end" in shown
    # A new answer, one moved up, one taken out.
    shown = press(
        client, shown, f"option-add:{qid}", **{f"{qid}-new-option": "Cycle or scoot"}
    ).get_data(as_text=True)
    for _twice in range(2):
        shown = press(client, shown, f"option-up:{qid}:cycle_or_scoot").get_data(as_text=True)
    shown = press(client, shown, f"option-remove:{qid}:get_a_lift").get_data(as_text=True)
    published, review = publish(client, shown)
    changes = review.get_data(as_text=True)
    assert "Added" in changes and "How do you get to the youth club?" in changes
    assert published.status_code == 303
    question = latest(app).question(qid)
    assert [(o.value, o.label) for o in question.options] == [
        ("walk", "Walk"),
        ("cycle_or_scoot", "Cycle or scoot"),
        ("bus", "Bus"),
    ]

    person = Respondent(app.test_client(), sample_link)
    person.start()
    page_id = next(p.id for p in latest(app).pages if p.questions[0].id == qid)
    assert "Cycle or scoot" in person.get(f"/s/{sample_link}/q/{page_id}").get_data(as_text=True)
    assert person.answer(page_id, {qid: "cycle_or_scoot"}).status_code == 303
    assert person.submit().status_code in (302, 303)
    with app.app_context():
        assert db.session.scalars(select(Answer.choice).where(Answer.item_key == qid)).all() == [
            "cycle_or_scoot"
        ]


def test_a_removed_answer_code_is_never_given_to_a_new_answer(app: Flask, sample_link: str) -> None:
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    removed = press(client, page, "option-remove:workers_with_group:maybe").get_data(as_text=True)
    assert 'name="workers_with_group-option-maybe"' not in removed
    assert publish(client, removed)[0].status_code == 303
    # Version 2 has no "maybe"; a new "Maybe" must not take the code version 1's answers have.
    page = client.get(EDIT).get_data(as_text=True)
    shown = press(
        client, page, "option-add:workers_with_group", **{"workers_with_group-new-option": "Maybe"}
    ).get_data(as_text=True)
    assert 'name="workers_with_group-option-maybe_2"' in shown
    assert publish(client, shown)[0].status_code == 303
    assert latest(app).question("workers_with_group").option("maybe_2").label == "Maybe"


def test_answers_a_rule_depends_on_and_questions_that_cannot_be_asked_are_refused(
    app: Flask, sample_link: str
) -> None:
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    with_rule = press(
        client,
        page,
        "condition:listened_to",
        **{"listened_to-show_if": "equals:workers_with_group:yes"},
    ).get_data(as_text=True)
    refused = press(client, with_rule, "option-remove:workers_with_group:yes")
    assert refused.status_code == 400
    assert "depends on this answer" in refused.get_data(as_text=True)
    too_few = press(
        client,
        page,
        "own",
        new_question_type="multiple_choice",
        new_question_text="Which?",
        new_question_answers="Only this",
    )
    shown = too_few.get_data(as_text=True)
    assert too_few.status_code == 400 and "at least two answers" in shown
    assert 'href="#new_question_text"' in shown
    assert "Only this" in shown  # what was typed is kept
    for action in ("option-add:nothing", "option-up:places_visited:nothing", "row-add:feel_safe"):
        assert press(client, page, action).status_code == 400


def test_every_type_can_be_added_from_the_editor(app: Flask, sample_link: str) -> None:
    client = designer(app)
    shown = client.get(EDIT).get_data(as_text=True)
    types = re.findall(r'name="new_question_type" value="([a-z_0-9]+)"', shown)
    assert len(types) == 9
    for number, qtype in enumerate(types):
        response = press(
            client,
            shown,
            "own",
            new_question_type=qtype,
            new_question_text=f"Question {number} of mine",
            new_question_answers="Yes\nNo",
            new_question_rows="It is clean\nIt is lit",
        )
        assert response.status_code == 200, (qtype, response.get_data(as_text=True)[:1500])
        shown = response.get_data(as_text=True)
    grid_id = f"question_{types.index('matrix')}_of_mine"
    shown = press(
        client, shown, f"row-add:{grid_id}", **{f"{grid_id}-new-row": "It is busy"}
    ).get_data(as_text=True)
    published, _review = publish(client, shown)
    assert published.status_code == 303
    survey = latest(app)
    assert {q.type.value for q in survey.questions()[-9:]} == set(types)
    grid = next(q for q in survey.questions() if q.type.value == "matrix")
    assert [s.text for s in grid.statements][-1] == "It is busy"


def test_a_core_question_still_refuses_new_answers(app: Flask) -> None:
    from surveys import BANK_DIR
    from tests.conftest import load_definition

    load_definition(app, BANK_DIR / "young-people-design.yaml")
    client = designer(app)
    edit = "/workspace/surveys/young-people-design/edit"
    page = client.get(edit).get_data(as_text=True)
    core = next(
        q
        for q in latest_of(app, "young-people-design").questions()
        if q.core and q.type.value in ("single_choice", "multiple_choice")
    )
    # No buttons are offered; a crafted one is refused when the changes are checked.
    assert f'value="option-add:{core.id}"' not in page
    changed = press(
        client, page, f"option-add:{core.id}", form_action=edit, **{f"{core.id}-new-option": "Hm"}
    )
    assert changed.status_code == 200
    refused = press(client, changed.get_data(as_text=True), "review", form_action=edit)
    assert refused.status_code == 400
    assert "is a core question" in refused.get_data(as_text=True)
    assert "has different answers" in refused.get_data(as_text=True)


def test_new_answers_warn_that_translations_need_them(app: Flask, sample_link: str) -> None:
    # The sample survey ships with its translations, so new words show in English until updated.
    client = designer(app)
    page = client.get(EDIT).get_data(as_text=True)
    shown = press(
        client, page, "option-add:workers_with_group", **{"workers_with_group-new-option": "Often"}
    ).get_data(as_text=True)
    review = press(client, shown, "review").get_data(as_text=True)
    assert "answer added" in review and "shows in English to people using" in review
    assert "Welsh until its translation is updated" in review


def test_a_stale_save_with_an_own_question_is_combined(app: Flask, sample_link: str) -> None:
    first, second = designer(app), app.test_client()
    sign_in(app, second, "admin")
    first_page = first.get(EDIT).get_data(as_text=True)
    second_page = second.get(EDIT).get_data(as_text=True)
    publish(first, first_page, title="Safe places (first)")
    mine = press(
        second,
        second_page,
        "own",
        new_question_type="short_text",
        new_question_text="Anything else?",
    ).get_data(as_text=True)
    stale = press(second, mine, "review")
    assert stale.status_code == 409
    combined = press(second, stale.get_data(as_text=True), "merge").get_data(as_text=True)
    assert press(second, combined, "", form_action=PUBLISH).status_code == 303
    survey = latest(app)
    assert survey.title == "Safe places (first)" and survey.question("anything_else")


def latest_of(app: Flask, slug: str):  # noqa: ANN201
    from feedback.storage.models import SurveyRecord
    from feedback.storage.survey_versions import latest_version, survey_of

    with app.app_context():
        record = db.session.scalar(select(SurveyRecord).where(SurveyRecord.slug == slug))
        return survey_of(latest_version(db.session, record.id))
