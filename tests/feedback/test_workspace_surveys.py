"""Surveys and links through the workspace: bank, upload, warnings, open/close, posters."""

from __future__ import annotations

import io
import re

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select

from feedback.storage.db import db
from feedback.storage.models import AccessCode, AuditEvent, Link, SurveyRecord
from tests.feedback.test_dashboard import sign_in
from tests.respondent import Respondent


def token(client: FlaskClient, path: str = "/workspace/surveys/new") -> str:
    return re.search(
        r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)
    ).group(1)


def upload(client: FlaskClient, name: str, data: bytes):  # noqa: ANN201
    """POST a file as a browser would, the body built in memory (no temporary files)."""
    boundary = "feedback-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{token(client)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        "/workspace/surveys/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def designer(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(app, client, "designer")
    return client


def test_a_bank_survey_is_published_and_answerable(app: Flask) -> None:
    client = designer(app)
    response = client.post(
        "/workspace/surveys/from-bank",
        data={"name": "young-people-design", "csrf_token": token(client)},
    )
    assert response.status_code == 303
    assert "/workspace/surveys/young-people-design?published=1" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "Published as version 1." in page and "Your ideas for safer places" in page
    created = client.post(
        "/workspace/surveys/young-people-design/links",
        data={
            "channel": "Youth club – poster",
            "audience": "young_people",
            "language": "",
            "codes": "",
            "csrf_token": token(client, "/workspace/surveys/young-people-design"),
        },
    )
    assert created.status_code == 200
    code = re.search(r"/s/(\w{8})", created.get_data(as_text=True)).group(1)
    assert Respondent(app.test_client(), code).get(f"/s/{code}").status_code == 200


def test_an_uploaded_file_with_problems_lists_them_all(app: Flask) -> None:
    client = designer(app)
    bad = (
        b"id: bad-one\ntitle: Bad\naudience: young_people\nquestions:\n"
        b"  - {id: q1, type: slider, text: Hi}\n  - {id: q2, type: single_choice, text: Pick}\n"
    )
    response = client.post(
        "/workspace/surveys/upload",
        data={"csrf_token": token(client), "file": (io.BytesIO(bad), "bad.yaml")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "bad.yaml: question &#39;q1&#39;: unknown type &#39;slider&#39;" in page
    assert "a choice question needs a list of at least 2 options" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyRecord)) == 0


def test_hostile_uploads_are_refused_clearly(app: Flask) -> None:
    client = designer(app)
    for name, data, message in [
        ("empty.yaml", b"", "choose a file to upload"),
        ("big.yaml", b"# " + b"x" * 1_100_000, "larger than 1 MB"),
        ("bomb.yaml", b"a: &a [1,1]\nb: *a\n", "aliases"),
        ("fake.xlsx", b"PK\x03\x04 not a spreadsheet", "fake.xlsx"),
        ("latin1.yaml", "title: caf\xe9".encode("latin-1"), "not UTF-8"),
    ]:
        response = upload(client, name, data)
        page = response.get_data(as_text=True)
        assert response.status_code in (400, 413), name
        assert message in page or response.status_code == 413, (name, page[-800:])


def test_a_risky_survey_needs_its_warnings_acknowledged(app: Flask) -> None:
    client = designer(app)
    risky = (
        b"id: risky\ntitle: Risky\naudience: young_people\nexpected_population: 5\n"
        b"questions:\n  - {id: who, type: short_text, text: 'What is your name?'}\n"
    )
    page = client.post(
        "/workspace/surveys/upload",
        data={"csrf_token": token(client), "file": (io.BytesIO(risky), "risky.yaml")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Only 5 people are expected" in page and "seems to ask for names" in page
    signed = re.search(r'name="definition" value="([^"]+)"', page).group(1)
    refused = client.post(
        "/workspace/surveys/confirm", data={"csrf_token": token(client), "definition": signed}
    )
    assert refused.status_code == 400
    assert (
        client.post(
            "/workspace/surveys/confirm",
            data={
                "csrf_token": token(client),
                "definition": signed[:-3] + "abc",
                "acknowledged": "yes",
            },
        ).status_code
        == 400
    )  # tampered
    published = client.post(
        "/workspace/surveys/confirm",
        data={"csrf_token": token(client), "definition": signed, "acknowledged": "yes"},
    )
    assert published.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(SurveyRecord.slug)) == "risky"


def test_closing_a_survey_closes_its_links_and_is_audited(app: Flask, sample_link: str) -> None:
    client = designer(app)
    response = client.post(
        "/workspace/surveys/sample-young-people/state",
        data={"open": "no", "csrf_token": token(client, "/workspace/surveys/sample-young-people")},
    )
    assert response.status_code == 303
    assert app.test_client().get(f"/s/{sample_link}").status_code == 410
    with app.app_context():
        assert (
            db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()))
            == "survey closed"
        )


def test_a_link_with_codes_shows_them_once_and_stores_hashes(app: Flask, sample_link: str) -> None:
    client = designer(app)
    page = client.post(
        "/workspace/surveys/sample-young-people/links",
        data={
            "channel": "Year 8 – cards",
            "audience": "young_people",
            "codes": "12",
            "kiosk": "yes",
            "closes_on": "2099-01-01",
            "csrf_token": token(client, "/workspace/surveys/sample-young-people"),
        },
    )
    codes = re.findall(r'<li><bdi dir="ltr">(\w{8})</bdi></li>', page.get_data(as_text=True))
    assert len(codes) == 12
    with app.app_context():
        link = db.session.scalar(select(Link).where(Link.channel == "Year 8 – cards"))
        assert link.kiosk and link.requires_code and str(link.closes_on) == "2099-01-01"
        stored = set(db.session.scalars(select(AccessCode.code_hash)))
    assert len(stored) == 12 and not stored & set(codes)
    # A link for a handful is never a group of its own in the results: the designer is told.
    assert "will never be shown on their own" in page.get_data(as_text=True)


def test_bad_link_details_are_explained(app: Flask, sample_link: str) -> None:
    client = designer(app)
    response = client.post(
        "/workspace/surveys/sample-young-people/links",
        data={
            "channel": "",
            "audience": "aliens",
            "language": "xx",
            "codes": "lots",
            "opens_on": "31/01/2027",
            "csrf_token": token(client, "/workspace/surveys/sample-young-people"),
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in [
        "Say who the link is for",
        "Choose who the link is for",
        "Choose one of the offered languages",
        "Enter a number of codes",
        "Enter a date like",
    ]:
        assert message in page


def test_a_poster_prints_the_qr_code_in_the_chosen_language(app: Flask, sample_link: str) -> None:
    client = designer(app)
    page = client.get(f"/workspace/links/{sample_link}/poster?lang=cy").get_data(as_text=True)
    assert '<html lang="cy"' in page and "<svg" in page
    assert f"/s/{sample_link}" in page
    assert client.get(f"/workspace/links/{sample_link}/poster?lang=xx").status_code == 404


def test_viewers_cannot_publish_or_make_links(app: Flask, sample_link: str) -> None:
    client = app.test_client()
    sign_in(app, client, "viewer")
    assert client.get("/workspace/surveys/new").status_code == 403
    csrf = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/workspace").get_data(as_text=True)
    ).group(1)
    assert (
        client.post(
            "/workspace/surveys/from-bank", data={"name": "parents-design", "csrf_token": csrf}
        ).status_code
        == 403
    )


def test_a_translation_round_trips_through_the_browser(app: Flask, sample_link: str) -> None:
    client = designer(app)
    exported = client.get("/workspace/surveys/sample-young-people/translations/pl.po")
    assert exported.status_code == 200
    po = exported.get_data(as_text=True)
    assert 'msgctxt "title"' in po and "# Review: draft" in po
    translated = re.sub(
        r'(msgctxt "title"\nmsgid "[^"]*"\nmsgstr )"[^"]*"', r'\1"Tytuł próbny"', po, count=1
    )
    assert translated != po
    csrf = token(client, "/workspace/translations")
    response = client.post(
        "/workspace/surveys/sample-young-people/translations",
        data={
            "csrf_token": csrf,
            "language": "pl",
            "file": (io.BytesIO(translated.encode()), "pl.po"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    start = app.test_client().get(f"/s/{sample_link}?lang=pl").get_data(as_text=True)
    assert "Tytuł próbny" in start


def test_a_hostile_po_upload_is_refused_and_the_old_translation_kept(
    app: Flask, sample_link: str
) -> None:
    client = designer(app)
    po = client.get("/workspace/surveys/sample-young-people/translations/cy.po").get_data(
        as_text=True
    )
    hostile = po.replace('msgstr ""', 'msgstr "<script>alert(1)</script>"', 3)
    response = client.post(
        "/workspace/surveys/sample-young-people/translations",
        data={
            "csrf_token": token(client, "/workspace/translations"),
            "language": "cy",
            "file": (io.BytesIO(hostile.encode()), "cy.po"),
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "The translation was not imported" in page
    assert "<script>alert(1)" not in page and "the markup must be" in page
    assert "The previous translation" in page


def test_the_preview_shows_every_page_in_the_chosen_language(app: Flask, sample_link: str) -> None:
    import re
    from html import unescape

    from feedback.storage.gettext_catalogues import survey_po_path
    from surveys.po import read_po_bytes

    client = designer(app)
    base = "/workspace/surveys/sample-young-people/preview"
    page = client.get(f"{base}?language=cy").get_data(as_text=True)
    assert '<html lang="en"' in page  # the workspace's own page stays in its language
    frame = re.search(r'<iframe class="phone-screen" src="([^"]+)" width="360"', page).group(1)
    assert unescape(frame).endswith("page=start&lang=cy")
    pages = re.findall(r'href="([^"]*page=[a-z_]+[^"]*)"', page)
    assert len({unescape(p) for p in pages if "language=cy" in p}) >= 7  # start + 6 pages
    assert 'aria-current="page"' in page and "Next page" in page

    welsh = read_po_bytes(survey_po_path("sample-young-people", "cy").read_bytes(), "cy")
    first_question = welsh.catalog.get(
        "Where do you spend time when you are not at home?", "q.places_visited.text"
    ).string
    shown = client.get(f"{base}/frame?page=places&lang=cy")
    text = shown.get_data(as_text=True)
    assert '<html lang="cy"' in text and '<fieldset disabled class="fieldset">' in text
    assert first_question and first_question in unescape(text)
    assert "frame-ancestors 'self'" in shown.headers["Content-Security-Policy"]
    assert shown.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "/exit" not in text and "<script" not in text and "<form" not in text
    urdu = client.get(f"{base}/frame?page=start&lang=ur").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in urdu
    assert client.get(f"{base}/frame?page=nowhere").status_code == 404
    assert client.get(f"{base}?page=nowhere").status_code == 404
    # Everything else keeps the workspace's frame policy: no framing at all.
    assert "frame-ancestors 'none'" in client.get(base).headers["Content-Security-Policy"]


def test_a_survey_is_assembled_from_library_questions(app: Flask) -> None:
    client = designer(app)
    response = client.post(
        "/workspace/surveys/from-library",
        data={
            "title": "Feeling safe in our parks!",
            "audience": "young_people",
            "question": ["what_makes_safer", "places_spend_time", "trust_worker"],
            "csrf_token": token(client),
        },
    )
    assert response.status_code == 303
    assert "/workspace/surveys/feeling-safe-in-our-parks?published=1" in response.location
    with app.app_context():
        from feedback.storage.survey_versions import published_survey

        _record, survey = published_survey(db.session, "feeling-safe-in-our-parks")
    assert [q.id for q in survey.questions()] == [
        "what_makes_safer",
        "places_spend_time",
        "trust_worker",
    ]
    assert survey.audience == "young_people" and "10 people" in survey.privacy
    again = client.post(
        "/workspace/surveys/from-library",
        data={
            "title": "Feeling safe in our parks",
            "audience": "young_people",
            "question": ["trust_worker"],
            "csrf_token": token(client),
        },
    )
    assert "/workspace/surveys/feeling-safe-in-our-parks-2?" in again.location


def test_assembling_from_the_library_explains_each_problem(app: Flask) -> None:
    client = designer(app)
    empty = client.post("/workspace/surveys/from-library", data={"csrf_token": token(client)})
    page = empty.get_data(as_text=True)
    assert empty.status_code == 400
    for message in (
        "Enter a title",
        "Choose who the survey is for",
        "Choose at least one question",
    ):
        assert message in page
    wrong = client.post(
        "/workspace/surveys/from-library",
        data={
            "title": "Parks",
            "audience": "young_people",
            "question": ["trust_worker", "parent_talk_with_child", "made_up"],
            "csrf_token": token(client),
        },
    )
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 400
    assert "is written for parents: untick it" in page
    assert "Choose questions from the list" in page
    assert 'id="question-trust_worker" name="question" value="trust_worker" checked' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyRecord)) == 0


def test_a_page_left_out_is_a_note_that_needs_no_box_ticked(app: Flask) -> None:
    # Leaving out the "about you" page for a small audience is the service protecting people,
    # not a risk the designer takes: it is said, and Publish works without the box.
    client = designer(app)
    noted = (
        b"id: noted\ntitle: Noted\naudience: young_people\nexpected_population: 150\n"
        b"pages:\n"
        b"  - {id: main, questions: [{id: why, type: short_text, text: 'What would help?'}]}\n"
        b"  - id: about_you\n    title: About you\n    needs_population: 200\n"
        b"    questions: [{id: town, type: short_text, text: 'Which part of town?'}]\n"
    )
    page = upload(client, "noted.yaml", noted).get_data(as_text=True)
    assert str(escape('The page "About you" is left out')) in page
    assert 'name="acknowledged"' not in page
    signed = re.search(r'name="definition" value="([^"]+)"', page).group(1)
    published = client.post(
        "/workspace/surveys/confirm", data={"csrf_token": token(client), "definition": signed}
    )
    assert published.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(SurveyRecord.slug)) == "noted"


def test_a_link_to_a_survey_with_an_easy_read_version_brings_its_easy_read_link(
    app: Flask,
) -> None:
    client = designer(app)
    for name in ("young-people-design", "young-people-design-easy-read"):
        client.post(
            "/workspace/surveys/from-bank", data={"name": name, "csrf_token": token(client)}
        )
    created = client.post(
        "/workspace/surveys/young-people-design/links",
        data={
            "channel": "Youth club poster",
            "audience": "young_people",
            "language": "",
            "codes": "",
            "csrf_token": token(client, "/workspace/surveys/young-people-design"),
        },
    )
    assert created.status_code == 200
    page = created.get_data(as_text=True)
    assert "easy read link" in page.lower()
    with app.app_context():
        channels = db.session.execute(
            select(SurveyRecord.slug, Link.channel).join(Link, Link.survey_id == SurveyRecord.id)
        ).all()
    assert sorted(channels) == [
        ("young-people-design", "Youth club poster"),
        ("young-people-design-easy-read", "Youth club poster"),
    ]
