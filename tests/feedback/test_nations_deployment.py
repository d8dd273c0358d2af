"""A deployment in Wales: bank surveys name the Welsh procedures and regulator in every
language, and designers see who signed off the promise about passing on worries."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from feedback.config import ConfigError
from tests.conftest import _empty_tables, add_link, make_app
from tests.feedback.test_workspace_surveys import designer, token
from tests.respondent import Respondent


@pytest.fixture
def welsh_app(database_url: str) -> Iterator[Flask]:
    app = make_app(
        database_url,
        NATION="wales",
        SAFEGUARDING_SIGNED_OFF_BY="Designated safeguarding lead, Children's Services",
        SAFEGUARDING_SIGNED_OFF_ON="2026-11-20",
    )
    yield app
    _empty_tables(app)


def publish_from_bank(client: FlaskClient, name: str) -> None:
    response = client.post(
        "/workspace/surveys/from-bank", data={"name": name, "csrf_token": token(client)}
    )
    if response.status_code == 200:  # notes to read first
        signed = re.search(r'name="definition" value="([^"]+)"', response.get_data(as_text=True))
        response = client.post(
            "/workspace/surveys/confirm",
            data={"definition": signed.group(1), "csrf_token": token(client)},
        )
    assert response.status_code == 303, response.get_data(as_text=True)[-500:]


def start_page(app: Flask, slug: str, language: str) -> str:
    from feedback.storage.db import db
    from feedback.storage.models import SurveyRecord

    with app.app_context():
        record = db.session.query(SurveyRecord).filter_by(slug=slug).one()
    code = add_link(app, record, language=language)
    return Respondent(app.test_client(), code).get(f"/s/{code}").get_data(as_text=True)


def test_a_bank_survey_published_in_wales_names_the_welsh_rules_in_welsh_and_polish(
    welsh_app: Flask,
) -> None:
    publish_from_bank(designer(welsh_app), "young-people-design")
    english = start_page(welsh_app, "young-people-design", "en")
    assert "Wales Safeguarding Procedures" in english
    assert "Care Inspectorate Wales" in english
    welsh = start_page(welsh_app, "young-people-design", "cy")
    assert "Gweithdrefnau Diogelu Cymru" in welsh and "Arolygiaeth Gofal Cymru" in welsh
    assert "Wales Safeguarding Procedures" not in welsh
    polish = start_page(welsh_app, "young-people-design", "pl")
    assert "muszą tak postąpić" in polish and "Care Inspectorate Wales" in polish
    main = polish.split("<main")[1].split("</main>")[0]
    # The organisation's own name is English and marked so on purpose (docs/adr/0012).
    main = main.replace('<span lang="en" dir="ltr">Example Council</span>', "")
    assert 'lang="en"' not in main  # no English fallback


def test_in_england_the_bank_is_as_written(app: Flask) -> None:
    publish_from_bank(designer(app), "young-people-design")
    english = start_page(app, "young-people-design", "en")
    assert "Wales" not in english


def test_designers_see_who_signed_off_the_promise_before_publishing(welsh_app: Flask) -> None:
    signed = designer(welsh_app).get("/workspace/surveys/new").get_data(as_text=True)
    assert "Designated safeguarding lead, Children&#39;s Services" in signed
    assert re.search(r"20 November 2026|November 20, 2026", signed)
    assert "set up for Wales" in signed


def test_designers_see_when_no_one_has_signed_off_the_promise(app: Flask) -> None:
    unsigned = designer(app).get("/workspace/surveys/new").get_data(as_text=True)
    assert "No one has signed off" in unsigned and "set up for Wales" not in unsigned


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"NATION": "scotland"}, "NATION must be one of england, wales"),
        ({"SAFEGUARDING_SIGNED_OFF_BY": "Lead"}, "or neither"),
        (
            {"SAFEGUARDING_SIGNED_OFF_BY": "Lead", "SAFEGUARDING_SIGNED_OFF_ON": "20/11/2026"},
            "must be a date like",
        ),
    ],
)
def test_a_wrong_setting_is_refused_at_start_with_a_clear_message(
    settings: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        make_app("sqlite://", **settings)
