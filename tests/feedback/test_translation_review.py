"""A fluent speaker reviews a language's respondent text in the browser (ADR 0011)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from feedback.cli import main
from feedback.storage import gettext_catalogues
from feedback.storage.db import db
from feedback.storage.models import SurveyRecord
from feedback.storage.survey_translations import export_translation
from feedback.storage.survey_versions import published_survey, store_survey
from feedback.storage.translation_reviews import (
    CHANGED,
    REVIEWED,
    accept,
    catalogue_messages,
    language_state,
    message_key,
    reviewed_messages,
    shipped_messages,
    survey_catalogue_name,
)
from surveys import parse_survey
from surveys.yaml_io import read_yaml
from tests.conftest import SAMPLE_SURVEY
from tests.feedback.test_dashboard import sign_in
from tests.respondent import Respondent

REVIEW = "/workspace/translations/cy/review"
START_NOW = message_key("young_people", "Start now")
OPTIONAL = message_key("parents", "(optional)")
CALL = message_key("young_people", "Call %(number)s and ask for the police or an ambulance.")
ANONYMOUS = message_key("parents", "This survey is for parents and carers. It is anonymous.")


def token(client: FlaskClient, path: str = REVIEW) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def review(client: FlaskClient, key: str, action: str, text: str | None = None, state: str = "all"):  # noqa: ANN201
    data = {"csrf_token": token(client), "action": action, "state": state}
    if text is not None:
        data["translation"] = text
    return client.post(f"{REVIEW}/{key}", data=data)


def state_of(app: Flask, key: str, language: str = "cy") -> str:
    with app.app_context():
        return next(m.state for m in reviewed_messages(db.session, language) if m.key == key)


@pytest.fixture
def reviewer(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(app, client, "reviewer")
    return client


def test_the_page_shows_english_context_glossary_and_an_editable_welsh_field(
    reviewer: FlaskClient,
) -> None:
    page = reviewer.get(f"{REVIEW}?state=all&page=1").get_data(as_text=True)
    assert "Review Welsh" in page and "page 1 of" in page
    assert page.count('class="card review-row"') == 25
    assert '<textarea class="textarea" id="m-' in page and 'lang="cy" dir="ltr"' in page
    assert "young_people" in page and "parents" in page
    # The register note from the catalogue's header is beside each message.
    assert "&#34;ti&#34; throughout" in page or '"ti" throughout' in page
    anonymous = reviewer.get(f"{REVIEW}?state=all&page=13").get_data(as_text=True)
    assert "dienw" in anonymous  # the glossary term for "anonymous", beside the English


def test_arabic_fields_are_right_to_left(app: Flask, reviewer: FlaskClient) -> None:
    page = reviewer.get("/workspace/translations/ar/review").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in page and "Review Arabic" in page


def test_accepting_a_message_marks_it_reviewed_and_moves_to_the_next(
    app: Flask, reviewer: FlaskClient
) -> None:
    response = review(reviewer, OPTIONAL, "accept", state="draft")
    assert response.status_code == 303
    assert "state=draft" in response.location and "#m-" in response.location
    assert state_of(app, OPTIONAL) == REVIEWED
    page = reviewer.get(response.location).get_data(as_text=True)
    assert "Accepted." in page and "Reviewed (1)" in page


def test_a_correction_is_saved_and_respondents_see_it(
    app: Flask, reviewer: FlaskClient, sample_link: str
) -> None:
    before = app.test_client().get(f"/s/{sample_link}?lang=cy").get_data(as_text=True)
    assert "Dechrau nawr" in before
    assert review(reviewer, START_NOW, "correct", "Dechrau arni nawr").status_code == 303
    assert state_of(app, START_NOW) == REVIEWED
    after = app.test_client().get(f"/s/{sample_link}?lang=cy").get_data(as_text=True)
    assert "Dechrau arni nawr" in after
    # Only Welsh, and only that audience's message, changed.
    assert "Dechrau arni nawr" not in app.test_client().get(f"/s/{sample_link}?lang=pl").get_data(
        as_text=True
    )


def test_a_correction_that_drops_a_placeholder_is_refused_and_not_saved(
    app: Flask, reviewer: FlaskClient
) -> None:
    response = review(reviewer, CALL, "correct", "Ffonia'r heddlu neu ambiwlans.")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and "%(number)s" in page
    assert "Ffonia&#39;r heddlu neu ambiwlans." in page  # what was typed is kept
    assert 'aria-invalid="true"' in page
    assert state_of(app, CALL) != REVIEWED


def test_a_correction_without_the_glossary_term_is_refused(
    app: Flask, reviewer: FlaskClient
) -> None:
    response = review(
        reviewer, ANONYMOUS, "correct", "Mae'r arolwg hwn ar gyfer rhieni. Does dim enw."
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "glossary term" in page and "dienw" in page
    assert state_of(app, ANONYMOUS) != REVIEWED


def accept_everything(app: Flask, language: str) -> None:
    with app.app_context():
        for message in shipped_messages(language):
            accept(db.session, language, message, "reviewer", date.today())
        db.session.commit()


def test_a_language_is_marked_reviewed_only_once_no_draft_remains(
    app: Flask, reviewer: FlaskClient
) -> None:
    mark = "/workspace/translations/cy/reviewed"
    refused = reviewer.post(mark, data={"csrf_token": token(reviewer)})
    assert refused.status_code == 400
    assert "cannot be marked reviewed yet" in refused.get_data(as_text=True)
    accept_everything(app, "cy")
    assert "Mark Welsh reviewed</button>" in reviewer.get(REVIEW).get_data(as_text=True)
    assert reviewer.post(mark, data={"csrf_token": token(reviewer)}).status_code == 303
    with app.app_context():
        assert language_state(db.session, "cy").is_reviewed
    status = reviewer.get("/workspace/translations").get_data(as_text=True)
    assert f"Reviewed by the reviewer role on {format_date(date.today(), 'long')}" in status


@pytest.fixture
def copied_translations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The respondent catalogues copied, so a test can change the English or write a .po."""
    root = tmp_path / "translations"
    root.mkdir()
    shutil.copy(gettext_catalogues.TRANSLATIONS_DIR / "messages.pot", root / "messages.pot")
    for language in ("cy", "ar"):
        target = root / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(gettext_catalogues.ui_po_path(language), target / "messages.po")
    monkeypatch.setattr(gettext_catalogues, "TRANSLATIONS_DIR", root)
    return root


def test_english_changed_after_review_falls_back_to_draft(
    app: Flask, reviewer: FlaskClient, copied_translations: Path
) -> None:
    accept_everything(app, "cy")
    reviewer.post("/workspace/translations/cy/reviewed", data={"csrf_token": token(reviewer)})
    # The English of one message changes; updating the catalogue marks its translation
    # fuzzy with the old English as the previous msgid (#|), as msgmerge does.
    old, new = '"(optional)"', '"(you can skip this)"'
    template = copied_translations / "messages.pot"
    template.write_text(template.read_text().replace(f"msgid {old}", f"msgid {new}"))
    po = copied_translations / "cy" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        re.sub(
            rf'msgctxt "(\w+)"\nmsgid {re.escape(old)}',
            rf'#, fuzzy\n#| msgctxt "\1"\n#| msgid {old}\nmsgctxt "\1"\nmsgid {new}',
            po.read_text(),
        )
    )
    changed = message_key("parents", "(you can skip this)")
    assert state_of(app, changed) == CHANGED
    with app.app_context():
        state = language_state(db.session, "cy")
    assert not state.is_reviewed and state.changed == 2  # one message for each audience
    page = reviewer.get(f"{REVIEW}?state=changed").get_data(as_text=True)
    assert "(you can skip this)" in page and "Changed since review (2)" in page
    status = reviewer.get("/workspace/translations").get_data(as_text=True)
    assert "2 changed since review" in status


def test_apply_reviews_writes_corrections_and_the_review_header_into_the_po(
    app: Flask, reviewer: FlaskClient, copied_translations: Path
) -> None:
    review(reviewer, START_NOW, "correct", "Dechrau arni nawr")
    accept_everything(app, "cy")
    reviewer.post("/workspace/translations/cy/reviewed", data={"csrf_token": token(reviewer)})
    result = CliRunner().invoke(main, ["translations", "apply-reviews", "cy"], obj=app)
    assert result.exit_code == 0, result.output
    assert "(language reviewed)" in result.output
    written = (copied_translations / "cy" / "LC_MESSAGES" / "messages.po").read_text()
    today = f"{date.today():%Y-%m-%d}"
    assert f"# Review: reviewed by a fluent speaker (reviewer role, {today}).\n" in written
    assert f'"X-Reviewed-By: reviewer role\\n"\n"X-Review-Date: {today}\\n"' in written
    assert 'msgctxt "young_people"\nmsgid "Start now"\nmsgstr "Dechrau arni nawr"' in written
    assert "Register by context" in written  # the translator notes in the header are kept
    # Read back, the catalogue says it is reviewed, and nothing else changed in it.
    from surveys.po import read_po_bytes

    assert read_po_bytes(written.encode(), "cy").reviewed


@pytest.mark.parametrize("role", ["designer", "viewer"])
def test_only_reviewers_and_admins_review_translations(app: Flask, role: str) -> None:
    client = app.test_client()
    sign_in(app, client, role)
    csrf = token(client, "/workspace")
    assert client.get(REVIEW).status_code == 403
    refused = client.post(f"{REVIEW}/{OPTIONAL}", data={"csrf_token": csrf, "action": "accept"})
    assert refused.status_code == 403
    assert (
        client.post("/workspace/translations/cy/reviewed", data={"csrf_token": csrf}).status_code
        == 403
    )
    assert state_of(app, OPTIONAL) != REVIEWED
    assert "/workspace/translations/cy/review" not in client.get(
        "/workspace/translations"
    ).get_data(as_text=True)


def test_an_admin_may_review(app: Flask) -> None:
    client = app.test_client()
    sign_in(app, client, "admin")
    assert review(client, OPTIONAL, "accept").status_code == 303


def test_unknown_languages_and_messages_are_not_found(reviewer: FlaskClient) -> None:
    assert reviewer.get("/workspace/translations/en/review").status_code == 404
    assert reviewer.get("/workspace/translations/xx/review").status_code == 404
    assert review(reviewer, "0" * 32, "accept").status_code == 404
    assert reviewer.get(f"{REVIEW}?state=nonsense&page=-4").status_code == 200


def test_a_message_with_plural_forms_is_corrected_form_by_form(
    app: Flask, reviewer: FlaskClient, sample_link: str
) -> None:
    key = message_key("young_people", "It takes about %(num)d minute.")
    number = [m.key for m in shipped_messages("cy")].index(key) // 25 + 1
    page = reviewer.get(f"{REVIEW}?state=all&page={number}").get_data(as_text=True)
    assert len(re.findall(rf'<textarea[^>]* id="m-{key}-\d"', page)) == 6  # six in Welsh
    assert "form 6 of 6" in page
    forms = [f"Tua %(num)d munud o dy amser ({n})." for n in range(6)]
    data = {"csrf_token": token(reviewer), "action": "correct", "state": "all"}
    missing = reviewer.post(f"{REVIEW}/{key}", data={**data, "translation": forms[:5]})
    assert missing.status_code == 400 and "every form" in missing.get_data(as_text=True)
    dropped = reviewer.post(
        f"{REVIEW}/{key}", data={**data, "translation": [*forms[:5], "Tua tri munud."]}
    )
    assert dropped.status_code == 400
    assert reviewer.post(f"{REVIEW}/{key}", data={**data, "translation": forms}).status_code == 303
    start = app.test_client().get(f"/s/{sample_link}?lang=cy").get_data(as_text=True)
    assert "Tua 3 munud o dy amser (3)." in start  # Welsh uses form 3 for three


# -- a survey's own text ---------------------------------------------------------------------
SURVEY_REVIEW = f"{REVIEW}?survey=sample-young-people"
QUESTION = "Where do you spend time when you are not at home?"
QUESTION_KEY = message_key("q.places_visited.text", QUESTION)


def review_survey(client: FlaskClient, key: str, action: str, text: str | None = None):  # noqa: ANN201
    data = {"csrf_token": token(client), "action": action, "state": "all"}
    data["survey"] = "sample-young-people"
    if text is not None:
        data["translation"] = text
    return client.post(f"{REVIEW}/{key}", data=data)


def welsh_question_page(app: Flask, code: str) -> str:
    person = Respondent(app.test_client(), code)
    person.start()
    return person.get(f"/s/{code}/q/places?lang=cy").get_data(as_text=True)


def survey_catalogue(app: Flask) -> str:
    with app.app_context():
        record_id = db.session.scalar(
            select(SurveyRecord.id).where(SurveyRecord.slug == "sample-young-people")
        )
        return survey_catalogue_name(record_id)


def test_a_survey_question_is_corrected_and_respondents_see_it(
    app: Flask, reviewer: FlaskClient, sample_link: str
) -> None:
    page = reviewer.get(f"{SURVEY_REVIEW}&state=all").get_data(as_text=True)
    assert QUESTION in page and "q.places_visited.text" in page
    assert "young_people" in page  # the survey's audience, with its register note
    response = review_survey(reviewer, QUESTION_KEY, "correct", "Ble rwyt ti'n treulio amser?")
    assert response.status_code == 303 and "survey=sample-young-people" in response.location
    assert "Ble rwyt ti&#39;n treulio amser?" in welsh_question_page(app, sample_link)
    with app.app_context():
        exported = export_translation(db.session, *published_pair(), "cy").decode()
    assert 'msgstr "Ble rwyt ti\'n treulio amser?"' in exported


def published_pair():  # noqa: ANN201
    record, survey = published_survey(db.session, "sample-young-people")
    return record.id, survey


def test_a_survey_marked_reviewed_exports_a_reviewed_po_and_falls_back_when_edited(
    app: Flask, reviewer: FlaskClient, sample_link: str
) -> None:
    catalogue = survey_catalogue(app)
    with app.app_context():
        for message in catalogue_messages(db.session, catalogue, "cy"):
            accept(db.session, "cy", message, "reviewer", date.today(), catalogue)
        db.session.commit()
    marked = reviewer.post(
        "/workspace/translations/cy/reviewed",
        data={"csrf_token": token(reviewer), "survey": "sample-young-people"},
    )
    assert marked.status_code == 303
    with app.app_context():
        exported = export_translation(db.session, *published_pair(), "cy").decode()
    today = f"{date.today():%Y-%m-%d}"
    assert f"# Review: reviewed by a fluent speaker (reviewer role, {today})." in exported
    status = reviewer.get("/workspace/translations").get_data(as_text=True)
    assert status.count("Reviewed by the reviewer role on") == 1  # this survey in Welsh

    # The question's English changes in a new version: its Welsh is draft again (changed
    # since review) and respondents see the English, marked, until someone reviews it.
    definition = read_yaml(SAMPLE_SURVEY.read_bytes())
    definition["pages"][0]["questions"][0]["text"] = "Where do you go when you are not at home?"
    with app.app_context():
        store_survey(db.session, parse_survey(definition), definition, date.today())
        db.session.commit()
        state = language_state(db.session, "cy", catalogue)
    assert not state.is_reviewed and state.changed == 1
    changed = reviewer.get(f"{SURVEY_REVIEW}&state=changed").get_data(as_text=True)
    assert "Where do you go when you are not at home?" in changed
    assert 'lang="en" dir="ltr" class="fallback"' in welsh_question_page(app, sample_link)
