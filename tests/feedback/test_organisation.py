"""Who runs a survey: the deployment's organisation settings, a survey's own override, and the
pages built from them (start page, privacy notices in two layers, accessibility statement)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from feedback.config import ConfigError, load_config
from surveys.loader import parse_survey
from surveys.organisation import LocalText, Organisation
from surveys.yaml_io import read_yaml
from tests.conftest import SAMPLE_SURVEY, add_link, load_definition, make_app

ORGANISATION_ENV = (
    "ORGANISATION_NAME",
    "ORGANISATION_NAME_CY",
    "ORGANISATION_PURPOSE",
    "ORGANISATION_LANGUAGE",
    "ORGANISATION_EMAIL",
    "DPO_EMAIL",
    "LAWFUL_BASIS",
    "COMPLAINTS_URL",
    "ACCESSIBILITY_ENFORCEMENT",
)


@pytest.fixture(autouse=True)
def no_organisation_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ORGANISATION_ENV:
        monkeypatch.delenv(name, raising=False)


def partnership_survey(tmp_path: Path, retention_days: int = 90) -> Path:
    """The sample survey, run with a partner and keeping answers for `retention_days`."""
    text = SAMPLE_SURVEY.read_text()
    text = re.sub(r"^id: .*$", "id: partner-survey", text, count=1, flags=re.M)
    text = re.sub(r"^retention_days: .*\n", "", text, flags=re.M)
    text += (
        f"retention_days: {retention_days}\n"
        "organisation:\n"
        "  name: {en: Riverside Youth Trust, cy: Ymddiriedolaeth Ieuenctid Glan yr Afon}\n"
        "  email: privacy@riverside.example\n"
        "  local_helplines: false\n"
        "  lawful_basis: consent\n"
    )
    path = tmp_path / "partner.yaml"
    path.write_text(text)
    return path


# -- settings --------------------------------------------------------------------------------


def test_defaults_outside_production() -> None:
    organisation = load_config({"FEEDBACK_ENV": "test", "SECRET_KEY": "x"})["ORGANISATION"]
    assert organisation.name == LocalText("en", "Example Council")
    assert organisation.lawful_basis == "public_task"
    assert organisation.enforcement == "ehrc"
    assert organisation.local_helplines is True
    assert not organisation.purpose
    assert organisation.data_protection_contact == ""


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGANISATION_NAME", "Anytown Council")
    monkeypatch.setenv("ORGANISATION_NAME_CY", "Cyngor Anytown")
    monkeypatch.setenv("ORGANISATION_EMAIL", "feedback@anytown.example")
    monkeypatch.setenv("LAWFUL_BASIS", "legitimate_interests")
    monkeypatch.setenv("ACCESSIBILITY_ENFORCEMENT", "ecni")
    organisation = load_config({"FEEDBACK_ENV": "test", "SECRET_KEY": "x"})["ORGANISATION"]
    assert organisation.name.in_language("cy") == ("Cyngor Anytown", "cy")
    assert organisation.name.in_language("pl") == ("Anytown Council", "en")
    # No separate DPO address: the organisation's own is the one to write to.
    assert organisation.data_protection_contact == "feedback@anytown.example"
    assert (organisation.lawful_basis, organisation.enforcement) == ("legitimate_interests", "ecni")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LAWFUL_BASIS", "because", "LAWFUL_BASIS must be one of"),
        ("ACCESSIBILITY_ENFORCEMENT", "ofcom", "ACCESSIBILITY_ENFORCEMENT must be"),
        ("ORGANISATION_LANGUAGE", "english!", "ORGANISATION_LANGUAGE must be"),
        ("ACCESSIBILITY_REVIEWED", "last week", "ACCESSIBILITY_REVIEWED must be a date"),
    ],
)
def test_a_bad_setting_is_refused_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        load_config({"FEEDBACK_ENV": "test", "SECRET_KEY": "x"})


def test_production_will_not_start_without_saying_who_runs_it() -> None:
    production = {
        "FEEDBACK_ENV": "production",
        "SECRET_KEY": "k7Qz2Vw9Lm4Rt8Yp3Xn6Bc1Hd5Jf0Gs2Ka7Wq9Ze4Uo8Iy3",
        "PUBLIC_URL": "https://feedback.anytown.example",
    }
    with pytest.raises(ConfigError, match="ORGANISATION_NAME must be set"):
        load_config(production)


def test_a_survey_file_can_name_its_own_organisation(tmp_path: Path) -> None:
    survey = parse_survey(read_yaml(partnership_survey(tmp_path).read_bytes()))
    assert survey.organisation is not None
    assert survey.organisation.name.in_language("cy")[0].startswith("Ymddiriedolaeth")
    assert survey.organisation.local_helplines is False


def test_a_broken_organisation_block_names_every_problem() -> None:
    document = read_yaml(SAMPLE_SURVEY.read_bytes())
    document["organisation"] = {"nam": "x", "email": "not an address", "lawful_basis": "vibes"}
    with pytest.raises(ValueError) as raised:
        parse_survey(document)
    text = str(raised.value)
    assert "unknown field 'nam'" in text
    assert "email must be an e-mail address" in text
    assert "lawful_basis must be one of" in text


# -- pages -----------------------------------------------------------------------------------


@pytest.fixture
def council(database_url: str):
    organisation = Organisation(
        name=LocalText("en", "Anytown Council", (("cy", "Cyngor Anytown"),)),
        purpose=LocalText("en", "To plan safer parks with young people."),
        email="feedback@anytown.example",
        dpo_email="dpo@anytown.example",
        complaints="https://anytown.example/complaints",
    )
    helplines = [{"name": "Anytown Children's Services", "phone": "01234 567890"}]
    app = make_app(database_url, ORGANISATION=organisation, LOCAL_HELPLINES=helplines)
    yield app
    from tests.conftest import _empty_tables

    _empty_tables(app)


def test_the_start_page_says_who_runs_the_survey(council: Flask) -> None:
    code = add_link(council, load_definition(council))
    client = council.test_client()
    assert "This survey is run by Anytown Council." in page(client, f"/s/{code}")
    welsh = page(client, f"/s/{code}?lang=cy")
    assert "Cyngor Anytown" in welsh and 'lang="en"' not in welsh.split("<main")[1]
    # Polish was not given: the English name is marked as English inside the Polish page.
    polish = page(client, f"/s/{code}?lang=pl")
    assert '<span lang="en" dir="ltr">Anytown Council</span>' in polish


def test_the_full_notice_is_built_from_the_settings(council: Flask) -> None:
    client = council.test_client()
    for audience in ("young-people", "parents"):
        notice = page(client, f"/privacy/{audience}/full")
        for text in (
            "Anytown Council",
            "data controller",
            "dpo@anytown.example",
            "To plan safer parks with young people.",
            "public task",
            "https://anytown.example/complaints",
            "ico.org.uk/make-a-complaint",
            "cannot show, change or delete one person",
            "Each survey deletes all its answers after a set time",
        ):
            assert text in notice, (audience, text)


def test_the_survey_notice_gives_its_own_retention_and_organisation(
    council: Flask, tmp_path: Path
) -> None:
    sample = add_link(council, load_definition(council))
    partner = add_link(council, load_definition(council, partnership_survey(tmp_path, 90)))
    client = council.test_client()
    assert "deletes all its answers 365 days after" in page(
        client, f"/s/{sample}/privacy/young-people/full"
    )
    notice = page(client, f"/s/{partner}/privacy/parents/full")
    assert "deletes all its answers 90 days after" in notice
    assert "Riverside Youth Trust" in notice and "Anytown Council" not in notice
    assert "you choose to send them. The law calls this consent." in notice
    assert "privacy@riverside.example" in notice
    assert "Riverside Youth Trust" in page(client, f"/s/{partner}")
    # Its partner works elsewhere, so the council's own helpline is not offered.
    assert "Anytown Children" not in page(client, f"/s/{partner}/help")
    assert "Anytown Children" in page(client, f"/s/{sample}/help")


def test_the_survey_footer_leads_to_its_own_notice_and_the_statement(council: Flask) -> None:
    code = add_link(council, load_definition(council))
    start = page(council.test_client(), f"/s/{code}")
    assert f'href="/s/{code}/privacy/young-people"' in start
    assert f'href="/s/{code}/accessibility"' in start
    short = page(council.test_client(), f"/s/{code}/privacy/young-people")
    assert f'href="/s/{code}/privacy/young-people/full"' in short


def test_the_accessibility_statement_follows_the_model(council: Flask) -> None:
    statement = page(council.test_client(), "/accessibility")
    for heading in (
        "Accessibility statement",
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Technical information about this website",
        "Compliance status",
        "Non-accessible content",
        "This statement was last reviewed on",
    ):
        assert heading in statement
    assert "This website is run by Anytown Council." in statement
    assert "feedback@anytown.example" in statement
    assert "Equality Advisory and Support Service" in statement
    assert "2.2.1" in statement
    assert "zoom in up to four times" in statement  # every message is formatted: no bare %


def test_northern_ireland_names_its_own_enforcement_body(database_url: str) -> None:
    organisation = Organisation(
        name=LocalText("en", "Anytown Council"), purpose=LocalText("en", ""), enforcement="ecni"
    )
    app = make_app(database_url, ORGANISATION=organisation)
    statement = page(app.test_client(), "/accessibility")
    assert "Equality Commission for Northern Ireland" in statement
    assert "Equality Advisory and Support Service" not in statement


def test_unknown_notice_addresses_are_not_found(council: Flask) -> None:
    client = council.test_client()
    assert client.get("/privacy/everyone/full").status_code == 404
    assert client.get("/s/zzzz9999/privacy/parents/full").status_code == 404
    assert client.get("/s/zzzz9999/accessibility").status_code == 303


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


# -- plain language --------------------------------------------------------------------------

# Wording the GOV.UK model statement fixes (its headings, the names of the law and of the
# bodies that enforce it, the standard and its success criteria): required, so not scored.
FIXED_WORDING = (
    "Accessibility statement",
    "Feedback and contact information",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "Non-accessible content",
    "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
    "Regulations 2018",
    "Equality and Human Rights Commission (EHRC)",
    "Equality Advisory and Support Service (EASS)",
    "Web Content Accessibility Guidelines version 2.2 AA standard",
    "WCAG 2.2 success criterion 2.2.1 (timing adjustable)",
    "success criterion 2.2.1",
    "Information Commissioner's Office (ICO)",
)


def main_text(html: str) -> list[str]:
    """The sentences of a page's main content, markup removed, fixed wording taken out."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", "\n", main).replace("&#39;", "'").replace("&amp;", "&")
    for fixed in FIXED_WORDING:
        text = text.replace(fixed, "")
    lines = [line.strip() for line in text.splitlines() if len(line.strip()) > 1]
    return [line if line.endswith((".", ":", "?")) else line + "." for line in lines]


@pytest.mark.parametrize(
    "path",
    ["/privacy/young-people/full", "/privacy/parents/full", "/accessibility"],
)
def test_the_notices_and_the_statement_read_easily(
    council: Flask, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import textstat

    from tests.surveys.test_bank import FRE_FLOOR, JARGON_PATTERN

    try:  # syllables from pyphen only, never the network (see tests/surveys/test_bank.py)
        from textstat.backend.counts import _count_syllables

        monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    except ImportError:
        pass
    sentences = main_text(page(council.test_client(), path))
    score = textstat.flesch_reading_ease(" ".join(sentences))
    assert score >= FRE_FLOOR["parents"], f"{path}: Flesch reading ease {score}"
    assert not {m.group(0) for s in sentences for m in JARGON_PATTERN.finditer(s)}


def test_the_override_survives_the_editor_and_shows_in_the_changes(tmp_path: Path) -> None:
    from surveys.definition import survey_to_definition
    from surveys.diff import diff_surveys

    survey = parse_survey(read_yaml(partnership_survey(tmp_path).read_bytes()))
    again = parse_survey(survey_to_definition(survey))
    assert again == survey and again.content_hash() == survey.content_hash()
    plain = parse_survey(read_yaml(SAMPLE_SURVEY.read_bytes()))
    subjects = [change.subject for change in diff_surveys(plain, survey)]
    assert "Who runs it" in subjects
