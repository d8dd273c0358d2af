"""Languages: choosing one, keeping it, right-to-left, and survey text through catalogues."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from feedback.storage.db import db
from feedback.storage.models import SurveyRecord, SurveyTranslation
from feedback.storage.survey_translations import (
    TranslationRefused,
    export_translation,
    import_translation,
)
from feedback.storage.survey_versions import latest_version, survey_of
from surveys import BANK_DIR
from surveys.i18n import survey_messages
from surveys.po import read_po_bytes, survey_catalogue, survey_po
from tests.conftest import add_link, load_definition
from tests.respondent import Respondent

HTML_TAG = re.compile(r"<html lang=\"([\w-]+)\" dir=\"(\w+)\">")


def html_lang(page: str) -> tuple[str, str]:
    found = HTML_TAG.search(page)
    assert found is not None
    return found.group(1), found.group(2)


def test_lang_parameter_chooses_the_language_for_the_visit(
    client: FlaskClient, sample_link: str
) -> None:
    assert html_lang(client.get(f"/s/{sample_link}?lang=cy").get_data(as_text=True)) == (
        "cy",
        "ltr",
    )
    # Kept for the rest of the visit without the parameter.
    assert html_lang(client.get("/help").get_data(as_text=True)) == ("cy", "ltr")


def test_link_language_beats_the_browser_and_loses_to_a_choice(
    app: Flask, client: FlaskClient
) -> None:
    code = add_link(app, load_definition(app), language="pl")
    headers = {"Accept-Language": "ro,en;q=0.5"}
    assert html_lang(client.get(f"/s/{code}", headers=headers).get_data(as_text=True))[0] == "pl"
    assert html_lang(client.get(f"/s/{code}?lang=uk").get_data(as_text=True))[0] == "uk"


def test_the_browser_language_is_used_when_nothing_else_says(
    client: FlaskClient, sample_link: str
) -> None:
    page = client.get(f"/s/{sample_link}", headers={"Accept-Language": "ro-RO,ro;q=0.9"})
    assert html_lang(page.get_data(as_text=True))[0] == "ro"


@pytest.mark.parametrize("language", ["ar", "ur", "fa"])
def test_right_to_left_languages_set_dir_rtl(
    client: FlaskClient, sample_link: str, language: str
) -> None:
    page = client.get(f"/s/{sample_link}?lang={language}").get_data(as_text=True)
    assert html_lang(page) == (language, "rtl")
    # Phone numbers stay left to right inside right-to-left text.
    assert '<bdi dir="ltr">999</bdi>' in page


@pytest.mark.parametrize("value", ["zz", "../../etc", "<script>", ""])
def test_an_unknown_language_says_so_and_keeps_the_page(
    client: FlaskClient, sample_link: str, value: str
) -> None:
    response = client.get(f"/s/{sample_link}", query_string={"lang": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "that language is not available" in page.lower() or html_lang(page)[0] == "en"
    assert "<script>" not in page


def test_every_respondent_page_offers_every_language(client: FlaskClient, sample_link: str) -> None:
    page = client.get(f"/s/{sample_link}").get_data(as_text=True)
    for code, name, direction in [
        ("cy", "Cymraeg", "ltr"),
        ("pl", "polski", "ltr"),
        ("ur", "اردو", "rtl"),
        ("so", "Soomaali", "ltr"),
    ]:
        # Each name in its own language and direction (from Babel's data for that language).
        assert (
            f'href="?lang={code}" lang="{code}" dir="{direction}" hreflang="{code}">{name}' in page
        )


def test_switching_language_mid_survey_keeps_every_answer(respondent: Respondent) -> None:
    respondent.start()
    respondent.answer("places", {"places_visited": ["park", "youth_club"]})
    respondent.answer("safety", {"feel_safe": "2"})
    respondent.get(f"/s/{respondent.code}/q/safer?lang=pl")
    page = respondent.get(f"/s/{respondent.code}/q/places").get_data(as_text=True)
    assert html_lang(page)[0] == "pl"
    assert 'value="park" checked' in page and 'value="youth_club" checked' in page
    summary = respondent.get(f"/s/{respondent.code}/check").get_data(as_text=True)
    assert 'value="2"' not in summary  # the check page shows labels, not values
    assert summary.count("?from=check") >= 2  # a change link per answer


def sample_record(app: Flask) -> tuple[int, object]:
    with app.app_context():
        record = db.session.scalar(select(SurveyRecord))
        return record.id, survey_of(latest_version(db.session, record.id))


def translated_po(survey, language: str, replacements: dict[str, str]) -> bytes:
    """A .po of the survey with some messages translated."""
    po = read_po_bytes(survey_po(survey, language), language)
    for message in po.catalog:
        if message.context in replacements:
            message.string = replacements[message.context]
    from io import BytesIO

    from babel.messages.pofile import write_po

    buffer = BytesIO()
    write_po(buffer, po.catalog)
    return buffer.getvalue()


def test_survey_text_is_shown_translated_and_english_fallback_is_marked(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    survey_id, survey = sample_record(app)
    raw = translated_po(survey, "cy", {"title": "Teimlo'n ddiogel lle rwyt ti'n treulio amser"})
    with app.app_context():
        import_translation(
            db.session, survey_id, survey, "cy", raw, app.config["LANGUAGES"], date.today()
        )
        db.session.commit()
    page = client.get(f"/s/{sample_link}?lang=cy").get_data(as_text=True)
    assert (
        '<h1 class="heading-xl">Teimlo&#39;n ddiogel lle rwyt ti&#39;n treulio amser</h1>' in page
    )
    # The intro has no Welsh yet: shown in English, marked as English, with a notice.
    assert '<p class="fallback" lang="en" dir="ltr">We want to make the places' in page
    assert "fallback-notice" in page


def test_a_translation_of_changed_english_is_stale_and_not_shown(
    app: Flask, client: FlaskClient, sample_link: str, tmp_path: Path
) -> None:
    survey_id, survey = sample_record(app)
    raw = translated_po(survey, "cy", {"title": "Hen deitl"})
    with app.app_context():
        import_translation(
            db.session, survey_id, survey, "cy", raw, app.config["LANGUAGES"], date.today()
        )
        db.session.commit()
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        (BANK_DIR / "sample-young-people.yaml")
        .read_text()
        .replace("title: Feeling safe where you spend time", "title: Feeling safe in your area")
    )
    load_definition(app, changed)
    page = client.get(f"/s/{sample_link}?lang=cy").get_data(as_text=True)
    assert "Hen deitl" not in page
    assert '<span lang="en" dir="ltr" class="fallback">Feeling safe in your area</span>' in page
    with app.app_context():
        _id, new_survey = sample_record(app)
        exported = export_translation(db.session, survey_id, new_survey, "cy").decode()
    assert '#, fuzzy\n#| msgid "Feeling safe where you spend time"' in exported


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda po: po.replace('msgstr ""', 'msgstr "<script>alert(1)</script>"', 2), "markup"),
        (lambda po: po.replace('msgstr ""', 'msgstr "%(name)s"', 2), "placeholders"),
        (
            lambda po: po.replace('msgctxt "title"', 'msgctxt "q.not_here.text"'),
            "not in this survey",
        ),
        (lambda po: 'this is not a po file\n"', "not a valid .po"),
        (lambda po: po, "no translated messages"),
    ],
)
def test_a_hostile_or_broken_po_is_refused_and_the_old_one_kept(
    app: Flask, sample_link: str, change, problem: str
) -> None:
    survey_id, survey = sample_record(app)
    good = translated_po(survey, "cy", {"title": "Teitl da"})
    bad = change(survey_po(survey, "cy").decode()).encode()
    with app.app_context():
        import_translation(
            db.session, survey_id, survey, "cy", good, app.config["LANGUAGES"], date.today()
        )
        db.session.commit()
        with pytest.raises(TranslationRefused) as refused:
            import_translation(
                db.session, survey_id, survey, "cy", bad, app.config["LANGUAGES"], date.today()
            )
        db.session.rollback()
        kept = db.session.get(SurveyTranslation, (survey_id, "cy")).po
    assert any(problem in p for p in refused.value.problems), refused.value.problems
    assert "Teitl da" in kept


def test_a_po_in_the_wrong_encoding_is_refused(app: Flask, sample_link: str) -> None:
    survey_id, survey = sample_record(app)
    latin1 = translated_po(survey, "pl", {"title": "Bezpieczeństwo"}).decode().encode("cp1250")
    with app.app_context(), pytest.raises(TranslationRefused, match="not UTF-8"):
        import_translation(
            db.session, survey_id, survey, "pl", latin1, app.config["LANGUAGES"], date.today()
        )


def test_a_language_not_offered_is_refused(app: Flask, sample_link: str) -> None:
    survey_id, survey = sample_record(app)
    with app.app_context(), pytest.raises(TranslationRefused, match="not offered"):
        import_translation(
            db.session, survey_id, survey, "xx", b"", app.config["LANGUAGES"], date.today()
        )


def test_round_trip_keeps_translations_and_review_state(app: Flask, sample_link: str) -> None:
    survey_id, survey = sample_record(app)
    raw = translated_po(survey, "es", {"title": "Sentirse seguro"})
    with app.app_context():
        import_translation(
            db.session, survey_id, survey, "es", raw, app.config["LANGUAGES"], date.today()
        )
        exported = export_translation(db.session, survey_id, survey, "es")
    catalogue = survey_catalogue(read_po_bytes(exported, "es"))
    assert catalogue.lookup("title", survey.title) == "Sentirse seguro"
    assert b"# Review: draft - not yet reviewed by a fluent speaker." in exported


def test_the_translation_status_page_shows_coverage_and_review(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    from tests.feedback.test_dashboard import sign_in

    survey_id, survey = sample_record(app)
    raw = translated_po(survey, "cy", {"title": "Teitl"})
    with app.app_context():
        import_translation(
            db.session, survey_id, survey, "cy", raw, app.config["LANGUAGES"], date.today()
        )
        db.session.commit()
    assert client.get("/workspace/translations").status_code == 302
    sign_in(app, client)
    page = client.get("/workspace/translations").get_data(as_text=True)
    assert "Cymraeg" in page and "Draft: not reviewed by a fluent speaker" in page
    row = re.search(
        r'<span lang="cy">Cymraeg</span> \(cy\)\s*(?:<a [^>]*>.*?</a>)?</th>\s*'
        r'<td class="numeric">(\d+)%'
        r'</td>\s*<td class="numeric">(\d+)</td>\s*<td class="numeric">(\d+)</td>',
        page.split("Feeling safe where you spend time", 1)[1],
    )
    assert row is not None
    translated, stale, missing = map(int, row.groups())
    total = len(survey_messages(survey))
    assert (translated, stale, missing) == (100 // total, 0, total - 1)


def test_staff_pages_stay_in_english_until_they_have_a_staff_catalogue(
    app: Flask, sample_link: str
) -> None:
    from tests.feedback.test_dashboard import sign_in

    client = app.test_client()
    sign_in(app, client, "designer")
    for path in [
        "/workspace",
        "/workspace/surveys/sample-young-people",
        "/dashboards/sample-young-people",
        "/sign-in",
    ]:
        page = client.get(path, headers={"Accept-Language": "ur"}).get_data(as_text=True)
        assert '<html lang="en" dir="ltr">' in page, path
        assert 'class="language-switch"' not in page, path
    preview = client.get(
        "/workspace/surveys/sample-young-people/preview/frame?page=start&lang=ur"
    ).get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in preview


def test_a_staff_catalogue_makes_its_language_available_to_staff(
    app: Flask, sample_link: str, monkeypatch
) -> None:
    from feedback.web import locale as i18n
    from tests.feedback.test_dashboard import sign_in

    monkeypatch.setattr(i18n, "has_staff_catalogue", lambda code: code == "cy")
    client = app.test_client()
    sign_in(app, client, "designer")
    page = client.get("/workspace", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert '<html lang="cy" dir="ltr">' in page and 'class="language-switch"' in page
