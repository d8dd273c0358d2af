"""Respondent pages as a phone shows them: progress, help with a way back, the matrix,
faces, text direction, and English marked as English on translated pages."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from surveys import BANK_DIR, load_survey
from tests.conftest import SAMPLE_SURVEY, add_link, load_definition
from tests.feedback.test_respondent_voice import every_question_survey
from tests.respondent import Respondent


def started(client: FlaskClient, code: str) -> Respondent:
    respondent = Respondent(client, code)
    respondent.start()
    return respondent


def page_text(respondent: Respondent, path: str) -> str:
    return respondent.get(path).get_data(as_text=True)


# -- progress ---------------------------------------------------------------------------------


def test_progress_counts_every_page_so_a_page_brought_in_never_changes_the_total(
    respondent: Respondent,
) -> None:
    code = respondent.code
    respondent.start()
    # Nothing chosen on the first page: the safety page (show_if) is skipped, and counted as
    # passed, so the next page is the third of six, not the second of five.
    respondent.answer("places", {})
    assert "Page 3 of 6" in page_text(respondent, f"/s/{code}/q/safer")
    # Going back and choosing a place brings the safety page in: nothing else moves.
    respondent.answer("places", {"places_visited": ["park"]})
    assert "Page 2 of 6" in page_text(respondent, f"/s/{code}/q/safety")
    assert "Page 3 of 6" in page_text(respondent, f"/s/{code}/q/safer")


# -- help -------------------------------------------------------------------------------------


def test_help_within_a_survey_leads_back_to_the_page_left(respondent: Respondent) -> None:
    code = respondent.code
    respondent.start()
    question = page_text(respondent, f"/s/{code}/q/safer")
    assert f'href="/s/{code}/help?page=safer"' in question
    help_page = page_text(respondent, f"/s/{code}/help?page=safer")
    assert f'<a href="/s/{code}/q/safer" class="back-link">Back to the survey</a>' in help_page
    # From the start page (no question yet), the way back is the start page.
    start_help = page_text(respondent, f"/s/{code}/help")
    assert f'<a href="/s/{code}" class="back-link">Back to the survey</a>' in start_help


def test_help_without_a_survey_has_no_way_back(client: FlaskClient) -> None:
    page = client.get("/help").get_data(as_text=True)
    assert "Back to the survey" not in page
    assert client.get("/s/zzzz9999/help").status_code == 303


# -- the matrix and faces ---------------------------------------------------------------------


def test_every_matrix_statement_is_a_fieldset_whose_legend_repeats_the_question(
    app: Flask, client: FlaskClient
) -> None:
    code = add_link(app, every_question_survey(app))
    page = page_text(started(client, code), f"/s/{code}/q/grid")
    legends = re.findall(r"<legend[^>]*>(.*?)</legend>", page, re.S)
    assert len(legends) == 6  # one fieldset per statement
    assert all("How much do you agree?" in legend for legend in legends)
    assert "I feel safe online" in legends[-1]


def test_faces_are_drawn_as_hidden_svgs_beside_their_labels_with_no_emoji(
    app: Flask, client: FlaskClient
) -> None:
    code = add_link(app, every_question_survey(app))
    respondent = started(client, code)
    respondent.answer("where", {"places": ["park"]})
    page = page_text(respondent, f"/s/{code}/q/feelings")
    faces = re.findall(r'<svg class="face"[^>]*>', page)
    assert len(faces) == 5
    assert all('aria-hidden="true"' in face and 'focusable="false"' in face for face in faces)
    assert not re.search("[\U0001f600-\U0001f64f]", page)
    for label in ["Very unhappy", "Unhappy", "Okay", "Happy", "Very happy", "I don't know"]:
        text = re.escape(str(escape(label)))
        assert re.search(rf"</svg>\s*{text}\s*</label>|>\s*{text}\s*</label>", page), label


# -- direction and language -------------------------------------------------------------------


def test_free_text_takes_its_direction_from_what_is_typed(app: Flask, client: FlaskClient) -> None:
    code = add_link(app, every_question_survey(app))
    page = page_text(started(client, code), f"/s/{code}/q/more?lang=ar")
    assert re.search(r'<textarea[^>]*\bdir="auto"', page)
    assert re.search(r'<input class="input" id="word"[^>]*\bdir="auto"', page)


def test_local_helplines_are_marked_as_english_on_a_translated_page(
    app: Flask, client: FlaskClient
) -> None:
    app.config["LOCAL_HELPLINES"] = [
        {
            "name": "Anytown Children's Services",
            "description": "Weekdays 9 to 5",
            "phone": "01234 567890",
        }
    ]
    page = client.get("/help?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert '<p lang="en" dir="ltr">Weekdays 9 to 5</p>' in page
    assert '<bdi lang="en" dir="ltr">Anytown Children&#39;s Services</bdi>' in page
    assert '<bdi lang="en" dir="ltr">Childline</bdi>' in page


def test_you_said_we_did_notes_take_their_own_direction(app: Flask, client: FlaskClient) -> None:
    from datetime import date

    from feedback.storage.db import db
    from feedback.storage.models import ChangeNote

    record = load_definition(app)
    code = add_link(app, record)
    with app.app_context():
        db.session.add(
            ChangeNote(
                survey_id=record.id,
                you_said="The park is dark",
                we_did="New lights by March",
                published_on=date.today(),
            )
        )
        db.session.commit()
    page = client.get(f"/s/{code}?lang=ur").get_data(as_text=True)
    assert '<bdi lang="en" dir="auto">The park is dark</bdi>' in page
    assert '<bdi lang="en" dir="auto">New lights by March</bdi>' in page


def test_any_language_takes_its_direction_from_babel() -> None:
    from feedback.web.templating import language_direction

    assert [language_direction(code) for code in ["ar", "fa", "ur", "cy", "pa", "so"]] == [
        "rtl",
        "rtl",
        "rtl",
        "ltr",
        "ltr",
        "ltr",
    ]


# -- the start page and the Exit explanation --------------------------------------------------


def test_the_start_page_says_each_thing_once_and_starts_before_the_details(
    respondent: Respondent,
) -> None:
    page = page_text(respondent, f"/s/{respondent.code}")
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    survey = load_survey(SAMPLE_SURVEY)
    own = main
    for text in [survey.intro, survey.privacy]:  # the survey's own words, not the page's
        for paragraph in text.split("\n\n"):
            own = own.replace(escape(paragraph.strip()), "")
    assert own.count("It takes about 3 minutes.") == 1
    assert own.lower().count("we do not know who you are") == 1
    assert own.count("we cannot reply") == 1
    start_now = main.index("Start now")
    assert start_now < main.index("We want to make the places")  # the intro follows the button
    assert "<details" in main[start_now:]  # who sees the answers: there when wanted


def test_the_exit_explanation_says_what_pressing_the_button_does(respondent: Respondent) -> None:
    first = respondent.start()
    page = page_text(respondent, first.location)
    assert (
        'If you press "Exit this page", your answers so far are deleted.' in page
        or "If you press &#34;Exit this page&#34;, your answers so far are deleted." in page
    )


# -- answers that must stand alone ------------------------------------------------------------


def test_an_answer_that_stands_alone_is_named_when_combined(respondent: Respondent) -> None:
    respondent.start()
    response = respondent.answer("safer", {"makes_safer": ["friends", "dont_know"]})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # The message names the one answer chosen ("I don't know"), not every answer that could be.
    assert str(escape("You cannot choose “I don't know” with other answers.")) in page
    assert "rather not say" not in page.split('class="error-summary')[1].split("</div>")[0]


def test_the_standalone_answer_is_named_in_the_page_language(
    app: Flask, client: FlaskClient
) -> None:
    code = add_link(app, load_definition(app), language="cy")
    respondent = started(client, code)
    page = respondent.answer("safer", {"makes_safer": ["friends", "dont_know"]})
    assert "“Ddim yn gwybod”" in page.get_data(as_text=True)


# -- places -----------------------------------------------------------------------------------


def test_a_place_page_shows_a_plain_drawing_of_the_place_and_no_faces(
    app: Flask, client: FlaskClient
) -> None:
    # For 10 to 12s, each place asked about gets its own screen with a drawing of that type
    # of place: it says which place, and, unlike a face, does not suggest an answer.
    code = add_link(app, load_definition(app, BANK_DIR / "young-people-design-easy-read.yaml"))
    respondent = started(client, code)
    respondent.answer("your_choice", {"assent_choice": "yes"})
    respondent.answer("places_spend_time", {"places_spend_time": ["parks", "online"]})
    for place in ("parks", "online"):
        page = page_text(respondent, f"/s/{code}/q/place_safe_{place}")
        drawings = re.findall(r'<svg class="place-drawing[^>]*>', page)
        assert len(drawings) == 1, place
        assert f'data-place="{place}"' in drawings[0]
        assert 'aria-hidden="true"' in drawings[0] and 'focusable="false"' in drawings[0]
        assert 'class="face"' not in page
    # A page that is not about one place has no drawing.
    assert "place-drawing" not in page_text(respondent, f"/s/{code}/q/places_spend_time")


# -- easy read --------------------------------------------------------------------------------


def test_the_start_page_offers_the_easy_read_version_shared_in_the_same_place(
    app: Flask, client: FlaskClient
) -> None:
    standard = load_definition(app, BANK_DIR / "young-people-design.yaml")
    easy = load_definition(app, BANK_DIR / "young-people-design-easy-read.yaml")
    code = add_link(app, standard, channel="Youth club poster")
    start = page_text(Respondent(client, code), f"/s/{code}")
    assert "Easy read" not in start  # no easy read link shared there yet
    add_link(app, easy, channel="School assembly")
    assert "Easy read" not in page_text(Respondent(client, code), f"/s/{code}")
    easy_code = add_link(app, easy, channel="Youth club poster")
    start = page_text(Respondent(client, code), f"/s/{code}")
    assert f'<a href="/s/{easy_code}"' in start and "Easy read version" in start
    # The easy read survey itself offers nothing further.
    assert "Easy read version" not in page_text(Respondent(client, easy_code), f"/s/{easy_code}")
